"""The tablet's side of the 现场笔录: an inspection in the device store turned into the
`documents.InspectionRecord` the generator lays out (the same generator serves the
console), the images it names read from the tablet's files, and the legal labels found.

    record = onsite_input(store, inspection_id, profile, officers=..., signatures=..., orders=...)
    pages = preview_pages(record, images, folder)     # PNG files for the screen
    pdf = onsite_pdf(record, images)                  # bytes

Times are printed in China Standard Time (UTC+8) unless the profile names another offset.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import documents
from device import DeviceError, DeviceRecords, DeviceStore, catalog_judge
from device.completion import Signature as DeviceSignature
from kivy_client.errors import TabletError
from rules.errors import UnknownIndicator

__all__ = ["OfficerProfile", "OnsiteError", "load_images", "onsite_input", "onsite_pdf", "preview_pages"]

CST = timezone(timedelta(hours=8))
PROFILE_KEY = "officer_profile"


class OnsiteError(TabletError):
    """The 现场笔录 cannot be made: a required part is missing (the message names it)."""


@dataclass(frozen=True)
class OfficerProfile:
    """The officer using this tablet: name, 执法证号 and the authority printed at the head
    of the 现场笔录, kept in the device store (Settings)."""

    name: str = ""
    certificate_no: str = ""
    authority: str = ""
    utc_offset_hours: float = 8.0

    @classmethod
    def load(cls, store: DeviceStore) -> OfficerProfile:
        """Return the saved profile; the name defaults to the enrolled user's."""
        saved = store.state.get(PROFILE_KEY) or {}
        user = (store.state.credentials() or {}).get("user") or {}
        return cls(saved.get("name") or user.get("display_name") or user.get("username") or "",
                   saved.get("certificate_no") or "", saved.get("authority") or "",
                   float(saved.get("utc_offset_hours", 8.0)))

    def save(self, store: DeviceStore) -> None:
        """Keep the profile in the device store."""
        store.state.set(PROFILE_KEY, {"name": self.name, "certificate_no": self.certificate_no,
                                      "authority": self.authority, "utc_offset_hours": self.utc_offset_hours})

    @property
    def tz(self) -> timezone:
        """The time zone times are printed in."""
        return timezone(timedelta(hours=self.utc_offset_hours))


@dataclass(frozen=True)
class Officer:
    """An officer who signs: name and 执法证号."""

    name: str
    certificate_no: str


@dataclass
class PartyDetails:
    """What the completion screen asks about the party besides its registered name."""

    legal_representative: str = ""
    on_site_person: str = ""
    on_site_role: str = ""
    phone: str = ""
    address: str = ""
    opinion: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, str]:
        """Return the inspection's `party` field (empty parts left out)."""
        keys = ("legal_representative", "on_site_person", "on_site_role", "phone", "address", "opinion")
        return {k: getattr(self, k).strip() for k in keys if getattr(self, k).strip()}

    @classmethod
    def of(cls, data: Mapping[str, Any] | None) -> PartyDetails:
        """Return the details kept in an inspection's `party` field."""
        data = dict(data or {})
        keys = ("legal_representative", "on_site_person", "on_site_role", "phone", "address", "opinion")
        return cls(**{k: str(data.get(k) or "") for k in keys})


def _time(text: str | None, tz: timezone) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(tz)


def _outcome(data: Mapping[str, Any]) -> str:
    return ((data.get("device_verdict") or {}).get("outcome")) or "inconclusive"


def onsite_input(store: DeviceStore, inspection_id: str, profile: OfficerProfile, *,
                 officers: Iterable[Officer] = (), signatures: Iterable[DeviceSignature] = (),
                 signature_images: Mapping[str, str] | None = None,
                 orders: Iterable[Mapping[str, Any]] = (), record_hash: str | None = None) -> documents.InspectionRecord:
    """Return the generator's input for an inspection on the device: the party as
    registered, time and place (with the position), the officers, each finding's current
    revision in words, the photos, `orders` ({text, deadline}) when one was issued, and
    `signatures` (their drawn images named in `signature_images`: path -> SHA-256).
    Raises OnsiteError naming what is missing (authority, officer number, address)."""
    records = DeviceRecords(store, judge=catalog_judge(store))
    rec = store.records.get("inspection", inspection_id)
    if rec is None:
        raise OnsiteError(f"没有该检查记录 / unknown inspection {inspection_id}")
    data, tz = rec["data"], profile.tz
    if not profile.authority.strip():
        raise OnsiteError("请在“设置”中填写执法机关名称 / enter the authority's name in Settings")
    people = [Officer(profile.name, profile.certificate_no), *officers]
    for n, person in enumerate(people, 1):
        if not person.name.strip() or not person.certificate_no.strip():
            raise OnsiteError(f"第{n}名执法人员缺少姓名或执法证号 / officer {n}: name and certificate number")
    party = PartyDetails.of(data.get("party"))
    place_text = data.get("site") or data.get("address") or ""
    position = data.get("position") or None
    if not place_text and position:
        place_text = f"北纬{position['lat']}，东经{position['lon']}"
    if not place_text:
        raise OnsiteError("请填写检查地点 / enter the place")
    fix = None
    if position:
        accuracy = position.get("accuracy_m")
        fix = documents.Position(float(position["lat"]), float(position["lon"]),
                                 float(accuracy) if accuracy is not None else None)
    findings, photos = [], []
    product = "，".join(p for p in (data.get("product_name"), data.get("batch") and f"批号{data['batch']}",
                                    data.get("product_class") and f"{data['product_class']}类") if p)
    for fid, finding in records.findings_of(inspection_id):
        indicator = _indicator(records, finding["indicator_id"])
        sample = int(finding.get("sample") or 1)
        label = f"{product}，样品{sample}" if product else f"样品{sample}"
        findings.append(documents.Finding(
            indicator=indicator.name if indicator else finding["indicator_id"],
            limit=(indicator.limit if indicator else (finding.get("device_verdict") or {}).get("limit_text")) or "—",
            measured=finding["measured"], verdict=_outcome(finding), unit=finding.get("unit"),
            standard=indicator.edition_id if indicator else None, clause=indicator.clause if indicator else None,
            product=label, id=fid, ruleset_version=finding.get("ruleset_version"), note=finding.get("note")))
        photos.extend(documents.Photo(sha, finding_id=fid, caption=indicator.name if indicator else None)
                      for sha in finding.get("photos") or ())
    photos.extend(documents.Photo(sha) for sha in data.get("photos") or ())
    return documents.InspectionRecord(
        authority=profile.authority.strip(),
        started_at=_time(data.get("started_at"), tz) or _time(data.get("device_created_at"), tz)
        or datetime.now(tz),
        ended_at=_time(data.get("ended_at"), tz),
        place=documents.Place(place_text, fix),
        officers=tuple(documents.Officer(p.name.strip(), p.certificate_no.strip()) for p in people),
        party=documents.Party(name=data.get("company_name") or "", credit_code=data.get("credit_code"),
                              address=party.address or data.get("address") or None,
                              legal_representative=party.legal_representative or None,
                              phone=party.phone or None, on_site_person=party.on_site_person or None,
                              on_site_role=party.on_site_role or None),
        situation=data.get("note") or "",
        findings=tuple(findings),
        orders=tuple(documents.Order(str(o["text"]), _day(o.get("deadline"))) for o in orders),
        photos=tuple(photos),
        signatures=tuple(_signatures(signatures, signature_images or {}, data.get("company_name") or "")),
        party_opinion=party.opinion or None,
        record_hash=record_hash or data.get("record_hash"),
        reference=inspection_id)


def _indicator(records: DeviceRecords, indicator_id: str):
    try:
        return records.judge.indicator(indicator_id)
    except (DeviceError, UnknownIndicator):   # printed by its id
        return None


def _signatures(signatures: Iterable[DeviceSignature], shas: Mapping[str, str], party_name: str):
    out = []
    for sig in signatures:
        image = shas.get(str(sig.image)) if sig.image else None
        if sig.refused:
            out.append(documents.Signature("party", sig.signer_name or party_name, refused=True,
                                           refusal_reason=sig.refusal_note, witness_name=sig.witness_name,
                                           refusal_photo=sig.evidence_photo))
            if sig.witness_name and sig.witness_image:
                out.append(documents.Signature("witness", sig.witness_name, shas.get(str(sig.witness_image))))
            continue
        out.append(documents.Signature(sig.role, sig.signer_name, image))
    return out


def load_images(store: DeviceStore, paths: Iterable[str | Path] = ()) -> dict[str, bytes]:
    """Return SHA-256 -> bytes of every queued photo/signature file on the device and of
    `paths` (files not found are left out: the generator draws a placeholder)."""
    out: dict[str, bytes] = {}
    for row in store.photos.rows():
        try:
            out[row["sha256"]] = Path(row["path"]).read_bytes()
        except OSError:
            continue
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        out[hashlib.sha256(data).hexdigest()] = data
    return out


def _day(value: date | str | None) -> date | None:
    """A deadline as the printed record takes it (the order entity keeps "YYYY-MM-DD")."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def preview_pages(record: documents.InspectionRecord, images: Mapping[str, bytes], folder: str | Path,
                  *, dpi: float = 96) -> list[Path]:
    """Lay out the 现场笔录 and write each page as PNG into `folder`; return the paths
    (the screen shows them: the page that prints). Raises OnsiteError."""
    try:
        layout = documents.onsite_record(record, dict(images))
        pages = documents.render_png(layout, dpi)
    except documents.DocumentError as exc:
        raise OnsiteError(f"现场笔录无法生成：{exc} / the on-site record cannot be made") from exc
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n, png in enumerate(pages, 1):
        path = folder / f"onsite-{record.reference or 'record'}-{n}.png"
        path.write_bytes(png)
        out.append(path)
    return out


def onsite_pdf(record: documents.InspectionRecord, images: Mapping[str, bytes]) -> bytes:
    """Return the 现场笔录 PDF of `record`. Raises OnsiteError."""
    try:
        return documents.render_pdf(documents.onsite_record(record, dict(images)))
    except documents.DocumentError as exc:
        raise OnsiteError(f"现场笔录无法生成：{exc} / the on-site record cannot be made") from exc
