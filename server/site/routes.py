"""The site's pages: `/` (what the product is, with links to every public page) and
`/search?q=` (HTML for people; JSON for `Accept: application/json`)."""
from __future__ import annotations

from flask import Blueprint, jsonify, make_response, render_template, request

from server.catalog import service as catalog
from server.interpretations import service as interpretations
from server.kernel import clock
from server.planning import service as planning
from server.registry import service as registry
from server.site.lang import page_language, page_words
from server.site.search import public_search

bp = Blueprint("site", __name__, template_folder="templates")

#: how many example products the home page shows
EXAMPLES = 4


def _page(template: str, **context):
    lang = page_language()
    resp = make_response(render_template(template, t=page_words(lang), lang=lang,
                                         status_label=lambda *_: "", **context))
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    return resp


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(("text/html", "application/json"), default="text/html")
    return best == "application/json" and "text/html" not in request.headers.get("Accept", "")


def _number_key(code: str) -> tuple:
    """Sort "GB 4351" before "GB 17761" (by the number, then its parts)."""
    head, _, number = code.partition(" ")
    return (head, *(int(p) if p.isdigit() else 0 for p in number.split(".")), code)


@bp.route("/", methods=["GET"])
def home():
    """The home page: what gbfield does, the search box, example products, the standards
    (test data left out) and links to the FAQ, the console and the API."""
    standards = sorted(catalog.standard_titles(public=True).items(), key=lambda kv: _number_key(kv[0]))
    products = registry.list_products(None, limit=EXAMPLES)["items"]
    published = len(interpretations.list_public())
    return _page("site/home.html", standards=standards, products=products, published=published,
                 plans=planning.published_plans())


@bp.route("/search", methods=["GET"])
def search():
    """The public search over standards, products and published interpretations;
    `?test_data=1` includes the synthetic catalog."""
    result = public_search(request.args.get("q", ""), on=clock.now().date(),
                           test_data=request.args.get("test_data") == "1")
    if _wants_json():
        return jsonify(result)
    return _page("site/search.html", r=result)
