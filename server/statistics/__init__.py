"""statistics: the nightly compliance figures per inspection day × jurisdiction × standard,
their API for supervisors and the console's compliance page. Public service:
`server.statistics.service`."""
from __future__ import annotations

from flask import Blueprint

from server.kernel.features import Feature
from server.statistics import api, console, console_figures, models  # noqa: F401  (console*: pages; models: tables)

FEATURE = Feature("statistics", api=(api.blp,),
                  pages=(Blueprint("statistics_pages", __name__, template_folder="templates"),))
