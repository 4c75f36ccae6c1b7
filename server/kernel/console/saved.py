"""Saved views of the console's lists, kept per user in the database (`console_saved_views`):
a view follows its user from one sign-in (and browser) to the next. The kernel knows no
feature: the user is the signed-in Principal's id."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel import clock
from server.kernel.extensions import db
from server.kernel.types import Json, Timestamp

#: how many views one user keeps per list (the oldest goes first)
MAX_SAVED_VIEWS = 20


class SavedView(db.Model):
    """One named set of a list's query arguments, of one user."""

    __tablename__ = "console_saved_views"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    args: Mapped[dict] = mapped_column(Json)
    saved_at: Mapped[datetime] = mapped_column(Timestamp)


def views_of(user_id: int, list_name: str) -> dict[str, dict]:
    """Return {view name: query args} of one user's list, oldest first."""
    rows = db.session.execute(select(SavedView).where(SavedView.user_id == user_id, SavedView.list_name == list_name)
                              .order_by(SavedView.saved_at, SavedView.name)).scalars()
    return {r.name: dict(r.args) for r in rows}


def keep(user_id: int, list_name: str, name: str, args: Mapping[str, str]) -> None:
    """Save `args` as `name` (replacing a same-named view), keeping the newest
    MAX_SAVED_VIEWS of the list. Raises nothing beyond database errors."""
    row = db.session.get(SavedView, (user_id, list_name, name))
    if row is None:
        row = SavedView(user_id=user_id, list_name=list_name, name=name)
        db.session.add(row)
    row.args, row.saved_at = dict(args), clock.now()
    db.session.flush()
    names = list(views_of(user_id, list_name))
    for old in names[:-MAX_SAVED_VIEWS]:
        forget(user_id, list_name, old)


def forget(user_id: int, list_name: str, name: str) -> None:
    """Delete one saved view (nothing when there is none)."""
    db.session.execute(delete(SavedView).where(SavedView.user_id == user_id, SavedView.list_name == list_name,
                                               SavedView.name == name))
