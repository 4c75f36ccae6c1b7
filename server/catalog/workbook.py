"""The committee workbook (XLSX, `assets.xlsx`) imported into the live catalog: the
row-by-row report, and the standards that passed every check in place of the live
catalog's standards with the same numbers (as changes devices pull)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import assets
from assets.xlsx import merge_standards, read_workbook
from server.catalog.importer import import_catalog
from server.catalog.view import current_catalog
from server.kernel.errors import ValidationFailed


def _base_dicts() -> list[dict]:
    live = current_catalog()
    catalog = live if live.standards else assets.load_catalog()   # a server without a catalog yet
    return json.loads(assets.canonical_json(catalog))


def import_workbook(path: str | Path, *, source: str = "workbook", check_only: bool = False) -> dict[str, Any]:
    """Read the workbook at `path`, then (unless `check_only`) import its good standards in
    place of the live catalog's standards of the same numbers (the packaged catalog when
    the server has none yet). Returns {"report": the row report (`WorkbookResult.to_dict()`), "summary": the import
    summary or None}. The caller commits (a unit of work).

    Raises ValidationFailed: "workbook_unreadable" (not an XLSX file), "workbook_empty" (no
    standard passed; details carry the report), "workbook_conflict" (the standards break a
    cross-standard check with the live catalog)."""
    try:
        result = read_workbook(path)
    except assets.CatalogError as exc:
        raise ValidationFailed("workbook_unreadable", reason=exc.reason, details={"file": Path(path).name}) from exc
    report = result.to_dict()
    if not result.standards:
        raise ValidationFailed("workbook_empty", details=report)
    if check_only:
        return {"report": report, "summary": None}
    try:
        catalog = merge_standards(_base_dicts(), result.standards)
    except assets.CatalogError as exc:
        raise ValidationFailed("workbook_conflict", reason=f"{exc.pointer}：{exc.reason}",
                               details={**report, "pointer": exc.pointer}) from exc
    return {"report": report, "summary": import_catalog(catalog, source=source)}
