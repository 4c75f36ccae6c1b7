"""An inspection's status moves: ONE transition table, used by push and by review.

    next_status(current, event) -> new status      # raises Locked / NotReviewable

Events: `create` (a new inspection, `create_draft` when the tablet keeps it a draft),
`edit` / `edit_draft` (the officer changes it), `correct` (a new finding revision) and
the review outcomes `approved`, `returned`, `rejected`, and `reopen` (an approved
inspection goes back to its officer as returned, with a reason). A status missing from an event's
row cannot take that event: approved and rejected inspections take no edit (locked);
only submitted and resubmitted ones are reviewed.
"""
from __future__ import annotations

from server.kernel.errors import Conflict
from sync.protocol import INSPECTION_STATUSES, REVIEW_OUTCOMES

_EDITABLE = {"draft": "submitted", "submitted": "submitted", "resubmitted": "resubmitted",
             "returned": "resubmitted"}
_REVIEWABLE = ("submitted", "resubmitted")

#: event -> {status before: status after}
TRANSITIONS: dict[str, dict[str | None, str]] = {
    "create": {None: "submitted"},
    "create_draft": {None: "draft"},
    "edit": dict(_EDITABLE),
    "edit_draft": {**_EDITABLE, "draft": "draft"},
    "correct": {**_EDITABLE, "draft": "draft"},
    **{outcome: dict.fromkeys(_REVIEWABLE, outcome) for outcome in REVIEW_OUTCOMES},
    # an approved inspection back to its officer, with a reason (review.reopen_inspection)
    "reopen": {"approved": "returned"},
}
#: statuses no edit can leave (approved, rejected)
LOCKED = tuple(s for s in INSPECTION_STATUSES if s not in TRANSITIONS["edit"])
#: statuses a supervisor reviews
REVIEWABLE = _REVIEWABLE


class TransitionRefused(Conflict):
    """The status cannot take the event (`status`, `event`)."""

    def __init__(self, status: str | None, event: str):
        super().__init__("transition", status=status, event=event)
        self.status = status
        self.event = event


def next_status(current: str | None, event: str) -> str:
    """Return the status after `event` (`current` None: a new inspection). Raises
    TransitionRefused when the table has no such move, KeyError for an unknown event."""
    moves = TRANSITIONS[event]
    if current not in moves:
        raise TransitionRefused(current, event)
    return moves[current]
