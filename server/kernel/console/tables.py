"""Tables people download: CSV and XLSX written as the rows arrive, in constant memory,
with every text cell that a spreadsheet could run as a formula neutralised.

`csv_chunks` yields bytes as it goes (UTF-8 with a BOM so Excel reads the Chinese);
`xlsx_chunks` writes an openpyxl write-only workbook (rows go to a temporary file as they
are appended, nothing is kept in memory) and then yields the file in 64 KiB pieces and
removes it. `download` wraps either in a streamed Flask response.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from server.kernel.console import LOCAL_TZ

FORMATS = ("csv", "xlsx")
#: characters that make a spreadsheet read a cell as a formula (or a DDE command)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: a plain decimal number is never run as a formula and is left as written ("-0.25")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")
CHUNK = 64 * 1024
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def neutralise(value):
    """Return a cell value safe to open in a spreadsheet: text beginning with =, +, -, @,
    a tab or a carriage return gets a leading apostrophe (a plain decimal number such as
    "-0.25" stays as it is); None becomes ""; numbers and dates pass. Raises nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, date, datetime)):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Yield a CSV file (UTF-8 with BOM, CRLF lines) a few hundred rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(h) for h in header])
    pending = 0
    for row in rows:
        writer.writerow([_csv_text(neutralise(v)) for v in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def write_xlsx(path: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write an XLSX workbook of one sheet to `path` in write-only mode (constant memory);
    returns the number of data rows. Raises OSError when the file cannot be written."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(worksheet, value=neutralise(title))
        cell.font = bold
        cells.append(cell)
    worksheet.append(cells)
    count = 0
    for row in rows:
        worksheet.append([_xlsx_value(neutralise(v)) for v in row])
        count += 1
    workbook.save(path)
    return count


def _xlsx_value(value):
    return _local(value) if isinstance(value, datetime) else value


def _local(moment: datetime) -> datetime:
    """Return an aware moment as naive Beijing time (spreadsheets have no time zones)."""
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment.tzinfo is not None else moment


def xlsx_chunks(sheet: str, header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Yield an XLSX file: written to a temporary file first (write-only), then read back
    in 64 KiB pieces; the file is removed when the last piece is sent or the client leaves."""
    handle, path = tempfile.mkstemp(prefix="gbfield-export-", suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(path, sheet, header, rows)
        with open(path, "rb") as fh:
            while piece := fh.read(CHUNK):
                yield piece
    finally:
        os.unlink(path)


def download(fmt: str, filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Return a streamed response of `rows` as `fmt` ("csv" | "xlsx") named `filename`
    (without extension; Chinese allowed). Raises ValueError for another format."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    body = csv_chunks(header, rows) if fmt == "csv" else xlsx_chunks(sheet, header, rows)
    response = Response(stream_with_context(body), mimetype=MIME[fmt])
    response.headers["Content-Disposition"] = content_disposition(f"{filename}.{fmt}")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(filename: str) -> str:
    """Return an attachment header with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
