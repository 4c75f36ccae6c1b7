"""回头看: the enterprise's earlier inspections at this site, before and during a new one —
what failed, what was ordered, and whether a later inspection found it fixed — from the
device store, offline: this tablet's own inspections and the `history` rows the server
sends for the officer's jurisdiction (other officers' inspections, within the window the
server keeps, e.g. 24 months).

A `history` row (pulled) is {id, credit_code, company_name, inspected_on, status,
inspector, findings: [{indicator_id, name, measured, unit, outcome}], orders: [{text,
deadline}]}; the device's own inspections give the same view from its records.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from device import DeviceError, DeviceStore, catalog_judge
from kivy_client.presenters.base import Observable
from kivy_client.presenters.records import STATUS_LABELS
from rules.errors import UnknownIndicator

#: follow-up of a failed finding -> (中文, English)
FOLLOW_UP = {"fixed": ("复查已合格", "fixed at a later inspection"),
             "still_failing": ("复查仍不合格", "still failing at a later inspection"),
             "open": ("尚未复查", "not inspected again yet")}


@dataclass(frozen=True)
class PastFinding:
    """A finding of an earlier inspection; `follow_up` for a failed one (see FOLLOW_UP)."""

    indicator_id: str
    name: str
    measured: str
    unit: str | None
    outcome: str
    follow_up: str | None = None

    def follow_up_label(self, language: str = "zh_CN") -> str:
        """The follow-up in `language` ("" when the finding passed)."""
        if self.follow_up is None:
            return ""
        zh, en = FOLLOW_UP[self.follow_up]
        return en if language == "en" else zh


@dataclass(frozen=True)
class PastInspection:
    """An earlier inspection of the enterprise."""

    id: str
    inspected_on: str
    status: str
    inspector: str
    findings: tuple[PastFinding, ...]
    orders: tuple[dict[str, Any], ...]
    mine: bool

    @property
    def fails(self) -> tuple[PastFinding, ...]:
        """The findings that failed."""
        return tuple(f for f in self.findings if f.outcome == "fail")

    def status_label(self, language: str = "zh_CN") -> str:
        """The review status in `language`."""
        pair = STATUS_LABELS.get(self.status, (self.status, self.status))
        return pair[1] if language == "en" else pair[0]


class HistoryPresenter(Observable):
    """State: `credit_code`, `company`, `inspections` (newest first); `show(credit_code)`
    loads them, `exclude` leaves out the inspection in progress."""

    def __init__(self, store: DeviceStore):
        super().__init__()
        self.store = store
        self.judge = catalog_judge(store)
        self.credit_code = ""
        self.company = ""
        self.inspections: list[PastInspection] = []

    def show(self, credit_code: str, *, company: str = "", exclude: str | None = None,
             before: date | None = None) -> list[PastInspection]:
        """Load the enterprise's earlier inspections (newest first) and return them."""
        self.credit_code, self.company = (credit_code or "").strip().upper(), company
        rows: dict[str, dict[str, Any]] = {}
        for ident, rec in self.store.records.all("history").items():
            data = rec["data"]
            if str(data.get("credit_code") or "").upper() == self.credit_code:
                rows[ident] = {**data, "mine": False}
        own = self._own_findings()
        for ident, rec in self.store.records.all("inspection").items():
            data = rec["data"]
            if str(data.get("credit_code") or "").upper() != self.credit_code or ident == exclude:
                continue
            full = self.store.records.get("inspection", ident) or {}
            server = full.get("server_data") or {}
            rows[ident] = {**data, "status": server.get("status") or ("submitted" if rec["version"] else "draft"),
                           "inspector": data.get("inspector") or server.get("inspector") or "",
                           "findings": own.get(ident, []), "mine": True}
        rows.pop(exclude or "", None)
        if before is not None:
            rows = {i: r for i, r in rows.items() if str(r.get("inspected_on") or "") < before.isoformat()}
        ordered = sorted(rows.items(), key=lambda p: str(p[1].get("inspected_on") or ""))
        self.inspections = list(reversed(self._with_follow_up(ordered)))
        if not self.company and self.inspections:
            self.company = next((r.get("company_name") for _, r in ordered if r.get("company_name")), "")
        self.notify()
        return self.inspections

    def _own_findings(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for rec in self.store.records.all("finding").values():
            data = rec["data"]
            verdict = data.get("server_verdict") or data.get("device_verdict") or {}
            out.setdefault(data.get("inspection_id"), []).append(
                {"indicator_id": data["indicator_id"], "measured": data.get("measured") or "",
                 "unit": data.get("unit"), "outcome": verdict.get("outcome") or "inconclusive"})
        return out

    def _name(self, indicator_id: str, given: str | None) -> str:
        if given:
            return given
        try:
            return self.judge.indicator(indicator_id).name
        except (DeviceError, UnknownIndicator):
            return indicator_id

    def _with_follow_up(self, ordered: list[tuple[str, dict[str, Any]]]) -> list[PastInspection]:
        out = []
        for n, (ident, row) in enumerate(ordered):
            later = [f for _, r in ordered[n + 1:] for f in r.get("findings") or ()]
            findings = []
            for f in row.get("findings") or ():
                outcome = f.get("outcome") or "inconclusive"
                follow = None
                if outcome == "fail":
                    again = [g for g in later if g.get("indicator_id") == f.get("indicator_id")]
                    follow = "open" if not again else ("fixed" if again[-1].get("outcome") == "pass"
                                                       else "still_failing")
                findings.append(PastFinding(f["indicator_id"], self._name(f["indicator_id"], f.get("name")),
                                            str(f.get("measured") or ""), f.get("unit"), outcome, follow))
            out.append(PastInspection(ident, str(row.get("inspected_on") or ""), str(row.get("status") or ""),
                                      str(row.get("inspector") or ""), tuple(findings),
                                      tuple(row.get("orders") or ()), bool(row.get("mine"))))
        return out
