"""An in-memory server speaking protocol v1, used as a Transport in the engine's unit tests.

It keeps a change log, remembers mutation ids with their item hash, versions records, and
can inject faults: failures before or after applying, 410 resync answers, lost responses.
"""
from __future__ import annotations

import copy
import json
from collections import deque
from pathlib import Path

from signed_pages import signed

from sync.client.errors import RequestRejected, ResyncRequired, RetryableError
from sync.protocol import (
    CATALOG_ENTITIES,
    PullPage,
    PushItem,
    digest_lines,
    item_hash,
    pull_is_stale,
)

CASES = Path(__file__).resolve().parents[1] / "protocol_cases"
#: the division codes the fake knows (the real app: the demo jurisdictions)
JURISDICTIONS = ("110105", "110108", "310101")


def load_case(name: str):
    """Return the decoded JSON of one shared protocol case file."""
    return json.loads((CASES / name).read_text(encoding="utf-8"))


class FakeServer:
    """The fake. Beside the Transport methods it has the test-facing surface that
    `app_server.AppServer` gives the real app (`indicator`, `catalog_changes`, `record`,
    `edit`, `return_inspection`, `applied_count`, `fail`), so one engine test runs on both."""

    name = "fake"
    #: the indicator findings are recorded against (the fake knows no catalog)
    indicator = "ind-000"

    def __init__(self):
        self.log: list[dict] = []
        self.current: dict[tuple[str, str], dict] = {}   # (entity, id) -> {version, data, op}
        self.mutations: dict[str, tuple[str, dict]] = {}  # mutation_id -> (hash, result)
        self.faults: deque = deque()  # callables(kind) -> None | raise
        self.requests_sent = 0
        self.horizon = 0
        self.seq = 0
        self.applied_count = 0

    # -- server-side helpers --
    def purge(self, entity, ident):
        """Purge a record's tombstone and earlier changes; raise the horizon."""
        seqs = [c["seq"] for c in self.log if (c["entity"], c["id"]) == (entity, ident)]
        self.log = [c for c in self.log if (c["entity"], c["id"]) != (entity, ident)]
        del self.current[(entity, ident)]
        self.horizon = max(self.horizon, max(seqs))

    def write(self, entity, ident, data, op="upsert"):
        prev = self.current.get((entity, ident))
        version = (prev["version"] if prev else 0) + 1
        self.current[(entity, ident)] = {"version": version, "data": data, "op": op}
        self.seq += 1
        self.log.append({"seq": self.seq, "entity": entity, "id": ident, "op": op,
                         "version": version, "data": None if op == "delete" else copy.deepcopy(data)})
        return version

    def live(self, entity):
        return {i: v for (e, i), v in self.current.items() if e == entity and v["op"] != "delete"}

    def record(self, entity, ident):
        """Return {version, data, op} of a record the server holds, or None."""
        return self.current.get((entity, ident))

    def indicator_versions(self):
        """Return (id, version) of every indicator the server serves."""
        return [(i, v["version"]) for i, v in self.live("indicator").items()]

    def seed_catalog(self, n):
        """Write n indicator rows; return how many catalog changes a first pull brings."""
        for k in range(n):
            self.write("indicator", f"ind-{k:03d}", {"id": f"ind-{k:03d}", "limit": "≤20"})
        return self.catalog_changes()

    def catalog_changes(self):
        return sum(1 for c in self.log if c["entity"] in CATALOG_ENTITIES)

    def edit(self, entity, ident, **changes):
        """Another device's edit: the server's version moves on."""
        self.write(entity, ident, {**self.current[(entity, ident)]["data"], **changes})

    def return_inspection(self, ident):
        """A supervisor returns the inspection for correction."""
        self.write("inspection", ident, {**self.current[("inspection", ident)]["data"], "status": "returned"})

    def close(self):
        pass

    def _fault(self, kind, stage):
        if self.faults and self.faults[0][0] in (kind, "*") and self.faults[0][1] == stage:
            _, _, exc = self.faults.popleft()
            raise exc

    def fail(self, kind, stage="before", exc=None):
        """Queue one fault: kind push|pull|digest|*, stage before|after (after = applied, answer lost)."""
        self.faults.append((kind, stage, exc or RetryableError("injected network error")))

    # -- Transport --
    def pull(self, since, limit, entities=None, horizon=None):
        self.requests_sent += 1
        self._fault("pull", "before")
        if pull_is_stale(since, self.horizon, horizon):
            raise ResyncRequired("410", tuple(entities or ()))
        rows = [c for c in self.log if c["seq"] > since and (not entities or c["entity"] in entities)]
        page, rest = rows[:limit], rows[limit:]
        cursor = page[-1]["seq"] if page else since
        body = {"cursor": cursor, "has_more": bool(rest), "remaining": len(rest),
                "changes": copy.deepcopy(page), "horizon": self.horizon}
        PullPage.from_json(body, since=since)
        self._fault("pull", "after")
        return signed(body)

    def push(self, items):
        self.requests_sent += 1
        self._fault("push", "before")
        results = []
        for raw in items:
            item = PushItem.from_json(raw)
            h = item_hash(item)
            seen = self.mutations.get(item.mutation_id)
            if seen:
                if seen[0] == h:
                    results.append({**seen[1], "status": "duplicate"})
                else:
                    cur = self.current.get((item.entity, item.id))
                    results.append({"mutation_id": item.mutation_id, "status": "conflict", "id": item.id,
                                    "server_version": cur["version"] if cur else 0,
                                    "current": cur["data"] if cur else None})
                continue
            cur = self.current.get((item.entity, item.id))
            version = cur["version"] if cur else 0
            if item.entity == "finding" and item.data["inspection_id"] not in self.live("inspection"):
                results.append({"mutation_id": item.mutation_id, "status": "rejected",
                                "error": "unknown_inspection", "message": "检查记录不存在"})
                continue
            if item.entity == "inspection" and item.data.get("jurisdiction") not in (None, *JURISDICTIONS):
                results.append({"mutation_id": item.mutation_id, "status": "rejected",
                                "error": "unknown_jurisdiction", "message": "未知辖区：" + str(item.data["jurisdiction"])})
                continue
            if item.data.get("measured") == "reject-me":
                results.append({"mutation_id": item.mutation_id, "status": "rejected",
                                "error": "validation_failed", "message": "测量值无法识别"})
                continue
            if version != item.base_version:
                results.append({"mutation_id": item.mutation_id, "status": "conflict", "id": item.id,
                                "server_version": version, "current": cur["data"] if cur else None})
                continue
            data = dict(item.data)
            if item.entity == "inspection":
                data["status"] = "submitted"
            new = self.write(item.entity, item.id, data)
            self.applied_count += 1
            res = {"mutation_id": item.mutation_id, "status": "applied", "id": item.id, "version": new}
            self.mutations[item.mutation_id] = (h, res)
            results.append(res)
        self._fault("push", "after")
        return {"results": results, "rejudged": []}

    def digest(self, digests):
        self.requests_sent += 1
        self._fault("digest", "before")
        mism = [e for e, d in digests.items()
                if e in CATALOG_ENTITIES and d != digest_lines((i, v["version"]) for i, v in self.live(e).items())]
        return {"mismatched": mism}

    def enrol(self, code, device_label, platform, password=None):
        if code != "GOOD":
            raise RequestRejected("400 enrolment_invalid", code="enrolment_invalid", status=400)
        return {"device_id": "d1", "token": "tok", "server_url": "http://fake", "user": {"username": "li"}}
