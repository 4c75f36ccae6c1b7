"""Tables people download: CSV and XLSX written as the rows arrive, in constant memory,
with every text cell that a spreadsheet could run as a formula neutralised.

`csv_chunks` yields bytes as it goes (UTF-8 with a BOM so Excel reads the Chinese);
`xlsx_chunks` yields a workbook as it goes too: the SpreadsheetML parts in a ZIP written to
an unseekable sink, rows appended as XML text (openpyxl's write-only mode measured ~500 rows
a second here, far from half a million rows in a minute: docs/decisions.md; the tests read
every file back with openpyxl). `download` wraps either in a streamed Flask response.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, stream_with_context

from server.kernel.console import LOCAL_TZ

FORMATS = ("csv", "xlsx")
#: characters that make a spreadsheet read a cell as a formula (or a DDE command)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: a plain decimal number is never run as a formula and is left as written ("-0.25")
_FORMULA_CHARS = frozenset("".join(FORMULA_START))
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def neutralise(value):
    """Return a cell value safe to open in a spreadsheet: text beginning with =, +, -, @,
    a tab or a carriage return gets a leading apostrophe (a plain decimal number such as
    "-0.25" stays as it is); None becomes ""; numbers and dates pass. Raises nothing."""
    if type(value) is str:
        if value and value[0] in _FORMULA_CHARS and not PLAIN_NUMBER.match(value):
            return "'" + value
        return value
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
        writer.writerow([_csv_cell(v) for v in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def _csv_cell(value):
    """Return one CSV cell: neutralised text, local times, ISO dates (one call a cell)."""
    kind = type(value)
    if kind is str:
        if value and value[0] in _FORMULA_CHARS and not PLAIN_NUMBER.match(value):
            return "'" + value
        return value
    if value is None:
        return ""
    if kind is datetime:
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if kind is date:
        return value.isoformat()
    return neutralise(value)


def xlsx_chunks(sheet: str, header: Sequence[str], rows: Iterable[Sequence], *,
                rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Yield an XLSX workbook of one sheet as it is written: SpreadsheetML parts in a ZIP
    written to an unseekable sink (data descriptors), the sheet's rows appended as XML text
    a few hundred at a time. Nothing but the current chunk is held in memory. Text cells are
    inline strings (no shared-string table to keep), numbers are numbers, dates and times
    are Excel serials with a date format; the header row is bold and frozen."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, body in _xlsx_parts(sheet).items():
            archive.writestr(name, body)
        yield sink.take()
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(SHEET_HEAD)
            part.write(_xml_row([neutralise(h) for h in header], style=' s="3"'))
            pending = []
            for row in rows:
                pending.append(_xml_row(row))
                if len(pending) >= rows_per_chunk:
                    part.write(b"".join(pending))
                    pending.clear()
                    yield sink.take()
            part.write(b"".join(pending))
            part.write(SHEET_TAIL)
    yield sink.take()


def write_xlsx(path: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write xlsx_chunks to the file `path`. Raises OSError when it cannot be written."""
    with open(path, "wb") as fh:
        fh.writelines(xlsx_chunks(sheet, header, rows))


class _Sink:
    """A write-only byte sink for zipfile (no tell/seek: zipfile then streams)."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


#: characters XML 1.0 cannot carry (control characters other than tab, LF, CR)
_XML_ILLEGAL = dict.fromkeys([*range(9), 11, 12, *range(14, 32)])
_XML_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", **_XML_ILLEGAL}
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = datetime(1899, 12, 30)
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
              b' state="frozen"/></sheetView></sheetViews><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def _xml_row(values: Sequence, *, style: str = "") -> bytes:
    """Return one <row> of cells in order, text neutralised (cell and row references are
    optional in SpreadsheetML and left out; an empty value still takes its column)."""
    cells = []
    add = cells.append
    for value in values:
        kind = type(value)
        if kind is str:
            if value and value[0] in _FORMULA_CHARS and not PLAIN_NUMBER.match(value):
                value = "'" + value
            if value:
                if _NEEDS_ESCAPE.search(value):
                    value = value.translate(_XML_ESCAPE)
                add(f'<c t="inlineStr"{style}><is><t xml:space="preserve">{value}</t></is></c>')
            else:
                add("<c/>")
        elif kind is int or kind is float:
            add(f"<c{style}><v>{value}</v></c>")
        elif value is None:
            add("<c/>")
        elif kind is bool:
            add(f'<c t="inlineStr"><is><t>{"是" if value else "否"}</t></is></c>')
        elif kind is datetime:
            add(f'<c s="2"><v>{round((_local(value) - _EPOCH).total_seconds() / 86400, 10)}</v></c>')
        elif kind is date:
            add(f'<c s="1"><v>{(value - _EPOCH.date()).days}</v></c>')
        else:
            add(f'<c t="inlineStr"><is><t>{str(value).translate(_XML_ESCAPE)}</t></is></c>')
    return ("<row>" + "".join(cells) + "</row>").encode()


def _local(moment: datetime) -> datetime:
    """Return an aware moment as naive Beijing time (spreadsheets have no time zones)."""
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment.tzinfo is not None else moment


def _xlsx_parts(sheet: str) -> dict[str, str]:
    name = sheet[:31].translate(_XML_ESCAPE).replace('"', "&quot;")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return {
        "[Content_Types].xml": head + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
        "_rels/.rels": head + (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/_rels/workbook.xml.rels": head + (
            f'<Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>'),
        "xl/workbook.xml": head + (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/styles.xml": head + (
            f'<styleSheet xmlns="{main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
            '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
    }


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
