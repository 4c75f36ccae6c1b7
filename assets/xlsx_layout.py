"""The layout of the committee workbook (`assets.xlsx`): blocks, columns and cell codecs.

One sheet per standard. A sheet is a run of blocks; each block starts with a marker row
(【标准】, 【版本】 …), then a header row, then one row per item until a blank row. Column
headers are written "中文（key）"; either part is accepted on reading. Lists are joined with
"、", answers as "无异味=符合；有异味=不符合" (an English text may follow: "已标示=符合=present").
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from assets.loader import CatalogError

#: block key -> (marker, [(column key, Chinese label)])
BLOCKS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "standard": ("【标准】", [("field_name", "字段"), ("value", "内容")]),
    "edition": ("【版本】", [
        ("id", "版本号"), ("year", "年份"), ("title", "名称"), ("title_en", "英文名称"), ("issued", "发布日期"),
        ("effective", "实施日期"), ("withdrawn", "废止日期"), ("replaces", "代替"), ("replaced_by", "被代替"),
        ("production_until", "过渡期生产截止"), ("sale_until", "过渡期销售截止"), ("transition_note", "过渡期说明"),
        ("unverified", "待核实"), ("source_title", "来源"), ("source_url", "来源网址"), ("source_note", "来源说明"),
        ("openstd_hcno", "公开平台编号")]),
    "category": ("【产品类别】", [("edition", "版本号"), ("id", "编号"), ("name", "名称"), ("name_en", "英文名称"),
                              ("required_class", "最低类别")]),
    "class": ("【产品等级】", [("edition", "版本号"), ("id", "编号"), ("name", "名称"), ("description", "说明")]),
    "clause": ("【条款】", [("edition", "版本号"), ("number", "条款号"), ("title", "标题"), ("summary", "摘要")]),
    "indicator": ("【指标】", [
        ("edition", "版本号"), ("id", "指标编号"), ("clause", "条款号"), ("name", "名称"), ("name_en", "英文名称"),
        ("kind", "类型"), ("limit", "限值或要求"), ("unit", "单位"), ("method", "判定方法"), ("interval", "修约间隔"),
        ("categories", "产品类别"), ("classes", "产品等级"), ("test_method", "检验方法"), ("key", "关键指标"),
        ("answers", "可选答案"), ("unverified", "待核实"), ("source_title", "来源"), ("source_url", "来源网址"),
        ("source_note", "来源说明"), ("note", "备注")]),
    "grade": ("【能效等级表】", [("indicator", "指标编号"), ("measure", "测量项目"), ("unit", "单位"), ("grade", "等级"),
                             ("limit", "限值")]),
    "relation": ("【关联标准】", [
        ("edition", "版本号"), ("type", "关系"), ("target", "关联标准号"), ("title", "名称"), ("clause", "条款号"),
        ("note", "说明"), ("categories", "产品类别"), ("source_title", "来源"), ("source_url", "来源网址"),
        ("source_note", "来源说明")]),
    "amendment": ("【修改单】", [
        ("edition", "版本号"), ("id", "修改单号"), ("issued", "发布日期"), ("effective", "实施日期"), ("summary", "内容"),
        ("source_title", "来源"), ("source_url", "来源网址"), ("source_note", "来源说明")]),
}
MARKERS = {marker: key for key, (marker, _) in BLOCKS.items()}
STANDARD_FIELDS = [("code", "标准号"), ("title", "名称"), ("title_en", "英文名称"), ("field", "领域"), ("mandatory", "强制性")]

KINDS = {"limit": "限值", "marking": "标示", "energy_grade": "能效等级"}
METHODS = {"full": "全数值比较法", "rounded": "修约值比较法"}
RELATIONS = {"replaces_part": "部分代替", "together": "须同时符合", "test_method": "检验方法", "refers": "规范性引用"}
OUTCOMES = {"pass": "符合", "fail": "不符合"}
UNVERIFIED = {"value": "限值", "clause": "条款号", "test_method": "检验方法", "unit": "单位", "scope": "适用范围",
              "wording": "措辞", "grade_table": "等级表", "issued": "发布日期", "effective": "实施日期",
              "transition": "过渡期", "amendment": "修改单"}
YES, NO = "是", "否"
_SPLIT = re.compile(r"[、;；,，\n]+")
_HEADER = re.compile(r"^(.*?)[（(]\s*([a-z_]+)\s*[)）]\s*$")


class CellError(CatalogError, ValueError):
    """A cell that cannot be read; the message (`reason`, str()) is Chinese and says what
    is expected. The workbook reader puts the sheet, row and column beside it."""

    def __init__(self, reason: str):
        self.file, self.pointer, self.reason = "", "/", reason
        Exception.__init__(self, reason)


def header_text(key: str, label: str) -> str:
    """The header cell of a column: "版本号（id）"."""
    return f"{label}（{key}）"


def header_key(text: str, columns: list[tuple[str, str]]) -> str | None:
    """Return the column key a header cell names ("版本号（id）", "版本号" or "id"), or None."""
    text = text.strip()
    match = _HEADER.match(text)
    keys = {k for k, _ in columns}
    if match and match.group(2) in keys:
        return match.group(2)
    for key, label in columns:
        if text in (key, label):
            return key
    return None


def cell_text(value) -> str | None:
    """Return a cell as text (None for an empty cell); numbers keep their digits, dates ISO."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    text = str(value).strip()
    return text or None


def read_date(text: str | None) -> str | None:
    """"2024-11-01", "2024/11/1", "2024年11月1日" -> ISO; raises CellError."""
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    try:
        if not match:
            raise ValueError
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        raise CellError(f"日期无法识别：{text!r}（应为 YYYY-MM-DD）") from None


def read_bool(text: str | None, default: bool) -> bool:
    """是/否 (also true/false, 1/0, Y/N); raises CellError."""
    if text is None:
        return default
    low = text.lower()
    if low in (YES, "true", "1", "y", "yes", "强制"):
        return True
    if low in (NO, "false", "0", "n", "no", "推荐"):
        return False
    raise CellError(f"应为“是”或“否”：{text!r}")


def read_list(text: str | None) -> list[str]:
    """Split a list cell on 、 ; ， and new lines."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def read_choice(text: str | None, table: dict[str, str], what: str, default: str | None = None) -> str | None:
    """Map a Chinese label or a key to the key; raises CellError naming the accepted words."""
    if text is None:
        return default
    for key, label in table.items():
        if text in (key, label):
            return key
    raise CellError(f"{what}应为：{'、'.join(table.values())}（不是 {text!r}）")


def read_unverified(text: str | None) -> list[str]:
    """待核实 cell: 限值、条款号 … (or keys) -> keys; raises CellError."""
    return [read_choice(part, UNVERIFIED, "待核实项") for part in read_list(text)]


def write_unverified(parts) -> str | None:
    return "、".join(UNVERIFIED[p] for p in parts) or None


def read_answers(text: str | None) -> list[dict]:
    """"无异味=符合；有异味=不符合" (optionally "=english") -> answer dicts; raises CellError."""
    out = []
    for part in re.split(r"[;；\n]+", text or ""):
        if not part.strip():
            continue
        bits = [b.strip() for b in part.split("=")]
        if len(bits) not in (2, 3) or not bits[0]:
            raise CellError(f"可选答案应写作“答案=符合”或“答案=不符合”，用“；”分隔：{part!r}")
        outcome = read_choice(bits[1], OUTCOMES, "答案的判定")
        out.append({"text": bits[0], "outcome": outcome, "text_en": bits[2] if len(bits) == 3 and bits[2] else None})
    return out


def write_answers(answers) -> str | None:
    parts = [f"{a['text']}={OUTCOMES[a['outcome']]}" + (f"={a['text_en']}" if a.get("text_en") else "") for a in answers]
    return "；".join(parts) or None
