"""The access policy: ONE table of who may do what, where, and ONE question every check asks:
`can(principal, action, target)` (or `require(...)`, which raises).

An action ("inspection.read", "photo.read", "registry.write" …) has a `Rule`:
- `roles`: the roles that may do it at all (anyone else: 403 forbidden);
- `scope`: where — `"anywhere"`, or `"subtree"`: the target's jurisdiction path lies in the
  caller's subtree (outside: 404 not_found for reads, the record's existence is not
  revealed; 403 for writes);
- `checks`: named conditions on the target (separation of duties and the like, `CHECKS`).

The enforcement cycle (server/planning): supervisors import the directories, define and
draw plans and publish results inside their subtree; an inspector sees only the tasks they
are assigned; the public sees only published results, never an officer's data (tested in
tests/server/planning/test_planning_access.py).

A `Target` describes the record: its kind, jurisdiction path, owner and participants.
Features build the Target of their records and ask; they decide nothing else. To add a
record kind (tasks, orders, signatures): add its actions to `POLICY` (and a check to
`CHECKS` if it needs one), build its Target in the feature, call `require`, and add its
rows to the matrix table tests/server/access/access_table.py (docs/security.md).

Admins pass every role and scope test, but not the separation-of-duties checks.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from server.kernel.auth import Principal, current_principal
from server.kernel.errors import Forbidden, NotFound

#: roles that push inspections and findings
RECORD_WRITERS = ("inspector", "supervisor", "admin")
#: roles that review inspections, enrol and revoke tablets, see compliance figures
SUPERVISORS = ("supervisor", "admin")
#: roles that answer questions and publish interpretations
EXPERTS = ("expert", "admin")
#: roles that import standards into the catalog (a committee workbook)
CATALOG_WRITERS = ("expert", "admin")
#: roles that may sign in to the web console
CONSOLE_ROLES = ("supervisor", "expert", "admin")
#: roles that list and read inspections
INSPECTION_READERS = ("inspector", "supervisor", "admin")
#: roles that change the national product registry (a registrar of a province, or admin)
REGISTRY_WRITERS = ("registrar", "admin")
#: every signed-in role
ANYONE = ("inspector", "supervisor", "expert", "admin", "registrar")


@dataclass(frozen=True)
class Target:
    """What an action is about: `kind`, the jurisdiction `path` it belongs to, the user who
    owns it, the users who took part in it (an inspection's inspector and finding authors)
    and, for a user, their `role`."""

    kind: str
    path: str | None = None
    owner_id: int | None = None
    participants: frozenset[int] = field(default_factory=frozenset)
    role: str | None = None


@dataclass(frozen=True)
class Rule:
    """Who may do an action (`roles`), where (`scope`) and on what condition (`checks`);
    `write` says whether an outside target answers 403 (write) or 404 (read)."""

    roles: tuple[str, ...]
    scope: str = "anywhere"
    checks: tuple[str, ...] = ()
    write: bool = False
    #: roles for which the scope does not apply (experts read every question)
    everywhere: tuple[str, ...] = ()


def _not_participant(principal: Principal, target: Target) -> Forbidden | None:
    """Separation of duties: nobody reviews what they took part in."""
    return Forbidden("own_record") if principal.user_id in target.participants else None


def _own_if_inspector(principal: Principal, target: Target) -> Forbidden | None:
    """An inspector edits only their own records."""
    if principal.role == "inspector" and target.owner_id not in (None, principal.user_id):
        return Forbidden("not_own")
    return None


def _own_unless_overseer(principal: Principal, target: Target) -> NotFound | None:
    """Field roles (inspector, registrar) read only what they made themselves (asked
    without a record — a list — it passes: the list is filtered by `list_filter`)."""
    if target.path is None and target.owner_id is None:
        return None
    if principal.role in ("inspector", "registrar") and target.owner_id != principal.user_id:
        return NotFound()
    return None


def _admins_enrol_admins(principal: Principal, target: Target) -> Forbidden | None:
    """Only an admin enrols (or unlocks) an admin."""
    return Forbidden("admin_target") if target.role == "admin" and principal.role != "admin" else None


def _registry_level(principal: Principal, _target: Target) -> Forbidden | None:
    """A registrar writes the registry only from a province (a root of the division tree)."""
    if principal.role == "registrar" and principal.jurisdiction_path.count("/") != 2:
        return Forbidden("registry_level")
    return None


def _not_self(principal: Principal, target: Target) -> Forbidden | None:
    """Separation of duties: an admin does not administer their own account (role,
    jurisdiction, disabling, a password reset: another admin does; their own password is
    `account.self`)."""
    return Forbidden("own_account") if target.owner_id is not None and target.owner_id == principal.user_id else None


#: the named conditions a Rule may require: each returns None (pass) or the Forbidden to raise
CHECKS: dict[str, Callable[[Principal, Target], Forbidden | NotFound | None]] = {
    "not_participant": _not_participant,
    "own_if_inspector": _own_if_inspector,
    "own_unless_overseer": _own_unless_overseer,
    "admins_enrol_admins": _admins_enrol_admins,
    "registry_level": _registry_level,
    "not_self": _not_self,
}

#: THE policy: every action of the API and console, by name
POLICY: dict[str, Rule] = {
    # inspections
    "inspection.list": Rule(INSPECTION_READERS),
    "inspection.read": Rule(INSPECTION_READERS, "subtree"),
    "inspection.write": Rule(RECORD_WRITERS, "subtree", ("own_if_inspector",), write=True),
    "inspection.review": Rule(SUPERVISORS, "subtree", ("not_participant",)),
    # an approved inspection back to its officer, with a reason (console; kept in its history)
    "inspection.reopen": Rule(SUPERVISORS, "subtree", ("not_participant",)),
    # evidence photos
    "photo.read": Rule(INSPECTION_READERS, "subtree"),
    "photo.publish": Rule(SUPERVISORS, "subtree"),
    "photo.upload": Rule(RECORD_WRITERS),
    # tablets
    "device.list": Rule(SUPERVISORS),
    "device.enrol": Rule(SUPERVISORS, "subtree", ("admins_enrol_admins",)),
    "device.revoke": Rule(SUPERVISORS, "subtree"),
    # users
    "user.unlock": Rule(("admin",)),
    "user.list": Rule(("admin",)),
    # create, disable/enable, reset the password, change role, jurisdiction or name (console)
    "user.manage": Rule(("admin",), checks=("not_self",), write=True),
    "jurisdiction.manage": Rule(("admin",), write=True),
    "audit.read": Rule(("admin",)),
    # registry and catalog
    "registry.read": Rule(ANYONE),
    "registry.write": Rule(REGISTRY_WRITERS, checks=("registry_level",), write=True),
    # questions and interpretations
    "question.read": Rule(ANYONE, "subtree", ("own_unless_overseer",), everywhere=EXPERTS),
    "question.answer": Rule(EXPERTS),
    "question.queue": Rule(EXPERTS),
    "interpretation.publish": Rule(EXPERTS),
    "expert.fields": Rule(("admin",)),
    # figures, sync, the caller's own account, console
    "statistics.read": Rule(SUPERVISORS),
    "flag.follow_up": Rule(SUPERVISORS),         # acknowledge, assign, resolve, reopen (console; rows filtered by subtree)
    "sync.use": Rule(ANYONE),
    # what a pull serves beyond the catalog and the caller's own records (syncing.pull.visibility)
    "pull.everything": Rule(("admin",)),
    "pull.subtree": Rule(("supervisor", "admin")),   # the records of the caller's subtree
    "pull.questions": Rule(EXPERTS),                 # every question (the experts' queue)
    "pull.history": Rule(("inspector",)),            # 回头看: colleagues' inspections in the caller's subtree
    "account.self": Rule(ANYONE),
    "console.enter": Rule(CONSOLE_ROLES),
    "catalog.import": Rule(CATALOG_WRITERS),    # a committee workbook into the live catalog
    # the enforcement cycle (server/planning; its record checks are in that feature)
    "directory.import": Rule(SUPERVISORS),      # 检查对象名录库, 执法检查人员名录库, 事项清单
    "directory.read": Rule(SUPERVISORS),
    "plan.write": Rule(SUPERVISORS),            # define a plan, commit and reveal its draw
    "plan.read": Rule(SUPERVISORS, "subtree"),  # a plan, its draw, its results, its report
    "task.read": Rule(INSPECTION_READERS),      # inspectors: only their own (planning filters)
    "task.manage": Rule(SUPERVISORS, "subtree"),  # the console: list tasks and orders, reassign, cancel
    "order.issue": Rule(RECORD_WRITERS),        # on the tablet (pushed) or in the console
    "result.publish": Rule(SUPERVISORS, "subtree"),  # 一公开 after review; withdraw before the deadline
}

#: the enforcement cycle's actions asked only by CLI commands and the order push handler (no
#: console page or API route, so no matrix row: tests/server/planning test them)
PLANNING_ACTIONS = ("directory.import", "directory.read", "task.read", "order.issue")


def require_action(principal: Principal, action: str) -> None:
    """Raise Forbidden when `principal`'s role may not do `action` at all (the planning
    feature's role check; the same as `require(principal, action)` without a record)."""
    require(principal, action)


def denial(principal: Principal, action: str, target: Target | None = None) -> Forbidden | NotFound | None:
    """Return the error `require` would raise (Forbidden or NotFound), or None when allowed.
    Raises KeyError for an action the policy does not know (a typo must not pass)."""
    rule = POLICY[action]
    if principal.role not in rule.roles:
        return Forbidden("role", roles="/".join(rule.roles), role=principal.role)
    if rule.scope == "subtree" and target is not None and principal.role not in rule.everywhere \
            and not principal.in_subtree(target.path):
        return Forbidden("outside_subtree") if rule.write else NotFound()
    for name in rule.checks:
        refused = CHECKS[name](principal, target or Target(action.split(".")[0]))
        if refused is not None:
            return refused
    return None



def role_may(role: str, action: str) -> bool:
    """Return True when `role` may do `action` at all (before any record is known)."""
    return role in POLICY[action].roles


def can(principal: Principal | None, action: str, target: Target | None = None) -> bool:
    """Return True when `principal` may do `action` on `target` (None: not signed in → False).
    Raises KeyError for an unknown action."""
    return principal is not None and denial(principal, action, target) is None


def require(principal: Principal, action: str, target: Target | None = None) -> None:
    """Raise Forbidden (wrong role, failed check, write outside the subtree) or NotFound
    (read outside the subtree) unless `principal` may do `action` on `target`."""
    error = denial(principal, action, target)
    if error is not None:
        raise error


def allow(action: str) -> Callable:
    """Decorator of an API view: the caller must be signed in and the policy must let their
    role do `action` (the record-level part of the rule is asked by the service, with the
    record's Target). Raises Unauthorized/TokenExpired/TokenRevoked/DeviceRevoked (401),
    Forbidden (403); KeyError at import for an unknown action."""
    POLICY[action]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            require(current_principal(), action)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def require_subtree(principal: Principal, path: str | None, *, write: bool) -> None:
    """Raise NotFound (reads) or Forbidden (writes) when `path` is outside the caller's subtree."""
    if principal.in_subtree(path):
        return
    if write:
        raise Forbidden("outside_subtree")
    raise NotFound()


def list_filter(principal: Principal, action: str, path_column, owner_column=None):
    """Return the SQL condition keeping the rows `principal` may `action` (a list query's
    version of `can`: the rule's scope on `path_column`, and for a rule with the
    own_unless_overseer check the owner on `owner_column`), or None for no condition.
    The role is the caller's business (`allow` / `require` of the list's own action)."""
    rule = POLICY[action]
    if "own_unless_overseer" in rule.checks and principal.role in ("inspector", "registrar"):
        return owner_column == principal.user_id
    if rule.scope != "subtree" or principal.role in rule.everywhere:
        return None
    return subtree_filter(principal, path_column)


def subtree_filter(principal: Principal, column):
    """Return the SQL condition keeping rows whose jurisdiction path `column` lies in the
    caller's subtree (None for an admin: everything)."""
    if principal.role == "admin":
        return None
    return column.startswith(principal.jurisdiction_path, autoescape=True)
