"""Every model module, imported so `db.metadata` (and Alembic autogenerate) sees all tables.

Add a new module here when you add models (docs/server.md).
"""
from server.interpretations import models as interpretation_models  # noqa: F401  (questions, answers, search index)
from server.jobs import models as job_models  # noqa: F401  (scheduler lease and job runs)
from server.models import accounts, catalog, records, sync_log  # noqa: F401
from server.models.accounts import Device, Enrolment, Jurisdiction, Token, User  # noqa: F401
from server.models.catalog import (  # noqa: F401
    Clause,
    Edition,
    Indicator,
    Interpretation,
    Product,
    RuleSetVersion,
    Standard,
)
from server.models.evidence import EvidenceEvent  # noqa: F401  (evidence hash chain)
from server.models.photos import Photo  # noqa: F401  (evidence photos)
from server.models.records import Finding, Flag, Inspection, Question, Review  # noqa: F401
from server.models.sync_log import Change, ProcessedMutation, SyncState  # noqa: F401
