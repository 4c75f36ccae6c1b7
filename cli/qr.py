"""`gbfield qr parse|make|sheet`: read product codes and make QR labels.

    gbfield qr parse TEXT [--json] [--lenient]
    gbfield qr make TEXT -o out.png|out.svg [--size PX] [--label 文字] [--ean13] [--domain URL]
    gbfield qr sheet products.csv -o sheet.png|sheet.pdf|sheet.svg [--domain URL]

Invalid input: exit 2 with a one-line reason on stderr (cli.main.UsageError).
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from cli.main import UsageError, add_command
from codes import CodeError, build_digital_link, build_standard_link, gtin14, parse_any, render
from codes.digital_link import CANONICAL_DOMAIN
from codes.element_string import to_scan_data

CSV_AI_COLUMNS = {"gtin": "01", "lot": "10", "batch": "10", "serial": "21", "expiry": "17",
                  "best_before": "15", "production_date": "11", "net_weight_kg": "3103"}


def register(subparsers) -> None:
    """Add `qr` with its sub-commands parse, make and sheet."""
    qr = add_command(subparsers, "qr")
    sub = qr.add_subparsers(dest="qr_command", metavar="ACTION")

    parse = sub.add_parser("parse", help="parse a Digital Link, element string, GTIN/EAN-13 or standard link")
    parse.add_argument("text")
    parse.add_argument("--json", action="store_true", help="print one JSON object")
    parse.add_argument("--lenient", action="store_true",
                       help="accept Chinese values, zero-suppressed GTINs, convenience alphas (with warnings)")
    parse.set_defaults(func=cmd_parse)

    make = sub.add_parser("make", help="write one QR (or EAN-13) label as PNG or SVG")
    make.add_argument("text")
    make.add_argument("-o", "--output", required=True, type=Path)
    make.add_argument("--size", type=int, default=400, help="width in pixels (default 400)")
    make.add_argument("--label", help="caption under the code (Chinese allowed)")
    make.add_argument("--ean13", action="store_true", help="draw an EAN-13 barcode for a GTIN-13")
    make.add_argument("--domain", default=CANONICAL_DOMAIN, help="resolver for a bare GTIN's Digital Link")
    make.add_argument("--lenient", action="store_true")
    make.set_defaults(func=cmd_make)

    sheet = sub.add_parser("sheet", help="A4 sheet of labels from a CSV (columns gtin,name,lot,serial,expiry …)")
    sheet.add_argument("csv", type=Path)
    sheet.add_argument("-o", "--output", required=True, type=Path)
    sheet.add_argument("--domain", default=CANONICAL_DOMAIN)
    sheet.add_argument("--columns", type=int, default=3)
    sheet.add_argument("--rows", type=int, default=4)
    sheet.set_defaults(func=cmd_sheet)
    qr.set_defaults(func=lambda args: _usage(qr))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _one_line(exc: CodeError) -> str:
    return " ".join(str(exc).split())


def cmd_parse(args) -> int:
    """Print what TEXT is: JSON with --json, else a short Chinese summary."""
    try:
        parsed = parse_any(args.text, strict=not args.lenient)
    except CodeError as exc:
        raise UsageError(_one_line(exc)) from exc
    data = parsed.to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"类型 kind: {parsed.kind}")
    for key in ("gtin", "element_string", "digital_link", "standard", "edition", "clause"):
        if data.get(key):
            print(f"{key}: {data[key]}")
    for item in data.get("ai_details", []):
        extra = f" = {item['interpreted']}" if item["interpreted"] else ""
        print(f"({item['ai']}) {item['title_zh']} {item['value']}{extra}")
    for warning in parsed.warnings:
        print(f"注意: {warning}")
    return 0


def _payload(text: str, domain: str, lenient: bool) -> tuple[str, bool]:
    """Return (QR content, gs1 mode) for the input text."""
    parsed = parse_any(text, strict=not lenient)
    if parsed.kind == "element_string":
        return to_scan_data(parsed.ais), True
    if parsed.kind in ("gtin", "ean13"):
        return build_digital_link(parsed.ais, domain=domain), False
    if parsed.kind == "standard":
        return build_standard_link(parsed.edition or parsed.standard), False
    return text.strip(), False


def cmd_make(args) -> int:
    """Write one label (QR, or EAN-13 with --ean13) to -o as PNG or SVG."""
    suffix = args.output.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise UsageError(f"输出文件应为 .png 或 .svg：{args.output} (output must be .png or .svg)")
    try:
        if args.ean13:
            if suffix != ".png":
                raise UsageError("EAN-13 只能输出 PNG (EAN-13 is written as PNG only)")
            code = gtin14(args.text)
            render.ean13_image(code.removeprefix("0")).save(args.output)
            return 0
        payload, gs1 = _payload(args.text, args.domain, args.lenient)
        if suffix == ".svg":
            args.output.write_text(render.qr_svg(payload, size=args.size, gs1=gs1, label=args.label),
                                   encoding="utf-8")
        else:
            render.qr_image(payload, size=args.size, gs1=gs1, label=args.label).save(args.output)
    except CodeError as exc:
        raise UsageError(_one_line(exc)) from exc
    print(args.output)
    return 0


def read_products(path: Path, domain: str) -> list[tuple[str, str, bool]]:
    """Read the CSV and return (Digital Link, caption, gs1=False) per product row.

    Raises UsageError naming the row for a bad GTIN or value.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise UsageError(f"无法读取 {path}: {exc.strerror}") from exc
    if not rows or "gtin" not in rows[0]:
        raise UsageError(f"{path} 需要表头并至少含 gtin 列 (CSV needs a header with a gtin column)")
    labels = []
    for number, row in enumerate(rows, start=2):
        ais = {}
        try:
            for column, ai in CSV_AI_COLUMNS.items():
                value = (row.get(column) or "").strip()
                if value and ai not in ais:
                    ais[ai] = gtin14(value) if ai == "01" else value
            uri = build_digital_link(ais, domain=domain)
            parse_any(uri, strict=True)           # validates every value
        except CodeError as exc:
            raise UsageError(f"{path} 第 {number} 行: {_one_line(exc)}") from exc
        caption = " ".join(x for x in ((row.get("name") or "").strip(), ais.get("10", "")) if x)
        labels.append((uri, caption or ais["01"], False))
    return labels


def cmd_sheet(args) -> int:
    """Write an A4 sheet (PNG pages, one PDF, or one SVG) of labels for the CSV rows."""
    suffix = args.output.suffix.lower()
    if suffix not in (".png", ".pdf", ".svg"):
        raise UsageError(f"输出文件应为 .png、.pdf 或 .svg：{args.output}")
    labels = read_products(args.csv, args.domain)
    if suffix == ".svg":
        args.output.write_text(_svg_sheet(labels, args.columns, args.rows), encoding="utf-8")
    else:
        render.save_pages(render.sheet_image(labels, columns=args.columns, rows=args.rows), args.output)
    print(args.output)
    return 0


def _svg_sheet(labels: list[tuple[str, str, bool]], columns: int, rows: int) -> str:

    width, height, margin = 210, 297, 10          # A4 in millimetres
    cell_w, cell_h = (width - 2 * margin) / columns, (height - 2 * margin) / rows
    parts = []
    for index, (payload, caption, gs1) in enumerate(labels[: columns * rows]):
        svg = render.qr_svg(payload, gs1=gs1, label=caption)
        x = margin + (index % columns) * cell_w
        y = margin + (index // columns) * cell_h
        inner = svg.replace("<svg ", f'<svg x="{x:.1f}" y="{y:.1f}" ', 1)
        inner = inner.replace('width="400"', f'width="{cell_w - 4:.1f}"', 1)
        parts.append(inner.split(' height="', 1)[0] + f' height="{cell_h - 4:.1f}"'
                     + inner.split(' height="', 1)[1].split('"', 1)[1])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
            f'viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="#fff"/>'
            + "".join(parts) + "</svg>")
