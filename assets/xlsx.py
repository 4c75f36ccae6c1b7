"""The committee workbook: standards as XLSX (one sheet per standard) and back, with a
row-by-row report. Layout in `assets.xlsx_layout`; docs/standards-data.md describes it.

    write_workbook(standard_dicts, "catalog.xlsx")          # export (a README sheet first)
    result = read_workbook("catalog.xlsx")                   # -> WorkbookResult
    result.standards                                         # the standards that passed every check
    result.rows                                              # RowReport per data row (ok / error)

`normalise_standard(d)` gives the canonical dict (every key present, defaults filled), so
JSON -> XLSX -> JSON returns `normalise_standard` of the original.
"""
from __future__ import annotations

import copy
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from assets.loader import CatalogError, check_semantics, validate_standard
from assets.xlsx_layout import (
    BLOCKS,
    KINDS,
    MARKERS,
    METHODS,
    NO,
    RELATIONS,
    STANDARD_FIELDS,
    YES,
    CellError,
    cell_text,
    header_key,
    header_text,
    read_answers,
    read_bool,
    read_choice,
    read_date,
    read_list,
    read_unverified,
    write_answers,
    write_unverified,
)
from assets.xlsx_read import RowReport, read_sheet
from rules.catalog import Catalog

README_SHEET = "说明"
_README = [
    "gbfield 标准数据填报表（每个标准一个工作表）",
    "",
    "1. 每个工作表填写一个强制性国家标准的全部版本。工作表名称可随意（建议用标准号，如 GB 4351）。",
    "2. 工作表由若干“块”组成：块的第一行是块名（如【版本】），第二行是列名，之后每行一项，空一行结束该块。",
    "3. 块：【标准】标准号、名称、领域等；【版本】各版本及日期、代替关系、过渡期；【产品类别】【产品等级】；",
    "   【条款】；【指标】每行一个指标；【能效等级表】能效指标的 1～5 级；【关联标准】部分代替、须同时符合、",
    "   检验方法、规范性引用；【修改单】如 XG1-2020。",
    "4. 日期写 YYYY-MM-DD；多个值用“、”分隔；“是/否”列写 是 或 否。",
    "5. 限值按标准原文写：≤20、4.0~7.5、≥3-4级、不得检出、无异味。标示类指标（类型“标示”）在“限值或要求”",
    "   列写标准对标示的要求；现场回答为 已标示 / 未标示 / 标示不正确。",
    "6. 可选答案：如 无异味=符合；有异味=不符合（可再加英文：已标示=符合=present）。",
    "7. 来源：每个数值应写明来源（页面标题与网址）。未能与公开来源核对的内容，在“待核实”列写明：",
    "   限值、条款号、检验方法、单位、适用范围、措辞、等级表（版本行还可写 发布日期、实施日期、过渡期、修改单）。",
    "   待核实的限值在平板和网页上标注“待核实”，判定结果注明仅供参考。",
    "8. 领域：textile 纺织、food 食品、ebike 电动自行车、water 饮用水、building-material 建材、toy 玩具、",
    "   food-contact 食品接触材料、fire-equipment 消防器材、battery 电池、appliance 家用电器、",
    "   energy-efficiency 能效、ppe 个体防护、child-product 儿童用品、emission 排放。",
    "9. 导入：gbfield catalog import 文件.xlsx --check（只检查并逐行报告）；--out 目录（写成 JSON 文件）。",
]


@dataclass
class WorkbookResult:
    standards: list[dict]
    rows: list[RowReport]
    rejected: list[str] = field(default_factory=list)    # sheets whose standard failed a check

    @property
    def errors(self) -> list[RowReport]:
        return [r for r in self.rows if not r.ok]

    def to_dict(self) -> dict:
        """Return the row report: {rows: [RowReport.to_dict()], rejected: [sheets],
        standards: [codes of the standards that passed]}."""
        return {"rows": [r.to_dict() for r in self.rows], "rejected": list(self.rejected),
                "standards": [s["code"] for s in self.standards]}


# --- canonical form ------------------------------------------------------------------------

def _source(d):
    return None if d is None else {"title": d["title"], "url": d.get("url"), "note": d.get("note")}


def normalise_standard(d: dict) -> dict:
    """Return the canonical form of a standard dict: every key of the schema present (lists
    empty, optional values None, kind "limit", method "full"), `$schema` dropped."""
    editions = []
    for e in d["editions"]:
        tr = e.get("transition")
        editions.append({
            "id": e["id"], "year": int(e["year"]), "title": e["title"], "title_en": e.get("title_en"),
            "issued": e.get("issued"), "effective": e["effective"], "withdrawn": e.get("withdrawn"),
            "replaces": list(e.get("replaces", ())), "replaced_by": e.get("replaced_by"),
            "transition": None if not tr else {"production_until": tr.get("production_until"),
                                               "sale_until": tr.get("sale_until"), "note": tr.get("note")},
            "categories": [{"id": c["id"], "name": c["name"], "name_en": c.get("name_en"),
                            "required_class": c.get("required_class")} for c in e.get("categories", ())],
            "classes": [{"id": c["id"], "name": c["name"], "description": c.get("description", "")}
                        for c in e.get("classes", ())],
            "clauses": [{"number": c["number"], "title": c["title"], "summary": c.get("summary")}
                        for c in e.get("clauses", ())],
            "indicators": [_normalise_indicator(i) for i in e.get("indicators", ())],
            "source": _source(e["source"]), "openstd_hcno": e.get("openstd_hcno"),
            "relations": [{"type": r["type"], "target": r["target"], "title": r.get("title"),
                           "clause": r.get("clause"), "note": r.get("note"),
                           "categories": list(r.get("categories", ())), "source": _source(r.get("source"))}
                          for r in e.get("relations", ())],
            "amendments": [{"id": a["id"], "issued": a.get("issued"), "effective": a.get("effective"),
                            "summary": a["summary"], "source": _source(a.get("source"))}
                           for a in e.get("amendments", ())],
            "unverified": list(e.get("unverified", ())),
        })
    return {"code": d["code"], "title": d["title"], "title_en": d.get("title_en"), "field": d["field"],
            "mandatory": bool(d.get("mandatory", True)), "editions": editions}


def _normalise_indicator(i: dict) -> dict:
    table = i.get("grade_table")
    return {
        "id": i["id"], "clause": i["clause"], "name": i["name"], "name_en": i.get("name_en"), "limit": i["limit"],
        "unit": i.get("unit"), "method": i.get("method", "full"), "interval": i.get("interval"),
        "categories": list(i.get("categories", ())), "classes": list(i.get("classes", ())),
        "test_method": i.get("test_method"), "key": bool(i.get("key", False)), "source": _source(i.get("source")),
        "note": i.get("note"), "kind": i.get("kind", "limit"),
        "answers": [{"text": a["text"], "outcome": a["outcome"], "text_en": a.get("text_en")} for a in i.get("answers", ())],
        "grade_table": None if not table else {"measure": table["measure"], "unit": table.get("unit"),
                                               "grades": [{"grade": str(g["grade"]), "limit": g["limit"]} for g in table["grades"]]},
        "unverified": list(i.get("unverified", ())),
    }


# --- writing ---------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_MARK_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")


def _src_cells(s) -> list:
    return [None, None, None] if s is None else [s["title"], s.get("url"), s.get("note")]


def _rows(std: dict) -> Iterable[tuple[str, list]]:
    """(block, values) for every data row of one normalised standard, block by block."""
    yield from (("standard", [label, _std_value(std, key)]) for key, label in STANDARD_FIELDS)
    eds = std["editions"]
    for e in eds:
        tr = e["transition"] or {}
        yield "edition", [e["id"], e["year"], e["title"], e["title_en"], e["issued"], e["effective"], e["withdrawn"],
                          "、".join(e["replaces"]) or None, e["replaced_by"], tr.get("production_until"),
                          tr.get("sale_until"), tr.get("note"), write_unverified(e["unverified"]),
                          *_src_cells(e["source"]), e["openstd_hcno"]]
    for e in eds:
        for c in e["categories"]:
            yield "category", [e["id"], c["id"], c["name"], c["name_en"], c["required_class"]]
    for e in eds:
        for c in e["classes"]:
            yield "class", [e["id"], c["id"], c["name"], c["description"] or None]
    for e in eds:
        for c in e["clauses"]:
            yield "clause", [e["id"], c["number"], c["title"], c["summary"]]
    for e in eds:
        for i in e["indicators"]:
            yield "indicator", [e["id"], i["id"], i["clause"], i["name"], i["name_en"], KINDS[i["kind"]], i["limit"],
                                i["unit"], METHODS[i["method"]], i["interval"], "、".join(i["categories"]) or None,
                                "、".join(i["classes"]) or None, i["test_method"], YES if i["key"] else NO,
                                write_answers(i["answers"]), write_unverified(i["unverified"]),
                                *_src_cells(i["source"]), i["note"]]
    for e in eds:
        for i in e["indicators"]:
            for g in (i["grade_table"] or {}).get("grades", ()):
                yield "grade", [i["id"], i["grade_table"]["measure"], i["grade_table"]["unit"], g["grade"], g["limit"]]
    for e in eds:
        for r in e["relations"]:
            yield "relation", [e["id"], RELATIONS[r["type"]], r["target"], r["title"], r["clause"], r["note"],
                               "、".join(r["categories"]) or None, *_src_cells(r["source"])]
    for e in eds:
        for a in e["amendments"]:
            yield "amendment", [e["id"], a["id"], a["issued"], a["effective"], a["summary"], *_src_cells(a["source"])]


def _std_value(std, key):
    value = std[key]
    if key == "mandatory":
        return YES if value else NO
    return value


def _sheet_name(code: str, taken: set[str]) -> str:
    base = code.replace("/", "-")[:28]
    name, n = base, 2
    while name in taken:
        name, n = f"{base}~{n}", n + 1
    taken.add(name)
    return name


def write_workbook(standards: Sequence[dict], path: str | Path) -> Path:
    """Write standard dicts (JSON-file shape) to an XLSX workbook: a README sheet, then one
    sheet per standard. Every cell is text, so Excel keeps "0.050" and "1-2". Raises OSError."""
    book = openpyxl.Workbook()
    readme = book.active
    readme.title = README_SHEET
    for line in _README:
        readme.append([line])
    readme.column_dimensions["A"].width = 110
    taken = {README_SHEET}
    for raw in standards:
        std = normalise_standard(raw)
        sheet = book.create_sheet(_sheet_name(std["code"], taken))
        current = None
        for block, values in _rows(std):
            if block != current:
                if current is not None:
                    sheet.append([])
                marker, columns = BLOCKS[block]
                sheet.append([marker])
                sheet.cell(sheet.max_row, 1).font = _BOLD
                sheet.cell(sheet.max_row, 1).fill = _MARK_FILL
                sheet.append([header_text(k, label) for k, label in columns])
                for cell in sheet[sheet.max_row]:
                    cell.font, cell.fill = _BOLD, _HEAD_FILL
                current = block
            sheet.append([None if v is None else str(v) for v in values])
            for cell in sheet[sheet.max_row]:
                cell.number_format = "@"
                cell.alignment = Alignment(wrap_text=False, vertical="top")
        for letter, width in zip("ABCDEFGHIJ", (22, 34, 10, 30, 16, 12, 22, 12, 14, 14)):
            sheet.column_dimensions[letter].width = width
    path = Path(path)
    book.save(path)
    return path


# --- reading ---------------------------------------------------------------------------------

def read_workbook(path: str | Path) -> WorkbookResult:
    """Read a committee workbook. Each data row is checked on its own (a bad row is reported
    and left out, the others go on); each standard is then validated like a JSON file
    (schema and loader checks), and a standard that fails is rejected with the row the
    problem points at. Raises CatalogError when the file is not a readable XLSX."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise CatalogError(Path(path).name, "/", f"不是可读取的 XLSX 文件：{exc}") from exc
    result = WorkbookResult([], [])
    entries = []
    for sheet in book.worksheets:
        if sheet.title == README_SHEET:
            continue
        rows = [tuple(cell_text(v) for v in row) for row in sheet.iter_rows(values_only=True)]
        std, reports, where = read_sheet(sheet.title, rows)
        result.rows.extend(reports)
        if std is None:
            if reports:
                result.rejected.append(sheet.title)
            continue
        try:
            validate_standard(std, sheet.title)
        except CatalogError as exc:
            _blame(reports, where, exc, sheet.title)
            result.rejected.append(sheet.title)
            continue
        entries.append((sheet.title, "", std, reports, where))
    _semantic_checks(entries, result)
    book.close()
    return result


def _blame(reports: list[RowReport], where: dict[str, RowReport], exc: CatalogError, sheet: str) -> None:
    """Attach a validation error to the row whose JSON pointer is the longest prefix."""
    pointer = exc.pointer
    best = None
    for prefix, report in where.items():
        matches = pointer == prefix or pointer.startswith(prefix + "/")
        if matches and (best is None or len(prefix) > len(best[0])):
            best = (prefix, report)
    column = pointer.rsplit("/", 1)[-1]
    if best is None:
        reports.append(RowReport(sheet, 0, "standard", None, [(column, exc.reason)]))
    else:
        best[1].errors.append((column, exc.reason))


def _semantic_checks(entries, result: WorkbookResult) -> None:
    """Loader checks across the good standards; a failing one is dropped and blamed, then
    the rest are checked again (one bad standard never blocks the others)."""
    todo = list(entries)
    while todo:
        try:
            check_semantics([(sheet, prefix, std) for sheet, prefix, std, _, _ in todo])
        except CatalogError as exc:
            bad = next((t for t in todo if t[0] == exc.file), todo[0])
            _blame(bad[3], bad[4], exc, bad[0])
            result.rejected.append(bad[0])
            todo.remove(bad)
            continue
        break
    result.standards = [copy.deepcopy(std) for _, _, std, _, _ in todo]


def merge_standards(base: Sequence[dict], standards: Sequence[dict]) -> Catalog:
    """Return the catalog of `base` (standard dicts: the packaged files, or the live
    catalog's canonical JSON) with `standards` in place of the base's standards of the same
    number, checked together (the loader's cross-standard checks). Raises CatalogError when
    the merge breaks one (its `file` is "workbook" or "catalog")."""
    codes = {s["code"] for s in standards}
    entries = [("catalog", "", d) for d in base if d["code"] not in codes]
    entries += [("workbook", "", s) for s in standards]
    check_semantics(entries)
    return Catalog.from_dicts([d for _, _, d in entries])


__all__ = [
    "MARKERS",
    "README_SHEET",
    "CellError",
    "RowReport",
    "WorkbookResult",
    "header_key",
    "merge_standards",
    "normalise_standard",
    "read_answers",
    "read_bool",
    "read_choice",
    "read_date",
    "read_list",
    "read_unverified",
    "read_workbook",
    "write_workbook",
]
