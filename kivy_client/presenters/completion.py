"""完成检查: check what is missing (offline), show the summary and the 现场笔录 as it will
print, warn about legal labels, collect the signatures drawn on the screen (the officers —
two for sampling — and the party, or the party's refusal with a witness or a photo), then
complete: signatures bound to the record hash the party read, the inspection locked, the
signed 现场笔录 PDF kept on the tablet.

    done = CompletionPresenter(store, inspection_presenter, profile=OfficerProfile.load(store))
    done.begin()                      # problems, summary, preview pages, legal labels
    done.sign("officer:0", strokes); done.sign("party", strokes)   # or done.refuse(...)
    done.finish()                     # -> path of the signed PDF
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import documents
from device import DeviceError, DeviceTasks, InvalidRecord
from device.completion import (
    DEFAULT_POLICY,
    EvidencePolicy,
    Problem,
    Signature,
    Summary,
    complete_inspection,
    completeness,
)
from kivy_client.presenters.base import InlineRunner, Observable, PresenterError, readable
from kivy_client.presenters.inspection import InspectionPresenter
from kivy_client.presenters.onsite import Officer as OfficerEntry
from kivy_client.presenters.onsite import (
    OfficerProfile,
    OnsiteError,
    PartyDetails,
    load_images,
    onsite_input,
    onsite_pdf,
    preview_pages,
)
from kivy_client.services.signatures import SignatureError, save_signature, strokes_png

__all__ = ["CompletionPresenter", "OfficerEntry"]

IDLE, CHECKING, READY, DONE = "idle", "checking", "ready", "done"


class CompletionPresenter(Observable):
    """State: `state` (idle/checking/ready/done), `problems`, `summary`, `pages` (PNG
    paths of the preview), `labels` (legal labels found), `officers` (the second and
    further officers), `party`, `signatures` (slot -> Signature), `pdf` (the signed PDF),
    `message`."""

    def __init__(self, store, inspection: InspectionPresenter, *, profile: OfficerProfile | None = None,
                 policy: EvidencePolicy = DEFAULT_POLICY, folder: str | Path | None = None,
                 runner: InlineRunner | None = None, now: Callable[[], datetime] | None = None):
        super().__init__()
        self.store, self.inspection = store, inspection
        self._profile = profile
        self.policy = policy
        self.folder = Path(folder) if folder else Path(store.path).parent / "documents"
        self.runner = runner or InlineRunner()
        self.now = now or (lambda: datetime.now(UTC))
        self.tasks = DeviceTasks(store, inspection.records)
        self._clear()

    def _clear(self) -> None:
        self.state, self.message = IDLE, ""
        self.problems: tuple[Problem, ...] = ()
        self.summary: Summary | None = None
        self.pages: list[Path] = []
        self.labels: tuple[documents.FieldLabelHit, ...] = ()
        self.officers: list[OfficerEntry] = []
        self.party = PartyDetails()
        self.orders: list[dict[str, Any]] = []
        self.sampling = False
        self.signatures: dict[str, Signature] = {}
        self._images: dict[str, str] = {}           # drawn image path -> sha256
        self.pdf: Path | None = None

    @property
    def profile(self) -> OfficerProfile:
        """The officer using the tablet (re-read each time: Settings may change it)."""
        return self._profile or OfficerProfile.load(self.store)

    @property
    def inspection_id(self) -> str | None:
        """The inspection being completed."""
        return self.inspection.inspection_id

    # ---- the record the party reads --------------------------------------------------

    def begin(self) -> None:
        """Start completing the open inspection: the end time is recorded (once), its
        officers, party details and type are read back, then `refresh()`. Raises
        PresenterError when no inspection is open or it is completed already."""
        if self.inspection_id is None:
            raise self._error("请先打开一项检查 / open an inspection first")
        if self.inspection.locked:
            raise self._error("该检查已完成 / the inspection is completed already")
        kept = {"officers": self.officers, "party": self.party}
        self._clear()
        data = self._data()
        self.officers = [OfficerEntry(o.get("name", ""), o.get("certificate_no", ""))
                         for o in (data.get("officers") or [])[1:]] or kept["officers"]
        self.party = PartyDetails.of(data.get("party")) if data.get("party") else kept["party"]
        self.sampling = data.get("inspection_type") == "sampling"
        self.orders = self.tasks.document_orders(self.inspection_id)
        if not data.get("ended_at"):
            self._edit(ended_at=self.now().isoformat(timespec="seconds"))
        self.refresh()

    def _data(self) -> dict[str, Any]:
        return self.store.records.get("inspection", self.inspection_id)["data"]

    def _edit(self, **changes: Any) -> None:
        try:
            self.inspection.records.edit_inspection(self.inspection_id, **changes)
        except DeviceError as exc:
            raise self._error(readable(exc)) from exc

    def refresh(self) -> None:
        """Re-check completeness, the summary, the legal labels and the preview pages (a
        change of the record throws away the signatures drawn on the older one)."""
        self.state = CHECKING
        self.summary = Summary.of(self.store, self.inspection_id, self.policy, self.inspection.kinds())
        self.problems = completeness(self.store, self.inspection_id, self.policy, self.inspection.kinds())
        if self.signatures and any(s for s in self.signatures.values()):
            self.message = "记录已更改，请重新签名 / the record changed: sign again"
        self.signatures, self._images = {}, {}
        self.pages, self.labels = [], ()
        try:
            record = self._record()
            self.labels = documents.check_record(record)
            self.pages = preview_pages(record, load_images(self.store), self.folder / "preview")
        except (OnsiteError, documents.DocumentError) as exc:
            self.problems = (*self.problems, Problem("field", self.inspection_id, readable(exc)))
        self.state = READY
        self.notify()

    def _record(self, signatures: Sequence[Signature] = ()) -> documents.InspectionRecord:
        return onsite_input(self.store, self.inspection_id, self.profile, officers=self.officers,
                            signatures=signatures, signature_images=self._images, orders=self.orders,
                            record_hash=self.summary.record_hash if self.summary else None)

    def update(self, *, party: PartyDetails | None = None, officers: list[OfficerEntry] | None = None,
               sampling: bool | None = None, situation: str | None = None,
               orders: list[dict[str, Any]] | None = None) -> None:
        """Change what the 现场笔录 says (party details and opinion, the other officers,
        sampling or not, 现场情况, orders to correct); the inspection is edited (a new
        version) and the preview made again. Raises PresenterError."""
        changes: dict[str, Any] = {}
        if party is not None:
            self.party = party
            changes["party"] = party.to_data() or None
        if officers is not None:
            self.officers = [o for o in officers if o.name.strip() or o.certificate_no.strip()]
        if officers is not None or "officers" not in self._data():
            me = self.profile
            changes["officers"] = [{"name": p.name.strip(), "certificate_no": p.certificate_no.strip()}
                                   for p in (OfficerEntry(me.name, me.certificate_no), *self.officers)]
        if sampling is not None:
            self.sampling = sampling
            changes["inspection_type"] = "sampling" if sampling else "inspection"
        if situation is not None:
            changes["note"] = situation.strip() or None
        data = self._data()
        changes = {k: v for k, v in changes.items() if data.get(k) != v}
        if changes:
            self._edit(**changes)
        if orders is not None:
            self._order([o for o in orders if str(o.get("text") or "").strip()])
        self.refresh()

    def _order(self, orders: list[dict[str, Any]]) -> None:
        """The order to correct (责令改正) as the order entity of the enforcement cycle
        (device.tasks): issued on the inspection's failed findings, pushed at the next sync,
        printed on the 现场笔录. Raises PresenterError (no failed finding, no deadline)."""
        if not orders:
            return
        order = orders[0]
        summary = Summary.of(self.store, self.inspection_id, self.policy, self.inspection.kinds())
        failed = [line.id for line in summary.findings if line.outcome == "fail"]
        if not failed:
            raise self._error("责令改正须针对不合格的检测结果 / an order to correct needs a failed finding")
        if not order.get("deadline"):
            raise self._error("请填写整改期限 / enter the deadline of the order")
        try:
            deadline = date.fromisoformat(str(order["deadline"]))
        except ValueError as exc:
            raise self._error("整改期限请按 YYYY-MM-DD 填写 / the deadline reads YYYY-MM-DD") from exc
        if deadline < self.now().date():
            raise self._error("整改期限不能早于今天 / the deadline cannot be before today")
        try:
            self.tasks.set_order(self.inspection_id, failed, str(order["text"]).strip(), deadline)
        except DeviceError as exc:
            raise self._error(readable(exc)) from exc
        self.orders = self.tasks.document_orders(self.inspection_id)

    # ---- signatures ---------------------------------------------------------------------

    def slots(self) -> list[tuple[str, str]]:
        """Return (slot, label) of every signature the record needs: each officer, the party."""
        needed = max(self.policy.officers_needed(self._data()), 1 + len(self.officers))
        me = self.profile
        names = [me.name, *(o.name for o in self.officers)]
        out = [(f"officer:{n}", f"执法人员 {names[n] if n < len(names) else n + 1}") for n in range(needed)]
        return [*out, ("party", "当事人")]

    def sign(self, slot: str, strokes: Sequence[Sequence[tuple[float, float]]]) -> Signature:
        """Keep the signature drawn in `slot` ("officer:N", "party", "witness") as a PNG.
        Raises PresenterError when too little was drawn or the slot is unknown."""
        try:
            path = save_signature(strokes_png(strokes), self.folder / "signatures")
        except (SignatureError, OSError) as exc:
            raise self._error(readable(exc)) from exc
        self._images[str(path)] = path.stem
        if slot.startswith("officer:"):
            n = int(slot.split(":", 1)[1])
            me = self.profile
            people = [OfficerEntry(me.name, me.certificate_no), *self.officers]
            if n >= len(people):
                raise self._error("请先填写该执法人员的姓名和执法证号 / enter the officer first")
            sig = Signature("officer", people[n].name, path, signer_number=people[n].certificate_no)
        elif slot == "party":
            name = self.party.on_site_person or self.party.legal_representative or self._data().get("company_name")
            sig = Signature("party", name or "", path)
        elif slot == "witness":
            refusal = self.signatures.get("party")
            if refusal is None or not refusal.refused:
                raise self._error("见证人签名只用于当事人拒签 / a witness signs only for a refusal")
            sig = Signature("party", refusal.signer_name, refused=True, refusal_note=refusal.refusal_note,
                            witness_name=refusal.witness_name, witness_image=path,
                            evidence_photo=refusal.evidence_photo)
            slot = "party"
        else:
            raise self._error(f"未知的签名位置 {slot} / unknown slot")
        self.signatures[slot] = sig
        self.message = ""
        self.notify()
        return sig

    def refuse(self, note: str = "", *, witness_name: str = "", photo: str | Path | None = None) -> Signature:
        """The party refuses to sign: recorded with a witness (then `sign("witness", …)`)
        and/or a photo of the refusal (attached to the inspection). Raises PresenterError."""
        sha = None
        if photo is not None:
            sha = self.inspection.attach_photo(photo, self.inspection_id) if not self.inspection.locked else None
        name = self.party.on_site_person or self.party.legal_representative or self._data().get("company_name") or ""
        sig = Signature("party", name, refused=True, refusal_note=note.strip() or "当事人拒绝签名",
                        witness_name=witness_name.strip() or None, evidence_photo=sha)
        self.signatures["party"] = sig
        self.notify()
        return sig

    def missing(self) -> tuple[Problem, ...]:
        """Everything still missing, signatures included."""
        if self.inspection_id is None:
            return ()
        return completeness(self.store, self.inspection_id, self.policy, self.inspection.kinds(),
                            list(self.signatures.values()))

    # ---- completing ---------------------------------------------------------------------

    def finish(self) -> Path:
        """Complete the inspection (signatures and the lock in one transaction) and write the
        signed 现场笔录 PDF; return its path. Raises PresenterError naming the first problem."""
        if self.summary is None:
            raise self._error("请先检查完整性 / check the record first")
        signatures = list(self.signatures.values())
        try:
            complete_inspection(self.inspection.records, self.inspection_id, signatures,
                                expected_hash=self.summary.record_hash, policy=self.policy,
                                kinds=self.inspection.kinds(), now=self.now())
        except (InvalidRecord, DeviceError) as exc:
            raise self._error(readable(exc)) from exc
        images = load_images(self.store)
        try:
            record = self._record(signatures)
            pdf = onsite_pdf(record, images)
            self.pages = preview_pages(record, images, self.folder / "signed")
        except (OnsiteError, documents.DocumentError) as exc:
            self.inspection.refresh_locked()
            raise self._error(f"检查已完成，但现场笔录未能生成：{readable(exc)}") from exc
        self.folder.mkdir(parents=True, exist_ok=True)
        self.pdf = self.folder / f"现场笔录-{self.inspection_id}.pdf"
        self.pdf.write_bytes(pdf)
        self.state = DONE
        self.message = "检查已完成并锁定，现场笔录已保存 / completed and locked; the on-site record is saved"
        self.inspection.refresh_locked()
        self.notify()
        return self.pdf

    def _error(self, message: str) -> PresenterError:
        self.message = message
        self.notify()
        return PresenterError(message)
