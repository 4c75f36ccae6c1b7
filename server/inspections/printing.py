"""Printed records of one inspection from the console: the server's rows turned into the
`documents` input model (the generator the tablet uses), the photos and signatures read
from the blob store, and the `exported` event written for every document handed out."""
from __future__ import annotations

from datetime import date, datetime, time

import documents
from server.accounts import service as accounts
from server.catalog import service as catalog
from server.evidence import service as evidence
from server.inspections import present
from server.inspections.review import get_inspection
from server.inspections.signatures import signatures_of
from server.kernel.auth import Principal
from server.kernel.console import LOCAL_TZ
from server.kernel.errors import ValidationFailed
from server.photos import service as photo_service

DOCUMENTS = {"onsite": documents.onsite_record, "report": documents.inspection_report}
#: shown instead of a certificate number the tablet did not send (never invented)
NO_CERTIFICATE = "（未登记）"
#: division names that are not part of an authority's name
NOT_IN_NAME = ("市辖区", "县", "省直辖县级行政区划")


def authority_name(path: str | None) -> str:
    """Return the 执法机关 of a jurisdiction path: "北京市朝阳区市场监督管理局" for
    /110000/110100/110105/ (the city when it has a name of its own, else the province,
    then the district). Raises nothing."""
    codes = [c for c in (path or "").strip("/").split("/") if c]
    names = accounts.jurisdiction_names(codes)
    parts = [names.get(c, "") for c in codes]
    parts = [p for p in parts if p and p not in NOT_IN_NAME and not p.endswith("市辖区")]
    if len(parts) >= 3:
        parts = parts[-2:]
    return "".join(parts) + "市场监督管理局"


def _moment(value, day: date) -> datetime:
    if value:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            moment = None
        if moment is not None:
            return moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment
    return datetime.combine(day, time(9, 0))


def _position(value) -> documents.Position | None:
    if not isinstance(value, dict):
        return None
    try:
        accuracy = value.get("accuracy") or value.get("accuracy_m")
        return documents.Position(float(value["lat"]), float(value["lon"]),
                                  float(accuracy) if accuracy not in (None, "") else None)
    except (KeyError, TypeError, ValueError):
        return None


def build_record(detail: dict, path: str | None, inspector_name: str | None = None) -> documents.InspectionRecord:
    """Return the documents input of an inspection detail (get_inspection's dict). Raises
    documents.InputError when the stored record lacks what a printed record needs."""
    day = date.fromisoformat(detail["inspected_on"])
    inspector = inspector_name or detail.get("inspector")
    latest = [g["latest"] for g in present.group_findings(detail.get("findings") or [])]
    info = catalog.indicator_info([f["indicator_id"] for f in latest])
    products = present.products_of(detail)
    product = "、".join(p.get("name") or p.get("gtin") or "" for p in products if p.get("name") or p.get("gtin"))
    findings = []
    for f in latest:
        ind = info.get(f["indicator_id"], {})
        device = present.outcome_of(f.get("device_verdict"))
        server = present.outcome_of(f.get("server_verdict"))
        limit = (f.get("server_verdict") or {}).get("limit_text") if isinstance(f.get("server_verdict"), dict) else None
        findings.append(documents.Finding(
            indicator=ind.get("name") or f["indicator_id"], limit=limit or ind.get("limit") or "—",
            measured=f.get("measured") or "—", verdict=device or server or "inconclusive", unit=f.get("unit"),
            standard=ind.get("edition_id"), clause=ind.get("clause"), product=product or None, id=f["id"],
            ruleset_version=f.get("ruleset_version"), server_verdict=server,
            server_ruleset_version=f.get("server_ruleset_version"), note=f.get("note")))
    signed_officers = tuple(documents.Officer(sig.get("signer_name") or inspector or "—",
                                              sig.get("signer_number") or NO_CERTIFICATE)
                            for sig in detail.get("signatures") or ()
                            if isinstance(sig, dict) and sig.get("role") == "officer" and not sig.get("refused"))
    officers = signed_officers or tuple(documents.Officer(o.get("name") or inspector or "—",
                                       o.get("certificate_no") or NO_CERTIFICATE)
                     for o in detail.get("officers") or () if isinstance(o, dict)) \
        or (documents.Officer(inspector or "—", detail.get("certificate_no") or NO_CERTIFICATE),)
    photos = []
    for f in latest:
        photos += [documents.Photo(sha, finding_id=f["id"], caption=info.get(f["indicator_id"], {}).get("name"),
                                   inspector=inspector) for sha in f.get("photos") or ()]
    named = {p.sha256 for p in photos}
    photos += [documents.Photo(sha, inspector=inspector) for sha in detail.get("photos") or ()
               if sha not in named]
    party = documents.Party(
        name=detail.get("company_name") or "—", credit_code=detail.get("credit_code"),
        address=detail.get("address"), legal_representative=detail.get("legal_representative"),
        phone=detail.get("phone"), on_site_person=detail.get("on_site_person"),
        on_site_role=detail.get("on_site_role"))
    return documents.InspectionRecord(
        authority=detail.get("authority") or authority_name(path),
        started_at=_moment(detail.get("started_at"), day),
        ended_at=_moment(detail.get("ended_at"), day) if detail.get("ended_at") else None,
        place=documents.Place(detail.get("address") or "—", _position(detail.get("position"))),
        officers=officers, party=party, situation=detail.get("situation") or detail.get("note") or "",
        findings=tuple(findings), orders=tuple(_orders(detail.get("orders"))), photos=tuple(photos),
        signatures=tuple(_signatures(detail.get("signatures"))), party_opinion=detail.get("party_opinion"),
        record_hash=detail.get("record_hash") or next(
            (sig.get("record_hash") for sig in detail.get("signatures") or () if isinstance(sig, dict)), None),
        reference=detail["id"])


def _orders(items) -> list[documents.Order]:
    out = []
    for item in items or ():
        if isinstance(item, dict) and item.get("text"):
            deadline = item.get("deadline")
            out.append(documents.Order(item["text"], date.fromisoformat(deadline) if deadline else None))
    return out


def _signatures(items) -> list[documents.Signature]:
    """The stored signatures (server/inspections/signatures.py shape) as documents'."""
    out = []
    for item in items or ():
        if not isinstance(item, dict) or item.get("role") not in documents.model.ROLES:
            continue
        name = item.get("signer_name") or item.get("name") or item.get("witness_name") or "—"
        signed = item.get("signed_at")
        out.append(documents.Signature(
            role=item["role"], name=name, image=None if item.get("refused") else item.get("image"),
            signed_at=datetime.fromisoformat(signed) if signed else None, refused=bool(item.get("refused")),
            refusal_reason=item.get("refusal_note") or item.get("refusal_reason"),
            witness_name=item.get("witness_name"),
            refusal_photo=item.get("evidence_photo") or item.get("refusal_photo")))
    return out


def _image_reader(principal: Principal):
    store = photo_service.blob_store()

    def read(sha256: str) -> bytes | None:
        try:
            photo = photo_service.get_photo(principal, sha256, original=True)
        except photo_service.PhotoError:
            return None
        return store.get(photo_service.blob_key("original", photo.sha256))

    return read


def render(principal: Principal, inspection_id: str, kind: str) -> tuple[bytes, dict]:
    """Return (the PDF of document `kind` — "onsite" 现场笔录 | "report" 现场检查报告 — of an
    inspection the caller may see, its detail) and write the `exported` event.

    Raises NotFound (unknown or outside the subtree), ValidationFailed (unknown kind, or a
    stored record the generator refuses: the field is named)."""
    if kind not in DOCUMENTS:
        raise ValidationFailed("document_kind", kind=kind)
    detail = get_inspection(principal, inspection_id)
    if not detail.get("signatures"):
        detail["signatures"] = signatures_of(inspection_id)
    path = accounts.jurisdiction_path(detail.get("jurisdiction") or "")
    try:
        name = accounts.display_names([detail.get("inspector_id")]).get(detail.get("inspector_id"))
        record = build_record(detail, path, name)
        layout = DOCUMENTS[kind](record, _image_reader(principal))
    except documents.InputError as exc:
        raise ValidationFailed("document_input", field=exc.field) from exc
    except documents.ImageError as exc:
        raise ValidationFailed("document_image", photo=exc.sha256[:12]) from exc
    pdf = documents.render_pdf(layout)
    evidence.append_event("exported", actor=principal.username, record_type="inspection", record_id=inspection_id,
                          details={"document": kind, "format": "pdf", "pages": len(layout.pages),
                                   "version": detail["version"]})
    return pdf, detail
