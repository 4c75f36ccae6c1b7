"""Keeping an inspection in progress when Android pauses the app (a call, the home
button, the screen turned off) — and when it then kills the paused process.

On pause the app writes a snapshot into the device store (state key `resume`): the
screen shown, the open inspection, the chosen indicator and the text typed but not yet
saved (form fields, the measured value). On resume in the same process nothing was lost
and the snapshot is only cleared; on the next start after the process was killed the
snapshot is restored: the inspection reopened from the store, the indicator chosen
again, the typed text put back. Plain Python over the presenters; the App supplies the
field texts.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kivy_client.presenters import InspectionPresenter, PresenterError

__all__ = ["RESUME_KEY", "Snapshot", "clear", "restore", "save", "saved", "take"]

RESUME_KEY = "resume"


@dataclass(frozen=True)
class Snapshot:
    """What is kept across a pause: screen, open inspection, indicator, typed texts."""

    screen: str = "home"
    inspection_id: str | None = None
    indicator_id: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Snapshot | None:
        """Return the snapshot of stored data, or None for nothing or unreadable data."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(str(data.get("screen") or "home"), data.get("inspection_id"), data.get("indicator_id"),
                       {str(k): str(v) for k, v in (data.get("fields") or {}).items()})
        except (TypeError, AttributeError):
            return None


def take(screen: str, inspection: InspectionPresenter, fields: dict[str, str]) -> Snapshot:
    """Return the snapshot of the app now (`fields`: widget id -> typed text)."""
    return Snapshot(screen, inspection.inspection_id, inspection.selected.id if inspection.selected else None,
                    {k: v for k, v in fields.items() if v})


def save(store, snapshot: Snapshot) -> None:
    """Write the snapshot into the device store."""
    store.state.set(RESUME_KEY, asdict(snapshot))


def saved(store) -> Snapshot | None:
    """Return the snapshot kept in the store, if any."""
    return Snapshot.from_dict(store.state.get(RESUME_KEY))


def clear(store) -> None:
    """Forget the snapshot (the app resumed, or it was restored)."""
    store.state.set(RESUME_KEY, None)


def restore(snapshot: Snapshot, inspection: InspectionPresenter) -> list[str]:
    """Reopen the snapshot's inspection and indicator in the presenter; return what could
    not be restored (an inspection no longer on the device, an indicator it lacks).
    Raises nothing."""
    problems = []
    if snapshot.inspection_id and snapshot.inspection_id != inspection.inspection_id:
        try:
            inspection.load(snapshot.inspection_id)
        except PresenterError as exc:
            problems.append(exc.message)
    if snapshot.indicator_id and inspection.indicators:
        try:
            inspection.select(snapshot.indicator_id)
        except PresenterError as exc:
            problems.append(exc.message)
    return problems
