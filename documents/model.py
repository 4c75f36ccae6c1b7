"""The input shape of every printed record: a plain, frozen model of one inspection.

The tablet builds it from its device store, the console from the server's rows; both may
pass a JSON-ready dict instead (`InspectionRecord.from_dict`). Times are aware or naive
`datetime`s and are printed as given (the officer's local time), never converted.
Images (signatures, photos) are referenced by the SHA-256 of their bytes; the bytes are
handed to the generator separately (`images=`), so the record itself stays small and
hashable. See docs/contracts.md, section "documents"."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from documents.errors import InputError

OUTCOMES = ("pass", "fail", "inconclusive")
ROLES = ("officer", "party", "witness")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: outcome words accepted in place of the codes
_OUTCOME_WORDS = {"符合": "pass", "合格": "pass", "不符合": "fail", "不合格": "fail",
                  "无法判定": "inconclusive", "待定": "inconclusive"}


@dataclass(frozen=True)
class Position:
    """A satellite fix: WGS-84 degrees and the accuracy the platform reported, in metres."""
    latitude: float
    longitude: float
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Place:
    """Where the inspection happened: the address in words, and a fix when the tablet had one.
    With no fix the officer typed the site (`position` None)."""
    address: str
    position: Position | None = None


@dataclass(frozen=True)
class Officer:
    name: str
    certificate_no: str          # 执法证号


@dataclass(frozen=True)
class Party:
    """The inspected party as registered (当事人)."""
    name: str                                  # full registered name
    credit_code: str | None = None             # 统一社会信用代码 (None: natural person or none shown)
    licence: str = "营业执照"                   # 主体资格证照名称
    address: str | None = None                 # 住所（住址）
    legal_representative: str | None = None    # 法定代表人（负责人、经营者）
    phone: str | None = None
    on_site_person: str | None = None          # the person present for the party, when not the representative
    on_site_role: str | None = None            # e.g. 店长, 质量负责人


@dataclass(frozen=True)
class Finding:
    """One indicator judged on site. `limit` and `measured` are display texts ("≤20", "25"),
    `unit` is appended to both when given. `verdict` is the tablet's outcome, `server_verdict`
    the server's re-judgement (None until synced)."""
    indicator: str
    limit: str
    measured: str
    verdict: str                               # "pass" | "fail" | "inconclusive"
    unit: str | None = None
    standard: str | None = None                # "GB 18401-2010"
    clause: str | None = None                  # "5.1"
    product: str | None = None                 # the sample: name, batch, model
    id: str | None = None                      # the finding's id, for photos to point at
    ruleset_version: str | None = None
    server_verdict: str | None = None
    server_ruleset_version: str | None = None
    note: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "verdict", outcome_code(self.verdict, "verdict"))
        object.__setattr__(self, "server_verdict", outcome_code(self.server_verdict, "server_verdict"))


@dataclass(frozen=True)
class Order:
    """An order to correct (责令改正), with its deadline when one was set."""
    text: str
    deadline: date | None = None


@dataclass(frozen=True)
class Photo:
    sha256: str
    taken_at: datetime | None = None
    caption: str | None = None
    finding_id: str | None = None
    place: str | None = None                   # as burned into the watermark
    inspector: str | None = None


@dataclass(frozen=True)
class Signature:
    """A signature drawn on screen (`image`: SHA-256 of the PNG), or a refusal to sign.
    A refusal names a witness (`witness_name`) or a photo/video of it (`refusal_photo`)."""
    role: str                                  # "officer" | "party" | "witness"
    name: str
    image: str | None = None
    signed_at: datetime | None = None
    refused: bool = False
    refusal_reason: str | None = None
    witness_name: str | None = None
    refusal_photo: str | None = None


@dataclass(frozen=True)
class Disclosure:
    """What the officers did before the inspection, as the template records it."""
    certificates_shown: bool = True            # 出示执法证件、表明身份
    rights_informed: bool = True               # 告知陈述、申辩、申请回避的权利
    recusal_requested: bool | None = False     # 当事人是否申请回避 (None: not recorded)


@dataclass(frozen=True)
class InspectionRecord:
    authority: str                             # 执法机关名称, printed at the head of the form
    started_at: datetime
    place: Place
    officers: tuple[Officer, ...]
    party: Party
    ended_at: datetime | None = None
    number: str | None = None                  # 文书编号, when the authority numbers its records
    recorder: str | None = None                # 记录人 (default: the first officer)
    situation: str = ""                        # 现场情况 in the officer's words (paragraphs by "\n")
    findings: tuple[Finding, ...] = ()
    orders: tuple[Order, ...] = ()
    photos: tuple[Photo, ...] = ()
    signatures: tuple[Signature, ...] = ()
    party_opinion: str | None = None           # 当事人意见
    disclosure: Disclosure = field(default_factory=Disclosure)
    record_hash: str | None = None             # SHA-256 of the record the signatures are bound to
    reference: str | None = None               # the inspection's id in gbfield

    def __post_init__(self):
        _check(self)

    @property
    def recorder_name(self) -> str:
        return self.recorder or (self.officers[0].name if self.officers else "")

    def signatures_of(self, role: str) -> tuple[Signature, ...]:
        return tuple(s for s in self.signatures if s.role == role)

    def image_refs(self) -> tuple[str, ...]:
        """Every SHA-256 the record references (signatures, refusal photos, photos), once each."""
        refs = [s.image for s in self.signatures] + [s.refusal_photo for s in self.signatures]
        refs += [p.sha256 for p in self.photos]
        return tuple(dict.fromkeys(r for r in refs if r))

    def to_dict(self) -> dict:
        """A JSON-ready dict (ISO dates) that `from_dict` reads back to an equal record."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> InspectionRecord:
        """Build a record from JSON-ready data (ISO 8601 times, lists for tuples).

        Raises InputError naming the field when a required field is missing or malformed."""
        if not isinstance(data, dict):
            raise InputError("record", "expected an object")
        d = dict(data)
        try:
            return cls(
                authority=_text(d, "authority"),
                started_at=_time(d.get("started_at"), "started_at", required=True),
                ended_at=_time(d.get("ended_at"), "ended_at"),
                place=_place(d.get("place"), "place"),
                officers=tuple(_obj(Officer, o, f"officers[{i}]") for i, o in enumerate(_list(d, "officers"))),
                party=_obj(Party, d.get("party"), "party"),
                number=d.get("number"), recorder=d.get("recorder"),
                situation=d.get("situation") or "",
                findings=tuple(_obj(Finding, f, f"findings[{i}]") for i, f in enumerate(_list(d, "findings"))),
                orders=tuple(_order(o, f"orders[{i}]") for i, o in enumerate(_list(d, "orders"))),
                photos=tuple(_photo(p, f"photos[{i}]") for i, p in enumerate(_list(d, "photos"))),
                signatures=tuple(_signature(s, f"signatures[{i}]")
                                 for i, s in enumerate(_list(d, "signatures"))),
                party_opinion=d.get("party_opinion"),
                disclosure=_obj(Disclosure, d.get("disclosure") or {}, "disclosure"),
                record_hash=d.get("record_hash"), reference=d.get("reference"),
            )
        except TypeError as exc:      # an unknown or missing key in a nested object
            raise InputError("record", str(exc)) from exc


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _text(d: dict, key: str, where: str = "") -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}{key}", "required text is missing")
    return value


def _list(d: dict, key: str) -> list:
    value = d.get(key) or []
    if not isinstance(value, (list, tuple)):
        raise InputError(key, "expected a list")
    return list(value)


def _obj(cls, value, where: str):
    if not isinstance(value, dict):
        raise InputError(where, "expected an object")
    known = set(cls.__dataclass_fields__)
    unknown = sorted(set(value) - known)
    if unknown:
        raise InputError(where, f"unknown field(s): {', '.join(unknown)}")
    try:
        return cls(**value)
    except InputError as exc:
        raise InputError(f"{where}.{exc.field}", exc.reason) from exc


def _time(value, where: str, *, required: bool = False) -> datetime | None:
    if value is None and not required:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise InputError(where, f"not an ISO 8601 time: {value!r}") from exc
    raise InputError(where, "required time is missing" if value is None else "expected an ISO 8601 time")


def _place(value, where: str) -> Place:
    if not isinstance(value, dict):
        raise InputError(where, "expected an object")
    position = value.get("position")
    if position is not None:
        position = _obj(Position, position, f"{where}.position")
    return Place(address=_text(value, "address", f"{where}."), position=position)


def _order(value, where: str) -> Order:
    order = _obj(Order, value, where)
    deadline = order.deadline
    if isinstance(deadline, str):
        try:
            deadline = date.fromisoformat(deadline)
        except ValueError as exc:
            raise InputError(f"{where}.deadline", f"not an ISO 8601 date: {deadline!r}") from exc
    return Order(text=order.text, deadline=deadline)


def _photo(value, where: str) -> Photo:
    photo = _obj(Photo, value, where)
    return Photo(**{**asdict(photo), "taken_at": _time(photo.taken_at, f"{where}.taken_at")})


def _signature(value, where: str) -> Signature:
    sig = _obj(Signature, value, where)
    return Signature(**{**asdict(sig), "signed_at": _time(sig.signed_at, f"{where}.signed_at")})


def outcome_code(value: str | None, where: str) -> str | None:
    """Return "pass" / "fail" / "inconclusive" for a code or its Chinese word (None stays None).

    Raises InputError for anything else."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(where, f"expected a verdict, got {value!r}")
    code = _OUTCOME_WORDS.get(value.strip(), value.strip().lower())
    if code not in OUTCOMES:
        raise InputError(where, f"unknown verdict {value!r} (pass, fail, inconclusive, 符合, 不符合, 无法判定)")
    return code


def _check(record: InspectionRecord) -> None:
    """Raise InputError for what no printed record may lack or get wrong."""
    if _blank(record.authority):
        raise InputError("authority", "required text is missing")
    if not isinstance(record.started_at, datetime):
        raise InputError("started_at", "expected a datetime")
    if record.ended_at is not None and record.ended_at < record.started_at:
        raise InputError("ended_at", "the inspection ends before it starts")
    if _blank(record.place.address):
        raise InputError("place.address", "required text is missing")
    if not record.officers:
        raise InputError("officers", "at least one officer (two for an inspection) is required")
    for i, officer in enumerate(record.officers):
        if _blank(officer.name):
            raise InputError(f"officers[{i}].name", "required text is missing")
        if _blank(officer.certificate_no):
            raise InputError(f"officers[{i}].certificate_no", "an officer's certificate number (执法证号) is required")
    if _blank(record.party.name):
        raise InputError("party.name", "the party's full registered name is required")
    for i, finding in enumerate(record.findings):
        for key in ("indicator", "limit", "measured"):
            if _blank(getattr(finding, key)):
                raise InputError(f"findings[{i}].{key}", "required text is missing")
    for i, order in enumerate(record.orders):
        if _blank(order.text):
            raise InputError(f"orders[{i}].text", "required text is missing")
    for i, photo in enumerate(record.photos):
        _check_sha(photo.sha256, f"photos[{i}].sha256")
    for i, sig in enumerate(record.signatures):
        where = f"signatures[{i}]"
        if sig.role not in ROLES:
            raise InputError(f"{where}.role", f"unknown role {sig.role!r} (officer, party, witness)")
        if _blank(sig.name):
            raise InputError(f"{where}.name", "the signer's name is required")
        for key in ("image", "refusal_photo"):
            if getattr(sig, key) is not None:
                _check_sha(getattr(sig, key), f"{where}.{key}")
        if sig.refused and sig.image:
            raise InputError(f"{where}.refused", "a refused signature cannot carry a signature image")
        if sig.refused and not (sig.witness_name or sig.refusal_photo):
            raise InputError(f"{where}.refused",
                             "a refusal to sign needs a witness (witness_name) or a photo of it (refusal_photo)")
    if record.record_hash is not None:
        _check_sha(record.record_hash, "record_hash")


def _blank(value) -> bool:
    return not isinstance(value, str) or not value.strip()


def _check_sha(value, where: str) -> None:
    if not isinstance(value, str) or not _SHA256.match(value):
        raise InputError(where, "expected a SHA-256 as 64 lower-case hex digits")
