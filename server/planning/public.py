"""一公开: the public result pages, beside the resolver's public site (same look: they
extend its `resolver/base.html`), and the open data files. No sign-in; only published
rows (`opendata.public_row`: no officer data) and the draw documents (officers by pseudonym).

    /results/?q=…                 search published results by enterprise name or credit code
    /results/<plan>               a plan: its published results, its draw's commitment, the report
    /results/<plan>/draw.json     the draw document (committed, then revealed): `gbfield draw verify`
    /results.csv, /results.json   every published row (UTF-8 CSV with BOM; JSON)
    /selfcheck/<gtin>[.pdf]       合规自查清单 of a registered product (page, printable PDF)
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request

from server.catalog.service import current_catalog
from server.kernel import clock
from server.kernel.errors import DomainError
from server.kernel.extensions import db
from server.planning import plans, publication, queries
from server.planning.models import Plan
from server.planning.opendata import COLUMNS, to_csv, to_json
from server.planning.pdf import checklist_pdf
from server.planning.report import render_report_html
from server.planning.selfcheck import checklist_for_product
from server.registry.service import get_product

bp = Blueprint("planning_public", __name__, template_folder="templates")

#: the resolver base template's texts (it reads `t`)
TEXTS = {"zh": {"html_lang": "zh-CN", "site": "抽查结果公示", "switch_lang": "en", "switch": "English",
                "disclaimer": "双随机、一公开：随机抽取检查对象和执法检查人员，抽查结果向社会公开。"},
         "en": {"html_lang": "en", "site": "Published inspection results", "switch_lang": "zh", "switch": "中文",
                "disclaimer": "Random inspections (双随机、一公开): targets and inspectors drawn at random, "
                              "results published."}}


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "zh"


@bp.get("/results/")
def results_index():
    """Search the published results (by name or credit code)."""
    q = (request.args.get("q") or "").strip()
    rows = publication.published_rows(q=q or None, limit=200)
    lang = _lang()
    return render_template("planning/results.html", t=TEXTS[lang], lang=lang, rows=rows, q=q, columns=COLUMNS,
                           plan=None, draw=None, report_html=None)


@bp.get("/results/<plan_id>")
def results_plan(plan_id: str):
    """One plan's published results, its draw's commitment and its compliance report."""
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.state == "draft":
        abort(404)
    rows = publication.published_rows(plan_id=plan_id)
    report = queries.plan_report(plan_id) if rows else None
    doc = plans.draw_document(plan_id) or {}
    lang = _lang()
    return render_template("planning/results.html", t=TEXTS[lang], lang=lang, rows=rows, q="", columns=COLUMNS,
                           plan=plan, draw=doc, report_html=render_report_html(report) if report else None)


@bp.get("/results/<plan_id>/draw.json")
def results_draw(plan_id: str):
    """The plan's draw document as published (re-run it with `gbfield draw verify`)."""
    doc = plans.draw_document(plan_id)
    if doc is None:
        abort(404)
    response = jsonify(doc)
    response.headers["Content-Disposition"] = f'attachment; filename="draw-{plan_id}.json"'
    return response


@bp.get("/results.csv")
def results_csv():
    """Every published row as CSV (UTF-8 with BOM, Chinese headers)."""
    return Response(to_csv(publication.published_rows(limit=100000)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="results.csv"'})


@bp.get("/results.json")
def results_json():
    """Every published row as JSON ({columns, rows})."""
    return Response(to_json(publication.published_rows(limit=100000)), mimetype="application/json")


def _checklist(gtin: str):
    try:
        product = get_product(None, gtin)
    except DomainError:
        abort(404)
    return checklist_for_product(current_catalog(), product.data, on=clock.now().date())


@bp.get("/selfcheck/<gtin>")
def selfcheck_page(gtin: str):
    """The self-check list of a registered product: every indicator that applies."""
    lang = _lang()
    return render_template("planning/selfcheck.html", t=TEXTS[lang], lang=lang, checklist=_checklist(gtin),
                           gtin=gtin)


@bp.get("/selfcheck/<gtin>.pdf")
def selfcheck_pdf(gtin: str):
    """The same list as a printable A4 PDF (CJK font embedded)."""
    return Response(checklist_pdf(_checklist(gtin)), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="selfcheck-{gtin}.pdf"'})
