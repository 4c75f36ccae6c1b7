"""Standard numbers ("GB 18401-2010") and the project's own standard links.

Standard link (documented in docs/codes.md):

    https://<host>[/<prefix>]/s/<standard>[/<clause>][?t=<clause title>]

<standard> is the standard number, percent-encoded ("GB%2018401-2010",
"GB%2FT%2033993-2024") or compact without space and slash ("GB18401-2010",
"GBT33993-2024"); the year is optional ("GB%2018401" names the standard, not an edition).
<clause> is a clause number ("5.1", "A.2"). Other query parameters are kept as they are
(decoded, UTF-8), e.g. a Chinese clause title in `t`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from codes.errors import StandardLinkError

_STANDARD = re.compile(
    r"^(?P<prefix>[A-Z]{2,4}?)(?:/?(?P<kind>[TZ]))?\s*(?P<number>\d+(?:\.\d+)*)"
    r"(?:\s*[-—－]\s*(?P<year>\d{4}|\d{2}))?(?P<amend>/XG\d+-\d{4})?$")
_CANONICAL = re.compile(r"^[A-Z]{2,4}(?:/[TZ])? \d+(?:\.\d+)*(?:-(?:\d{4}|\d{2}))?(?:/XG\d+-\d{4})?$")
_CLAUSE = re.compile(r"^(?:[A-Z]|\d+)(?:\.\d+)*$")
LINK_SEGMENT = "s"


@dataclass(frozen=True)
class StandardRef:
    """A standard named by a number: `standard` "GB 18401", `edition` "GB 18401-2010"
    (None without a year), `year`, `clause` (None if not given), link `params`."""

    standard: str
    edition: str | None
    year: int | None
    clause: str | None = None
    params: dict[str, str] = field(default_factory=dict)


def parse_standard_number(text: str) -> StandardRef:
    """Parse "GB 18401-2010", "GB/T 33993-2024", "GB 4806.7-2023", "GB18401", "GBT33993-2024".

    Raises StandardLinkError if the text is not a standard number.
    """
    compact = " ".join(text.strip().upper().split())
    m = _STANDARD.match(compact)
    if not m:
        raise StandardLinkError(f"无法识别的标准编号：{text!r} (not a standard number like 'GB 18401-2010')",
                                key="standard_number", params={"value": text})
    prefix = m["prefix"] + (f"/{m['kind']}" if m["kind"] else "")
    standard = f"{prefix} {m['number']}"
    year = m["year"]
    if year and len(year) == 2:
        full_year = int(("19" if int(year) > 50 else "20") + year)
    else:
        full_year = int(year) if year else None
    edition = f"{standard}-{year}{m['amend'] or ''}" if year else None
    return StandardRef(standard=standard, edition=edition, year=full_year)


def looks_like_standard_number(text: str) -> bool:
    """True if `text` is a standard number in the canonical spaced form."""
    return bool(_CANONICAL.match(" ".join(text.strip().split())))


def parse_standard_link(url: str) -> StandardRef:
    """Parse a standard link; return the StandardRef with clause and query params.

    Raises StandardLinkError if there is no "/s/<standard>" part, the standard number
    or the clause cannot be read.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise StandardLinkError("标准链接应为 http(s)://主机/s/<标准号> (standard link needs http(s) and a host)")
    segments = parts.path.split("/")
    if LINK_SEGMENT not in segments[1:-1]:
        raise StandardLinkError("标准链接缺少 /s/<标准号> (standard link has no /s/<standard>)")
    at = len(segments) - 1 - segments[::-1].index(LINK_SEGMENT)
    tail = [unquote(s) for s in segments[at + 1:] if s != ""]
    if not tail or len(tail) > 2:
        raise StandardLinkError(f"标准链接 /s/ 之后应为 <标准号>[/<条款>]：{parts.path!r} (expected /s/<standard>[/<clause>])",
                                key="standard_link_shape", params={"path": parts.path})
    ref = parse_standard_number(tail[0])
    clause = None
    if len(tail) == 2:
        clause = tail[1].strip()
        if not _CLAUSE.match(clause):
            raise StandardLinkError(f"条款号无法识别：{clause!r} (clause must look like 5.1 or A.2)",
                                    key="clause", params={"value": clause})
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    return StandardRef(ref.standard, ref.edition, ref.year, clause, params)


def build_standard_link(standard: str, clause: str | None = None, *,
                        base: str = "https://gbfield.local", title: str | None = None) -> str:
    """Return the canonical standard link for a standard number (edition or not),
    an optional clause and an optional clause title (query `t`, UTF-8 percent-encoded).

    Raises StandardLinkError for an unreadable standard number or clause.
    """
    ref = parse_standard_number(standard)
    name = ref.edition or ref.standard
    url = base.rstrip("/") + f"/{LINK_SEGMENT}/" + quote(name, safe="-.")
    if clause is not None:
        if not _CLAUSE.match(clause):
            raise StandardLinkError(f"条款号无法识别：{clause!r} (clause must look like 5.1 or A.2)")
        url += "/" + clause
    if title:
        url += "?t=" + quote(title, safe="")
    return url
