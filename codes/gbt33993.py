"""GB/T 33993 商品二维码 (two-dimensional code for commodity).

What the code relies on (sources and [verify] marks in docs/codes.md):
- 2017 edition: three data structures — 编码数据结构 (GS1 AI element strings, AI 01
  first and mandatory), 国家统一网址数据结构 (national service URL + GTIN + id code) and
  厂商自定义网址数据结构 (manufacturer URL + mandatory GTIN parameter + optional ones).
  Batch (10) and serial (21): up to 20 characters of GB/T 33993 table B.1 except
  "% & / < > ?"; expiry (17) N6 YYMMDD.
- 2024 edition (in force 2025-07-01): two structures, 编码型 (element string) and
  网址型 (URL, aligned with GS1 Digital Link).

The URL forms here: a GS1 Digital Link (parsed by `codes.digital_link`), and the query
form `https://<host>/<path>?01=<GTIN-14>[&10=…][&21=…]…` where AI 01 is the first AI
parameter; on a national host (`NATIONAL_HOSTS`, [verify]) it is the national unified
URL, elsewhere the manufacturer URL.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_plus, urlsplit

from codes.ai_table import AI_TABLE
from codes.ai_values import validate_value
from codes.digital_link import escape_component
from codes.errors import DuplicateAIError, GBT33993Error, UnknownAIError

NATIONAL_HOSTS = ("2dcode.org", "www.2dcode.org")   # [verify] see docs/codes.md
BATCH_SERIAL_FORBIDDEN = frozenset("%&/<>?")
BATCH_SERIAL_MAX = 20


def conformance_problems(ais: dict[str, str]) -> list[str]:
    """Return what keeps the AIs from a GB/T 33993 payload (empty list: conforms).

    Rules: AI 01 present and first; AI 10 and 21 at most 20 characters and without
    any of "% & / < > ?".
    """
    problems = []
    keys = list(ais)
    if "01" not in ais:
        problems.append("缺少必选的 AI (01) 全球贸易项目代码 (AI 01 GTIN is mandatory)")
    elif keys[0] != "01":
        problems.append("AI (01) 应作为第一个单元数据串 (AI 01 must come first)")
    for ai in ("10", "21"):
        value = ais.get(ai)
        if value is None:
            continue
        if len(value) > BATCH_SERIAL_MAX:
            problems.append(f"AI ({ai}) 超过 {BATCH_SERIAL_MAX} 个字符 (longer than 20)")
        bad = sorted(set(value) & BATCH_SERIAL_FORBIDDEN)
        if bad:
            problems.append(f"AI ({ai}) 含 GB/T 33993 不允许的字符 {' '.join(bad)} (forbidden characters)")
    return problems


def require_conformance(ais: dict[str, str]) -> None:
    """Raise GBT33993Error with every problem if the AIs do not conform."""
    problems = conformance_problems(ais)
    if problems:
        raise GBT33993Error("不符合 GB/T 33993：" + "；".join(problems))


@dataclass(frozen=True)
class QueryFormURL:
    """A GB/T 33993 query-form URL: base, AIs in order, other parameters, form name."""

    url: str
    base: str
    host: str
    ais: dict[str, str]
    params: dict[str, str]
    form: str                      # "national_url" | "manufacturer_url"


def looks_like_query_form(url: str) -> bool:
    """True if the URL's query has an AI 01 parameter (cheap test before parsing)."""
    query = urlsplit(url).query
    return any(p.split("=", 1)[0] == "01" for p in query.split("&"))


def parse_query_form(url: str, *, allow_utf8: bool = False) -> QueryFormURL:
    """Parse `https://host/path?01=…&10=…`; AI parameters (all-digit names) are checked
    against the AI table, other parameters are kept in `params`.

    Raises GBT33993Error (no 01, 01 not first), UnknownAIError, AIValueError /
    CheckDigitError for bad values, DuplicateAIError.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise GBT33993Error("GB/T 33993 网址应为 http(s)://主机/… (URL must be http(s) with a host)")
    ais: dict[str, str] = {}
    params: dict[str, str] = {}
    for param in parts.query.split("&"):
        if not param:
            continue
        name, _, raw = param.partition("=")
        value = unquote_plus(raw)
        if not (name.isascii() and name.isdigit()):
            params[name] = value
            continue
        definition = AI_TABLE.get(name)
        if definition is None:
            raise UnknownAIError(f"网址参数中的 AI ({name}) 未知 (unknown AI parameter)", ai=name)
        if name in ais:
            raise DuplicateAIError(f"AI ({name}) 重复出现 (duplicate AI)", ai=name)
        if name == "01" and len(value) in (8, 12, 13) and value.isdigit():
            value = value.rjust(14, "0")
        validate_value(definition, value, allow_utf8=allow_utf8)
        ais[name] = value
    require_conformance(ais)
    host = (parts.hostname or "").lower()
    form = "national_url" if host in NATIONAL_HOSTS else "manufacturer_url"
    base = f"{parts.scheme}://{parts.netloc}{parts.path}"
    return QueryFormURL(url=url, base=base, host=host, ais=ais, params=params, form=form)


def build_query_form(ais: dict[str, str], base: str) -> str:
    """Return `base?01=…&10=…` for AIs that conform to GB/T 33993 (01 first).

    Raises GBT33993Error if they do not conform.
    """
    require_conformance(ais)
    query = "&".join(f"{ai}={escape_component(v, query=True)}" for ai, v in ais.items())
    return f"{base}?{query}"
