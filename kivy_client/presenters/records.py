"""记录: the inspections kept on this device, newest first, with their review status
(from the pulled inspection and reviews), findings, fails and whether the server's
re-judgement disagreed with the tablet's verdict."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from device import DeviceStore
from kivy_client.presenters.base import Observable

#: status -> (中文, English)
STATUS_LABELS = {"draft": ("草稿（未上传）", "draft (not sent)"), "submitted": ("已提交", "submitted"),
                 "resubmitted": ("已重新提交", "resubmitted"), "returned": ("退回修改", "returned"),
                 "approved": ("已通过", "approved"), "rejected": ("不予通过", "rejected")}
_REVIEWED = ("approved", "returned", "rejected", "resubmitted")


@dataclass(frozen=True)
class RecordRow:
    """One inspection of this device as the records list shows it."""

    id: str
    company: str
    product: str
    inspected_on: str
    status: str               # one of STATUS_LABELS
    findings: int
    fails: int
    disagreement: bool
    review_comment: str
    pending: int              # outbox items not yet acknowledged

    def status_label(self, language: str = "zh_CN") -> str:
        """Return the status in `language` ("zh_CN" or "en")."""
        pair = STATUS_LABELS.get(self.status, (self.status, self.status))
        return pair[1] if language == "en" else pair[0]

    @property
    def correctable(self) -> bool:
        """True when the officer may still change the record (not approved or rejected)."""
        return self.status not in ("approved", "rejected")


class RecordsPresenter(Observable):
    """Reads the device store; `rows()` is recomputed on each call (cheap: one device's records)."""

    def __init__(self, store: DeviceStore):
        super().__init__()
        self.store = store

    def rows(self) -> list[RecordRow]:
        """Return every inspection on this device, newest first (inspection date, then creation)."""
        findings = self._findings_by_inspection()
        reviews = self._latest_reviews()
        disagreeing = self._disagreeing_findings()
        pending = self._pending_by_record()
        rows = []
        for ident, rec in self.store.records.all("inspection").items():
            full = self.store.records.get("inspection", ident)
            data, server = rec["data"], (full or {}).get("server_data") or {}
            mine = findings.get(ident, [])
            fails = sum(1 for f in mine if self._outcome(f) == "fail")
            disagree = bool(server.get("has_disagreement") or data.get("has_disagreement")) or any(
                f.get("disagrees") or f["id"] in disagreeing for f in mine)
            review = reviews.get(ident) or {}
            waiting = pending.get(ident, 0) + sum(pending.get(f["id"], 0) for f in mine)
            rows.append(RecordRow(ident, data.get("company_name") or "", data.get("product_name") or "",
                                  str(data.get("inspected_on") or ""),
                                  self._status(rec["version"], server or data, review), len(mine), fails,
                                  disagree, review.get("comment") or "", waiting))
        created = {i: str(r["data"].get("device_created_at") or "")
                   for i, r in self.store.records.all("inspection").items()}
        return sorted(rows, key=lambda r: (r.inspected_on, created.get(r.id, "")), reverse=True)

    @staticmethod
    def _status(version: int, data: dict[str, Any], review: dict[str, Any]) -> str:
        status = data.get("status")
        if status in _REVIEWED:
            return status
        if review.get("outcome") in _REVIEWED:
            return review["outcome"]
        return "submitted" if version > 0 else "draft"

    @staticmethod
    def _outcome(finding: dict[str, Any]) -> str | None:
        verdict = finding.get("server_verdict") or finding.get("device_verdict") or {}
        return verdict.get("outcome")

    def _findings_by_inspection(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for ident, rec in self.store.records.all("finding").items():
            out.setdefault(rec["data"].get("inspection_id"), []).append({**rec["data"], "id": ident})
        return out

    def _latest_reviews(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for rec in sorted(self.store.records.all("review").values(), key=lambda r: str(r["data"].get("created_at"))):
            out[rec["data"].get("inspection_id")] = rec["data"]
        return out

    def _disagreeing_findings(self) -> set[str]:
        return {r["finding_id"] for r in self.store.records.rejudged() if r.get("disagrees")}

    def _pending_by_record(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.store.outbox.items():
            out[item["id"]] = out.get(item["id"], 0) + 1
        return out
