"""The unit of work: the ONE module that commits.

Services never commit. Every request runs in one unit of work (`init_app`): after the view,
an answer below 400 commits and anything else rolls back; a commit that fails becomes one
error, 503 `unavailable` (retry later), and nothing is acknowledged. CLI commands and
scheduled jobs wrap their work in `unit_of_work()`. An operation whose answer may only go
out once its data is stored (push, the completion of a photo upload) wraps its work in
`unit_of_work()` itself, so the commit happens before it answers.

tests/meta/test_one_commit.py checks that no other module of server/ or cli/ commits.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response
from sqlalchemy.exc import DBAPIError

from server.kernel.errors import Unavailable
from server.kernel.extensions import db
from server.kernel.http_errors import error_response

log = logging.getLogger(__name__)


def _commit() -> None:
    """Commit the current transaction. Raises Unavailable (503) after rolling back when the
    database refuses the commit (lost connection, disk full, a serialisation failure)."""
    try:
        db.session.commit()
    except DBAPIError as exc:
        db.session.rollback()
        log.warning("commit failed: %s", exc)
        raise Unavailable("commit") from exc


def rollback() -> None:
    """Roll the current transaction back (a view that recovered from an error). Raises nothing."""
    db.session.rollback()


@contextmanager
def unit_of_work(*, commit_on: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Run the block as one transaction: commit when it ends (raises Unavailable when the
    commit fails); when it raises, roll back and re-raise, except for the exceptions in
    `commit_on`, whose work is committed before they propagate (a refused login still
    counts the wrong password)."""
    try:
        yield
    except commit_on:
        _commit()
        raise
    except BaseException:
        db.session.rollback()
        raise
    _commit()


def init_app(app: Flask) -> None:
    """Make every request of `app` one unit of work (commit below 400, else roll back)."""

    @app.after_request
    def _finish(response: Response) -> Response:
        if response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            _commit()
        except Unavailable as exc:
            return error_response(exc.status, exc.code, exc.message, exc.details)
        return response
