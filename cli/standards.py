"""`gbfield standards list|show|search`: browse the standards catalog in a terminal."""
from __future__ import annotations

import json
import sys
import unicodedata
from datetime import date

from assets import CatalogError, catalog_digest, load_catalog
from assets.search import search_catalog
from cli.main import UsageError, add_command
from cli.standards_data import register_actions
from rules.catalog import Catalog, Edition, Standard, normalise_code
from rules.editions import edition_in_force, status
from rules.errors import NoEditionInForce, UnknownEdition, UnknownStandard


def register(subparsers) -> None:
    """Add the `standards` command group to the gbfield parser."""
    p = add_command(subparsers, "standards")
    sub = p.add_subparsers(dest="standards_command", metavar="ACTION")
    ls = sub.add_parser("list", help="列出标准及现行版本")
    ls.add_argument("--json", action="store_true", help="JSON output")
    ls.add_argument("--on", metavar="DATE", help="状态计算日期 YYYY-MM-DD（默认今天）")
    ls.set_defaults(func=cmd_list)
    show = sub.add_parser("show", help="查看一个标准：版本、条款、指标")
    show.add_argument("code", help='标准号，如 "GB 18401"、"GB18401"、"gb 18401-2010"')
    show.add_argument("--json", action="store_true")
    show.add_argument("--on", metavar="DATE", help="状态计算日期（默认今天）")
    show.set_defaults(func=cmd_show)
    se = sub.add_parser("search", help="中文搜索标准名称、条款、指标")
    se.add_argument("text", nargs="+")
    se.add_argument("--json", action="store_true")
    se.add_argument("--limit", type=int, default=20)
    se.set_defaults(func=cmd_search)

    register_actions(sub, _catalog, _parse_on, _print_json, format_table)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


# --- helpers -----------------------------------------------------------------------------

def _catalog() -> Catalog:
    try:
        return load_catalog()
    except CatalogError as exc:
        raise UsageError(str(exc)) from exc


def _parse_on(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期无法识别：{text!r}（应为 YYYY-MM-DD）") from None


def display_width(text: str) -> int:
    """Return the terminal width of text: wide/full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """Return rows as aligned columns (CJK width aware), a header and a rule line."""
    widths = [max(display_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(_pad(str(c), w) for c, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(str(c), w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _in_force(std: Standard, on: date) -> Edition | None:
    try:
        return edition_in_force(std, on)
    except NoEditionInForce:
        return None


def _resolve(catalog: Catalog, text: str) -> tuple[Standard, Edition | None]:
    code, year = normalise_code(text)
    try:
        std = catalog.standard(code)
    except UnknownStandard as exc:
        hint = f"；相近的标准：{'、'.join(exc.suggestions)}" if exc.suggestions else ""
        raise UsageError(f"目录中没有标准 {text!r}{hint}") from None
    if not year:
        return std, None
    try:
        return std, std.edition(f"{std.code}-{year}")
    except UnknownEdition:
        have = "、".join(e.id for e in std.editions)
        raise UsageError(f"目录中没有版本 {std.code}-{year}；已有：{have}") from None


# --- commands ----------------------------------------------------------------------------

def cmd_list(args) -> int:
    """Print every standard with its edition in force and that edition's status."""
    catalog, on = _catalog(), _parse_on(args.on)
    rows = []
    for std in catalog.standards:
        ed = _in_force(std, on)
        shown = ed or min(std.editions, key=lambda e: e.effective)
        rows.append({"code": std.code, "title": std.title, "field": std.field,
                     "edition": ed.id if ed else None, "status": status(shown, on, std),
                     "indicators": sum(len(e.indicators) for e in std.editions)})
    if args.json:
        _print_json({"on": on.isoformat(), "digest": catalog_digest(catalog), "standards": rows})
        return 0
    print(format_table(["标准号", "名称", "现行版本", "状态", "指标数"],
                       [[r["code"], r["title"], r["edition"] or "—", r["status"], str(r["indicators"])] for r in rows]))
    return 0


def _edition_dict(ed: Edition, std: Standard, on: date) -> dict:
    return {
        "id": ed.id, "title": ed.title, "status": status(ed, on, std),
        "issued": ed.issued.isoformat() if ed.issued else None, "effective": ed.effective.isoformat(),
        "withdrawn": ed.withdrawn.isoformat() if ed.withdrawn else None,
        "replaces": list(ed.replaces), "replaced_by": ed.replaced_by,
        "transition": None if ed.transition is None else {
            "production_until": ed.transition.production_until and ed.transition.production_until.isoformat(),
            "sale_until": ed.transition.sale_until and ed.transition.sale_until.isoformat(),
            "note": ed.transition.note},
        "classes": [{"id": c.id, "name": c.name, "description": c.description} for c in ed.classes],
        "categories": [{"id": c.id, "name": c.name, "required_class": c.required_class} for c in ed.categories],
        "clauses": [{"number": c.number, "title": c.title, "summary": c.summary} for c in ed.clauses],
        "indicators": [{"id": i.id, "clause": i.clause, "name": i.name, "limit": i.limit, "unit": i.unit,
                        "classes": list(i.classes), "categories": list(i.categories),
                        "test_method": i.test_method, "key": i.key, "kind": i.kind,
                        "unverified": list(i.unverified), "confirmed": i.confirmed,
                        "source": None if i.source is None else {"title": i.source.title, "url": i.source.url,
                                                                   "note": i.source.note}}
                       for i in ed.indicators],
    }


def cmd_show(args) -> int:
    """Print one standard (or one edition when a year is given): editions, clauses, indicators."""
    catalog, on = _catalog(), _parse_on(args.on)
    std, only = _resolve(catalog, args.code)
    editions = [only] if only else sorted(std.editions, key=lambda e: e.effective, reverse=True)
    if args.json:
        _print_json({"code": std.code, "title": std.title, "field": std.field, "on": on.isoformat(),
                     "editions": [_edition_dict(e, std, on) for e in editions]})
        return 0
    print(f"{std.code}  {std.title}  [{std.field}]")
    for ed in editions:
        print()
        dates = f"实施 {ed.effective}" + (f"，废止 {ed.withdrawn}" if ed.withdrawn else "")
        print(f"{ed.id}  {status(ed, on, std)}  （{dates}）")
        if ed.replaces:
            print(f"  代替：{'、'.join(ed.replaces)}")
        if ed.transition and ed.transition.note:
            print(f"  过渡期：{ed.transition.note}")
        if ed.classes:
            print("  类别：" + "；".join(f"{c.id} {c.description or c.name}" for c in ed.classes))
        if ed.clauses:
            print("  条款：")
            for c in ed.clauses:
                print(f"    {c.number}  {c.title}")
        rows = [[i.clause, i.name, i.limit + ("（待核实）" if not i.confirmed else ""), i.unit or "",
                 "/".join(i.classes) or "全部",
                 i.test_method or "", "★" if i.key else ""] for i in ed.indicators]
        if rows:
            print()
            print("\n".join("  " + line for line in format_table(
                ["条款", "指标", "限值", "单位", "类别", "检验方法", "关键"], rows).splitlines()))
    return 0


def cmd_search(args) -> int:
    """Print catalog hits for the Chinese query, best first."""
    catalog = _catalog()
    text = " ".join(args.text).strip()
    if not text:
        raise UsageError("搜索内容为空")
    if args.limit < 1:
        raise UsageError("--limit 必须为正整数")
    hits = search_catalog(catalog, text, args.limit)
    if args.json:
        _print_json({"query": text, "hits": [{"kind": h.kind, "id": h.id, "standard": h.standard_code,
                                               "title": h.title, "score": h.score} for h in hits]})
        return 0
    if not hits:
        print(f"没有找到与“{text}”相关的标准或指标")
        return 1
    kinds = {"standard": "标准", "clause": "条款", "indicator": "指标"}
    print(format_table(["类型", "标准", "内容", "编号"],
                       [[kinds[h.kind], h.standard_code, h.title, h.id] for h in hits]))
    return 0


__all__ = ["display_width", "format_table", "register"]
