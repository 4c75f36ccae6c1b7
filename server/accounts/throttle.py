"""Login throttling: counted per client address, per username and per (username, client),
the same way whether or not the username exists (the answer never tells which accounts
exist), stored in the database so every worker agrees.

- `GBFIELD_LOGIN_MAX_FAILURES` wrong passwords for one username from one client lock that
  pair for `GBFIELD_LOGIN_LOCK_MINUTES` (the officer at their own tablet is not locked out
  by someone guessing elsewhere);
- `GBFIELD_LOGIN_USER_MAX_FAILURES` for one username from anywhere lock the username
  (slow, distributed guessing);
- `GBFIELD_LOGIN_CLIENT_MAX_FAILURES` from one client, for any usernames, lock the client
  (password spraying).

A right password clears the username's counters (not the client's). An admin clears a
user's locks with `gbfield users unlock NAME` or `POST /api/v1/users/<name>/unlock`.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, or_, select

from server.accounts.models import LoginThrottle
from server.kernel import clock
from server.kernel.errors import RateLimited
from server.kernel.extensions import db

log = logging.getLogger(__name__)


def _keys(username: str) -> dict[str, str]:
    """Return {limit setting: throttle key} for a login attempt of `username` now."""
    name = username.strip().lower()[:80]
    client = (request.remote_addr or "unknown")[:60]
    return {"GBFIELD_LOGIN_MAX_FAILURES": f"uc:{name}|{client}",
            "GBFIELD_LOGIN_USER_MAX_FAILURES": f"u:{name}",
            "GBFIELD_LOGIN_CLIENT_MAX_FAILURES": f"c:{client}"}


def check(username: str) -> None:
    """Raise RateLimited (429, Retry-After) while any counter of this attempt is locked."""
    now = clock.now()
    rows = db.session.execute(select(LoginThrottle).where(
        LoginThrottle.key.in_(list(_keys(username).values())), LoginThrottle.locked_until.is_not(None))).scalars()
    waits = [clock.as_utc(r.locked_until) - now for r in rows if clock.as_utc(r.locked_until) > now]
    if waits:
        wait = int(max(waits).total_seconds()) + 1
        raise RateLimited("login", retry_after=wait, minutes=max(1, wait // 60))


def count_failure(username: str) -> None:
    """Count a wrong password (known or unknown user alike) on every counter of the
    attempt, locking those over their limit. The caller commits although the request fails."""
    config = current_app.config
    now = clock.now()
    lock = timedelta(minutes=config["GBFIELD_LOGIN_LOCK_MINUTES"])
    for setting, key in _keys(username).items():
        row = db.session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, first_failure_at=now)
            db.session.add(row)
        elif clock.as_utc(row.first_failure_at) + lock < now:   # an old count fades
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= config[setting]:
            row.locked_until, row.failures, row.first_failure_at = now + lock, 0, now
            log.warning("login throttle %s locked until %s", key, row.locked_until)
    db.session.flush()


def clear_user(username: str) -> int:
    """Forget the counters and locks of `username` (a right password, an admin's unlock);
    returns how many counters were removed."""
    name = username.strip().lower()[:80]
    result = db.session.execute(delete(LoginThrottle).where(or_(
        LoginThrottle.key == f"u:{name}", LoginThrottle.key.startswith(f"uc:{name}|", autoescape=True))))
    return result.rowcount or 0
