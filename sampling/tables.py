"""Reading a directory or roster file (CSV or XLSX bytes) into numbered rows, and the
row-by-row report an import answers with.

CSV: UTF-8 (with or without BOM), else GB18030 (what Excel on a Chinese Windows saves).
XLSX: the first worksheet, read with openpyxl; numbers Excel stored for code columns are
turned back into digits ("91110105…" stays text; 6901234567892.0 becomes "6901234567892").
Header names are matched case-insensitively against each column's aliases (English as
`gbfield` writes them, Chinese as people write them).
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sampling.errors import TableError

Rows = list[tuple[int, dict[str, str]]]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode_text(content: bytes) -> str:
    """Return the text of a CSV file; raises TableError when neither UTF-8 nor GB18030 decodes it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("文件编码无法识别：请保存为 UTF-8 或 GB18030 编码的 CSV (unknown encoding)")


def read_cells(content: bytes, filename: str = "") -> list[list[str]]:
    """Return the rows of cells of a CSV or XLSX file (XLSX when the name ends in .xlsx or the
    bytes are a zip); raises TableError when the file cannot be read."""
    if filename.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        import openpyxl  # noqa: PLC0415 — only needed for spreadsheets, and slow to import
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise TableError(f"无法读取 XLSX 文件：{exc} (not a readable .xlsx workbook)") from exc
        try:
            sheet = book.worksheets[0]
            return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    text = decode_text(content)
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def map_rows(cells: Sequence[Sequence[str]], columns: Mapping[str, Sequence[str]],
             required: Sequence[str], labels: Mapping[str, str]) -> tuple[Rows, list[str]]:
    """Return ([(row number, {column: value})], ignored header names); the header is row 1 and
    blank rows are skipped. Raises TableError when the file is empty or a required column
    is missing (naming it in Chinese and English)."""
    if not cells or not any(h.strip() for h in cells[0]):
        raise TableError("文件为空或没有表头 (empty file or no header)")
    aliases = {alias.lower(): column for column, names in columns.items() for alias in names}
    mapping: dict[int, str] = {}
    ignored = []
    for index, name in enumerate(cells[0]):
        column = aliases.get(name.strip().lower())
        if column and column not in mapping.values():
            mapping[index] = column
        elif name.strip():
            ignored.append(name.strip())
    missing = [c for c in required if c not in mapping.values()]
    if missing:
        names = "、".join(f"{labels[c]}（{c}）" for c in missing)
        raise TableError(f"表头缺少必需的列：{names} (missing required columns: {', '.join(missing)})")
    rows = []
    for number, row in enumerate(cells[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        rows.append((number, {column: (row[i].strip() if i < len(row) else "") for i, column in mapping.items()}))
    return rows, ignored


@dataclass(frozen=True)
class RowError:
    column: str
    reason: str


@dataclass
class CheckedRow:
    row: int                        # spreadsheet row number (header = 1)
    raw: dict[str, str]
    value: Any = None               # the Enterprise / Inspector when the row is accepted
    errors: list[RowError] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.value is not None and not self.errors


@dataclass
class RowReport:
    """What an import did with each row: accepted values and the rejected rows' reasons."""
    rows: list[CheckedRow]
    labels: Mapping[str, str]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> list[Any]:
        return [r.value for r in self.rows if r.accepted]

    @property
    def rejected(self) -> list[CheckedRow]:
        return [r for r in self.rows if not r.accepted]

    def to_dict(self) -> dict[str, Any]:
        """Return {accepted, rejected, ignored_columns, rows: [{row, status, errors}]}."""
        return {"accepted": len(self.accepted), "rejected": len(self.rejected),
                "ignored_columns": list(self.ignored_columns),
                "rows": [{"row": r.row, "status": "accepted" if r.accepted else "rejected",
                          "errors": [{"column": e.column, "column_label": self.labels.get(e.column, e.column),
                                      "reason": e.reason} for e in r.errors]} for r in self.rows]}

    def lines(self) -> list[str]:
        """Return one line per rejected row ("第 3 行 统一社会信用代码：…") then a summary line."""
        out = [f"第 {r.row} 行 {self.labels.get(e.column, e.column)}：{e.reason}"
               for r in self.rejected for e in r.errors]
        out.append(f"导入 {len(self.accepted)} 行，拒绝 {len(self.rejected)} 行 "
                   f"({len(self.accepted)} accepted, {len(self.rejected)} rejected)")
        return out


def reject_duplicates(rows: list[CheckedRow], key_of, column: str, what: str) -> None:
    """Reject every row whose key (key_of(row) -> str | None) appears on several rows: which one
    is right cannot be told. `what` names the key in the message ("统一社会信用代码")."""
    by_key: dict[str, list[CheckedRow]] = {}
    for item in rows:
        k = key_of(item)
        if k:
            by_key.setdefault(k, []).append(item)
    for k, items in by_key.items():
        if len(items) < 2:
            continue
        numbers = "、".join(str(i.row) for i in items)
        for item in items:
            item.errors.append(RowError(column, f"{what} {k} 在第 {numbers} 行重复出现，均未导入：请合并为一行 "
                                                f"(duplicate, rows {numbers.replace('、', ', ')})"))
            item.value = None
