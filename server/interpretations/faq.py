"""The public FAQ (/faq): published interpretations by standard → clause, and one page per
interpretation with its version history. Chinese first, no login, no CDN (local CSS)."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, render_template, request

from server.catalog import service as catalog
from server.interpretations import publishing
from server.kernel.errors import NotFound

bp = Blueprint("faq", __name__, url_prefix="/faq", template_folder="templates",
               static_folder="static", static_url_path="/static")

_EFFECT = {"method": "判定方法：{}", "interval": "修约间隔：{}", "limit": "限值：{}", "applicable": "不适用"}
_METHOD = {"full": "全数值比较法", "rounded": "修约值比较法"}


def effect_text(effect: dict) -> str:
    """Return the effect in Chinese, e.g. "判定方法：修约值比较法"."""
    (key, value), = effect.items()
    return _EFFECT[key].format(_METHOD.get(value, value))


@bp.app_template_filter("effect_text")
def _effect_filter(effect):
    return effect_text(effect)


@bp.route("/")
def index():
    """List interpretations grouped by standard → edition + clause (filter ?standard=)."""
    standard = request.args.get("standard") or None
    items = publishing.list_public(standard=standard)
    editions = catalog.edition_standards()
    titles = catalog.standard_titles(public=True)
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        code = editions.get(item["edition_id"], item["edition_id"])
        groups[code][f"{item['edition_id']} 第{item['clause']}条"].append(item)
    standards = [(code, titles.get(code, ""), sorted(clauses.items())) for code, clauses in sorted(groups.items())]
    return render_template("faq/index.html", standards=standards, count=len(items), standard=standard,
                           all_standards=sorted(titles.items()))


@bp.route("/<interpretation_id>")
def detail(interpretation_id: str):
    """One interpretation: text, effect, effective date, clauses, version history."""
    try:
        item = publishing.get_public(interpretation_id)
    except NotFound:
        abort(404)
    clauses = item.get("clauses") or [{"edition_id": item["edition_id"], "clause": item["clause"]}]
    titles = catalog.clause_titles((c["edition_id"], c["clause"]) for c in clauses)
    clause_rows = [{**c, "title": titles.get((c["edition_id"], c["clause"]), "")} for c in clauses]
    history = sorted(item.get("history", []), key=lambda v: v["version"], reverse=True)
    info = catalog.indicator_info(item.get("indicator_ids") or ())
    indicators = [{"id": i, "name": info.get(i, {}).get("name") or i, "limit": info.get(i, {}).get("limit"),
                   "unit": info.get(i, {}).get("unit")} for i in item.get("indicator_ids") or ()]
    return render_template("faq/detail.html", item=item, clauses=clause_rows, history=history,
                           indicators=indicators)
