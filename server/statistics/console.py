"""合规统计: the nightly compliance statistics (server.statistics.service.report) of the
supervisor's subtree for a chosen period, summed per standard, with a pure-CSS bar per row."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, render_template, request

from server.catalog import service as catalog
from server.kernel import clock
from server.kernel.console import bp, parse_date, require_action
from server.statistics import service as stats

DEFAULT_DAYS = 30
COUNTS = ("inspections", "findings", "passed", "failed", "inconclusive", "disagreements")


def per_standard(rows: list[dict]) -> list[dict]:
    """Sum report rows (jurisdiction × standard) per standard, with rates and bar widths
    (percent of findings); ordered by findings, most first. Returns [] for no rows."""
    sums: dict[str, dict] = {}
    for row in rows:
        entry = sums.setdefault(row["standard_code"], {"standard_code": row["standard_code"],
                                                       **dict.fromkeys(COUNTS, 0)})
        for key in COUNTS:
            entry[key] += int(row[key] or 0)
    return sorted((with_rates(e) for e in sums.values()), key=lambda e: (-e["findings"], e["standard_code"]))


def with_rates(entry: dict) -> dict:
    """Return `entry` with fail_rate (fail ÷ (pass + fail)), disagreement_rate (÷ findings),
    and the bar's percentages; rates are None when nothing was judged."""
    judged, findings = entry["passed"] + entry["failed"], entry["findings"]
    entry["fail_rate"] = entry["failed"] / judged if judged else None
    entry["disagreement_rate"] = entry["disagreements"] / findings if findings else None
    entry["bar"] = {key: (100 * entry[key] / findings if findings else 0)
                    for key in ("passed", "failed", "inconclusive")}
    return entry


def _period() -> tuple:
    today = clock.now().date()
    date_to = parse_date(request.args.get("to", "")) or today
    date_from = parse_date(request.args.get("from", "")) or date_to - timedelta(days=DEFAULT_DAYS)
    bad = date_from > date_to or (date_to - date_from).days > 3660
    if bad:
        date_to, date_from = today, today - timedelta(days=DEFAULT_DAYS)
    return date_from, date_to, bad


@bp.route("/compliance/")
def compliance():
    """Compliance figures per standard in the caller's subtree for ?from=&to= (default: the
    last 30 days); explains when the figures are computed when there are none."""
    require_action("statistics.read")
    date_from, date_to, bad = _period()
    rows = per_standard(stats.report(g.console_user, date_from=date_from, date_to=date_to))
    total = with_rates({"standard_code": "", **{k: sum(r[k] for r in rows) for k in COUNTS}}) if rows else None
    titles = catalog.standard_titles(r["standard_code"] for r in rows) if rows else {}
    return render_template("console/compliance.html", rows=rows, total=total, titles=titles, bad_period=bad,
                           date_from=date_from.isoformat(), date_to=date_to.isoformat(),
                           last_computed=stats.last_computed(),
                           stats_days=int(current_app.config.get("GBFIELD_STATS_DAYS", 7)))
