"""The access policy: which role may do what, and where (the one place it is written).

Access rules (tested in tests/server/test_server_access.py):
- inspector: reads and writes only inside the subtree of their jurisdiction; a device pulls
  only its user's own records.
- supervisor: reviews and lists only inside their subtree; enrols/revokes devices of users
  in their subtree.
- expert: catalog, questions.  admin: everything.
- A record outside the caller's subtree answers **404 not_found** for reads (its existence
  is not revealed) and **403 forbidden** for writes that name an outside jurisdiction.
- the enforcement cycle (server/planning, PLANNING below): supervisors import the
  directories, define and draw plans and publish results inside their subtree; an inspector
  sees only the tasks they are assigned (a task's change reaches only its inspectors'
  devices and the supervisors of its jurisdiction); the public sees only published results,
  never an officer's data (tested in tests/server/planning/test_planning_access.py).
"""
from __future__ import annotations

from server.kernel.auth import Principal
from server.kernel.errors import Forbidden, NotFound

#: roles that push inspections and findings
RECORD_WRITERS = ("inspector", "supervisor", "admin")
#: roles that review inspections, enrol and revoke tablets, see compliance figures
SUPERVISORS = ("supervisor", "admin")
#: roles that answer questions and publish interpretations
EXPERTS = ("expert", "admin")
#: roles that may sign in to the web console
CONSOLE_ROLES = ("supervisor", "expert", "admin")
#: roles that list and read inspections
INSPECTION_READERS = ("inspector", "supervisor", "admin")


#: the enforcement cycle: action -> roles (server/planning checks with `require_action`)
PLANNING: dict[str, tuple[str, ...]] = {
    "directory.import": SUPERVISORS,      # 检查对象名录库, 执法检查人员名录库, 事项清单
    "directory.read": SUPERVISORS,
    "plan.write": SUPERVISORS,            # define a plan, commit and reveal its draw
    "plan.read": SUPERVISORS,
    "task.read": INSPECTION_READERS,      # inspectors: only their own (planning filters)
    "order.issue": RECORD_WRITERS,        # on the tablet (pushed) or in the console
    "result.publish": SUPERVISORS,        # 一公开, after review
}


def require_action(principal: Principal, action: str) -> None:
    """Raise Forbidden when `principal`'s role may not do `action` (a key of PLANNING)."""
    roles = PLANNING[action]
    if principal.role not in roles:
        raise Forbidden("role", roles="/".join(roles), role=principal.role)


def require_subtree(principal: Principal, path: str | None, *, write: bool) -> None:
    """Raise NotFound (reads) or Forbidden (writes) when `path` is outside the caller's subtree."""
    if principal.in_subtree(path):
        return
    if write:
        raise Forbidden("outside_subtree")
    raise NotFound()


def subtree_filter(principal: Principal, column):
    """Return the SQL condition keeping rows whose jurisdiction path `column` lies in the
    caller's subtree (None for an admin: everything)."""
    if principal.role == "admin":
        return None
    return column.startswith(principal.jurisdiction_path, autoescape=True)
