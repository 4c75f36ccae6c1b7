"""An inspection on the tablet: the form, the indicators that apply to the scanned
product (key first) with the input each one takes, values judged ON THE SPOT with the
same rules code as the server, findings by indicator and sample, corrections as new
revisions of the finding the officer chose, time and place, watermarked evidence photos
and questions about a clause."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from device import (
    DeviceError,
    DeviceRecords,
    DeviceStore,
    DeviceTasks,
    DuplicateFinding,
    Resolution,
    catalog_judge,
    entry_spec,
    is_completed,
    local_catalog,
    resolve_scan,
)
from kivy_client.presenters.base import Observable, PresenterError, readable
from kivy_client.presenters.evidence import PhotoView, camera_dir, capture_source, photo_views
from kivy_client.presenters.fields import check_credit_code, check_gtin
from kivy_client.presenters.findings import DuplicatePrompt, FindingView, IndicatorRow, finding_view
from kivy_client.services.location import NO_POSITION, Fix, LocationService, NoLocation
from kivy_client.services.photos import PhotoPipelineError, WatermarkInfo, process_photo
from rules.editions import applicable_indicators
from rules.errors import UnknownEdition

__all__ = ["DuplicatePrompt", "FindingView", "IndicatorRow", "InspectionPresenter"]

FORM_FIELDS = ("company_name", "credit_code", "address", "site", "gtin", "batch", "product_name", "product_class")


class InspectionPresenter(Observable):
    """State: `inspection_id`, `form`, `indicators`, `selected` (IndicatorRow), `chosen`
    (the FindingView a correction goes to), `findings` (id -> FindingView), `duplicate`
    (a DuplicatePrompt waiting for the officer), `locked`, `position` (Fix or None),
    `message` (the last readable error or note)."""

    def __init__(self, store: DeviceStore, *, inspector: str | Callable[[], str] = "",
                 photo_dir: str | Path | None = None, camera_folder: str | Path | None = None,
                 today: Callable[[], date] = date.today, now: Callable[[], datetime] = datetime.now,
                 location: LocationService | None = None):
        super().__init__()
        self.store = store
        self.records = DeviceRecords(store, judge=catalog_judge(store))
        self._inspector = inspector
        self.photo_dir = Path(photo_dir) if photo_dir else Path(store.path).parent / "photos"
        self.camera_folder = camera_dir(camera_folder)
        self.today, self.now = today, now
        self.location = location or NoLocation()
        self.inspection_id: str | None = None
        self.form: dict[str, str] = {}
        self.product: dict[str, Any] | None = None
        self.standards: list[dict[str, Any]] = []
        self.indicators: list[IndicatorRow] = []
        self.selected: IndicatorRow | None = None
        self.chosen: FindingView | None = None
        self.findings: dict[str, FindingView] = {}
        self.duplicate: DuplicatePrompt | None = None
        self.locked = False
        self.message = ""
        #: the task (双随机 target, 回头看) the next inspection is started from, or None
        self.task: dict[str, Any] | None = None
        self.tasks = DeviceTasks(store, self.records)

    # ---- who and where -------------------------------------------------------------

    @property
    def inspector(self) -> str:
        """The officer's name for watermarks: the one given, else the enrolled user's
        (read now, so a tablet enrolled in this session has it at once)."""
        given = self._inspector() if callable(self._inspector) else self._inspector
        if given:
            return given
        user = (self.store.state.credentials() or {}).get("user") or {}
        return user.get("display_name") or user.get("username") or ""

    @property
    def position(self) -> Fix | None:
        """The best recent fix of the location service, or None."""
        return self.location.best(self._utc_now())

    def position_text(self) -> str:
        """The place line for the screen: the fix with its accuracy, or why there is none."""
        fix = self.position
        return fix.label() if fix else (self.location.message or NO_POSITION)

    def _utc_now(self) -> datetime:
        moment = self.now()
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)

    # ---- the product and its indicators --------------------------------------------

    @property
    def last(self) -> FindingView | None:
        """The finding shown in the verdict card: the chosen one."""
        return self.chosen

    def use_resolution(self, resolution: Resolution | None) -> None:
        """Take the product of a scan: a new inspection's form prefilled, its indicators listed."""
        if resolution is None or not resolution.product:
            return
        product = resolution.product
        task = self.task
        self._reset()
        self.task = task
        self.product, self.standards = product, list(resolution.standards)
        self.form = {k: v for k, v in {
            "company_name": product.get("company_name") or "", "credit_code": product.get("credit_code") or "",
            "gtin": product.get("gtin") or "", "batch": resolution.lot or "",
            "product_name": product.get("name") or "", "product_class": product.get("product_class") or "",
        }.items()}
        if task is not None:    # the party is the task's enterprise (a shop may sell others' products)
            self.form.update({k: str(v) for k, v in self.tasks.prefill(task["id"]).items()
                              if v and k in FORM_FIELDS})
        self.indicators = self._indicators(product, self.standards)
        self.notify()

    def use_task(self, task_id: str | None) -> None:
        """Start the next inspection from a task (its enterprise prefilled, its id carried);
        None: from no task. Raises PresenterError for a task the device does not hold."""
        try:
            self.task = self.tasks.task(task_id) if task_id else None
        except DeviceError as exc:
            raise self._error(readable(exc)) from exc
        self.notify()

    def _reset(self) -> None:
        self.inspection_id, self.form, self.product, self.standards = None, {}, None, []
        self.indicators, self.selected, self.chosen, self.findings = [], None, None, {}
        self.duplicate, self.locked, self.message = None, False, ""

    def _indicators(self, product: dict[str, Any], views: list[dict[str, Any]]) -> list[IndicatorRow]:
        catalog = local_catalog(self.store.catalog, [v["code"] for v in views if v.get("known")])
        rows: list[IndicatorRow] = []
        for view in views:
            if not view.get("known") or not view.get("edition"):
                continue
            try:
                edition = catalog.edition(view["edition"])
            except UnknownEdition:
                continue
            category = (view.get("category") or {}).get("id")
            classes = [c["id"] for c in view.get("classes") or ()]
            cls = classes[0] if classes else (product.get("product_class") or None)
            for ind in applicable_indicators(edition, category, cls):
                spec = entry_spec(ind)
                rows.append(IndicatorRow(ind.id, ind.edition_id, ind.clause, ind.name, ind.name_en, ind.limit,
                                         ind.unit, ind.key, ind.test_method, spec.units, ind.kind, spec,
                                         not ind.confirmed))
        seen: dict[str, IndicatorRow] = {}
        for row in rows:
            seen.setdefault(row.id, row)
        return sorted(seen.values(), key=lambda r: (not r.key, r.edition_id, r.clause))

    def kinds(self) -> dict[str, str]:
        """Return indicator id -> kind of this product's indicators (for the evidence policy)."""
        return {r.id: r.kind for r in self.indicators}

    def select(self, indicator_id: str) -> IndicatorRow:
        """Choose the indicator a value will be entered for; its sample-1 finding (if any)
        becomes the chosen one. Raises PresenterError if unknown."""
        row = next((r for r in self.indicators if r.id == indicator_id), None)
        if row is None:
            raise PresenterError(f"该产品没有此指标 / not an indicator of this product: {indicator_id}")
        self.selected, self.duplicate = row, None
        mine = [f for f in self.findings.values() if f.indicator_id == indicator_id]
        self.chosen = mine[0] if mine else None
        self.notify()
        return row

    def choose_finding(self, finding_id: str) -> FindingView:
        """Choose the finding a correction goes to (and select its indicator). Raises PresenterError."""
        view = self.findings.get(finding_id)
        if view is None:
            raise self._error("没有该检测结果 / unknown finding")
        self.chosen, self.duplicate = view, None
        self.selected = next((r for r in self.indicators if r.id == view.indicator_id), self.selected)
        self.notify()
        return view

    # ---- the inspection ---------------------------------------------------------------

    def start(self, **form: str) -> str:
        """Save the form: create the inspection (with its start time and position), or, when
        one is open, edit it (a new version of the same inspection). Return its id. Raises
        PresenterError naming the bad field, or when the inspection is completed."""
        merged = {**self.form, **{k: (v or "").strip() for k, v in form.items()}}
        if not merged.get("company_name"):
            raise self._error("请填写企业名称 / enter the enterprise name")
        try:
            merged["credit_code"] = check_credit_code(merged.get("credit_code", ""))
            gtin = check_gtin(merged.get("gtin", ""))
        except PresenterError as exc:
            raise self._error(exc.message) from exc
        fields = {k: merged.get(k) or None for k in FORM_FIELDS}
        fields["gtin"] = gtin
        if self.product and self.product.get("category"):
            fields["category"] = self.product["category"]
        try:
            if self.inspection_id is None:
                fields["started_at"] = self._utc_now().isoformat(timespec="seconds")
                fix = self.position
                if fix is not None:
                    fields["position"] = fix.position()
                given = {k: v for k, v in fields.items() if v is not None}
                if self.task is not None:
                    self.inspection_id = self.tasks.start_inspection(self.task["id"], self.today(), **given)
                    self.task = None
                else:
                    self.inspection_id = self.records.create_inspection(self.today(), **given)
                self.findings, self.chosen = {}, None
            else:
                current = self.store.records.get("inspection", self.inspection_id)["data"]
                changes = {k: v for k, v in fields.items() if (current.get(k) or None) != v}
                if changes:
                    self.records.edit_inspection(self.inspection_id, **changes)
        except DeviceError as exc:
            raise self._error(f"无法保存检查记录：{readable(exc)}") from exc
        self.form = {k: v or "" for k, v in merged.items()}
        self.message = ""
        self.notify()
        return self.inspection_id

    def new_inspection(self) -> None:
        """Close the open inspection (the form stays prefilled for the same product)."""
        form, product, standards, indicators = dict(self.form), self.product, self.standards, self.indicators
        self._reset()
        self.form, self.product, self.standards, self.indicators = form, product, standards, indicators
        self.notify()

    def delete_draft(self) -> None:
        """Delete the open inspection when it never left the device. Raises PresenterError."""
        if self.inspection_id is None:
            raise self._error("没有打开的检查 / no inspection open")
        try:
            self.records.delete_draft(self.inspection_id)
        except DeviceError as exc:
            raise self._error(readable(exc)) from exc
        self._reset()
        self.message = "草稿已删除 / draft deleted"
        self.notify()

    # ---- findings ---------------------------------------------------------------------

    def record(self, measured: str, unit: str | None = None, *, note: str | None = None,
               claimed_grade: str | None = None, sample: int = 1) -> FindingView | None:
        """Record a value for the selected indicator (product sample `sample`) and return
        the finding with its provisional verdict. When that sample already has a finding,
        nothing is recorded: `duplicate` asks the officer (answer with `resolve_duplicate`)
        and None is returned. Raises PresenterError (no inspection, no indicator, a value
        the field refuses) — nothing is recorded then."""
        if self.inspection_id is None:
            raise self._error("请先保存检查信息 / start the inspection first")
        if self.selected is None:
            raise self._error("请先选择指标 / choose an indicator first")
        try:
            finding_id = self.records.add_finding(self.inspection_id, self.selected.id, measured, unit,
                                                  note=note or None, sample=sample,
                                                  claimed_grade=claimed_grade or None)
        except DuplicateFinding as exc:
            self.duplicate = DuplicatePrompt(exc.finding_id, self.selected.id, exc.sample, exc.next_sample,
                                             (measured or "").strip(), unit, claimed_grade or None)
            self.chosen = self.findings.get(exc.finding_id, self.chosen)
            self.message = exc.message
            self.notify()
            return None
        except DeviceError as exc:
            raise self._error(readable(exc)) from exc
        return self._show(finding_id)

    def resolve_duplicate(self, choice: str) -> FindingView:
        """Answer the DuplicatePrompt: "correct" makes the value a correction of the existing
        finding, "sample" records it as the next sample. Raises PresenterError."""
        prompt = self.duplicate
        if prompt is None or choice not in ("correct", "sample"):
            raise self._error("没有待确认的结果 / nothing to decide")
        self.duplicate = None
        if choice == "correct":
            return self.correct(prompt.measured, prompt.unit, finding_id=prompt.finding_id,
                                claimed_grade=prompt.claimed_grade)
        view = self.record(prompt.measured, prompt.unit, claimed_grade=prompt.claimed_grade,
                           sample=prompt.next_sample)
        assert view is not None   # the next sample is free by construction
        return view

    def correct(self, measured: str, unit: str | None = None, *, finding_id: str | None = None,
                note: str | None = None, claimed_grade: str | None = None) -> FindingView:
        """Correct the chosen finding (or `finding_id`): a new revision superseding the
        current one, with a new verdict. Raises PresenterError when no finding is chosen or
        the value is refused."""
        target = self.findings.get(finding_id) if finding_id else self.chosen
        if target is None:
            raise self._error("请先在检测结果列表中选择要更正的结果 / choose the finding to correct")
        try:
            self.records.correct_finding(target.id, measured, unit or target.unit, note=note or target.note,
                                         claimed_grade=claimed_grade)
        except DeviceError as exc:
            raise self._error(f"无法更正：{readable(exc)}") from exc
        return self._show(target.id)

    def add_note(self, text: str, finding_id: str | None = None) -> FindingView:
        """Write the chosen finding's note (a new revision, same value). Raises PresenterError."""
        target = self.findings.get(finding_id) if finding_id else self.chosen
        if target is None:
            raise self._error("请先选择检测结果 / choose a finding first")
        if not (text or "").strip():
            raise self._error("请填写说明 / the note is empty")
        return self.correct(target.measured, target.unit, finding_id=target.id, note=text.strip())

    def _view(self, finding_id: str) -> FindingView:
        rec = self.store.records.get("finding", finding_id)
        server = ((rec.get("server_data") or {}).get("server_verdict") or {}).get("outcome")
        return finding_view(finding_id, rec["data"], self.store.records.revisions(finding_id), server)

    def _show(self, finding_id: str) -> FindingView:
        view = self._view(finding_id)
        self.findings[finding_id] = view
        self.chosen, self.message = view, ""
        self.notify()
        return view

    def ordered_findings(self) -> list[FindingView]:
        """The findings in the order they were first made."""
        if self.inspection_id is None:
            return []
        order = [fid for fid, _ in self.records.findings_of(self.inspection_id)]
        return [self.findings[f] for f in order if f in self.findings]

    def load(self, inspection_id: str) -> None:
        """Open an inspection kept on this device (e.g. a returned one, for correction): the
        form, the product's indicators (resolved offline from its GTIN) and its findings;
        saving the form then edits it, corrections append revisions. Raises PresenterError
        for an unknown inspection."""
        rec = self.store.records.get("inspection", inspection_id)
        if rec is None:
            raise self._error(f"没有该检查记录 / unknown inspection {inspection_id}")
        data = rec["data"]
        self._reset()
        self.task = None
        self.inspection_id, self.locked = inspection_id, is_completed(data)
        self.form = {k: str(data.get(k) or "") for k in FORM_FIELDS}
        if data.get("gtin"):
            try:
                on = date.fromisoformat(str(data.get("inspected_on")))
            except ValueError:
                on = self.today()
            found = resolve_scan(self.store.catalog, data["gtin"], on=on)
            if found.product:
                self.product, self.standards = found.product, list(found.standards)
                self.indicators = self._indicators(found.product, self.standards)
        self.findings = {fid: self._view(fid) for fid, _ in self.records.findings_of(inspection_id)}
        ordered = self.ordered_findings()
        self.chosen = ordered[-1] if ordered else None
        if self.chosen is not None:
            self.selected = next((r for r in self.indicators if r.id == self.chosen.indicator_id), None)
        self.notify()

    def refresh_locked(self) -> None:
        """Re-read whether the open inspection was completed (after the 完成检查 step); a
        question "correct or second sample?" left open is dropped then (no new sample after
        the lock)."""
        rec = self.store.records.get("inspection", self.inspection_id) if self.inspection_id else None
        self.locked = bool(rec and is_completed(rec["data"]))
        if self.locked:
            self.duplicate = None
        self.notify()

    # ---- photos and questions --------------------------------------------------------

    def watermark(self, record_id: str) -> WatermarkInfo:
        """Return what is burned into a photo of `record_id`: time, place (site or address,
        with the position when there is one), the officer, the record."""
        place = self.form.get("site") or self.form.get("address") or self.form.get("company_name") or ""
        fix = self.position
        if fix is not None:
            place = f"{place} {fix.label()}".strip()
        return WatermarkInfo(self.now(), place, self.inspector, record_id)

    def attach_photo(self, capture: str | Path | bytes, record_id: str | None = None) -> str:
        """Watermark a capture, save it and attach it to the finding/inspection `record_id`
        (default: the chosen finding, else the inspection); return the photo's SHA-256.
        Raises PresenterError."""
        target = record_id or (self.chosen.id if self.chosen else self.inspection_id)
        if target is None:
            raise self._error("请先保存检查信息 / start the inspection first")
        try:
            path = process_photo(capture, self.watermark(target)).save(self.photo_dir)
        except (PhotoPipelineError, OSError) as exc:
            raise self._error(f"照片无法保存：{readable(exc)}") from exc
        return self.attach_saved(path, target)

    def attach_saved(self, path: Path, target: str) -> str:
        """Attach a photo the pipeline saved at `path` to `target` (a finding or the
        inspection) and show it; return its SHA-256. Raises PresenterError."""
        try:
            sha = self.records.attach_photo(target, path)
        except (DeviceError, OSError) as exc:
            raise self._error(f"照片无法保存：{readable(exc)}") from exc
        if target in self.findings:
            self._show(target)
        else:
            self.message = f"照片已附加 / photo attached ({sha[:8]})"
            self.notify()
        return sha

    def take_photo(self, path_text: str = "") -> str:
        """拍照/添加照片: the image at `path_text`, else the newest image in the camera folder,
        watermarked and attached to the chosen finding (else the inspection); return its
        SHA-256. Raises PresenterError (no inspection, no image, unreadable image)."""
        if self.inspection_id is None:
            raise self._error("请先保存检查信息 / start the inspection first")
        try:
            source = capture_source(path_text, self.camera_folder)
        except PresenterError as exc:
            raise self._error(exc.message) from exc
        return self.attach_photo(source, self.chosen.id if self.chosen else self.inspection_id)

    def photos(self) -> list[PhotoView]:
        """Return the photos attached to this inspection and its findings, with upload states."""
        if self.inspection_id is None:
            return []
        return photo_views(self.store.photos, [self.inspection_id, *self.findings])

    def ask(self, text: str, indicator_id: str | None = None) -> str:
        """Queue a question about the clause of `indicator_id` (default: the selected one);
        return its id. Raises PresenterError for an empty question."""
        row = next((r for r in self.indicators if r.id == indicator_id), None) if indicator_id else self.selected
        try:
            qid = self.records.ask_question(text, inspection_id=self.inspection_id,
                                            indicator_id=row.id if row else None,
                                            edition_id=row.edition_id if row else None,
                                            clause=row.clause if row else None)
        except DeviceError as exc:
            raise self._error(readable(exc)) from exc
        where = f"（{row.edition_id} 第{row.clause}条）" if row else ""
        self.message = (f"问题已保存{where}，下次同步时发送给专家；答复在“提问”页查看 / question saved{where}: "
                        f"sent at the next sync, answers under Questions")
        self.notify()
        return qid

    def _error(self, message: str) -> PresenterError:
        self.message = message
        self.notify()
        return PresenterError(message)
