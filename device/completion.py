"""完成检查 on the device: what must be there before an inspection can be completed, the
summary the party reads, the signatures that bind to it, and the lock.

    check = completeness(store, inspection_id, policy)      # offline, before completion
    check.problems     # (Problem(kind, record_id, message), ...) — () when complete
    summary = Summary.of(store, inspection_id)              # findings, verdicts, record hash
    complete_inspection(records, inspection_id, signatures, policy=policy, ended_at=...)

An inspection needs its party (name and credit code), the place (address or typed site),
at least one finding, the evidence its policy asks for (by default a non-conforming
finding needs a photo and a note; configurable per indicator kind and per indicator), and
signatures: the officers (two for sampling), and the party's — or the party's refusal,
recorded with a witness (name and signature) or a photo. Signatures are bound to the
record hash of the content the party read (`sync.protocol.record_hash`); completing
writes them and the locked inspection in ONE transaction.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from device.errors import InvalidRecord, RecordLocked
from device.records import DeviceRecords, is_completed
from device.store import DeviceStore
from device.stores.photos import file_sha256
from sync.protocol.signing import record_hash

__all__ = [
    "DEFAULT_POLICY",
    "EvidencePolicy",
    "Problem",
    "Requirement",
    "Signature",
    "Summary",
    "complete_inspection",
    "completeness",
]

OFFICER, PARTY, WITNESS = "officer", "party", "witness"


@dataclass(frozen=True)
class Requirement:
    """The evidence a finding needs: `photo`/`note` always, or only when it fails."""

    photo: bool = False
    note: bool = False
    photo_on_fail: bool = True
    note_on_fail: bool = True

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Requirement:
        """Return the requirement of a policy entry; raises InvalidRecord for unknown keys."""
        unknown = set(data) - {"photo", "note", "photo_on_fail", "note_on_fail"}
        if unknown:
            raise InvalidRecord(f"证据要求含未知项 / unknown evidence keys: {', '.join(sorted(unknown))}")
        return cls(**{k: bool(v) for k, v in data.items()})


@dataclass(frozen=True)
class EvidencePolicy:
    """Evidence per finding (default, by indicator kind, by indicator id — the most
    specific wins) and how many officers sign (`officers`, `officers_sampling`)."""

    default: Requirement = Requirement()
    kinds: dict[str, Requirement] = field(default_factory=dict)
    indicators: dict[str, Requirement] = field(default_factory=dict)
    officers: int = 1
    officers_sampling: int = 2

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> EvidencePolicy:
        """Return the policy of a settings dict {default, kinds, indicators, officers,
        officers_sampling}; None gives DEFAULT_POLICY. Raises InvalidRecord."""
        if not data:
            return DEFAULT_POLICY
        return cls(Requirement.from_dict(data.get("default") or {}),
                   {k: Requirement.from_dict(v) for k, v in (data.get("kinds") or {}).items()},
                   {k: Requirement.from_dict(v) for k, v in (data.get("indicators") or {}).items()},
                   int(data.get("officers") or 1), int(data.get("officers_sampling") or 2))

    def requirement(self, indicator_id: str, kind: str | None = None) -> Requirement:
        """Return the evidence the finding of `indicator_id` (of `kind`) needs."""
        if indicator_id in self.indicators:
            return self.indicators[indicator_id]
        return self.kinds.get(kind or "", self.default)

    def officers_needed(self, inspection: dict[str, Any]) -> int:
        """Return how many officers sign this inspection (more when it takes samples)."""
        return self.officers_sampling if inspection.get("inspection_type") == "sampling" else self.officers


#: marking items are judged from the label itself: its photo is always kept
DEFAULT_POLICY = EvidencePolicy(kinds={"marking": Requirement(photo=True)})


@dataclass(frozen=True)
class Problem:
    """Something missing before completion; `kind` is field, finding, evidence or signature."""

    kind: str
    record_id: str | None
    message: str


@dataclass(frozen=True)
class Signature:
    """A signature drawn on the screen (`image`: the PNG file) or a refusal to sign,
    recorded with a witness (name + drawn signature `witness_image`) or a photo."""

    role: str                          # officer | party | witness
    signer_name: str
    image: str | Path | None = None
    signer_number: str | None = None   # 执法证号 of an officer
    refused: bool = False
    refusal_note: str | None = None
    witness_name: str | None = None
    witness_image: str | Path | None = None
    evidence_photo: str | None = None  # SHA-256 of an attached photo of the refusal

    def problem(self) -> str | None:
        """Return what is missing from this signature, or None."""
        if self.role not in (OFFICER, PARTY, WITNESS):
            return f"未知的签名角色 {self.role} / unknown signer role"
        if not (self.signer_name or "").strip() and not self.refused:
            return "请填写签名人姓名 / enter the signer's name"
        if self.refused:
            if self.role != PARTY:
                return "只有当事人可以拒签 / only the party may refuse"
            if not (self.witness_name and self.witness_image) and not self.evidence_photo:
                return ("当事人拒签：请由见证人签名，或拍照记录 / refusal: a witness signs, or take a photo")
            return None
        if self.image is None:
            return "请在屏幕上签名 / sign on the screen"
        if self.role == OFFICER and not (self.signer_number or "").strip():
            return "请填写执法证号 / enter the officer's certificate number"
        return None


@dataclass(frozen=True)
class FindingLine:
    """One finding as the summary shows it (the current revision)."""

    id: str
    indicator_id: str
    sample: int
    revision: int
    measured: str
    unit: str | None
    outcome: str
    limit_text: str
    note: str | None
    photos: tuple[str, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """What the party reads and signs: the inspection, every finding with its verdict and
    the evidence it still lacks, and the record hash the signatures bind to."""

    inspection: dict[str, Any]
    findings: tuple[FindingLine, ...]
    record_hash: str

    @property
    def fails(self) -> int:
        """The number of non-conforming findings."""
        return sum(1 for f in self.findings if f.outcome == "fail")

    @classmethod
    def of(cls, store: DeviceStore, inspection_id: str, policy: EvidencePolicy = DEFAULT_POLICY,
           kinds: dict[str, str] | None = None) -> Summary:
        """Return the summary of an inspection on the device (`kinds`: indicator id ->
        kind, for the policy). Raises UnknownRecord."""
        records = DeviceRecords(store)
        inspection = records._inspection(inspection_id)["data"]
        lines, signed = [], []
        for fid, data in records.findings_of(inspection_id):
            verdict = data.get("device_verdict") or {}
            need = policy.requirement(data["indicator_id"], (kinds or {}).get(data["indicator_id"]))
            lines.append(FindingLine(fid, data["indicator_id"], int(data.get("sample") or 1),
                                     int(data.get("revision") or 1), data["measured"], data.get("unit"),
                                     verdict.get("outcome") or "inconclusive", verdict.get("limit_text") or "",
                                     data.get("note"), tuple(data.get("photos") or ()),
                                     _missing(need, data, verdict.get("outcome"))))
            signed.append(data)
        return cls(inspection, tuple(lines), record_hash(inspection, signed))


def _missing(need: Requirement, finding: dict[str, Any], outcome: str | None) -> tuple[str, ...]:
    failed = outcome == "fail"
    out = []
    if (need.photo or (failed and need.photo_on_fail)) and not finding.get("photos"):
        out.append("photo")
    if (need.note or (failed and need.note_on_fail)) and not (finding.get("note") or "").strip():
        out.append("note")
    return tuple(out)


_MISSING_TEXT = {"photo": "照片 / photo", "note": "说明 / note"}


def completeness(store: DeviceStore, inspection_id: str, policy: EvidencePolicy = DEFAULT_POLICY,
                 kinds: dict[str, str] | None = None, signatures: list[Signature] | None = None) -> tuple[Problem, ...]:
    """Return what is missing before the inspection can be completed (() when nothing;
    with `signatures`, also what they lack). Offline; raises UnknownRecord."""
    summary = Summary.of(store, inspection_id, policy, kinds)
    data = summary.inspection
    problems: list[Problem] = []
    if is_completed(data):
        return (Problem("field", inspection_id, "检查已完成 / already completed"),)
    for key, text in (("company_name", "当事人名称 / the party's name"),
                      ("credit_code", "统一社会信用代码 / credit code")):
        if not (data.get(key) or "").strip():
            problems.append(Problem("field", inspection_id, f"缺少{text}"))
    if not (data.get("address") or data.get("site") or data.get("position")):
        problems.append(Problem("field", inspection_id, "缺少检查地点（地址、现场位置或定位） / the place is missing"))
    if not summary.findings:
        problems.append(Problem("finding", inspection_id, "还没有检测结果 / no finding yet"))
    for line in summary.findings:
        if line.missing:
            what = "、".join(_MISSING_TEXT[m].split(" / ")[0] for m in line.missing)
            problems.append(Problem("evidence", line.id, f"检测结果（样品{line.sample}）缺少{what} / "
                                                         f"evidence missing: {', '.join(line.missing)}"))
    if signatures is not None:
        problems.extend(_signature_problems(data, signatures, policy))
    return tuple(problems)


def _signature_problems(inspection: dict[str, Any], signatures: list[Signature],
                        policy: EvidencePolicy) -> list[Problem]:
    out = [Problem("signature", None, f"{s.signer_name or s.role}：{s.problem()}") for s in signatures if s.problem()]
    officers = [s for s in signatures if s.role == OFFICER]
    needed = policy.officers_needed(inspection)
    if len(officers) < needed:
        out.append(Problem("signature", None, f"需要 {needed} 名执法人员签名，现有 {len(officers)} 名 / "
                                              f"{needed} officers must sign"))
    if len({(s.signer_number or "").strip() for s in officers}) < len(officers):
        out.append(Problem("signature", None, "两名执法人员的执法证号相同 / two officers with one certificate number"))
    if not any(s.role == PARTY for s in signatures):
        out.append(Problem("signature", None, "缺少当事人签名或拒签记录 / the party's signature or refusal is missing"))
    return out


def complete_inspection(records: DeviceRecords, inspection_id: str, signatures: list[Signature], *,
                        expected_hash: str, policy: EvidencePolicy = DEFAULT_POLICY,
                        kinds: dict[str, str] | None = None, now: datetime | None = None) -> list[str]:
    """Complete the inspection: queue its signatures (images into the photo queue) and
    the locked inspection (completed_at, record_hash, no longer a draft) in ONE
    transaction; return the signature ids. `expected_hash` is the record hash of the
    summary the party read: if the record changed since, nothing is written.
    Raises RecordLocked (already completed, or changed since it was read), InvalidRecord
    naming the first problem (completeness, signatures)."""
    store = records.store
    problems = completeness(store, inspection_id, policy, kinds, signatures)
    if problems:
        if problems[0].message.startswith("检查已完成"):
            raise RecordLocked(problems[0].message)
        raise InvalidRecord(problems[0].message, details={"problems": [p.message for p in problems]})
    summary = Summary.of(store, inspection_id, policy, kinds)
    if summary.record_hash != expected_hash:
        raise RecordLocked("签名后记录已更改，请让当事人重新阅读并签名 / the record changed after it was read: "
                           "sign again")
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    ids = []
    with store.transaction():
        for sig in signatures:
            ident = str(uuid.uuid4())
            data = {"id": ident, "inspection_id": inspection_id, "role": sig.role, "signer_name": sig.signer_name,
                    "signer_number": sig.signer_number, "refused": sig.refused, "refusal_note": sig.refusal_note,
                    "witness_name": sig.witness_name, "evidence_photo": sig.evidence_photo,
                    "record_hash": summary.record_hash, "signed_at": moment, "device_created_at": moment}
            for key, path in (("image", sig.image), ("witness_image", sig.witness_image)):
                if path is not None:
                    sha = file_sha256(path)
                    store.photos.add(sha, Path(path).resolve(), "signature", ident)
                    data[key] = sha
            data = {k: v for k, v in data.items() if v is not None}
            store.outbox.add(str(uuid.uuid4()), "signature", ident, 0, data)
            store.records.put_local("signature", ident, data)
            ids.append(ident)
        rec = records._inspection(inspection_id)
        records._edit(inspection_id, rec, {"completed_at": moment, "record_hash": summary.record_hash,
                                           "status": None})
    return ids
