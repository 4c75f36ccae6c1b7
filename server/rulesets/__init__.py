"""rulesets: the stored rule-set versions and the one rule-set provider (the rule set in
force on a date, with its published interpretations). Public service:
`server.rulesets.service`."""
from __future__ import annotations

from server.kernel.features import Feature
from server.rulesets import models  # noqa: F401  (tables on db.metadata)

FEATURE = Feature("rulesets")
