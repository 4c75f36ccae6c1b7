"""inspections: what officers record and supervisors decide on: inspections, append-only
finding revisions with both verdicts, flags, signatures (完成检查), reviews; the one status transition table;
their push handler (server.syncing calls it), re-scans after a publication, 回头看
reminders, the API and the console pages. Public service: `server.inspections.service`."""
from __future__ import annotations

from flask import Blueprint, Flask

from server.inspections import api, console, console_files, console_flags, console_reopen, models  # noqa: F401  (console*: pages; models: tables)
from server.inspections.push import InspectionsPush
from server.inspections.signatures import SignaturesPush
from server.kernel.features import Feature
from server.syncing.service import register_handler


def _setup(app: Flask) -> None:
    register_handler(app, InspectionsPush())
    register_handler(app, SignaturesPush())


FEATURE = Feature("inspections", api=(api.blp,),
                  pages=(Blueprint("inspections_pages", __name__, template_folder="templates"),),
                  setup=_setup)
