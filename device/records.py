"""The tablet's local API for its own records: every call writes the record and its outbox
item in one transaction (the store's unit of work), with a device-made UUID, so nothing
waits for a network."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from device.errors import InvalidRecord, UnknownRecord
from device.judge import Judge
from device.store import DeviceStore
from device.stores.photos import file_sha256
from sync.protocol import RECORDS, check_record, details_of

#: why an edit queued behind a discarded one became a conflict in its turn
SUCCESSOR_CONFLICT = "与服务器版本冲突 / conflict (the edit it was made on was discarded)"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pushable(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    keys = set(RECORDS[entity].names)
    keys.discard("status")  # the server decides the workflow status
    return {k: v for k, v in data.items() if k in keys}


class DeviceRecords:
    """Create and correct inspections, findings and questions on the device."""

    def __init__(self, store: DeviceStore, judge: Judge | None = None):
        self.store = store
        self.judge = judge

    def _write(self, entity: str, ident: str, base_version: int | None, data: dict[str, Any]) -> str:
        """Queue `data` and keep it as the local record; returns the mutation id. Raises
        InvalidRecord when it breaks the record schema (sync.protocol.schema), the one the
        server checks too: nothing enters the outbox that the server would refuse for its shape."""
        checked = check_record(entity, data, item_id=ident)
        if checked.errors:
            raise InvalidRecord(checked.errors[0].message(), details=details_of(checked.errors))
        mutation_id = str(uuid.uuid4())
        with self.store.transaction():
            self.store.outbox.add(mutation_id, entity, ident, base_version, data)
            self.store.records.put_local(entity, ident, data)
        return mutation_id

    def create_inspection(self, inspected_on: date | str, **fields: Any) -> str:
        """Create an inspection offline; return its UUID. Unknown fields raise InvalidRecord."""
        ident = str(uuid.uuid4())
        data = {"id": ident, "inspected_on": str(inspected_on), "device_created_at": _now(), **fields}
        self._check_fields("inspection", data)
        self._write("inspection", ident, 0, _pushable("inspection", data))
        return ident

    def edit_inspection(self, inspection_id: str, **changes: Any) -> str:
        """Queue an edit of an inspection (base = version the device holds); return the
        mutation id. Raises UnknownRecord for an unknown inspection, InvalidRecord for
        unknown fields."""
        rec = self.store.records.get("inspection", inspection_id)
        if rec is None:
            raise UnknownRecord(f"检查记录不存在 / unknown inspection {inspection_id}")
        data = {**rec["data"], **changes, "id": inspection_id}
        self._check_fields("inspection", {k: v for k, v in changes.items()})
        return self._write("inspection", inspection_id, rec["version"], _pushable("inspection", data))

    def add_finding(self, inspection_id: str, indicator_id: str, measured: str,
                    unit: str | None = None, *, note: str | None = None,
                    photos: list[str] | tuple[str, ...] = (), product_class: str | None = None) -> str:
        """Record a measured value as revision 1 of a new finding with the provisional
        verdict (when a judge is set); return the finding's UUID. Raises UnknownRecord when
        the inspection is unknown, InvalidRecord when `measured` is not a string."""
        if self.store.records.get("inspection", inspection_id) is None:
            raise UnknownRecord(f"检查记录不存在 / unknown inspection {inspection_id}")
        ident = str(uuid.uuid4())
        data = self._finding(ident, inspection_id, 1, indicator_id, measured, unit, note, photos,
                             product_class)
        self._write("finding", ident, 0, data)
        return ident

    def correct_finding(self, finding_id: str, measured: str, unit: str | None = None, *,
                        note: str | None = None, photos: list[str] | None = None,
                        product_class: str | None = None) -> int:
        """Append revision n+1 of a finding (base_version n); return the new revision number.
        Raises UnknownRecord for an unknown finding, InvalidRecord for a non-string value."""
        revisions = self.store.records.revisions(finding_id)
        if not revisions:
            raise UnknownRecord(f"检测结果不存在 / unknown finding {finding_id}")
        last = revisions[-1]
        revision = int(last["revision"]) + 1
        data = self._finding(finding_id, last["inspection_id"], revision, last["indicator_id"],
                             measured, unit if unit is not None else last.get("unit"), note,
                             photos if photos is not None else last.get("photos") or [], product_class)
        self._write("finding", finding_id, revision - 1, data)
        return revision

    def ask_question(self, text: str, *, inspection_id: str | None = None,
                     indicator_id: str | None = None, edition_id: str | None = None,
                     clause: str | None = None) -> str:
        """Queue an interpretation question; return its UUID. Raises InvalidRecord on empty text."""
        if not text or not text.strip():
            raise InvalidRecord("问题内容不能为空 / the question is empty")
        ident = str(uuid.uuid4())
        data = {"id": ident, "text": text.strip(), "inspection_id": inspection_id,
                "indicator_id": indicator_id, "edition_id": edition_id, "clause": clause,
                "device_created_at": _now()}
        self._write("question", ident, 0, {k: v for k, v in data.items() if v is not None})
        return ident

    def attach_photo(self, record_id: str, path: str | Path) -> str:
        """Attach a photo file (written by the tablet's pipeline) to an inspection or a
        finding; return its SHA-256. The photo is queued for upload and its hash added to
        the record's `photos`: in the record's newest outbox item if that was never sent,
        else as an inspection edit / a new finding revision. Raises DeviceError for an
        unreadable file, UnknownRecord for an unknown record."""
        sha = file_sha256(path)
        entity = next((e for e in ("finding", "inspection") if self.store.records.get(e, record_id)), None)
        if entity is None:
            raise UnknownRecord(f"记录不存在 / unknown record {record_id}")
        data = self.store.records.get(entity, record_id)["data"]
        photos = list(data.get("photos") or [])
        with self.store.transaction():
            self.store.photos.add(sha, Path(path).resolve(), entity, record_id)
            if sha in photos:
                return sha
            amended = {**data, "photos": [*photos, sha]}
            if self.store.outbox.amend_unsent(entity, record_id, amended):
                self.store.records.put_local(entity, record_id, amended)
                return sha
        if entity == "inspection":
            self.edit_inspection(record_id, photos=[*photos, sha])
        else:
            self.correct_finding(record_id, data["measured"], note=data.get("note"), photos=[*photos, sha])
        return sha

    # ---- conflicts and rejections: the officer decides --------------------------------

    def resolve_conflict(self, mutation_id: str, keep: str = "mine") -> str | None:
        """Settle a conflicted outbox item. keep="mine" re-queues the device's data on the
        server's version (returns the new mutation id); keep="server" takes the server's
        record and discards the item (returns None); an edit queued behind the discarded one
        becomes a conflict in its turn. Raises UnknownRecord for an unknown item."""
        item = self._item(mutation_id, "conflict")
        with self.store.transaction():
            if keep == "server":
                self.store.outbox.remove(mutation_id)
                # an edit queued behind the discarded one was made on top of it: the officer
                # must decide on it too (it is never rebased silently)
                self.store.outbox.surface_successor_conflict(item, SUCCESSOR_CONFLICT)
                if item["server_current"] is not None:
                    self.store.records.take_server_view(item["entity"], item["id"])
                return None
            data = dict(item["data"])
            base = item["server_version"] or 0
            if item["entity"] == "finding":
                data["revision"] = base + 1
            return self._requeue(item, base, data)

    def retry_rejected(self, mutation_id: str, **changes: Any) -> str:
        """Re-queue a rejected item with corrected fields as a new mutation; return its id.
        Raises UnknownRecord for an unknown item."""
        item = self._item(mutation_id, "rejected")
        with self.store.transaction():
            return self._requeue(item, item["base_version"], {**item["data"], **changes})

    # ---- helpers ---------------------------------------------------------------------

    def _item(self, mutation_id: str, state: str) -> dict[str, Any]:
        item = self.store.outbox.get(mutation_id)
        if item is None or item["state"] != state:
            raise UnknownRecord(f"没有该待处理项 / no {state} outbox item {mutation_id}")
        return item

    def _requeue(self, item: dict[str, Any], base_version: int | None, data: dict[str, Any]) -> str:
        """Re-queue `item` in place under a new mutation id with `data` (caller's transaction)."""
        new_id = str(uuid.uuid4())
        self.store.outbox.requeue(item["mutation_id"], new_id, base_version, data)
        self.store.records.put_local(item["entity"], item["id"], data)
        return new_id

    @staticmethod
    def _check_fields(entity: str, data: dict[str, Any]) -> None:
        unknown = RECORDS[entity].unknown(data)
        if unknown:
            raise InvalidRecord(f"未知字段 / unknown fields: {', '.join(unknown)}")

    def _finding(self, ident, inspection_id, revision, indicator_id, measured, unit, note, photos,
                 product_class) -> dict[str, Any]:
        if not isinstance(measured, str):
            raise InvalidRecord("测量值必须是文本 / measured values travel as strings")
        verdict, ruleset_version = None, None
        if self.judge is not None:
            inspection = self.store.records.get("inspection", inspection_id)["data"]
            try:
                on = date.fromisoformat(inspection.get("inspected_on"))
            except (TypeError, ValueError):
                on = None
            try:
                found = self.judge(indicator_id, measured, unit, on=on,
                                   product_class=product_class or inspection.get("product_class"))
            except Exception as exc:  # noqa: BLE001 - a verdict is optional on the device: never block entry
                found = {"outcome": "inconclusive", "reason": f"{type(exc).__name__}: {exc}"}
            if found is not None:
                verdict = found.to_dict() if hasattr(found, "to_dict") else dict(found)
                ruleset_version = verdict.get("ruleset_version")
        return {"id": ident, "inspection_id": inspection_id, "revision": revision,
                "indicator_id": indicator_id, "measured": measured, "unit": unit,
                "device_verdict": verdict, "ruleset_version": ruleset_version, "note": note,
                "photos": list(photos or []), "device_created_at": _now()}
