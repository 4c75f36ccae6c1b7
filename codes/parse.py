"""`parse_any`: one entry point for whatever a scanner or an officer hands over.

Kinds: "digital_link", "element_string", "gbt33993" (GB/T 33993 query-form URL),
"gtin" (8/12/14 digits), "ean13" (13 digits), "standard_link", "standard".
"""
from __future__ import annotations

from dataclasses import dataclass, field

from codes.ai_table import AI_TABLE
from codes.ai_values import interpret
from codes.digital_link import (
    CANONICAL_DOMAIN,
    build_digital_link,
    parse_digital_link,
)
from codes.element_string import (
    GS,
    GS1_SYMBOLOGY_IDS,
    build_bracketed,
    build_element_string,
    parse_element_string,
)
from codes.errors import CodeError, DigitalLinkError, UnrecognisedCodeError
from codes.gbt33993 import conformance_problems, looks_like_query_form, parse_query_form
from codes.gtin import china_prefix, validate_gtin
from codes.standard_link import (
    looks_like_standard_number,
    parse_standard_link,
    parse_standard_number,
)

KINDS = ("digital_link", "element_string", "gbt33993", "gtin", "ean13", "standard_link", "standard")


@dataclass(frozen=True)
class ParsedCode:
    """What a code says. `ais` is ordered as in the input; `gtin` is the GTIN-14."""

    kind: str
    text: str
    gtin: str | None = None
    ais: dict[str, str] = field(default_factory=dict)
    form: str | None = None               # e.g. "bracketed", "fnc1", "manufacturer_url"
    domain: str | None = None             # Digital Link / URL host
    stem: str | None = None
    path_ais: tuple[str, ...] = ()        # the AIs a Digital Link carried in its path
    params: dict[str, str] = field(default_factory=dict)   # non-AI URL parameters
    standard: str | None = None
    edition: str | None = None
    clause: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def element_string(self) -> str | None:
        """The GS1 element string with "^" for FNC1, or None when there are no AIs."""
        return build_element_string(self.ais) if self.ais else None

    @property
    def hri(self) -> str | None:
        """The bracketed human-readable form "(01)…(10)…", or None."""
        return build_bracketed(self.ais) if self.ais else None

    @property
    def china_prefix(self) -> bool | None:
        """True if the GTIN has a GS1 China prefix (690–699); None without a GTIN."""
        return china_prefix(self.gtin) if self.gtin else None

    @property
    def gbt33993_problems(self) -> tuple[str, ...]:
        """Why the AIs would not make a GB/T 33993 payload (empty: they would)."""
        return tuple(conformance_problems(self.ais)) if self.ais else ("没有 AI (no AIs)",)

    def digital_link_uri(self, domain: str = CANONICAL_DOMAIN, stem: str = "") -> str | None:
        """A GS1 Digital Link for the AIs (path order kept if parsed from one), or None."""
        if not self.ais:
            return None
        try:
            return build_digital_link(self.ais, domain=domain, stem=stem,
                                      path_order=self.path_ais or None)
        except CodeError:
            return None

    def ai_details(self) -> list[dict[str, str | None]]:
        """One dict per AI: ai, title, title_zh, value, interpreted (date, decimal …)."""
        details = []
        for ai, value in self.ais.items():
            definition = AI_TABLE[ai]
            details.append({"ai": ai, "title": definition.title, "title_zh": definition.title_zh,
                            "value": value, "interpreted": interpret(definition, value)})
        return details

    def to_dict(self) -> dict:
        """A JSON-ready dict: kind, gtin, ais, element_string and the rest."""
        out = {
            "kind": self.kind, "text": self.text, "gtin": self.gtin, "ais": dict(self.ais),
            "element_string": self.element_string, "hri": self.hri,
        }
        if self.ais:
            out["ai_details"] = self.ai_details()
            out["digital_link"] = self.digital_link_uri()
            out["gbt33993_conformant"] = not self.gbt33993_problems
            out["gbt33993_problems"] = list(self.gbt33993_problems)
        if self.gtin:
            out["china_prefix"] = self.china_prefix
        for name in ("form", "domain", "stem", "standard", "edition", "clause"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.params:
            out["params"] = dict(self.params)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def _from_ais(kind: str, text: str, ais: dict[str, str], **extra) -> ParsedCode:
    return ParsedCode(kind=kind, text=text, gtin=ais.get("01"), ais=ais, **extra)


def parse_any(text: str, *, strict: bool = True) -> ParsedCode:
    """Recognise and parse a product code or standard reference; return a ParsedCode.

    Accepts a GS1 Digital Link URI, a GB/T 33993 query-form URL, a standard link, a GS1
    element string ("^…", "(01)…", or scan data with GS / "]Q3"), a bare GTIN-8/12/14,
    an EAN-13, or a standard number. `strict=False` (lenient, outside GS1) also accepts
    Chinese / non-CSET-82 characters in values, zero-suppressed GTINs in AI 01 and
    convenience alphas (gtin, lot, ser …) in Digital Link paths, with `warnings`.
    Raises a CodeError subclass saying what is wrong (UnrecognisedCodeError if no form fits).
    """
    raw = text.strip(" \t\r\n\f\v")   # not str.strip(): it would eat a leading GS (FNC1)
    if not raw:
        raise UnrecognisedCodeError("内容为空 (empty input)")
    lenient = not strict
    if raw.lower().startswith(("http://", "https://")):
        return _parse_url(raw, lenient)
    if GS in raw and not raw.startswith(("^", "(", *GS1_SYMBOLOGY_IDS)):
        raw = "^" + raw            # scan data: the FNC1 mode indicator is not in the text
    if raw.startswith(("(", "^", *GS1_SYMBOLOGY_IDS)):
        ais = parse_element_string(raw, allow_utf8=lenient)
        form = "bracketed" if raw.startswith("(") else "fnc1"
        return _from_ais("element_string", raw, ais, form=form)
    if raw.isascii() and raw.isdigit():
        code = validate_gtin(raw)
        gtin = code.rjust(14, "0")
        kind = "ean13" if len(code) == 13 else "gtin"
        return ParsedCode(kind=kind, text=raw, gtin=gtin, ais={"01": gtin}, form=f"gtin-{len(code)}")
    if looks_like_standard_number(raw) or _loosely_standard(raw):
        ref = parse_standard_number(raw)
        return ParsedCode(kind="standard", text=raw, standard=ref.standard, edition=ref.edition)
    raise UnrecognisedCodeError(
        f"无法识别的内容：{raw[:40]!r}（不是 GS1 Digital Link、元素串、GTIN/EAN-13 或标准号） "
        "(not a Digital Link, element string, GTIN/EAN-13 or standard number)")


def parse_scan(text: str, symbology_identifier: str | None = None, *, strict: bool = True) -> ParsedCode:
    """Parse what a decoder returned: with a GS1 symbology identifier ("]Q3", "]d2" …)
    the text is GS1 element data (FNC1 implied in front); otherwise as `parse_any`.
    Raises the errors of `parse_any`."""
    if symbology_identifier in GS1_SYMBOLOGY_IDS and not text.startswith(("(", "^")):
        text = "^" + text
    return parse_any(text, strict=strict)


def _loosely_standard(text: str) -> bool:
    try:
        parse_standard_number(text)
    except CodeError:
        return False
    return True


def _parse_url(raw: str, lenient: bool) -> ParsedCode:
    if "/s/" in raw.split("?", 1)[0]:
        ref = parse_standard_link(raw)
        return ParsedCode(kind="standard_link", text=raw, standard=ref.standard, edition=ref.edition,
                          clause=ref.clause, params=ref.params)
    try:
        link = parse_digital_link(raw, convenience_alphas=lenient, zero_suppressed_gtin=lenient,
                                  allow_utf8=lenient)
    except DigitalLinkError as exc:
        if "primary key" in exc.message and looks_like_query_form(raw):
            url = parse_query_form(raw, allow_utf8=lenient)
            return _from_ais("gbt33993", raw, url.ais, form=url.form, domain=url.host,
                             params=url.params)
        raise
    warnings = list(link.warnings)
    if lenient and not link.ais.get("01", "").isascii():  # pragma: no cover - digits only
        warnings.append("GTIN 含非 ASCII 字符")
    if lenient and any(not v.isascii() for v in link.ais.values()):
        warnings.append("AI 值含 GS1 字符集 82 以外的字符（如中文），不符合 GS1 (value outside GS1 CSET 82)")
    return _from_ais("digital_link", raw, link.ais, form="digital_link", domain=link.domain,
                     stem=link.stem, path_ais=tuple(link.path_ais),
                     params={p.split("=", 1)[0]: p.partition("=")[2] for p in link.ignored_params},
                     warnings=tuple(warnings))
