"""The tablet's local API for its own records: every call writes the record and its outbox
item in one transaction (the store's unit of work), with a device-made UUID, so nothing
waits for a network."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from device.entry import EntrySpec, InvalidEntry, entry_spec
from device.errors import DeviceError, InvalidRecord, RecordLocked, UnknownRecord
from device.judge import Judge
from device.store import DeviceStore
from device.stores.photos import file_sha256
from rules.errors import RulesError, UnknownIndicator
from sync.protocol import RECORDS, check_record, details_of

#: why an edit queued behind a discarded one became a conflict in its turn
SUCCESSOR_CONFLICT = "与服务器版本冲突 / conflict (the edit it was made on was discarded)"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _pushable(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    keys = set(RECORDS[entity].names)
    out = {k: v for k, v in data.items() if k in keys}
    if out.get("status") != "draft":   # the device only says "still a draft"; the server decides the rest
        out.pop("status", None)
    return out


class DuplicateFinding(DeviceError):
    """A finding for this indicator and product sample exists: correct it (`finding_id`)
    or record a second sample (`next_sample`)."""

    def __init__(self, message: str, *, finding_id: str, sample: int, next_sample: int):
        super().__init__(message, code="conflict", details={"finding_id": finding_id, "sample": sample})
        self.finding_id, self.sample, self.next_sample = finding_id, sample, next_sample


def is_completed(data: dict[str, Any] | None) -> bool:
    """True when an inspection's data says it was completed (signed and locked)."""
    return bool(data and data.get("completed_at"))


class DeviceRecords:
    """Create and correct inspections, findings and questions on the device."""

    def __init__(self, store: DeviceStore, judge: Judge | None = None):
        self.store = store
        self.judge = judge

    def _inspection(self, inspection_id: str) -> dict[str, Any]:
        rec = self.store.records.get("inspection", inspection_id)
        if rec is None:
            raise UnknownRecord(f"检查记录不存在 / unknown inspection {inspection_id}")
        return rec

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

    def create_inspection(self, inspected_on: date | str, *, draft: bool = True, **fields: Any) -> str:
        """Create an inspection offline; return its UUID. It stays a draft on the server
        until it is completed (device.completion); `draft=False` submits it at its first
        push (records made outside the 完成检查 step: imports, the sync engine's tests).
        Unknown fields raise InvalidRecord."""
        ident = str(uuid.uuid4())
        data = {"id": ident, "inspected_on": str(inspected_on), "device_created_at": _now(), **fields,
                "status": "draft" if draft else None}
        self._check_fields("inspection", data)
        self._write("inspection", ident, 0, _pushable("inspection", data))
        return ident

    def edit_inspection(self, inspection_id: str, **changes: Any) -> str:
        """Queue an edit of an inspection (base = version the device holds); return the
        mutation id. Raises UnknownRecord for an unknown inspection, InvalidRecord for
        unknown fields."""
        rec = self._inspection(inspection_id)
        if is_completed(rec["data"]):
            raise RecordLocked("检查已完成并签名，只能更正检测结果 / the inspection is completed and signed: "
                               "only corrections of findings are possible")
        return self._edit(inspection_id, rec, changes)

    def _edit(self, inspection_id: str, rec: dict[str, Any], changes: dict[str, Any]) -> str:
        data = {**rec["data"], **changes, "id": inspection_id}
        self._check_fields("inspection", {k: v for k, v in changes.items()})
        return self._write("inspection", inspection_id, rec["version"], _pushable("inspection", data))

    def delete_draft(self, inspection_id: str) -> None:
        """Delete an inspection that never left the device (with its findings, their
        photos' queue rows stay). Raises UnknownRecord, RecordLocked when it was completed
        or any of its items was sent (a server may hold it: it stays, as a draft)."""
        rec = self._inspection(inspection_id)
        if is_completed(rec["data"]):
            raise RecordLocked("已完成的检查不能删除 / a completed inspection cannot be deleted")
        findings = [fid for fid, _ in self.findings_of(inspection_id)]
        keys = {("inspection", inspection_id), *(("finding", f) for f in findings)}
        items = [i for i in self.store.outbox.items() if (i["entity"], i["id"]) in keys]
        sent = rec["version"] > 0 or any(i["attempts"] or i["state"] != "pending" for i in items) or any(
            (self.store.records.get("finding", f) or {}).get("version") for f in findings)
        if sent:
            raise RecordLocked("该检查已上传过，不能删除（仍为草稿） / the inspection was sent: it stays as a draft")
        with self.store.transaction():
            for item in items:
                self.store.outbox.remove(item["mutation_id"])
            for entity, ident in keys:
                self.store.records.forget(entity, ident)

    def add_finding(self, inspection_id: str, indicator_id: str, measured: str,
                    unit: str | None = None, *, note: str | None = None,
                    photos: list[str] | tuple[str, ...] = (), product_class: str | None = None,
                    sample: int = 1, claimed_grade: str | None = None) -> str:
        """Record a measured value as revision 1 of a new finding of product sample
        `sample` with the provisional verdict (when a judge is set); return the finding's
        UUID. Raises UnknownRecord when the inspection is unknown, RecordLocked when it was
        completed, DuplicateFinding when this indicator already has a finding for `sample`
        (correct it, or record the next sample), InvalidEntry when the indicator does not
        accept the value (nothing is stored)."""
        inspection = self._inspection(inspection_id)["data"]
        if is_completed(inspection):
            raise RecordLocked("检查已完成并签名，不能再增加检测结果 / the inspection is completed: "
                               "no new findings")
        existing = self.finding_for(inspection_id, indicator_id, sample)
        if existing is not None:
            raise DuplicateFinding(f"该指标的样品{sample}已有检测结果：请更正该结果，或作为样品"
                                   f"{self.next_sample(inspection_id, indicator_id)}记录 / this indicator already "
                                   f"has a finding for sample {sample}: correct it or record another sample",
                                   finding_id=existing, sample=sample,
                                   next_sample=self.next_sample(inspection_id, indicator_id))
        ident = str(uuid.uuid4())
        data = self._finding(ident, inspection_id, 1, indicator_id, measured, unit, note, photos,
                             product_class, sample, claimed_grade)
        self._write("finding", ident, 0, data)
        return ident

    def correct_finding(self, finding_id: str, measured: str, unit: str | None = None, *,
                        note: str | None = None, photos: list[str] | None = None,
                        product_class: str | None = None, claimed_grade: str | None = None) -> int:
        """Append revision n+1 of a finding (base_version n), superseding revision n;
        return the new revision number. Allowed after completion (the only change a
        completed inspection takes). Raises UnknownRecord for an unknown finding,
        InvalidEntry when the indicator does not accept the value."""
        revisions = self.store.records.revisions(finding_id)
        if not revisions:
            raise UnknownRecord(f"检测结果不存在 / unknown finding {finding_id}")
        last = revisions[-1]
        revision = int(last["revision"]) + 1
        data = self._finding(finding_id, last["inspection_id"], revision, last["indicator_id"],
                             measured, unit if unit is not None else last.get("unit"), note,
                             photos if photos is not None else last.get("photos") or [],
                             product_class or last.get("product_class"), last.get("sample") or 1,
                             claimed_grade if claimed_grade is not None else last.get("claimed_grade"))
        self._write("finding", finding_id, revision - 1, data)
        return revision

    # ---- reading this device's findings --------------------------------------------

    def findings_of(self, inspection_id: str) -> list[tuple[str, dict[str, Any]]]:
        """Return (id, current data) of the inspection's findings, in the order they were made."""
        mine = [(i, r["data"]) for i, r in self.store.records.all("finding").items()
                if r["data"].get("inspection_id") == inspection_id]

        def made(pair: tuple[str, dict[str, Any]]) -> tuple[str, str]:
            first = self.store.records.revisions(pair[0])[:1] or [pair[1]]
            return str(first[0].get("device_created_at") or ""), pair[0]
        return sorted(mine, key=made)

    def finding_for(self, inspection_id: str, indicator_id: str, sample: int = 1) -> str | None:
        """Return the id of the inspection's finding of `indicator_id` for `sample`, or None."""
        return next((i for i, d in self.findings_of(inspection_id)
                     if d.get("indicator_id") == indicator_id and int(d.get("sample") or 1) == sample), None)

    def next_sample(self, inspection_id: str, indicator_id: str) -> int:
        """Return the number of the next product sample of `indicator_id` (1 when none)."""
        used = [int(d.get("sample") or 1) for _, d in self.findings_of(inspection_id)
                if d.get("indicator_id") == indicator_id]
        return max(used, default=0) + 1

    def entry(self, indicator_id: str) -> EntrySpec | None:
        """Return what the indicator accepts (None when the judge has no catalog or does
        not know the indicator)."""
        lookup = getattr(self.judge, "indicator", None)
        if lookup is None:
            return None
        try:
            indicator = lookup(indicator_id)
        except (UnknownIndicator, DeviceError):
            return None
        return entry_spec(indicator) if indicator is not None else None

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
        """Refuse fields the record schema does not declare (the values are checked once, by
        `_write`, through the same schema the server runs). Raises InvalidRecord."""
        unknown = RECORDS[entity].unknown(data)
        if unknown:
            raise InvalidRecord(f"未知字段 / unknown fields: {', '.join(unknown)}")

    def _finding(self, ident, inspection_id, revision, indicator_id, measured, unit, note, photos,
                 product_class, sample=1, claimed_grade=None) -> dict[str, Any]:
        if not isinstance(measured, str):
            raise InvalidRecord("测量值必须是文本 / measured values travel as strings")
        spec = self.entry(indicator_id)
        if spec is not None:
            measured = spec.check(measured)
            if spec.input == "number" or any(ch.isdigit() for ch in measured):
                unit = spec.check_unit(unit)
            claimed_grade = spec.check_claim(claimed_grade) if spec.claims else None
        verdict, ruleset_version = None, None
        if self.judge is not None:
            inspection = self.store.records.get("inspection", inspection_id)["data"]
            try:
                on = date.fromisoformat(inspection.get("inspected_on"))
            except (TypeError, ValueError):
                on = None
            kw = {"claimed": claimed_grade} if claimed_grade else {}
            try:
                found = self.judge(indicator_id, measured, unit, on=on,
                                   product_class=product_class or inspection.get("product_class"), **kw)
            except UnknownIndicator:
                found = {"outcome": "inconclusive", "reason": "本机标准库中没有该指标，同步后由服务器判定 / "
                                                              "indicator not in this device's catalog"}
            except RulesError as exc:
                # the value (or unit) cannot be judged: refuse it at the field, never store it
                raise InvalidEntry(f"无法判定该值：{exc} / the value cannot be judged",
                                   details={"measured": ["cannot be judged"]}) from exc
            except DeviceError as exc:   # no catalog yet: store, the server judges
                found = {"outcome": "inconclusive", "reason": exc.message}
            except Exception:  # noqa: BLE001 - a verdict is optional on the device: never block entry
                found = {"outcome": "inconclusive", "reason": "本机无法判定，同步后由服务器判定 / "
                                                              "no verdict on the device: the server judges"}
            if found is not None:
                verdict = found.to_dict() if hasattr(found, "to_dict") else dict(found)
                ruleset_version = verdict.get("ruleset_version")
        data = {"id": ident, "inspection_id": inspection_id, "revision": revision,
                "indicator_id": indicator_id, "measured": measured, "unit": unit,
                "device_verdict": verdict, "ruleset_version": ruleset_version, "note": note,
                "photos": list(photos or []), "device_created_at": _now(), "sample": int(sample or 1)}
        if product_class:
            data["product_class"] = product_class
        if claimed_grade:
            data["claimed_grade"] = claimed_grade
        return data
