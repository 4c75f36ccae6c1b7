"""What one push batch's inspection and finding items name, loaded in bulk before any item
is applied (server.inspections.push): its inspections, locked FOR UPDATE in id order; the
latest revision of each of its findings; which of its indicators the catalog knows; the
judge of the rule sets in force; jurisdiction paths and usernames, memoised. Nothing here
grows with the catalog or the stored records.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.inspections.models import Finding, Inspection
from server.kernel.database import in_chunks
from server.kernel.extensions import db
from server.rulesets import service as rulesets
from sync.protocol import is_clean_text

#: the key of this state in `PushBatch.state`
STATE = "inspections"


def add_text(ids: set[str], value: Any) -> None:
    """Add `value` to `ids` when it is clean text (other values are ignored here: the item's
    schema check rejects them, this bulk look-up must not fail the whole batch)."""
    if is_clean_text(value):
        ids.add(value)


class BatchState:
    """What one batch's inspection and finding items need, loaded in bulk."""

    def __init__(self, raw_items: list) -> None:
        self.judge = rulesets.judge()
        self.paths: dict[str, str | None] = {}
        self.usernames: dict[int, str] = {}
        indicator_ids, inspection_ids, finding_ids = set(), set(), set()
        for raw in raw_items:
            data = raw.get("data") if isinstance(raw, dict) else None
            if not isinstance(data, dict):
                continue
            entity = raw.get("entity")
            # only string ids are collected: a malformed item (a list or object as id) is
            # rejected by its own checks later and must not break the bulk loading here
            if entity == "finding":
                add_text(indicator_ids, data.get("indicator_id"))
                add_text(inspection_ids, data.get("inspection_id"))
                add_text(finding_ids, data.get("id"))
            elif entity == "inspection":
                add_text(inspection_ids, raw.get("id"))
                for f in data.get("findings") or () if isinstance(data.get("findings"), list) else ():
                    if isinstance(f, dict):
                        add_text(indicator_ids, f.get("indicator_id"))
                        add_text(finding_ids, f.get("id"))
        self.known_indicators = catalog.known_indicators(indicator_ids)
        self._finding_ids = finding_ids
        self._inspection_ids = inspection_ids
        self.load()

    def load(self) -> None:
        """(Re)load the batch's inspections (locked FOR UPDATE, in id order) and the latest
        revision of each of its findings, in bulk."""
        self.inspections: dict[str, Inspection | None] = dict.fromkeys(self._inspection_ids)
        for row in in_chunks(select(Inspection).order_by(Inspection.id).with_for_update(),
                              Inspection.id, self._inspection_ids):
            self.inspections[row.id] = row
        self.finding_revs: dict[str, tuple[int, str]] = {}
        query = select(Finding.id, func.max(Finding.revision), Finding.inspection_id) \
            .group_by(Finding.id, Finding.inspection_id)
        for ident, revision, inspection_id in in_chunks(query, Finding.id, self._finding_ids, rows=True):
            if revision > self.finding_revs.get(ident, (0, ""))[0]:
                self.finding_revs[ident] = (revision, inspection_id)

    def inspection(self, ident: str) -> Inspection | None:
        """Return the inspection `ident` (this batch's new one, a loaded one, or from the DB)."""
        if ident not in self.inspections:
            self.inspections[ident] = db.session.execute(
                select(Inspection).where(Inspection.id == ident).with_for_update()).scalar_one_or_none()
        return self.inspections[ident]

    def latest_revision(self, finding_id: str) -> tuple[int, str | None]:
        """Return (latest stored revision, its inspection id) of a finding ((0, None) if new)."""
        if finding_id not in self._finding_ids and finding_id not in self.finding_revs:
            row = db.session.execute(select(func.max(Finding.revision), Finding.inspection_id)
                                     .where(Finding.id == finding_id)
                                     .group_by(Finding.inspection_id)).first()
            self.finding_revs[finding_id] = (row[0], row[1]) if row else (0, None)
        return self.finding_revs.get(finding_id, (0, None))

    def path_of(self, code: str) -> str | None:
        if code not in self.paths:
            self.paths[code] = accounts.jurisdiction_path(code)
        return self.paths[code]

    def username(self, user_id: int) -> str:
        if user_id not in self.usernames:
            self.usernames.update(accounts.usernames([user_id]))
        return self.usernames[user_id]
