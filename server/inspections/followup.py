"""Following up flags: acknowledge, assign, resolve with a note, reopen — each step kept as
a FlagAction — and the flags work list (open / mine / by kind) behind the console's
flags page and "my work"."""
from __future__ import annotations

from sqlalchemy import String, cast, func, select

from server.accounts import service as accounts
from server.inspections.models import Flag, FlagAction, Inspection
from server.inspections.records import emit, flag_json
from server.kernel import clock
from server.kernel.access import SUPERVISORS, subtree_filter
from server.kernel.auth import Principal
from server.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed
from server.kernel.extensions import db

ACTIONS = ("acknowledge", "assign", "resolve", "reopen")
STATES = ("open", "acknowledged", "resolved")
KINDS = ("disagreement", "interpretation_changed", "recheck_reminder")
MAX_NOTE = 2000


def state_of(flag: Flag) -> str:
    """Return "resolved", "acknowledged" or "open"."""
    if flag.resolved_at is not None:
        return "resolved"
    return "acknowledged" if flag.acknowledged_at is not None else "open"


def kind_of(data: dict) -> str:
    """Return a flag's kind (a disagreement flag carries none in its data)."""
    return (data or {}).get("kind") or "disagreement"


def _visible_flag(principal: Principal, flag_id: str) -> tuple[Flag, Inspection]:
    if principal.role not in SUPERVISORS:
        raise Forbidden("supervisors_review")
    row = db.session.execute(select(Flag, Inspection).join(Inspection, Flag.inspection_id == Inspection.id)
                             .where(Flag.id == flag_id).with_for_update(of=Flag)).first()
    if row is None or not principal.in_subtree(row[1].jurisdiction_path):
        raise NotFound("flag")
    return row[0], row[1]


def act_on_flag(principal: Principal, flag_id: str, action: str, *, note: str = "",
                assignee: str | None = None) -> dict:
    """Apply one follow-up step to a flag and return the flag (with its follow-up fields).

    acknowledge: an open flag; assign: an unresolved flag to an active supervisor or
    inspector of the inspection's jurisdiction (`assignee` a username); resolve: an
    unresolved flag, with a note; reopen: a resolved flag, with a note.
    Raises Forbidden (not a supervisor/admin), NotFound (unknown or outside the subtree),
    ValidationFailed (unknown action, a missing note, an unknown assignee), Conflict (the
    step does not fit the flag's state).
    """
    if action not in ACTIONS:
        raise ValidationFailed("flag_action", action=action, details={"action": list(ACTIONS)})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed("note_too_long", limit=MAX_NOTE, details={"note": [f"≤ {MAX_NOTE}"]})
    if action in ("resolve", "reopen") and not note:
        raise ValidationFailed("flag_note_required", details={"note": ["required"]})
    flag, inspection = _visible_flag(principal, flag_id)
    state, now = state_of(flag), clock.now()
    assignee_id = None
    if action == "acknowledge" and state != "open" or action in ("assign", "resolve") and state == "resolved" \
            or action == "reopen" and state != "resolved":
        raise Conflict("flag_state", state=state)
    if action == "acknowledge":
        flag.acknowledged_at = now
    elif action == "assign":
        assignee_id = accounts.assignable_user(assignee or "", inspection.jurisdiction_path)
        if assignee_id is None:
            raise ValidationFailed("flag_assignee", username=assignee or "", details={"assignee": ["unknown"]})
        flag.assignee_id = assignee_id
        flag.acknowledged_at = flag.acknowledged_at or now
    elif action == "resolve":
        flag.resolved_at, flag.resolution = now, note
    else:
        flag.resolved_at, flag.resolution, flag.acknowledged_at = None, None, None
    db.session.add(FlagAction(flag_id=flag.id, action=action, actor_id=principal.user_id, assignee_id=assignee_id,
                              note=note, created_at=now))
    emit("flag", flag.id, 1 + _steps(flag.id), flag_json(flag), inspection)
    return followup_json(flag)


def _steps(flag_id: str) -> int:
    db.session.flush()
    return db.session.execute(select(func.count()).select_from(FlagAction)
                              .where(FlagAction.flag_id == flag_id)).scalar_one()


def followup_json(flag: Flag) -> dict:
    """Return a flag with its follow-up: state, assignee, resolution."""
    return {**flag_json(flag), "state": state_of(flag), "kind": kind_of(flag.data),
            "assignee_id": flag.assignee_id, "resolution": flag.resolution,
            "acknowledged_at": flag.acknowledged_at.isoformat() if flag.acknowledged_at else None}


def flag_history(flag_ids: list[str]) -> dict[str, list[dict]]:
    """Return {flag id: [its follow-up steps, oldest first]}."""
    out: dict[str, list[dict]] = {i: [] for i in flag_ids}
    if not flag_ids:
        return out
    rows = db.session.execute(select(FlagAction).where(FlagAction.flag_id.in_(flag_ids))
                              .order_by(FlagAction.created_at, FlagAction.id)).scalars()
    for row in rows:
        out[row.flag_id].append({"action": row.action, "actor_id": row.actor_id, "assignee_id": row.assignee_id,
                                 "note": row.note, "created_at": clock.as_utc(row.created_at).isoformat()})
    return out


def _flag_where(principal: Principal, state: str | None, kind: str | None, mine: bool) -> list:
    if principal.role not in SUPERVISORS:
        raise Forbidden("supervisors_review")
    where = []
    scope = subtree_filter(principal, Inspection.jurisdiction_path)
    if scope is not None:
        where.append(scope)
    if state == "resolved":
        where.append(Flag.resolved_at.is_not(None))
    elif state == "acknowledged":
        where += [Flag.resolved_at.is_(None), Flag.acknowledged_at.is_not(None)]
    elif state == "open":
        where += [Flag.resolved_at.is_(None), Flag.acknowledged_at.is_(None)]
    elif state == "unresolved":
        where.append(Flag.resolved_at.is_(None))
    if kind == "disagreement":
        where.append(cast(Flag.data, String).not_like('%"kind"%'))
    elif kind:
        where.append(cast(Flag.data, String).contains(f'"{kind}"', autoescape=True))
    if mine:
        where.append(Flag.assignee_id == principal.user_id)
    return where


def list_flags(principal: Principal, *, state: str | None = "unresolved", kind: str | None = None,
               mine: bool = False, descending: bool = True, limit: int = 25, offset: int = 0) -> list[dict]:
    """Return flags of the caller's subtree with their inspection's company and day, newest
    first (oldest first when not `descending`). Raises Forbidden for non-supervisors."""
    where = _flag_where(principal, state, kind, mine)
    order = Flag.created_at.desc() if descending else Flag.created_at.asc()
    rows = db.session.execute(select(Flag, Inspection.company_name, Inspection.inspected_on, Inspection.status)
                              .join(Inspection, Flag.inspection_id == Inspection.id).where(*where)
                              .order_by(order, Flag.id).limit(limit).offset(offset)).all()
    return [{**followup_json(flag), "company_name": company, "inspected_on": day.isoformat(),
             "inspection_status": status} for flag, company, day, status in rows]


def count_flags(principal: Principal, *, state: str | None = "unresolved", kind: str | None = None,
                mine: bool = False) -> int:
    """Return how many flags list_flags would give. Raises like list_flags."""
    where = _flag_where(principal, state, kind, mine)
    return db.session.execute(select(func.count()).select_from(Flag)
                              .join(Inspection, Flag.inspection_id == Inspection.id).where(*where)).scalar_one()


def followups(flag_ids: list[str]) -> dict[str, dict]:
    """Return {flag id: {state, kind, assignee_id, resolution, history}} for the detail page."""
    if not flag_ids:
        return {}
    history = flag_history(flag_ids)
    rows = db.session.execute(select(Flag).where(Flag.id.in_(flag_ids))).scalars()
    return {row.id: {"state": state_of(row), "kind": kind_of(row.data), "assignee_id": row.assignee_id,
                     "resolution": row.resolution, "history": history[row.id]} for row in rows}
