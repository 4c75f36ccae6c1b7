"""jobs: scheduled jobs (APScheduler 3) running in exactly one process
(docs/interpretations.md). Every job is a plain module-level function `job(now, *, config)`
in `server.jobs.tasks` (config: the app config overrides, picklable; the job builds its own
app context and unit of work) calling the features' services. `server.jobs.scheduler` runs
them behind a database lease (`server.jobs.lease`): only the lease holder's scheduler runs,
and each (job, due slot) is claimed once in `job_runs`."""
from __future__ import annotations

from server.jobs import models  # noqa: F401  (tables on db.metadata)
from server.kernel.features import Feature

FEATURE = Feature("jobs")
