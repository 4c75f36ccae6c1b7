"""Push: apply a batch of device writes item by item, each in its own SAVEPOINT.

The batch commits ONCE, before the answer is built; if that commit fails nothing is
acknowledged (503) and the client's retry is answered `duplicate` for what did land. An
item answered `applied` therefore stays applied whatever happens to later items.
Only applied items are remembered in `processed_mutations`; rejected and conflicting
items change nothing and are judged again if resent.
"""
from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from server import clock
from server.auth import Principal
from server.errors import DomainError, ItemRejected, Unavailable, ValidationFailed
from server.extensions import db
from server.language import request_language
from server.models.records import Finding, Flag, Inspection, Question
from server.models.sync_log import ProcessedMutation
from server.services.changes import savepoint
from server.services.push_batch import PushBatch, in_chunks
from server.services.records import emit, finding_json, flag_json, inspection_json, question_json
from sync.protocol import (
    MAX_PUSH_ITEMS,
    ErrorCode,
    ItemStatus,
    ProtocolError,
    PushItem,
    item_hash,
    parse_day,
)

log = logging.getLogger(__name__)
LOCKED = ("approved", "rejected")
WRITER_ROLES = ("inspector", "supervisor", "admin")


class ItemConflict(DomainError):
    """The item was made on a version the server no longer has."""

    code, status = ErrorCode.CONFLICT, 409

    def __init__(self, message: str, server_version: int, current: dict | None):
        super().__init__(message)
        self.server_version = server_version
        self.current = current


def push(principal: Principal, body: Any) -> dict:
    """Apply a push body `{items: [...]}`; returns `{results, rejudged}` (one result per item).

    The batch is first applied with every item checked before it writes and all rows
    written in one bulk flush; if that flush hits an integrity error (a concurrent request
    stored the same record or mutation), the transaction is rolled back and the batch is
    applied again item by item, each in its own SAVEPOINT.

    Raises ValidationFailed for a body without an item list, ProtocolError
    (payload_too_large) for more than MAX_PUSH_ITEMS items, Unavailable (503) when the
    final commit fails.
    """
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise ValidationFailed("请求体必须包含 items 列表 / body must be {items: [...]}",
                               details={"items": ["must be a list"]})
    raw_items = body["items"]
    if len(raw_items) > MAX_PUSH_ITEMS:
        raise ProtocolError(f"一次最多推送 {MAX_PUSH_ITEMS} 条 / too many items: {len(raw_items)}",
                            code=ErrorCode.PAYLOAD_TOO_LARGE)
    try:
        batch, results = _run(principal, raw_items, savepoints=False)
    except IntegrityError as exc:
        log.info("bulk push hit an integrity error, applying item by item: %s", exc.orig)
        db.session.rollback()
        batch, results = _run(principal, raw_items, savepoints=True)
    except (OperationalError, DBAPIError) as exc:
        db.session.rollback()
        log.warning("push flush failed: %s", exc)
        raise Unavailable("服务器暂时无法保存，请稍后重试 / could not store the batch, retry later") from exc
    try:
        db.session.commit()
    except (OperationalError, IntegrityError, DBAPIError) as exc:
        db.session.rollback()
        log.warning("push commit failed: %s", exc)
        raise Unavailable("服务器暂时无法保存，请稍后重试 / could not store the batch, retry later") from exc
    return {"results": results, "rejudged": batch.rejudged}


def _run(principal: Principal, raw_items: list, *, savepoints: bool) -> tuple[PushBatch, list[dict]]:
    batch = PushBatch(principal, raw_items, savepoints=savepoints)
    mids = [r.get("mutation_id") for r in raw_items if isinstance(r, dict) and isinstance(r.get("mutation_id"), str)]
    seen = {pm.mutation_id: pm for pm in in_chunks(select(ProcessedMutation), ProcessedMutation.mutation_id,
                                                     set(mids))}
    with db.session.no_autoflush:
        results = [_one(batch, raw, seen) for raw in raw_items]
    batch.flush_pending()
    batch.finish()
    return batch, results


def _one(batch: PushBatch, raw: Any, seen: dict) -> dict:
    mid = raw.get("mutation_id") if isinstance(raw, dict) else None
    try:
        item = PushItem.from_json(raw)
    except ProtocolError as exc:
        message = exc.errors[0].message(request_language()) if exc.errors else exc.message
        return {"mutation_id": mid if isinstance(mid, str) else "", "status": ItemStatus.REJECTED,
                "id": raw.get("id") if isinstance(raw, dict) else None,
                "error": exc.code, "message": message, "details": exc.details}
    digest = item_hash(item)
    for attempt in (1, 2):
        known = seen.get(item.mutation_id)
        if known is not None:
            return _replay(item, known, digest)
        marks = batch.marks()
        try:
            if batch.savepoints:
                with savepoint():
                    result, pm = _apply_and_remember(batch, item, digest)
                    batch.flush_pending()
            else:
                result, pm = _apply_and_remember(batch, item, digest)
            seen[item.mutation_id] = pm
            return result
        except ItemRejected as exc:
            batch.forget_after(marks)
            return {"mutation_id": item.mutation_id, "status": ItemStatus.REJECTED, "id": item.id,
                    "error": exc.code, "message": exc.message, "details": exc.details}
        except ItemConflict as exc:
            batch.forget_after(marks)
            return {"mutation_id": item.mutation_id, "status": ItemStatus.CONFLICT, "id": item.id,
                    "server_version": exc.server_version, "current": exc.current, "message": exc.message}
        except IntegrityError as exc:
            if not batch.savepoints:
                raise
            log.info("push item %s hit an integrity error: %s", item.mutation_id, exc.orig)
            # a concurrent request stored the same mutation or record first: look again
            batch.forget_after(marks)
            batch.load_caches()
            found = db.session.get(ProcessedMutation, item.mutation_id)
            if found is not None:
                seen[item.mutation_id] = found
            elif attempt == 2:
                return {"mutation_id": item.mutation_id, "status": ItemStatus.CONFLICT, "id": item.id,
                        "server_version": None, "current": None,
                        "message": "并发写入冲突，请重新同步 / concurrent write, pull and retry"}
    raise AssertionError("unreachable")


def _apply_and_remember(batch: PushBatch, item: PushItem, digest: str) -> tuple[dict, Any]:
    result = _apply(batch, item)
    pm = batch.add_row(ProcessedMutation, {
        "mutation_id": item.mutation_id, "device_id": batch.principal.device_id,
        "user_id": batch.principal.user_id, "item_hash": digest, "result": result, "created_at": clock.now()})
    return result, pm


def _replay(item: PushItem, known: ProcessedMutation, digest: str) -> dict:
    if known.item_hash == digest:
        return {**known.result, "status": ItemStatus.DUPLICATE}
    return {"mutation_id": item.mutation_id, "status": ItemStatus.CONFLICT, "id": item.id,
            "server_version": known.result.get("version"), "current": None,
            "message": "同一变更编号的内容不同 / same mutation id with different content"}


def _apply(batch: PushBatch, item: PushItem) -> dict:
    role = batch.principal.role
    if item.entity == "question":
        version = _apply_question(batch, item)
    elif role not in WRITER_ROLES:
        raise ItemRejected(f"角色 {role} 不能提交检查记录 / role {role} cannot push {item.entity}",
                           code=ErrorCode.FORBIDDEN)
    elif item.entity == "inspection":
        version = _apply_inspection(batch, item)
    else:
        version = _apply_finding_item(batch, item)
    return {"mutation_id": item.mutation_id, "status": ItemStatus.APPLIED, "id": item.id, "version": version}


# ---- inspections -------------------------------------------------------------------------

def _clean_inspection(batch: PushBatch, data: dict) -> tuple[dict, str, str]:
    """Return (the inspection's values to store, its jurisdiction code and path); `data` is
    the item's values the schema checked. Raises ItemRejected for a jurisdiction unknown
    or outside the caller's subtree."""
    principal = batch.principal
    clean = {k: v for k, v in data.items() if k != "findings"}
    code = data.get("jurisdiction") or principal.jurisdiction_code
    path = batch.path_of(str(code))
    if path is None:
        raise ItemRejected(f"未知辖区：{code} / unknown jurisdiction", code="unknown_jurisdiction",
                           details={"data.jurisdiction": ["unknown"]})
    if not principal.in_subtree(path):
        raise ItemRejected(f"辖区 {code} 不在本人辖区内 / jurisdiction {code} is outside yours",
                           code="outside_jurisdiction", details={"data.jurisdiction": ["outside"]})
    clean["jurisdiction"] = code
    if "photos" in data and clean.get("photos") is None:
        clean["photos"] = []
    return clean, str(code), path


def _apply_inspection(batch: PushBatch, item: PushItem) -> int:
    principal = batch.principal
    data, code, path = _clean_inspection(batch, item.values)
    findings = item.values.get("findings") or []
    inspected_on = parse_day(data["inspected_on"])
    existing = batch.inspection(item.id)
    if existing is None:
        if item.base_version != 0:
            raise ItemConflict("服务器上没有这条检查记录 / the server has no such inspection", 0, None)
    else:
        _check_can_edit(batch, existing)
        if item.base_version != existing.version:
            raise ItemConflict(f"检查记录已被修改（服务器版本 {existing.version}）/ inspection changed on the server",
                               existing.version, inspection_json(existing))
    # check every finding before anything is written
    context = _FindingContext(item.id, inspected_on, data.get("product_class"))
    prepared, revisions = [], {}
    for f in findings:
        f = {**f, "inspection_id": item.id}
        if f.get("revision") is None:
            f["revision"] = 1
        prepared.append(_check_finding(batch, f, f["revision"] - 1, context, revisions))
    now = clock.now()
    if existing is None:
        status = "draft" if data.get("status") == "draft" else "submitted"
        data["inspector"] = batch.username(principal.user_id)
        row = Inspection(id=item.id, version=1, status=status, jurisdiction_code=code, jurisdiction_path=path,
                         inspector_id=principal.user_id, device_id=principal.device_id,
                         inspected_on=inspected_on, company_name=data.get("company_name"),
                         credit_code=data.get("credit_code"), has_disagreement=False, data=data,
                         created_at=now, updated_at=now)
        batch.inspections[row.id] = row
        batch.new_inspections.append(row)
    else:
        row = existing
        data["inspector"] = row.data.get("inspector")
        row.version += 1
        if row.status == "returned":
            row.status = "resubmitted"
        elif row.status == "draft" and data.get("status") != "draft":
            row.status = "submitted"
        row.jurisdiction_code, row.jurisdiction_path = code, path
        row.inspected_on = inspected_on
        row.company_name, row.credit_code = data.get("company_name"), data.get("credit_code")
        row.data = data
        row.updated_at = now
    emit("inspection", row.id, row.version, inspection_json(row), row)
    batch.attach(data.get("photos"), "inspection", f"{row.id}#v{row.version}")
    for f in prepared:
        _write_finding(batch, f, row)
    return row.version


def _check_can_edit(batch: PushBatch, row: Inspection) -> None:
    principal = batch.principal
    if not principal.in_subtree(row.jurisdiction_path):
        raise ItemRejected("该检查记录不在本人辖区内 / inspection outside your jurisdiction",
                           code=ErrorCode.FORBIDDEN)
    if principal.role == "inspector" and row.inspector_id != principal.user_id:
        raise ItemRejected("只能修改本人的检查记录 / you can edit only your own inspections",
                           code=ErrorCode.FORBIDDEN)
    if row.status in LOCKED:
        raise ItemRejected(f"检查记录已{'通过审核' if row.status == 'approved' else '被驳回'}，不能再修改 / "
                           f"inspection is {row.status} and locked", code=ErrorCode.INSPECTION_LOCKED)


# ---- findings ----------------------------------------------------------------------------

class _FindingContext(NamedTuple):
    """What judging a finding needs of its inspection (as it will be after this item)."""

    inspection_id: str
    inspected_on: date
    product_class: str | None


def _apply_finding_item(batch: PushBatch, item: PushItem) -> int:
    inspection = batch.inspection(item.values["inspection_id"])
    if inspection is None:
        raise ItemRejected("检测结果所属的检查记录不存在，请先同步检查记录 / unknown inspection",
                           code=ErrorCode.UNKNOWN_INSPECTION)
    _check_can_edit(batch, inspection)
    context = _FindingContext(inspection.id, inspection.inspected_on, inspection.data.get("product_class"))
    prepared = _check_finding(batch, item.values, item.base_version, context, {})
    revision = _write_finding(batch, prepared, inspection)
    if inspection.status == "returned":
        # a correction of a returned inspection sends it back for review. The version stays:
        # it counts the officer's edits of the inspection, so an edit made offline beside
        # this correction (on the same base version) still applies.
        inspection.status = "resubmitted"
        inspection.updated_at = clock.now()
        emit("inspection", inspection.id, inspection.version, inspection_json(inspection), inspection)
    return revision


def _check_finding(batch: PushBatch, data: dict, base_version: int, context: _FindingContext,
                   revisions: dict[str, int]) -> dict:
    """Check one finding revision and judge it again; returns what `_write_finding` stores.
    Raises ItemRejected / ItemConflict; writes nothing."""
    revision = int(data["revision"])
    stored_rev, stored_inspection = batch.latest_revision(data["id"])
    if stored_inspection is not None and stored_inspection != context.inspection_id:
        raise ItemRejected("检测结果编号属于另一条检查记录 / finding id belongs to another inspection",
                           code=ErrorCode.VALIDATION_FAILED)
    latest_rev = revisions.get(data["id"], stored_rev)
    if revision != latest_rev + 1 or base_version != latest_rev:
        current = None
        if stored_rev:
            latest = db.session.get(Finding, (data["id"], stored_rev))
            current = finding_json(latest) if latest is not None else None
        raise ItemConflict(f"检测结果已有第{latest_rev}版 / finding is at revision {latest_rev}",
                           latest_rev, current)
    revisions[data["id"]] = revision
    indicator_id = data["indicator_id"]
    if indicator_id not in batch.known_indicators:
        raise ItemRejected(f"未知指标：{indicator_id}，请更新标准库 / unknown indicator",
                           code=ErrorCode.UNKNOWN_INDICATOR)
    photos = list(data.get("photos") or [])
    device_verdict = data.get("device_verdict") if isinstance(data.get("device_verdict"), dict) else None
    device_outcome = device_verdict.get("outcome") if device_verdict else None
    server = batch.judge.judge(indicator_id, data["measured"], data.get("unit"), on=context.inspected_on,
                               product_class=data.get("product_class") or context.product_class)
    disagrees = device_outcome is not None and server.outcome is not None and device_outcome != server.outcome
    stored = {k: v for k, v in data.items() if k not in ("server_verdict", "disagrees")}
    stored["photos"] = photos
    return {"data": data, "stored": stored, "revision": revision, "indicator_id": indicator_id,
            "device_verdict": device_verdict, "device_outcome": device_outcome, "server": server,
            "disagrees": disagrees}


def _write_finding(batch: PushBatch, f: dict, inspection: Inspection) -> int:
    """Queue the finding revision (and its flag) checked by `_check_finding`; returns its revision."""
    data, revision, server = f["data"], f["revision"], f["server"]
    now = clock.now()
    row = batch.add_row(Finding, {
        "id": data["id"], "revision": revision, "inspection_id": inspection.id, "indicator_id": f["indicator_id"],
        "measured": data["measured"], "unit": data.get("unit"), "device_outcome": f["device_outcome"],
        "device_ruleset_version": data.get("ruleset_version"), "server_outcome": server.outcome,
        "server_ruleset_version": server.ruleset_version, "server_verdict": server.verdict,
        "disagrees": f["disagrees"], "data": f["stored"], "author_id": batch.principal.user_id,
        "created_at": now})
    batch.finding_revs[row.id] = (revision, inspection.id)
    batch.attach(f["stored"]["photos"], "finding", f"{row.id}#{revision}")
    emit("finding", row.id, revision, finding_json(row), inspection)
    entry = {"finding_id": row.id, "revision": revision, "inspection_id": inspection.id,
             "server_verdict": server.verdict, "ruleset_version": server.ruleset_version,
             "device_outcome": f["device_outcome"], "disagrees": f["disagrees"]}
    batch.rejudged.append(entry)
    if f["disagrees"]:
        flag = batch.add_row(Flag, {
            "id": str(uuid.uuid4()), "finding_id": row.id, "revision": revision, "inspection_id": inspection.id,
            "data": {"device_verdict": f["device_verdict"], "server_verdict": server.verdict,
                     "indicator_id": f["indicator_id"], "measured": data["measured"], "unit": data.get("unit"),
                     "device_ruleset_version": data.get("ruleset_version"),
                     "server_ruleset_version": server.ruleset_version},
            "created_at": now, "resolved_at": None})
        inspection.has_disagreement = True
        emit("flag", flag.id, 1, flag_json(flag), inspection)
        entry["flag_id"] = flag.id
    return revision


# ---- questions ---------------------------------------------------------------------------

def _apply_question(batch: PushBatch, item: PushItem) -> int:
    principal = batch.principal
    data = dict(item.data)
    existing = db.session.get(Question, item.id)
    if item.id in batch.questions:
        raise ItemConflict("问题已提交 / question already exists", 1, None)
    if existing is not None:
        raise ItemConflict("问题已提交 / question already exists", existing.version, question_json(existing))
    if item.base_version != 0:
        raise ItemConflict("服务器上没有这个问题 / the server has no such question", 0, None)
    if not str(data.get("text", "")).strip():
        raise ItemRejected("问题内容不能为空 / question text is empty", code=ErrorCode.VALIDATION_FAILED)
    row = Question(id=item.id, version=1, asked_by=principal.user_id, jurisdiction_path=principal.jurisdiction_path,
                   inspection_id=data.get("inspection_id"), indicator_id=data.get("indicator_id"),
                   edition_id=data.get("edition_id"), clause=data.get("clause"), text=str(data["text"]),
                   status="open", data=data, created_at=clock.now())
    batch.new_rows.append((None, row))
    batch.questions.add(row.id)
    emit("question", row.id, 1, question_json(row), scope_path=principal.jurisdiction_path, owner=principal.user_id)
    return 1


def finding_count(inspection_id: str) -> int:
    """Return how many finding revisions an inspection has (for tests and the console)."""
    return int(db.session.execute(select(func.count()).select_from(Finding)
                                  .where(Finding.inspection_id == inspection_id)).scalar())
