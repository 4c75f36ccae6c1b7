"""The full activity history of one inspection, in order: what the tablet recorded (the
inspection, each finding revision), what the server flagged, every follow-up step, every
review (a reopening of an approved one, with its reason) and every document handed out (the evidence log's `exported` events)."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from server.evidence import service as evidence


def activity(detail: dict, followups: dict[str, dict], indicators: dict[str, dict]) -> list[dict]:
    """Return [{at, kind, actor_id | actor, params}] oldest first for a detail (get_inspection's
    dict) with its flags' follow-up (followup.followups). Raises nothing."""
    items = []
    if detail.get("device_created_at"):
        items.append({"at": detail["device_created_at"], "kind": "recorded", "actor": detail.get("inspector"),
                      "params": {}})
    for f in detail.get("findings") or ():
        name = indicators.get(f["indicator_id"], {}).get("name") or f["indicator_id"]
        items.append({"at": f.get("created_at"), "kind": "finding" if f["revision"] == 1 else "corrected",
                      "actor": detail.get("inspector"),
                      "params": {"indicator": name, "revision": f["revision"], "measured": f.get("measured"),
                                 "unit": f.get("unit") or ""}})
    for fl in detail.get("flags") or ():
        kind = (fl.get("kind") or "disagreement")
        items.append({"at": fl.get("created_at"), "kind": "flag", "actor": None, "params": {"flag": kind}})
        for step in (followups.get(fl["id"]) or {}).get("history") or ():
            items.append({"at": step["created_at"], "kind": f"flag_{step['action']}", "actor_id": step["actor_id"],
                          "params": {"note": step["note"], "assignee_id": step["assignee_id"]}})
    events = [(e, json.loads(e.details) if isinstance(e.details, str) else (e.details or {}))
              for e in evidence.events_for_record("inspection", detail["id"])]
    reopenings = {d.get("review_id") for e, d in events if e.kind == "reviewed" and d.get("outcome") == "reopened"}
    for r in detail.get("reviews") or ():
        items.append({"at": r["created_at"], "kind": "reopened" if r["id"] in reopenings else "review",
                      "actor_id": r["reviewer_id"], "params": {"outcome": r["outcome"], "note": r.get("comment") or ""}})
    for event, details in events:
        if event.kind != "exported":
            continue
        items.append({"at": event.at, "kind": "exported", "actor": event.actor,
                      "params": {"document": details.get("document") or details.get("kind") or ""}})
    return sorted((i for i in items if i["at"]), key=lambda i: _moment(i["at"]))


def _moment(value) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
