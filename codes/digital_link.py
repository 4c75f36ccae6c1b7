"""GS1 Digital Link URIs: parse and build, following the GS1 Digital Link standard and
the behaviour of GS1's reference parser (gs1/gs1-syntax-engine, src/c-lib/dl.c).

Parse (`parse_digital_link`): the scheme is http(s) in lower or upper case; the domain
may not hold `_~?#@!$&'()*+,;=%`; the path is searched from its end for `/AI/value`
pairs back to a primary key (00, 01, 253, 255, 401, 402, 414, 417, 8003, 8004, 8006,
8010, 8013, 8017, 8018); what precedes is the stem. Path qualifiers must follow the
key's order (01: 22, 10, 21 — or 235 alone). Query parameters whose name is all digits
must be known AIs that are valid data attributes and do not belong in the path; other
parameters and parameters without "=" are ignored; "+" is a space in the query only.
An AI may occur once. Convenience alphas (gtin, lot, ser, …; path only, deprecated) and
zero-suppressed GTINs in AI 01 are accepted only when asked for, as in dl.c.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from codes.ai_table import AI_TABLE, AIDef, dl_path_sequences, lookup
from codes.ai_values import validate_value
from codes.element_string import build_element_string
from codes.errors import AIValueError, CodeError, DigitalLinkError, DuplicateAIError, UnknownAIError

CANONICAL_DOMAIN = "https://id.gs1.org"
_URI_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
_BAD_DOMAIN_CHARS = frozenset("_~?#@!$&'()*+,;=%")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SCHEMES = ("https://", "HTTPS://", "http://", "HTTP://")

CONVENIENCE_ALPHAS = {
    "cpid": "8010", "cpsn": "8011", "cpv": "22", "gcn": "255", "gdti": "253", "giai": "8004",
    "ginc": "401", "gln": "414", "glnx": "254", "gmn": "8013", "grai": "8003", "gsin": "402",
    "gsrn": "8018", "gsrnp": "8017", "gtin": "01", "itip": "8006", "lot": "10", "party": "417",
    "refno": "8020", "ser": "21", "srin": "8019", "sscc": "00",
}


@dataclass(frozen=True)
class DigitalLink:
    """A parsed Digital Link: where it points and the AIs it carries."""

    uri: str
    scheme: str
    domain: str
    stem: str                          # path before the primary key, "" or "/some/stem"
    path_ais: dict[str, str]           # primary key and qualifiers, in path order
    query_ais: dict[str, str]          # data attributes, in received order
    ignored_params: tuple[str, ...] = ()
    fragment: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def ais(self) -> dict[str, str]:
        """Every AI: the path ones, then the query ones (GS1's element string order)."""
        return {**self.path_ais, **self.query_ais}

    @property
    def element_string(self) -> str:
        """The GS1 element string with "^" for FNC1, as dl.c produces it."""
        return build_element_string(self.ais)


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _unescape(text: str, *, query: bool, ai: str) -> str:
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%" and i + 2 < len(text) + 0 and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 1:i + 3]):
            byte = int(text[i + 1:i + 3], 16)
            if byte == 0:
                raise DigitalLinkError(f"AI ({ai}) 的值解码后含空字符 %00 (decoded value contains NUL)", ai=ai)
            out.append(byte)
            i += 3
            continue
        out.extend(b" " if (query and ch == "+") else ch.encode("utf-8"))
        i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AIValueError(f"AI ({ai}) 的值不是有效的 UTF-8 (value is not valid UTF-8)", ai=ai) from exc


def escape_component(value: str, *, query: bool) -> str:
    """Percent-encode an AI value for a DL path segment or query value: unreserved
    characters stay, a space is "+" in the query, everything else is %XX (UTF-8)."""
    out = []
    for ch in value:
        if ch in _UNRESERVED:
            out.append(ch)
        elif ch == " " and query:
            out.append("+")
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


def _resolve_ai(segment: str, convenience: bool) -> AIDef | None:
    if convenience and 3 <= len(segment) <= 5 and not segment[0].isdigit():
        ai = CONVENIENCE_ALPHAS.get(segment)
        if ai:
            return AI_TABLE[ai]
    return AI_TABLE.get(segment)


def _is_primary_key(definition: AIDef) -> bool:
    return (definition.ai,) in dl_path_sequences()


def _check_value(definition: AIDef, value: str, *, zero_suppressed: bool, allow_utf8: bool) -> str:
    if zero_suppressed and definition.ai == "01" and len(value) in (8, 12, 13) and _is_digits(value):
        value = value.rjust(14, "0")
    validate_value(definition, value, allow_utf8=allow_utf8)
    return value


def parse_digital_link(uri: str, *, convenience_alphas: bool = False,
                       zero_suppressed_gtin: bool = False, allow_utf8: bool = False) -> DigitalLink:
    """Parse a GS1 Digital Link URI; return a DigitalLink.

    `allow_utf8` (lenient, outside GS1) accepts raw non-ASCII characters in the URI and
    non-CSET-82 characters in AI values (e.g. a Chinese batch number), with a warning.
    Raises DigitalLinkError for a malformed URI or a DL rule broken, UnknownAIError,
    AIValueError / CheckDigitError for a bad value, DuplicateAIError for a repeated AI.
    """
    warnings: list[str] = []
    text = uri
    if allow_utf8 and not text.isascii():
        text = "".join(ch if ch.isascii() else quote(ch, safe="") for ch in text)
        warnings.append("URI 含未编码的非 ASCII 字符 (URI holds raw non-ASCII characters)")
    bad = next((i for i, ch in enumerate(text) if ch not in _URI_CHARS), None)
    if bad is not None:
        raise DigitalLinkError(
            f"URI 第 {bad + 1} 个字符 {text[bad]!r} 不允许出现在 URI 中 (illegal URI character)", position=bad)
    scheme = next((s for s in _SCHEMES if text.startswith(s)), None)
    if scheme is None:
        raise DigitalLinkError("URI 应以 http:// 或 https:// 开头 (scheme must be http or https)", position=0)
    rest = text[len(scheme):]
    slash = rest.find("/")
    domain = rest if slash < 0 else rest[:slash]
    for i, ch in enumerate(domain):
        if ch in _BAD_DOMAIN_CHARS:
            raise DigitalLinkError(f"域名含非法字符 {ch!r} (illegal character in domain)",
                                   position=len(scheme) + i)
    if slash < 1:
        raise DigitalLinkError("URI 缺少域名或路径 (URI has no domain and path)")
    path = rest[slash:]
    fragment = None
    if "#" in path:
        path, fragment = path.split("#", 1)
    query = None
    if "?" in path:
        path, query = path.split("?", 1)

    segments = path.split("/")[1:]          # path starts with "/"
    root = None
    k = len(segments) - 2
    while k >= 0:
        definition = _resolve_ai(segments[k], convenience_alphas)
        if definition is None:
            break
        if _is_primary_key(definition):
            root = k
            break
        k -= 2
    if root is None:
        raise DigitalLinkError("路径中没有 GS1 Digital Link 主键（如 /01/<GTIN>） (no GS1 DL primary key in the path)",
                               key="no_primary_key")

    path_ais: dict[str, str] = {}
    for k in range(root, len(segments), 2):
        definition = _resolve_ai(segments[k], convenience_alphas)
        if definition is None:  # pragma: no cover - walked over above
            raise UnknownAIError(f"未知的 AI ({segments[k]})", ai=segments[k], key="unknown_ai",
                                 params={"ai": segments[k]})
        raw = segments[k + 1] if k + 1 < len(segments) else ""
        if not raw:
            raise DigitalLinkError(f"路径中 AI ({definition.ai}) 的值为空 (empty path value)", ai=definition.ai)
        value = _unescape(raw, query=False, ai=definition.ai)
        value = _check_value(definition, value, zero_suppressed=zero_suppressed_gtin, allow_utf8=allow_utf8)
        if definition.ai in path_ais:
            raise DuplicateAIError(f"AI ({definition.ai}) 在 URI 中重复出现 (duplicate AI)", ai=definition.ai)
        path_ais[definition.ai] = value

    query_ais: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    for param in (query or "").split("&"):
        if not param:
            continue
        if "=" not in param:
            ignored.append(param)
            continue
        name, raw = param.split("=", 1)
        if not _is_digits(name):
            ignored.append(param)
            continue
        definition = AI_TABLE.get(name)
        if definition is None:
            raise UnknownAIError(f"查询参数中的 AI ({name}) 未知 (unknown AI in query parameters)", ai=name)
        if not raw:
            raise DigitalLinkError(f"查询参数中 AI ({name}) 的值为空 (empty query value)", ai=name)
        value = _unescape(raw, query=True, ai=name)
        value = _check_value(definition, value, zero_suppressed=zero_suppressed_gtin, allow_utf8=allow_utf8)
        if name in query_ais or name in path_ais:
            duplicates.append(name)
        query_ais.setdefault(name, value)

    sequence = tuple(path_ais)
    if len(sequence) != root_len(segments, root) or sequence not in dl_path_sequences():
        raise DigitalLinkError(
            f"路径中的 AI 顺序无效：{'/'.join(sequence)}（01 之后只能依次为 22、10、21，或仅 235） "
            f"(invalid key-qualifier sequence in path)")
    if duplicates:
        ai = duplicates[0]
        raise DuplicateAIError(f"AI ({ai}) 在 URI 中重复出现 (duplicate AI)", ai=ai)
    for name in query_ais:
        definition = lookup(name)
        if not definition.dl_attribute:
            raise DigitalLinkError(
                f"AI ({name}) 不能作为 Digital Link 查询参数（数据属性） (AI is not a valid DL data attribute)", ai=name)
        for at in range(1, len(sequence) + 1):
            trial = sequence[:at] + (name,) + sequence[at:]
            if trial in dl_path_sequences():
                raise DigitalLinkError(
                    f"AI ({name}) 应放在路径中而不是查询参数中 (AI {name} should be in the path info)", ai=name)
    return DigitalLink(uri=uri, scheme=scheme[:-3].lower(), domain=domain,
                       stem="/".join([""] + segments[:root]) if root else "",
                       path_ais=path_ais, query_ais=query_ais, ignored_params=tuple(ignored),
                       fragment=fragment, warnings=tuple(warnings))


def root_len(segments: list[str], root: int) -> int:
    """Number of AI/value pairs from the primary key to the end of the path."""
    return (len(segments) - root + 1) // 2


def _sequence_for(ais: dict[str, str]) -> tuple[str, ...]:
    key = next((ai for ai in ais if ai in AI_TABLE and _is_primary_key(AI_TABLE[ai])), None)
    if key is None:
        raise DigitalLinkError("没有可作为 Digital Link 主键的 AI（如 01），无法生成 URI "
                               "(cannot build a DL URI without a primary key AI)")
    candidates = sorted(" ".join(s) for s in dl_path_sequences() if s[0] == key)
    best, best_count = (key,), 0
    for text in candidates:
        seq = tuple(text.split(" "))
        if all(q in ais for q in seq[1:]) and len(seq) - 1 > best_count:
            best, best_count = seq, len(seq) - 1
    return best


def build_digital_link(ais: dict[str, str] | list[tuple[str, str]], *, domain: str = CANONICAL_DOMAIN,
                       stem: str = "", path_order: tuple[str, ...] | None = None) -> str:
    """Return a Digital Link URI for the AIs, as GS1's generator does: the first primary
    key and its longest satisfied qualifier sequence in the path, the other AIs as query
    parameters (predefined-length ones first, then the rest, each in the given order).

    `domain` is "https://host" (https:// is added if no scheme is given); `stem` an
    optional path such as "/products". `path_order` forces the path AIs (as parsed).
    Raises DigitalLinkError (no primary key, AI not allowed as a query parameter),
    UnknownAIError for an AI not in the table.
    """
    items = list(ais.items()) if isinstance(ais, dict) else list(ais)
    data: dict[str, str] = {}
    for ai, value in items:
        lookup(ai)
        data.setdefault(ai, value)
    sequence = path_order or _sequence_for(data)
    base = domain if "://" in domain else "https://" + domain
    base = base.rstrip("/") + ("/" + stem.strip("/") if stem.strip("/") else "")
    path = "".join(f"/{ai}/{escape_component(data[ai], query=False)}" for ai in sequence)
    query = []
    for want_fixed in (True, False):
        for ai, value in data.items():
            definition = lookup(ai)
            if ai in sequence or definition.predefined_length != want_fixed:
                continue
            if not definition.dl_attribute:
                raise DigitalLinkError(
                    f"AI ({ai}) 不能作为 Digital Link 查询参数 (AI is not a valid DL data attribute)", ai=ai)
            query.append(f"{ai}={escape_component(value, query=True)}")
    return base + path + ("?" + "&".join(query) if query else "")


def is_digital_link_candidate(text: str) -> bool:
    """True if `text` looks like an http(s) URI (a cheap test before parsing)."""
    return text.startswith(_SCHEMES)


__all__ = [
    "CANONICAL_DOMAIN",
    "CodeError",
    "DigitalLink",
    "build_digital_link",
    "escape_component",
    "parse_digital_link",
]
