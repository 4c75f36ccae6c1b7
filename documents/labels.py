"""Legal labels in a 现场笔录: where the officer's words reach a conclusion the record must not.

A 现场笔录 records what was seen; whether it breaks the law is decided later, in the case.
Words such as 违法, 涉嫌, 擅自, 非法 (DOMAIN.md, field enforcement practice), and 假冒 / 伪劣
(product conclusions only a decision can establish), are therefore kept out of the record.
`find_legal_labels` says where such a word occurs so the tablet can warn the officer; the
generator still prints what the officer wrote (the officer decides).

    find_legal_labels(text) -> (LabelHit(word, start, end, context), ...)
    check_record(record) -> (FieldLabelHit(field, word, start, end, context), ...)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from documents.model import InspectionRecord

#: the labels, each with why it is a conclusion rather than an observation
LEGAL_LABELS: dict[str, str] = {
    "违法": "认定违法是案件处理的结论，不在现场笔录中作出",
    "涉嫌": "涉嫌是立案、移送时的定性用语",
    "擅自": "擅自是对行为性质的评价",
    "非法": "非法是对行为性质的评价",
    "假冒": "假冒须经鉴别或认定",
    "伪劣": "伪劣须经检验和认定",
}
#: legal terms that contain a label but are none: 非法人组织 (Civil Code, an unincorporated organisation)
NOT_LABELS: tuple[str, ...] = ("非法人",)
_PATTERN = re.compile("|".join(map(re.escape, LEGAL_LABELS)))
_CONTEXT = 8


@dataclass(frozen=True)
class LabelHit:
    word: str
    start: int           # index of the word's first character in the text
    end: int             # index after its last character
    context: str         # a few characters either side, for the warning

    @property
    def reason(self) -> str:
        return LEGAL_LABELS[self.word]


@dataclass(frozen=True)
class FieldLabelHit(LabelHit):
    field: str = ""      # the record field the text came from: "situation", "findings[2].note"


def find_legal_labels(text: str | None) -> tuple[LabelHit, ...]:
    """Return every legal label in `text`, in order (empty for None or clean text). Raises nothing."""
    if not text:
        return ()
    hits = []
    for match in _PATTERN.finditer(text):
        start = match.start()
        if any(text.startswith(term, start) for term in NOT_LABELS):
            continue
        hits.append(LabelHit(match.group(), start, match.end(),
                             text[max(0, start - _CONTEXT): match.end() + _CONTEXT]))
    return tuple(hits)


def record_texts(record: InspectionRecord) -> tuple[tuple[str, str], ...]:
    """Return (field path, text) for every text an officer or the party typed into the record."""
    out = [("situation", record.situation), ("party_opinion", record.party_opinion or "")]
    for i, f in enumerate(record.findings):
        out += [(f"findings[{i}].{key}", getattr(f, key) or "")
                for key in ("indicator", "product", "measured", "note")]
    out += [(f"orders[{i}].text", o.text) for i, o in enumerate(record.orders)]
    out += [(f"photos[{i}].caption", p.caption or "") for i, p in enumerate(record.photos)]
    out += [(f"signatures[{i}].refusal_reason", s.refusal_reason or "") for i, s in enumerate(record.signatures)]
    return tuple((name, text) for name, text in out if text)


def check_record(record: InspectionRecord) -> tuple[FieldLabelHit, ...]:
    """Return every legal label in the record's free texts, with the field it is in. Raises nothing."""
    return tuple(FieldLabelHit(h.word, h.start, h.end, h.context, field=name)
                 for name, text in record_texts(record) for h in find_legal_labels(text))
