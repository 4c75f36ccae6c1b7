"""The state of one push request: what its items name, loaded in bulk, and the rows the
applied items queue until one flush (see server.services.push)."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, select

from server.auth import Principal
from server.extensions import db
from server.interpretations import on_question_pushed
from server.models.accounts import Jurisdiction, User
from server.models.catalog import Indicator
from server.models.records import Finding, Flag, Inspection, Question
from server.models.sync_log import ProcessedMutation
from server.photos.service import record_attached
from server.services.rejudge import Judge


def _add_text(ids: set[str], value: Any) -> None:
    """Add `value` to `ids` when it is a string (other JSON values are ignored)."""
    if isinstance(value, str):
        ids.add(value)


class PushBatch:
    """Per-request state: caller, caches loaded in bulk, rows waiting to be written.

    Only rows named by the batch are loaded (its inspections, the latest revision of its
    findings, its indicators): nothing here grows with the catalog or the stored records.
    Items first check everything, then write; written rows wait in `new_inspections` /
    `new_rows` until `flush_pending()` (inspections first, findings/flags reference them).
    """

    def __init__(self, principal: Principal, raw_items: list, *, savepoints: bool) -> None:
        self.principal = principal
        self.savepoints = savepoints
        self.judge = Judge()
        self.rejudged: list[dict] = []
        self.paths: dict[str, str | None] = {}
        self.usernames: dict[int, str] = {}
        self.new_inspections: list[Inspection] = []
        self.new_rows: list[tuple[Any, dict | Any]] = []  # (model, column dict) or (None, ORM object)
        self.questions: set[str] = set()
        # (photo hashes, record type, record id): evidence "attached" events written after the flush
        self.attachments: list[tuple[list[str], str, str]] = []
        indicator_ids, inspection_ids, finding_ids = set(), set(), set()
        for raw in raw_items:
            data = raw.get("data") if isinstance(raw, dict) else None
            if not isinstance(data, dict):
                continue
            entity = raw.get("entity")
            # only string ids are collected: a malformed item (a list or object as id) is
            # rejected by its own checks later and must not break the bulk loading here
            if entity == "finding":
                _add_text(indicator_ids, data.get("indicator_id"))
                _add_text(inspection_ids, data.get("inspection_id"))
                _add_text(finding_ids, data.get("id"))
            elif entity == "inspection":
                _add_text(inspection_ids, raw.get("id"))
                for f in data.get("findings") or () if isinstance(data.get("findings"), list) else ():
                    if isinstance(f, dict):
                        _add_text(indicator_ids, f.get("indicator_id"))
                        _add_text(finding_ids, f.get("id"))
        self.known_indicators = set(in_chunks(select(Indicator.id), Indicator.id, indicator_ids))
        self._finding_ids = finding_ids
        self._inspection_ids = inspection_ids
        self.load_caches()

    def load_caches(self) -> None:
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
            self.paths[code] = db.session.execute(
                select(Jurisdiction.path).where(Jurisdiction.code == code)).scalar()
        return self.paths[code]

    def username(self, user_id: int) -> str:
        if user_id not in self.usernames:
            self.usernames[user_id] = db.session.execute(
                select(User.username).where(User.id == user_id)).scalar()
        return self.usernames[user_id]

    def marks(self) -> tuple[int, int, int, int]:
        """Where the queues stand now (see `forget_after`)."""
        return len(self.rejudged), len(self.new_inspections), len(self.new_rows), len(self.attachments)

    def forget_after(self, marks: tuple[int, int, int, int]) -> None:
        """Drop what a failed item queued (rejudgements, rows, attachments) after `marks`."""
        del self.rejudged[marks[0]:]
        del self.new_inspections[marks[1]:]
        del self.new_rows[marks[2]:]
        del self.attachments[marks[3]:]

    def attach(self, photos: list[str] | None, record_type: str, record_id: str) -> None:
        """Queue the evidence events saying a record references `photos`."""
        if photos:
            self.attachments.append((list(photos), record_type, record_id))

    def finish(self) -> None:
        """After the rows are flushed: evidence events for referenced photos, then match
        newly pushed questions against published interpretations (both in this transaction)."""
        actor = self.username(self.principal.user_id)
        for photos, record_type, record_id in self.attachments:
            record_attached(photos, record_type=record_type, record_id=record_id, actor=actor)
        self.attachments = []
        for question_id in sorted(self.questions):
            question = db.session.get(Question, question_id)
            if question is not None:
                on_question_pushed(question)
        self.questions = set()

    def add_row(self, model, values: dict) -> SimpleNamespace:
        """Queue a bulk INSERT of `values` into `model`; returns an attribute view of it."""
        self.new_rows.append((model, values))
        return SimpleNamespace(**values)

    def flush_pending(self) -> None:
        """Write the rows the applied items made: inspections first (ORM), then the rest
        as one executemany INSERT per table."""
        if self.new_inspections:
            db.session.add_all(self.new_inspections)
            self.new_inspections = []
        db.session.flush()
        by_model: dict[Any, list[dict]] = {}
        for model, values in self.new_rows:
            if model is None:
                db.session.add(values)
            else:
                by_model.setdefault(model, []).append(values)
        self.new_rows = []
        for model in (Finding, Flag, ProcessedMutation):
            if by_model.get(model):
                db.session.execute(insert(model), by_model[model])
        db.session.flush()


def in_chunks(query, column, values, rows: bool = False, size: int = 900):
    """Yield the results of `query` filtered by `column IN values`, in chunks."""
    values = sorted(v for v in values if isinstance(v, str))
    for k in range(0, len(values), size):
        result = db.session.execute(query.where(column.in_(values[k:k + size])))
        yield from (result.all() if rows else result.scalars())
