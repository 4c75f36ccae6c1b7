"""/api/v1/compliance: the nightly compliance statistics for supervisors."""
from __future__ import annotations

from flask_smorest import Blueprint

from server.kernel.access import allow
from server.kernel.auth import current_principal
from server.statistics import service as stats
from server.statistics.schemas import StatRowSchema, StatsArgs

blp = Blueprint("compliance", __name__, url_prefix="/api/v1/compliance",
                description="Compliance statistics (computed nightly)")


@blp.route("/stats")
@allow("statistics.read")
@blp.arguments(StatsArgs, location="query")
@blp.response(200, StatRowSchema(many=True))
def compliance_stats(args):
    """Totals per jurisdiction × standard in the caller's subtree (default: last 30 days)."""
    return stats.report(current_principal(), **args)
