"""An inspection on the tablet: the form, the indicators that apply to the scanned
product (key first), measured values judged ON THE SPOT with the same rules code as the
server (catalog_judge over the pulled catalog and interpretations), corrections as new
revisions, watermarked evidence photos and questions about a clause."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from device import (
    DeviceError,
    DeviceRecords,
    DeviceStore,
    Resolution,
    catalog_judge,
    local_catalog,
    resolve_scan,
)
from kivy_client.presenters.base import Observable, PresenterError, readable
from kivy_client.presenters.evidence import PhotoView, camera_dir, capture_source, photo_views
from kivy_client.presenters.fields import check_credit_code, check_gtin, unit_choices
from kivy_client.services.photos import PhotoPipelineError, WatermarkInfo, process_photo
from rules.editions import applicable_indicators
from rules.errors import RulesError, UnknownEdition
from rules.numbers import parse_measured


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator the product must meet, as the list shows it."""

    id: str
    edition_id: str
    clause: str
    name: str
    name_en: str | None
    limit: str
    unit: str | None
    key: bool
    test_method: str | None
    units: tuple[str, ...] = ()


@dataclass
class FindingView:
    """A recorded finding with its provisional verdict."""

    id: str
    indicator_id: str
    revision: int
    measured: str
    unit: str | None
    outcome: str                      # pass | fail | inconclusive
    steps: tuple[str, ...]
    limit_text: str
    compared_value: str | None
    ruleset_version: str | None
    reason: str | None
    interpretations: tuple[str, ...] = ()
    photos: list[str] = field(default_factory=list)


def _verdict_view(finding_id: str, data: dict[str, Any]) -> FindingView:
    verdict = data.get("device_verdict") or {}
    return FindingView(finding_id, data["indicator_id"], int(data.get("revision") or 1), data["measured"],
                       data.get("unit"), verdict.get("outcome") or "inconclusive",
                       tuple(verdict.get("steps") or ()), verdict.get("limit_text") or "",
                       verdict.get("compared_value"), data.get("ruleset_version"), verdict.get("reason"),
                       tuple(verdict.get("interpretation_ids") or ()), list(data.get("photos") or []))


class InspectionPresenter(Observable):
    """State: `inspection_id`, `form`, `indicators`, `selected`, `last` (FindingView),
    `findings` (id -> FindingView), `message` (the last readable error or note)."""

    def __init__(self, store: DeviceStore, *, inspector: str = "", photo_dir: str | Path | None = None,
                 camera_folder: str | Path | None = None, today: Callable[[], date] = date.today, now: Callable[[], datetime] = datetime.now):
        super().__init__()
        self.store = store
        self.records = DeviceRecords(store, judge=catalog_judge(store))
        self.inspector = inspector
        self.photo_dir = Path(photo_dir) if photo_dir else Path(store.path).parent / "photos"
        self.camera_folder = camera_dir(camera_folder)
        self.today, self.now = today, now
        self.inspection_id: str | None = None
        self.form: dict[str, str] = {}
        self.product: dict[str, Any] | None = None
        self.standards: list[dict[str, Any]] = []
        self.indicators: list[IndicatorRow] = []
        self.selected: IndicatorRow | None = None
        self.last: FindingView | None = None
        self.findings: dict[str, FindingView] = {}
        self.message = ""

    # ---- the product and its indicators --------------------------------------------

    def use_resolution(self, resolution: Resolution | None) -> None:
        """Take the product of a scan: prefill the form and list its indicators."""
        if resolution is None or not resolution.product:
            return
        product = resolution.product
        self.product, self.standards = product, list(resolution.standards)
        self.form.update({k: v for k, v in {
            "company_name": product.get("company_name") or "", "credit_code": product.get("credit_code") or "",
            "gtin": product.get("gtin") or "", "batch": resolution.lot or "",
            "product_name": product.get("name") or "", "product_class": product.get("product_class") or "",
        }.items() if v or k not in self.form})
        self.indicators = self._indicators(product, self.standards)
        self.selected = None
        self.notify()

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
                rows.append(IndicatorRow(ind.id, ind.edition_id, ind.clause, ind.name, ind.name_en, ind.limit,
                                         ind.unit, ind.key, ind.test_method, tuple(unit_choices(ind.unit))))
        seen: dict[str, IndicatorRow] = {}
        for row in rows:
            seen.setdefault(row.id, row)
        return sorted(seen.values(), key=lambda r: (not r.key, r.edition_id, r.clause))

    def select(self, indicator_id: str) -> IndicatorRow:
        """Choose the indicator a value will be entered for. Raises PresenterError if unknown."""
        for row in self.indicators:
            if row.id == indicator_id:
                self.selected = row
                self.notify()
                return row
        raise PresenterError(f"该产品没有此指标 / not an indicator of this product: {indicator_id}")

    # ---- the inspection ---------------------------------------------------------------

    def start(self, **form: str) -> str:
        """Create the inspection from the form (company name, credit code, address, GTIN,
        batch, product class); return its id. Raises PresenterError naming the bad field."""
        merged = {**self.form, **{k: (v or "").strip() for k, v in form.items()}}
        if not merged.get("company_name"):
            raise self._error("请填写企业名称 / enter the enterprise name")
        try:
            merged["credit_code"] = check_credit_code(merged.get("credit_code", ""))
            gtin = check_gtin(merged.get("gtin", ""))
        except PresenterError as exc:
            raise self._error(exc.message) from exc
        fields = {"company_name": merged["company_name"], "credit_code": merged["credit_code"],
                  "address": merged.get("address") or None, "gtin": gtin, "batch": merged.get("batch") or None,
                  "product_name": merged.get("product_name") or None,
                  "product_class": merged.get("product_class") or None}
        if self.product and self.product.get("category"):
            fields["category"] = self.product["category"]
        try:
            self.inspection_id = self.records.create_inspection(
                self.today(), **{k: v for k, v in fields.items() if v is not None})
        except DeviceError as exc:
            raise self._error(f"无法保存检查记录：{readable(exc)}") from exc
        self.form = {k: v or "" for k, v in merged.items()}
        self.findings, self.last, self.message = {}, None, ""
        self.notify()
        return self.inspection_id

    def record(self, measured: str, unit: str | None = None, *, note: str | None = None) -> FindingView:
        """Record a measured value for the selected indicator and return it with the
        provisional verdict. Raises PresenterError (no inspection, no indicator chosen,
        unreadable value or unit) — nothing is recorded then."""
        if self.inspection_id is None:
            raise self._error("请先保存检查信息 / start the inspection first")
        if self.selected is None:
            raise self._error("请先选择指标 / choose an indicator first")
        measured, unit = self._checked(measured, unit)
        try:
            finding_id = self.records.add_finding(self.inspection_id, self.selected.id, measured, unit, note=note)
        except DeviceError as exc:
            raise self._error(f"无法保存检测结果：{readable(exc)}") from exc
        return self._show(finding_id)

    def correct(self, finding_id: str, measured: str, unit: str | None = None) -> FindingView:
        """Correct a finding: a new revision with a new verdict (history stays). Raises PresenterError."""
        old = self.findings.get(finding_id)
        if old is None:
            raise self._error("没有该检测结果 / unknown finding")
        measured, unit = self._checked(measured, unit or old.unit, indicator_id=old.indicator_id)
        try:
            self.records.correct_finding(finding_id, measured, unit)
        except DeviceError as exc:
            raise self._error(f"无法更正：{readable(exc)}") from exc
        return self._show(finding_id)

    def _checked(self, measured: str, unit: str | None, indicator_id: str | None = None) -> tuple[str, str | None]:
        measured = (measured or "").strip()
        if not measured:
            raise self._error("请输入测量值 / enter the measured value")
        row = next((r for r in self.indicators if r.id == (indicator_id or self.selected.id)), None)
        unit = (unit or "").strip() or (row.unit if row else None)
        numeric = row is None or any(ch.isdigit() for ch in row.limit)
        if numeric and any(ch.isdigit() for ch in measured):
            try:
                parse_measured(measured)
            except RulesError as exc:
                raise self._error(f"测量值无法识别：{readable(exc)}") from exc
        if row and row.unit and unit and unit not in row.units:
            raise self._error(f"单位 {unit} 不能换算为 {row.unit} / unit cannot be converted")
        return measured, unit

    def _show(self, finding_id: str) -> FindingView:
        data = self.store.records.get("finding", finding_id)["data"]
        view = _verdict_view(finding_id, data)
        self.findings[finding_id] = view
        self.last, self.message = view, ""
        self.notify()
        return view

    def load(self, inspection_id: str) -> None:
        """Open an inspection kept on this device (e.g. a returned one, for correction): the
        form, the product's indicators (resolved offline from its GTIN) and its findings;
        corrections then append revisions. Raises PresenterError for an unknown inspection."""
        rec = self.store.records.get("inspection", inspection_id)
        if rec is None:
            raise self._error(f"没有该检查记录 / unknown inspection {inspection_id}")
        data = rec["data"]
        self.inspection_id = inspection_id
        self.form = {k: str(data.get(k) or "") for k in
                     ("company_name", "credit_code", "address", "gtin", "batch", "product_name", "product_class")}
        self.product, self.standards, self.indicators, self.selected = None, [], [], None
        if data.get("gtin"):
            try:
                on = date.fromisoformat(str(data.get("inspected_on")))
            except ValueError:
                on = self.today()
            found = resolve_scan(self.store.catalog, data["gtin"], on=on)
            if found.product:
                self.product, self.standards = found.product, list(found.standards)
                self.indicators = self._indicators(found.product, self.standards)
        mine = [(i, r["data"]) for i, r in self.store.records.all("finding").items()
                if r["data"].get("inspection_id") == inspection_id]
        mine.sort(key=lambda pair: str(pair[1].get("device_created_at") or ""))
        self.findings = {i: _verdict_view(i, d) for i, d in mine}
        self.last = self.findings[mine[-1][0]] if mine else None
        if self.last is not None:
            self.selected = next((r for r in self.indicators if r.id == self.last.indicator_id), None)
        self.message = ""
        self.notify()

    # ---- photos and questions --------------------------------------------------------

    def attach_photo(self, capture: str | Path | bytes, record_id: str | None = None, *, place: str = "") -> str:
        """Watermark a capture (time, place, inspector, record id), save it and attach it to
        the finding/inspection `record_id` (default: the last finding, else the inspection);
        return the photo's SHA-256. Raises PresenterError."""
        target = record_id or (self.last.id if self.last else self.inspection_id)
        if target is None:
            raise self._error("请先保存检查信息 / start the inspection first")
        place = place or self.form.get("address") or self.form.get("company_name") or ""
        try:
            processed = process_photo(capture, WatermarkInfo(self.now(), place, self.inspector, target))
            path = processed.save(self.photo_dir)
            sha = self.records.attach_photo(target, path)
        except (PhotoPipelineError, DeviceError, OSError) as exc:
            raise self._error(f"照片无法保存：{readable(exc)}") from exc
        if target in self.findings:
            self._show(target)
        else:
            self.message = f"照片已附加 / photo attached ({sha[:8]})"
            self.notify()
        return sha

    def take_photo(self, path_text: str = "") -> str:
        """拍照/添加照片: the image at `path_text`, else the newest image in the camera folder,
        watermarked and attached to the selected indicator's finding (else the inspection);
        return its SHA-256. Raises PresenterError (no inspection, no image, unreadable image)."""
        if self.inspection_id is None:
            raise self._error("请先保存检查信息 / start the inspection first")
        try:
            source = capture_source(path_text, self.camera_folder)
        except PresenterError as exc:
            raise self._error(exc.message) from exc
        target = self.inspection_id
        if self.selected is not None:
            target = next((f.id for f in reversed(list(self.findings.values()))
                           if f.indicator_id == self.selected.id), target)
        return self.attach_photo(source, target)

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
        self.message = "问题已保存，同步后发送给专家 / question queued"
        self.notify()
        return qid

    def _error(self, message: str) -> PresenterError:
        self.message = message
        self.notify()
        return PresenterError(message)
