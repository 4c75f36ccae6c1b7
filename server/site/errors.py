"""The error page a browser gets outside the API: the status, the message in the page's
one language, what to do next and links back into the public site (the console's own
pages keep the console's error page)."""
from __future__ import annotations

from flask import make_response, render_template, request

from assets.messages import text
from server.site.lang import page_language, page_words
from sync.protocol import ErrorCode

#: the statuses with their own words (`site.err_<status>_title`, `_lead`); others use 400 / 500
_PAGES = (400, 401, 403, 404, 405, 413, 429, 500, 503)


def error_page(status: int, code: str, message: str):
    """Return the HTML error response for `status` (the kernel's HTML_ERROR_PAGE renderer).

    The message given was worded in the request's language; the page words it again in the
    page's language when the status has a generic message. Raises nothing."""
    lang = page_language()
    t = page_words(lang)
    key = status if status in _PAGES else (500 if status >= 500 else 400)
    detail = message
    if code in (ErrorCode.NOT_FOUND, ErrorCode.METHOD_NOT_ALLOWED) and message in (
            text("error.http.404", "zh-CN"), text("error.http.404", "en"),
            text("error.http.405", "zh-CN"), text("error.http.405", "en")):
        detail = None           # the title says it; no bare "未找到" under "页面不存在"
    if status >= 500:
        detail = None           # never show internals
    in_console = request.path.startswith("/console")
    resp = make_response(render_template(
        "site/error.html", t=t, lang=lang, status_code=status, title=t[f"err_{key}_title"],
        lead=t[f"err_{key}_lead"], detail=detail, path=request.path, in_console=in_console,
        status_label=lambda *_: ""), status)
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    resp.headers["Cache-Control"] = "no-store"
    return resp
