"""The public resolver's routes: `/01/<gtin>[/22/…][/10/…][/21/…][?AI=…]` and `/s/<standard>[/<clause>]`.

As a GS1-Conformant resolver: the path is validated with `codes` (qualifier order 22, 10,
21; check digits; GTIN-8/12/13 normalised to 14 digits) and errors answer 400; an
unknown GTIN answers 404; `?linkType=all` or `Accept: application/linkset+json` answers
the RFC 9264 linkset, `?linkType=gs1:<type>` redirects (307) to that link (or the default
link), `Accept: application/json` answers JSON, anything else the HTML page (zh-CN, or
English with `?lang=en`). CORS is open; HEAD and OPTIONS work. No login.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from flask import current_app, jsonify, make_response, redirect, render_template, request
from werkzeug.exceptions import HTTPException

from assets.messages import text, words
from codes import CodeError, china_prefix, parse_digital_link, parse_standard_link
from rules.errors import RulesError
from server.catalog.service import current_catalog, test_data_standards
from server.kernel import clock
from server.kernel.http_errors import error_response
from server.kernel.i18n import choose_language
from server.registry.service import live_product
from server.resolver.blueprint import bp
from server.resolver.present import (
    GS1_VOC,
    LINKSET_TYPE,
    china_today,
    code_message,
    link_header,
    linkset,
    one_language,
    product_view,
    quote_path,
)
from server.resolver.standard_view import standard_page
from sync.protocol import ErrorCode

JSON_TYPES = ("application/json", LINKSET_TYPE)


def _base() -> str:
    return (current_app.config.get("GBFIELD_PUBLIC_URL") or request.host_url).rstrip("/")


def _request_uri() -> str:
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not raw:
        raw = quote_path(request.path) + ("?" + request.query_string.decode("latin-1") if request.query_string else "")
    return request.host_url.rstrip("/") + raw


def _wanted() -> str:
    """Return "linkset", "json" or "html" from linkType and the Accept header."""
    if (request.args.get("linkType") or "").lower() == "all":
        return "linkset"
    best = request.accept_mimetypes.best_match(("text/html", "application/json", LINKSET_TYPE), default="text/html")
    return {"application/json": "json", LINKSET_TYPE: "linkset"}.get(best, "html")


STATUS_KEYS = {"现行": "current", "即将实施": "upcoming", "废止": "withdrawn"}


def _lang() -> str:
    """Return "en" for ?lang=en (also en-US …), else "zh"."""
    return "en" if (request.args.get("lang") or "").lower().startswith("en") else "zh"


def status_label(status: str | None, lang: str) -> str:
    """Return the status badge text: 现行 / 即将实施 / 废止, or Current / Upcoming / Withdrawn."""
    if status is None:
        return ""
    key = STATUS_KEYS.get(status)
    return words("resolver", lang)[f"status_{key}"] if key else status


def _render(template: str, status: int, **context: Any):
    lang = _lang()
    choose_language("en" if lang == "en" else "zh-CN")
    resp = make_response(render_template(template, t=words("resolver", lang), cw=words("chain", lang), lang=lang,
                                         status_label=status_label, one_language=one_language, **context),
                         status)
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    return resp


def _error(status: int, error_code: str, message: str, details: dict | None = None, **context: Any):
    if _wanted() != "html":
        return error_response(status, error_code, message, details)
    return _render("resolver/error.html", status, status_code=status, message=message, **context)


@bp.after_request
def _cors(resp):
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = "Link, Content-Type"
    resp.headers.add("Vary", "Accept")
    return resp


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _error(exc.code or 500, ErrorCode.NOT_FOUND if exc.code == 404 else ErrorCode.BAD_REQUEST,
                      exc.description or exc.name, kind="server")
    current_app.logger.exception("resolver error")
    return _error(500, ErrorCode.INTERNAL_ERROR, text("error.internal_error", _lang()), kind="server")


@bp.route("/01", methods=["GET"])
@bp.route("/01/", methods=["GET"])
def missing_gtin():
    """`/01` without a GTIN: 400 naming the problem."""
    return _error(400, ErrorCode.BAD_REQUEST, text("error.bad_request.gtin_missing", _lang()),
                  {"path": request.path}, kind="bad")


@bp.route("/01/<path:rest>", methods=["GET"])
def resolve_gtin(rest: str):
    """Resolve a GS1 Digital Link for a GTIN: HTML page, JSON, linkset or a redirect."""
    uri = _request_uri()
    try:
        link = parse_digital_link(uri, zero_suppressed_gtin=True, allow_utf8=True)
    except CodeError as exc:
        details = {"uri": unquote(uri)}
        if exc.ai:
            details["ai"] = exc.ai
        if exc.position is not None:
            details["position"] = exc.position
        return _error(400, ErrorCode.BAD_REQUEST, code_message(exc, _lang()), details, kind="bad", uri=unquote(uri))
    gtin = link.path_ais["01"]
    product = live_product(gtin)
    if product is None:
        message = text("error.not_found.product", _lang(), gtin=gtin)
        return _error(404, ErrorCode.NOT_FOUND, message, {"gtin": gtin}, kind=ErrorCode.NOT_FOUND, gtin=gtin,
                      china=china_prefix(gtin))
    base = _base()
    view = product_view(link, product, current_catalog(), base=base, on=china_today(clock.now()))
    given_gtin = rest.split("/", 1)[0]
    same_as = view["digital_link"] if given_gtin != gtin else None
    link_type = request.args.get("linkType")
    wanted = _wanted()
    if link_type and link_type.lower() != "all":
        return _redirect_to_link_type(view, link_type, base)
    if wanted == "linkset":
        resp = make_response(jsonify(linkset(view, base)))
        resp.headers["Content-Type"] = LINKSET_TYPE
    elif wanted == "json":
        resp = jsonify(view)
    else:
        resp = _render("resolver/product.html", 200, v=view, base=base)
    resp.headers["Link"] = link_header(view, same_as)
    return resp


def _redirect_to_link_type(view: dict, link_type: str, base: str):
    name = link_type.split(":", 1)[1] if link_type.startswith("gs1:") else link_type.removeprefix(GS1_VOC)
    found = [link for link in view["links"] if link["rel"] == GS1_VOC + name]
    target = (found or [link for link in view["links"] if link["rel"] == GS1_VOC + "defaultLink"])[0]
    resp = redirect(target["href"], code=307)
    resp.headers["Link"] = link_header(view)
    return resp


@bp.route("/s/<path:rest>", methods=["GET"])
def standard(rest: str):
    """A standard's page: title, editions with status, a clause's indicators."""
    uri = _request_uri()
    try:
        ref = parse_standard_link(uri)
    except CodeError as exc:
        return _error(400, ErrorCode.BAD_REQUEST, code_message(exc, _lang()), {"uri": unquote(uri)},
                      kind="bad_standard", uri=unquote(uri), query=unquote(rest).split("/", 1)[0])
    catalog = current_catalog()
    try:
        std = catalog.standard(ref.standard)
        if ref.edition:
            std.edition(ref.edition)
    except RulesError as exc:
        code = ref.edition or ref.standard
        suggestions = list(getattr(exc, "suggestions", ()) or ())
        if ref.edition and not suggestions:
            try:
                suggestions = [e.id for e in catalog.standard(ref.standard).editions]
            except RulesError:
                pass
        return _error(404, ErrorCode.NOT_FOUND, text("error.not_found.standard", _lang(), code=code),
                      {"standard": code, "suggestions": suggestions}, kind="std_not_found", code=code,
                      suggestions=suggestions)
    page = standard_page(std, ref, on=china_today(clock.now()), base=_base(), catalog=catalog, lang=_lang())
    page["test_data"] = std.code in test_data_standards()
    if _wanted() != "html":
        return jsonify(page)
    return _render("resolver/standard.html", 200, p=page, base=_base())


@bp.route("/.well-known/gs1resolver", methods=["GET"])
def resolver_description():
    """The GS1 resolver description file: what this resolver answers."""
    base = _base()
    return jsonify({
        "name": "gbfield 强制性国家标准查询 / mandatory standards resolver",
        "resolverRoot": base, "supportedPrimaryKeys": ["01"],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:", "profile": GS1_VOC + t}
                              for t in ("defaultLink", "pip", "certificationInfo")],
        "supportedContextValuesEnumerated": [],
    })
