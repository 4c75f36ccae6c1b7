"""Files a supervisor takes away from the console: exports of what the inspections list
shows (CSV, XLSX; streamed) and the printed records of one inspection (现场笔录, 现场检查
报告 as PDF, from the `documents` generator). Each is written in the evidence log."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, g

from server.inspections import export, printing
from server.inspections.console import list_filters, list_query
from server.kernel.console import bp, require_action, t, tables


@bp.route("/inspections/export/<what>.<fmt>")
def export_list(what: str, fmt: str):
    """The inspections, findings or reviews of the current filters as CSV or XLSX, in the
    list's order; the `exported` event is written before the first row."""
    require_action("inspection.list")
    if what not in export.KINDS or fmt not in tables.FORMATS:
        abort(404)
    query = list_query()
    filters = list_filters(query)
    words = t()
    export.record_export(g.console_user, what, fmt, filters, query.sort)
    rows = export.rows(g.console_user, what, filters, words, sort=query.sort, descending=query.descending)
    name = f"{words['export_' + what]}-{date.today().isoformat()}"
    return tables.download(fmt, name, words["export_" + what], export.header(what, words), rows)


@bp.route("/inspections/<inspection_id>/<any(onsite, report):kind>.pdf")
def document(inspection_id: str, kind: str):
    """The 现场笔录 (onsite) or the 现场检查报告 (report) of one inspection as PDF."""
    require_action("inspection.read")
    pdf, detail = printing.render(g.console_user, inspection_id, kind)
    title = t()[f"document_{kind}"]
    company = (detail.get("company_name") or inspection_id[:8]).replace("/", "-")
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = tables.content_disposition(
        f"{title}-{company}-{detail['inspected_on']}.pdf").replace("attachment", "inline", 1)
    response.headers["Cache-Control"] = "private, no-store"
    return response
