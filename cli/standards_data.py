"""`gbfield standards unverified|chain|export`: what is not yet confirmed, the related-standards
chain, and the committee workbook."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from assets.loader import default_paths, read_standard_dicts
from assets.verification import confirmed_share, unverified_rows
from assets.xlsx import write_workbook
from cli.main import UsageError
from rules.catalog import normalise_code
from rules.chain import resolve, standard_chain


def register_actions(sub, catalog_loader, parse_on, print_json, format_table) -> None:
    """Add the actions to the `standards` parser's subparsers."""
    un = sub.add_parser("unverified", help="列出所有尚未与公开来源核对的数值（待核实）")
    un.add_argument("--json", action="store_true")
    un.set_defaults(func=lambda a: cmd_unverified(a, catalog_loader(), print_json, format_table))
    ch = sub.add_parser("chain", help="关联标准链：代替关系、修改单、检验方法、须同时符合的标准")
    ch.add_argument("edition", help='版本号，如 "GB 31701-2015"（只写标准号则取现行版本）')
    ch.add_argument("--on", metavar="DATE")
    ch.add_argument("--json", action="store_true")
    ch.set_defaults(func=lambda a: cmd_chain(a, catalog_loader(), parse_on(a.on), print_json))
    ex = sub.add_parser("export", help="把标准目录导出为填报表 XLSX（每个标准一个工作表）")
    ex.add_argument("out", help="输出文件 .xlsx")
    ex.add_argument("codes", nargs="*", help="只导出这些标准（默认全部）")
    ex.set_defaults(func=cmd_export)


def cmd_unverified(args, catalog, print_json, format_table) -> int:
    """Print one table of every value no public source confirmed, and the confirmed share."""
    rows, share = unverified_rows(catalog), confirmed_share(catalog)
    if args.json:
        print_json({"share": share, "rows": rows})
        return 0
    print(format_table(["版本", "项目", "名称", "限值", "单位", "待核实", "来源网址"],
                       [[r["edition"], r["item"], r["name"], r["limit"] or "", r["unit"] or "", r["parts_text"],
                         r["source_url"] or "（无）"] for r in rows]))
    print()
    print(f"指标 {share['indicators']} 个：限值已与公开来源核对 {share['values_confirmed']} 个（{share['share_values']}%），"
          f"全部内容已核对 {share['fully_confirmed']} 个（{share['share_full']}%）；待核实条目 {len(rows)} 条")
    return 0


def cmd_chain(args, catalog, on: date, print_json) -> int:
    """Print the related-standards chain of an edition (or the edition in force)."""
    edition = resolve(catalog, args.edition, on)
    if edition is None:
        raise UsageError(f"目录中没有 {args.edition!r}")
    chain = standard_chain(catalog, edition.id, on)
    if args.json:
        print_json(chain.to_dict())
        return 0
    print(f"{chain.edition_id}  {chain.status}（{on}）")
    sections = [("沿革", chain.history), ("须同时符合", chain.together), ("被要求同时符合", chain.required_by),
                ("检验方法", chain.test_methods), ("规范性引用", chain.references)]
    for title, links in sections:
        if not links:
            continue
        print(f"\n{title}：")
        for x in links:
            where = f"→ {x.edition_id}（{x.status}）" if x.edition_id else "（目录外）"
            name = f" {x.title}" if x.title else ""
            print(f"  {x.from_edition} {x.label} {x.target}{name} {where}" + (f"；{x.note}" if x.note else ""))
    if chain.amendments:
        print("\n修改单：")
        for a in chain.amendments:
            print(f"  {chain.edition_id}/{a.id}  {a.summary}")
    return 0


def cmd_export(args) -> int:
    """Write the packaged catalog (or some standards) as the committee workbook."""
    wanted = {normalise_code(c)[0] for c in args.codes}
    stds = [d for p in default_paths() for _, d in read_standard_dicts(p) if not wanted or d["code"] in wanted]
    if wanted - {d["code"] for d in stds}:
        raise UsageError(f"目录中没有：{'、'.join(sorted(wanted - {d['code'] for d in stds}))}")
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("输出文件应以 .xlsx 结尾")
    write_workbook(stds, out)
    print(f"已导出 {len(stds)} 个标准到 {out}", file=sys.stderr)
    return 0
