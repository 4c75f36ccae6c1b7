"""Printable PDFs of the planning feature (fpdf2, CJK through the bundled WenQuanYi Micro Hei).

    checklist_pdf(checklist) -> bytes      # 合规自查清单, A4 landscape, one table per standard

fpdf2 is the project's PDF library (docs/decisions.md): pure Python, so the same generator
runs on the tablet (现场笔录) and the server; it embeds only the glyphs used (a one-page list
is ~60 KB, not the 5 MB font).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

import assets
from server.planning.selfcheck import Checklist

FONT_PATH = Path(assets.__file__).parent / "fonts" / "wqy-microhei.ttc"
FONT = "wqy"
COLUMNS = (("序号", 10), ("条款", 14), ("检验项目", 58), ("要求（限值）", 34), ("单位", 16),
           ("判定方法", 24), ("检验方法标准", 34), ("自查结果", 36), ("备注", 31))
DISCLAIMER = ("本清单依据标准现行有效版本中的关键指标生成，供企业自查参考，不替代检验报告；"
              "以标准文本为准。条款、限值与检验方法均注明出处。")


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return FONT_PATH.read_bytes()


class _Doc(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=14)
        self.add_font(FONT, fname=str(FONT_PATH), collection_font_number=0)
        self.set_font(FONT, size=10)

    def footer(self):
        self.set_y(-11)
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.footer_text}    第 {self.page_no()} / {{nb}} 页", align="C")
        self.set_text_color(0)


def checklist_pdf(checklist: Checklist) -> bytes:
    """Return the PDF bytes of a self-check list (raises nothing for an empty list: it says so)."""
    doc = _Doc(f"gbfield 合规自查清单 · 依据 {checklist.on.isoformat()} 现行标准")
    doc.add_page()
    doc.set_font(FONT, size=18)
    doc.cell(0, 10, checklist.title, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, size=10)
    subject = checklist.subject
    facts = [("产品", subject.get("name")), ("商品条码", subject.get("gtin")), ("生产企业", subject.get("company_name")),
             ("安全类别", subject.get("product_class")), ("依据日期", checklist.on.isoformat())]
    doc.cell(0, 7, "    ".join(f"{k}：{v}" for k, v in facts if v), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    if not checklist.sections:
        doc.multi_cell(0, 7, "标准库中没有适用于该产品的标准，请核对产品信息。", new_x="LMARGIN", new_y="NEXT")
    number = 0
    for section in checklist.sections:
        doc.set_font(FONT, size=12)
        heading = f"{section.edition_id} {section.title}（{section.status}）"
        if section.category_name:
            heading += f"  适用范围：{section.category_name}"
        if section.product_class:
            heading += f"  {section.product_class}类"
        if section.required_by:
            heading += f"  （{section.required_by} 要求同时符合）"
        doc.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FONT, size=9)
        with doc.table(col_widths=tuple(w for _, w in COLUMNS), line_height=5.5, first_row_as_headings=True,
                       headings_style=FontFace(emphasis=None, fill_color=(225, 232, 242)),
                       text_align=("CENTER", "CENTER", "LEFT", "LEFT", "CENTER", "CENTER", "LEFT", "LEFT", "LEFT"),
                       padding=1.2) as table:
            header = table.row()
            for name, _ in COLUMNS:
                header.cell(name)
            for row in section.rows:
                number += 1
                cells = table.row()
                for value in (str(number), row.clause, row.name + (" ★" if row.key else ""), row.limit,
                              row.unit or "—", row.method, row.test_method or "—", "□ 符合  □ 不符合", ""):
                    cells.cell(value)
        doc.ln(3)
    if checklist.missing:
        doc.multi_cell(0, 6, "标准库中未找到：" + "、".join(checklist.missing), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, size=9)
    doc.multi_cell(0, 5, "★ 关键指标。" + DISCLAIMER, new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.set_font(FONT, size=11)
    doc.cell(0, 8, "自查人（签字）：____________    自查日期：____________    企业（盖章）：____________",
             new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
