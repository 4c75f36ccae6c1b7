"""Reading one sheet of the committee workbook into a standard dict, row by row."""
from __future__ import annotations

from dataclasses import dataclass, field

from assets.xlsx_layout import (
    BLOCKS,
    MARKERS,
    METHODS,
    RELATIONS,
    STANDARD_FIELDS,
    CellError,
    header_key,
    read_answers,
    read_bool,
    read_choice,
    read_date,
    read_list,
    read_unverified,
)
from assets.xlsx_layout import KINDS as KIND_LABELS

_LABELS = {block: dict(columns) for block, (_, columns) in BLOCKS.items()}


@dataclass
class RowReport:
    """One data row: `sheet`, `row` (1-based), `block` (edition, indicator …), `ident` (its
    id or number), `errors` [(column, reason)]; ok when there are none."""
    sheet: str
    row: int
    block: str
    ident: str | None
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        """Return {sheet, row, block, id, status, errors: [{column, reason}]}."""
        return {"sheet": self.sheet, "row": self.row, "block": self.block, "id": self.ident,
                "status": "ok" if self.ok else "error",
                "errors": [{"column": c, "reason": r} for c, r in self.errors]}


def _blocks(rows: list[tuple]):
    """Yield (block, row number, {column key: text}) for every data row; unknown headers are
    reported as (block, row, None) with the header text in the dict under "?"."""
    block, header = None, None
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        if not any(cells):
            block, header = None, None
            continue
        first = (cells[0] or "").strip()
        if first in MARKERS:
            block, header = MARKERS[first], None
            continue
        if block is None:
            continue
        if header is None:
            columns = BLOCKS[block][1]
            header = [header_key(c or "", columns) if c else None for c in cells]
            unknown = [c for c, k in zip(cells, header) if c and k is None]
            if unknown:
                yield block, number, {"?": "、".join(unknown)}
            continue
        yield block, number, {k: v for k, v in zip(header, cells) if k is not None}


def _src(values: dict) -> dict | None:
    if not values.get("source_title"):
        return None
    return {"title": values["source_title"], "url": values.get("source_url"), "note": values.get("source_note")}


class _Sheet:
    def __init__(self, title: str):
        self.title = title
        self.std: dict = {"editions": []}
        self.editions: dict[str, tuple[int, dict]] = {}
        self.indicators: dict[str, tuple[str, dict]] = {}
        self.reports: list[RowReport] = []
        self.where: dict[str, RowReport] = {}

    def report(self, block: str, number: int, ident: str | None) -> RowReport:
        rep = RowReport(self.title, number, block, ident)
        self.reports.append(rep)
        return rep

    def edition_of(self, values: dict, rep: RowReport) -> tuple[int, dict] | None:
        found = self.editions.get(values.get("edition") or "")
        if found is None:
            rep.errors.append((_LABELS[rep.block]["edition"], f"版本号 {values.get('edition')!r} 不在【版本】块中"))
        return found


def _cell(rep: RowReport, block: str, column: str, reader, *args):
    try:
        return reader(*args)
    except CellError as exc:
        rep.errors.append((_LABELS[block].get(column, column), str(exc)))
        return None


def _standard_row(sh: _Sheet, number: int, values: dict) -> None:
    rep = sh.report("standard", number, values.get("field_name"))
    name = values.get("field_name") or ""
    key = next((k for k, label in STANDARD_FIELDS if name in (k, label)), None)
    if key is None:
        rep.errors.append(("字段", f"未知字段 {name!r}（应为：{'、'.join(label for _, label in STANDARD_FIELDS)}）"))
        return
    value = values.get("value")
    sh.std[key] = _cell(rep, "standard", "value", read_bool, value, True) if key == "mandatory" else value
    sh.where[f"/{key}"] = rep


def _edition_row(sh: _Sheet, number: int, v: dict) -> None:
    rep = sh.report("edition", number, v.get("id"))
    year = v.get("year")
    ed = {"id": v.get("id"), "year": int(year) if year and year.isdigit() else year, "title": v.get("title"),
          "title_en": v.get("title_en")}
    for key in ("issued", "effective", "withdrawn"):
        ed[key] = _cell(rep, "edition", key, read_date, v.get(key))
    ed["replaces"] = read_list(v.get("replaces"))
    ed["replaced_by"] = v.get("replaced_by")
    prod = _cell(rep, "edition", "production_until", read_date, v.get("production_until"))
    sale = _cell(rep, "edition", "sale_until", read_date, v.get("sale_until"))
    ed["transition"] = None if not (prod or sale or v.get("transition_note")) else {
        "production_until": prod, "sale_until": sale, "note": v.get("transition_note")}
    ed.update(categories=[], classes=[], clauses=[], indicators=[], source=_src(v), openstd_hcno=v.get("openstd_hcno"),
              relations=[], amendments=[], unverified=_cell(rep, "edition", "unverified", read_unverified, v.get("unverified")) or [])
    if ed["source"] is None:
        rep.errors.append(("来源", "版本应写明来源（来源标题）"))
    if rep.ok:
        k = len(sh.std["editions"])
        sh.std["editions"].append(ed)
        sh.editions[ed["id"] or f"?{number}"] = (k, ed)
        sh.where[f"/editions/{k}"] = rep


def _child_row(sh: _Sheet, block: str, number: int, v: dict) -> None:
    ident = v.get("id") or v.get("number") or v.get("target")
    rep = sh.report(block, number, ident)
    found = sh.edition_of(v, rep)
    if found is None:
        return
    k, ed = found
    if block == "category":
        item = {"id": v.get("id"), "name": v.get("name"), "name_en": v.get("name_en"), "required_class": v.get("required_class")}
        key = "categories"
    elif block == "class":
        item, key = {"id": v.get("id"), "name": v.get("name"), "description": v.get("description") or ""}, "classes"
    elif block == "clause":
        item, key = {"number": v.get("number"), "title": v.get("title"), "summary": v.get("summary")}, "clauses"
    elif block == "relation":
        kind = _cell(rep, block, "type", read_choice, v.get("type"), RELATIONS, "关系")
        item = {"type": kind, "target": v.get("target"), "title": v.get("title"), "clause": v.get("clause"),
                "note": v.get("note"), "categories": read_list(v.get("categories")), "source": _src(v)}
        key = "relations"
    else:
        item = {"id": v.get("id"), "issued": _cell(rep, block, "issued", read_date, v.get("issued")),
                "effective": _cell(rep, block, "effective", read_date, v.get("effective")),
                "summary": v.get("summary"), "source": _src(v)}
        key = "amendments"
    if rep.ok:
        sh.where[f"/editions/{k}/{key}/{len(ed[key])}"] = rep
        ed[key].append(item)


def _indicator_row(sh: _Sheet, number: int, v: dict) -> None:
    rep = sh.report("indicator", number, v.get("id"))
    found = sh.edition_of(v, rep)
    if found is None:
        return
    k, ed = found
    item = {"id": v.get("id"), "clause": v.get("clause"), "name": v.get("name"), "name_en": v.get("name_en"),
            "limit": v.get("limit"), "unit": v.get("unit"),
            "method": _cell(rep, "indicator", "method", read_choice, v.get("method"), METHODS, "判定方法", "full"),
            "interval": v.get("interval"), "categories": read_list(v.get("categories")),
            "classes": read_list(v.get("classes")), "test_method": v.get("test_method"),
            "key": _cell(rep, "indicator", "key", read_bool, v.get("key"), False), "source": _src(v), "note": v.get("note"),
            "kind": _cell(rep, "indicator", "kind", read_choice, v.get("kind"), KIND_LABELS, "类型", "limit"),
            "answers": _cell(rep, "indicator", "answers", read_answers, v.get("answers")) or [],
            "grade_table": None,
            "unverified": _cell(rep, "indicator", "unverified", read_unverified, v.get("unverified")) or []}
    if rep.ok:
        j = len(ed["indicators"])
        sh.where[f"/editions/{k}/indicators/{j}"] = rep
        ed["indicators"].append(item)
        sh.indicators[item["id"] or f"?{number}"] = (f"/editions/{k}/indicators/{j}", item)


def _grade_row(sh: _Sheet, number: int, v: dict) -> None:
    rep = sh.report("grade", number, v.get("indicator"))
    found = sh.indicators.get(v.get("indicator") or "")
    if found is None:
        rep.errors.append(("指标编号", f"指标 {v.get('indicator')!r} 不在【指标】块中"))
        return
    pointer, item = found
    table = item["grade_table"] or {"measure": v.get("measure"), "unit": v.get("unit"), "grades": []}
    item["grade_table"] = table
    sh.where[f"{pointer}/grade_table/grades/{len(table['grades'])}"] = rep
    table["grades"].append({"grade": v.get("grade"), "limit": v.get("limit")})


def read_sheet(title: str, rows: list[tuple]) -> tuple[dict | None, list[RowReport], dict[str, RowReport]]:
    """Return (standard dict or None, row reports, {JSON pointer: row report}) for one sheet.
    None when the sheet holds no 【标准】 block or no good edition."""
    sh = _Sheet(title)
    handlers = {"standard": _standard_row, "edition": _edition_row, "indicator": _indicator_row, "grade": _grade_row}
    for block, number, values in _blocks(rows):
        if "?" in values:
            sh.report(block, number, None).errors.append(("列名", f"无法识别的列：{values['?']}"))
            continue
        handler = handlers.get(block)
        if handler is not None:
            handler(sh, number, values)
        else:
            _child_row(sh, block, number, values)
    if "code" not in sh.std or not sh.std["editions"]:
        if sh.reports or "code" in sh.std:
            sh.report("standard", 0, sh.std.get("code")).errors.append(
                ("标准号", "工作表缺少【标准】块的标准号或没有可用的版本"))
        return None, sh.reports, sh.where
    std = {"code": sh.std["code"], "title": sh.std.get("title"), "title_en": sh.std.get("title_en"),
           "field": sh.std.get("field"), "mandatory": sh.std.get("mandatory", True), "editions": sh.std["editions"]}
    return _drop_nones(std), sh.reports, sh.where


def _drop_nones(std: dict) -> dict:
    """Required keys that are None make the schema name them; optional Nones stay None."""
    return std
