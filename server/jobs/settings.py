"""Scheduler and job settings: app config first, then the environment, then defaults."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

DEFAULTS: dict[str, Any] = {
    "GBFIELD_QUESTION_ESCALATE_HOURS": 48,      # unanswered questions escalate after this
    "GBFIELD_RECHECK_DAYS": 30,
    "GBFIELD_PUBLICATION_WORKING_DAYS": 20,     # 一公开: reviewed results public within N working days                 # 回头看: failed findings without follow-up after N days
    "GBFIELD_STATS_DAYS": 7,                    # nightly statistics recompute this many past days
    "GBFIELD_SCHEDULER_LEASE_SECONDS": 30,      # lease lifetime; renewed every third of it
    "GBFIELD_SCHEDULER_HEARTBEAT_SECONDS": 60,  # heartbeat job interval
    "GBFIELD_SCHEDULER_TZ": "Asia/Shanghai",    # dates of editions and nightly jobs
    "GBFIELD_EMBED_SCHEDULER": False,           # the dev server runs the scheduler in a thread
}


def setting(config: Mapping[str, Any] | None, key: str) -> Any:
    """Return `key` from `config`, else the environment (cast like the default), else the
    default. Raises KeyError for unknown keys, ValueError for malformed numbers."""
    default = DEFAULTS[key]
    if config is not None and config.get(key) is not None:
        return config[key]
    raw = os.environ.get(key)
    if raw in (None, ""):
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    return raw
