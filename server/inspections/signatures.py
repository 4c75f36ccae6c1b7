"""The push handler of signatures (registered with server.syncing): a signature drawn on
the tablet at 完成检查, or the party's refusal with its witness or photo, is created once
and never edited. It is kept even when its record hash is not the server's own hash of
the inspection (the signer read the tablet's copy: nothing accepted is lost). Once the
inspection is completed on the server (its completion edit may come in a later batch), the
hash is compared with `sync.protocol.record_hash` of the stored inspection and the latest
revision of its findings, and `hash_matches` says what was found (None: not yet).

The images (the drawn signature, the witness's, a photo of a refusal) are photos named
by SHA-256: the tablet uploads them like any photo, and the evidence trail records which
signature references them.
"""
from __future__ import annotations

from sqlalchemy import select

from server.accounts import service as accounts
from server.inspections.models import Finding, Inspection, Signature
from server.inspections.push import STATE as INSPECTIONS_STATE
from server.inspections.push import check_can_edit
from server.inspections.records import emit, iso
from server.kernel import clock
from server.kernel.access import RECORD_WRITERS
from server.kernel.errors import ItemRejected
from server.kernel.extensions import db
from server.photos import service as photos
from server.syncing.service import ItemConflict, PushBatch
from sync.protocol import ErrorCode, PushItem
from sync.protocol.signing import record_hash

QUEUE = "new_signatures"
COMPLETING = "signatures_completing"
IMAGES = ("image", "witness_image", "evidence_photo")


def signature_json(row: Signature) -> dict:
    """Return the pull/API shape of a signature."""
    return {**row.data, "id": row.id, "inspection_id": row.inspection_id, "role": row.role,
            "record_hash": row.record_hash, "hash_matches": row.hash_matches, "refused": row.refused,
            "created_at": iso(row.created_at)}


def signatures_of(inspection_id: str) -> list[dict]:
    """Return the signatures of an inspection, officers first, in the order signed."""
    rows = db.session.execute(select(Signature).where(Signature.inspection_id == inspection_id)
                              .order_by(Signature.created_at, Signature.id)).scalars()
    order = {"officer": 0, "party": 1, "witness": 2}
    return sorted((signature_json(r) for r in rows), key=lambda s: order.get(s["role"], 3))


def current_hash(inspection: Inspection) -> str:
    """Return the record hash of a stored inspection and the latest revision of each of
    its findings (what a signature made now would sign)."""
    latest: dict[str, Finding] = {}
    for row in db.session.execute(select(Finding).where(Finding.inspection_id == inspection.id)).scalars():
        if row.id not in latest or row.revision > latest[row.id].revision:
            latest[row.id] = row
    findings = [{**f.data, "id": f.id, "revision": f.revision} for f in latest.values()]
    return record_hash({**inspection.data, "id": inspection.id,
                        "inspected_on": inspection.inspected_on.isoformat()}, findings)


class SignaturesPush:
    """Applies pushed signatures (the officer who owns the inspection, or a supervisor)."""

    entities = ("signature",)

    def prepare(self, batch: PushBatch, raw_items: list) -> None:
        """Note the inspections this batch may complete (their signatures are compared then)."""
        batch.state[COMPLETING] = {raw.get("id") for raw in raw_items if isinstance(raw, dict)
                                   and raw.get("entity") == "inspection" and isinstance(raw.get("data"), dict)
                                   and raw["data"].get("completed_at") and isinstance(raw.get("id"), str)}

    def apply(self, batch: PushBatch, item: PushItem) -> int:
        """Check a signature item and queue the new signature; returns 1. Raises
        ItemRejected (role, unknown or locked inspection), ItemConflict (it exists)."""
        principal = batch.principal
        if principal.role not in RECORD_WRITERS:
            raise ItemRejected("role_cannot_push", code=ErrorCode.FORBIDDEN, role=principal.role,
                               entity=item.entity)
        data = dict(item.values)
        if item.id in batch.queue(QUEUE):
            raise ItemConflict("signature_exists", 1, None)
        existing = db.session.get(Signature, item.id)
        if existing is not None:
            raise ItemConflict("signature_exists", 1, signature_json(existing))
        if item.base_version != 0:
            raise ItemConflict("no_signature", 0, None)
        state = batch.state.get(INSPECTIONS_STATE)
        inspection = state.inspection(data["inspection_id"]) if state is not None \
            else db.session.get(Inspection, data["inspection_id"])
        if inspection is None:
            raise ItemRejected(code=ErrorCode.UNKNOWN_INSPECTION)
        check_can_edit(batch, inspection)
        row = Signature(id=item.id, inspection_id=inspection.id, role=data["role"],
                        record_hash=data["record_hash"], hash_matches=None, refused=bool(data.get("refused")),
                        image_sha256=data.get("image"), data=data, author_id=principal.user_id,
                        created_at=clock.now())
        batch.add_object(row)
        batch.queue(QUEUE).append(row.id)
        return 1

    def finish(self, batch: PushBatch) -> None:
        """After the flush (the batch's findings and edits are stored): compare the hash of
        each new signature, and of every unconfirmed signature of an inspection completed in
        this batch, with the server's; emit them and record which photos they reference.
        Until its inspection is completed on the server a signature stays unchecked
        (`hash_matches` None): the tablet sends one edit of a record per batch, so the
        party's details and the end time may arrive after the signatures."""
        queued = sorted(set(batch.queue(QUEUE)))
        completing = sorted(batch.state.get(COMPLETING) or ())
        if not queued and not completing:
            return
        actor = accounts.usernames([batch.principal.user_id])[batch.principal.user_id]
        hashes: dict[str, str | None] = {}

        def server_hash(inspection: Inspection) -> str | None:
            if inspection.id not in hashes:
                hashes[inspection.id] = current_hash(inspection) if inspection.data.get("completed_at") else None
            return hashes[inspection.id]

        for ident in queued:
            row = db.session.get(Signature, ident)
            if row is None:
                continue
            inspection = db.session.get(Inspection, row.inspection_id)
            digest = server_hash(inspection)
            row.hash_matches = None if digest is None else digest == row.record_hash
            emit("signature", row.id, 1, signature_json(row), inspection)
            refs = [row.data[k] for k in IMAGES if row.data.get(k)]
            if refs:
                photos.record_attached(refs, record_type="signature", record_id=row.id, actor=actor)
        for inspection_id in completing:
            inspection = db.session.get(Inspection, inspection_id)
            digest = server_hash(inspection) if inspection is not None else None
            if digest is None:
                continue
            for row in db.session.execute(select(Signature).where(Signature.inspection_id == inspection_id,
                                                                  Signature.id.not_in(queued))).scalars():
                matches = digest == row.record_hash
                if row.hash_matches is not matches:
                    row.hash_matches = matches
                    emit("signature", row.id, 2, signature_json(row),
                         inspection)
        batch.queue(QUEUE).clear()
