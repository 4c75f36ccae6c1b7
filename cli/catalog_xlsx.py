"""`gbfield catalog import FILE.xlsx`: read the committee workbook, print the row-by-row
report, and give the catalog to import (the packaged standards with the workbook's
standards in place of those with the same number)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from assets import CatalogError
from assets.xlsx import normalise_standard, read_workbook
from cli.main import UsageError

_BLOCKS = {"standard": "标准", "edition": "版本", "category": "产品类别", "class": "产品等级", "clause": "条款",
           "indicator": "指标", "grade": "能效等级表", "relation": "关联标准", "amendment": "修改单"}


def print_report(report: dict, stream=None) -> None:
    """Print one line per rejected row of a row report (`WorkbookResult.to_dict()`) and a
    summary (counts of good and bad rows)."""
    stream = stream or sys.stderr
    bad = [r for r in report["rows"] if r["status"] != "ok"]
    for rep in bad:
        for err in rep["errors"]:
            where = f"{rep['sheet']} 第{rep['row']}行" if rep["row"] else rep["sheet"]
            print(f"{where}【{_BLOCKS.get(rep['block'], rep['block'])}】{rep['id'] or ''} {err['column']}：{err['reason']}",
                  file=stream)
    rejected = report["rejected"]
    print(f"共 {len(report['rows'])} 行：通过 {len(report['rows']) - len(bad)} 行，有错 {len(bad)} 行；"
          f"可导入标准 {len(report['standards'])} 个" + (f"，拒绝：{'、'.join(rejected)}" if rejected else ""),
          file=stream)


def workbook_standards(path: str, *, report_json: bool = False) -> list[dict]:
    """Read the workbook, print its report; raises UsageError when nothing can be imported."""
    if not Path(path).is_file():
        raise UsageError(f"找不到文件：{path}")
    try:
        result = read_workbook(path)
    except CatalogError as exc:
        raise UsageError(str(exc)) from exc
    if report_json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    print_report(result.to_dict())
    if not result.standards:
        raise UsageError("工作簿中没有可导入的标准")
    return result.standards


def write_json(standards: list[dict], out: str) -> list[Path]:
    """Write each standard as assets-style JSON (`GB-4351.json`) into directory `out`."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for std in standards:
        data = {"$schema": "../schema/standard.schema.json", **normalise_standard(std)}
        path = folder / ("GB-" + std["code"].split(" ", 1)[1].replace("/", "-") + ".json")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
