"""What the resolver answers for a Digital Link: the product view, its JSON and its linkset.

Pure functions over the parsed link, the product record and the catalog (no request):
`product_view` builds the dict the HTML template, the JSON answer and the linkset share.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from assets.messages import MessageError, text
from assets.registry import consumer_checks, describe_standards
from codes import (
    CodeError,
    DigitalLink,
    ParsedCode,
    build_digital_link,
    build_standard_link,
    china_prefix,
)
from rules.catalog import Catalog

GS1_VOC = "https://gs1.org/voc/"
CHINA_TZ = timezone(timedelta(hours=8))
LINKSET_TYPE = "application/linkset+json"


def china_today(now: datetime) -> date:
    """Return the calendar date in China (UTC+8) of the aware datetime `now`."""
    return now.astimezone(CHINA_TZ).date()


def anchor_uri(link: DigitalLink, base: str) -> str:
    """Return the canonical Digital Link of the path AIs (01 as 14 digits + qualifiers) on
    this resolver's base URL; query attributes are not part of the identity."""
    return build_digital_link(link.path_ais, domain=base, stem="", path_order=tuple(link.path_ais))


def parsed_code(link: DigitalLink) -> ParsedCode:
    """Return the codes.ParsedCode of a parsed link (for AI titles and interpreted values)."""
    return ParsedCode(kind="digital_link", text=link.uri, gtin=link.path_ais.get("01"), ais=link.ais,
                      form="digital_link", domain=link.domain, stem=link.stem,
                      path_ais=tuple(link.path_ais), warnings=tuple(link.warnings))


def standard_href(base: str, ref: Mapping[str, Any], clause: str | None = None) -> str:
    """Return this resolver's /s/ link for a described standard (its edition when known)."""
    return build_standard_link(ref.get("edition") or ref["code"], clause, base=base)


def links(view: Mapping[str, Any], base: str) -> dict[str, list[dict[str, Any]]]:
    """Return {GS1 link type URI: [target objects]} for the product: defaultLink and pip
    (this page, zh-CN and en) and certificationInfo (one per standard's page)."""
    anchor = view["digital_link"]
    name = view["product"]["name"]
    page = {"href": anchor, "title": f"{name}：适用的强制性国家标准", "type": "text/html", "hreflang": ["zh-CN"]}
    page_en = {"href": anchor + "?lang=en", "title": f"{name}: applicable mandatory standards",
               "type": "text/html", "hreflang": ["en"]}
    certs = [{"href": standard_href(base, s), "title": f"{s.get('edition') or s['code']} {s.get('title') or ''}".strip(),
              "type": "text/html", "hreflang": ["zh-CN"]} for s in view["standards"]]
    out = {GS1_VOC + "defaultLink": [page], GS1_VOC + "pip": [page, page_en]}
    if certs:
        out[GS1_VOC + "certificationInfo"] = certs
    return out


def linkset(view: Mapping[str, Any], base: str) -> dict[str, Any]:
    """Return the RFC 9264 linkset document for the product (GS1-Conformant resolver form)."""
    context: dict[str, Any] = {"anchor": view["digital_link"], "itemDescription": view["product"]["name"]}
    context.update(links(view, base))
    return {"linkset": [context]}


def product_view(link: DigitalLink, product: Mapping[str, Any], catalog: Catalog, *, base: str,
                 on: date) -> dict[str, Any]:
    """Return the resolver's view of a registered product reached by `link` on date `on`:
    gtin, digital_link, cpv/lot/serial, attributes (query AIs with titles), product,
    company, standards (with status, classes, key indicators, consumer checks),
    consumer_checks (for every product), links, warnings. Raises nothing."""
    code = parsed_code(link)
    details = {d["ai"]: d for d in code.ai_details()}
    standards = describe_standards(product, catalog, on)
    for item in standards:
        item["href"] = standard_href(base, item) if item.get("known") else None
    gtin = link.path_ais["01"]
    view = {
        "gtin": gtin, "digital_link": anchor_uri(link, base), "china_prefix": china_prefix(gtin),
        "cpv": link.path_ais.get("22"), "lot": link.path_ais.get("10"), "serial": link.path_ais.get("21"),
        "attributes": [details[ai] for ai in link.query_ais],
        "product": {"name": product.get("name"), "kind": product.get("kind"),
                    "category": product.get("category"), "product_class": product.get("product_class")},
        "company": {"name": product.get("company_name"), "credit_code": product.get("credit_code")},
        "standards": standards,
        "consumer_checks": consumer_checks("*"),
        "checked_on": on.isoformat(),
        "warnings": list(link.warnings) + non_gs1_warnings(link),
    }
    view["links"] = [{"rel": rel, **target} for rel, targets in links(view, base).items() for target in targets]
    view["linkset_url"] = view["digital_link"] + "?linkType=all"
    return view


def non_gs1_warnings(link: DigitalLink) -> list[str]:
    """Return a note per AI whose value uses characters outside GS1's CSET 82 (e.g. a
    Chinese batch number): shown as given, but not GS1-conformant."""
    return [f"AI ({ai}) 的值“{value}”含 GS1 字符集 82 以外的字符（如中文），不符合 GS1 规范，按原样显示 "
            f"(value outside GS1 CSET 82, shown as given)" for ai, value in link.ais.items() if not value.isascii()]


def link_header(view: Mapping[str, Any], same_as: str | None = None) -> str:
    """Return the HTTP Link header: the linkset of this item, and owl:sameAs the canonical
    URI when the request used another form (e.g. a GTIN-13)."""
    parts = [f'<{view["linkset_url"]}>; rel="linkset"; type="{LINKSET_TYPE}"']
    if same_as:
        parts.append(f'<{same_as}>; rel="owl:sameAs"')
    return ", ".join(parts)


def quote_path(path: str) -> str:
    """Percent-encode a decoded request path the way a browser would send it."""
    return quote(path, safe="/:@!$&'()*+,;=-._~")


_GLOSS = re.compile(r"\s*[(（]([^()（）]*[A-Za-z][^()（）]*)[)）]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def code_message(exc: CodeError, lang: str) -> str:
    """Return a `codes` error worded in ONE language ("zh" or "en"): its catalogue message
    (`code.<key>`) when it has one, else its Chinese text without the English glosses in
    brackets (zh) or those glosses (en). Raises nothing."""
    language = "en" if lang == "en" else "zh-CN"
    if exc.key:
        try:
            return text(f"code.{exc.key}", language, **exc.params)
        except MessageError:
            pass
    return one_language(exc.message, lang)


def one_language(message: str, lang: str) -> str:
    """Return a "中文 (English gloss)" text of `codes` in one language: without the glosses
    (zh), or the glosses alone (en; a generic sentence when it has none). Raises nothing."""
    if lang != "en":
        return _GLOSS.sub(lambda m: m.group(0) if _CJK.search(m.group(1)) else "", message).strip()
    glosses = [g for g in _GLOSS.findall(message) if not _CJK.search(g)]
    return "; ".join(glosses) if glosses else (message if not _CJK.search(message) else text("code.invalid", "en"))
