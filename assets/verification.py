"""What no public source confirmed: one table of every unverified value, and the share
of indicator values confirmed (for `gbfield standards unverified` and the closing notes)."""
from __future__ import annotations

from rules.catalog import Catalog

PART_TEXT = {"value": "限值", "clause": "条款号", "test_method": "检验方法", "unit": "单位", "scope": "适用范围",
             "wording": "措辞", "grade_table": "等级表", "issued": "发布日期", "effective": "实施日期",
             "transition": "过渡期", "amendment": "修改单"}


def unverified_rows(catalog: Catalog) -> list[dict]:
    """Return one row per edition or indicator with unverified parts: {edition, item, name,
    limit, unit, parts (keys), parts_text (Chinese), source_url}, in catalog order."""
    rows = []
    for std in catalog.standards:
        for ed in std.editions:
            if ed.unverified:
                rows.append({"edition": ed.id, "item": ed.id, "name": ed.title, "limit": None, "unit": None,
                             "parts": list(ed.unverified), "parts_text": "、".join(PART_TEXT[p] for p in ed.unverified),
                             "source_url": ed.source.url if ed.source else None})
            for ind in ed.indicators:
                if ind.unverified:
                    rows.append({"edition": ed.id, "item": ind.id, "name": ind.name, "limit": ind.limit, "unit": ind.unit,
                                 "parts": list(ind.unverified),
                                 "parts_text": "、".join(PART_TEXT[p] for p in ind.unverified),
                                 "source_url": ind.source.url if ind.source else None})
    return rows


def confirmed_share(catalog: Catalog) -> dict:
    """Return {"indicators", "values_confirmed", "fully_confirmed", "share_values", "share_full"}:
    values confirmed = no "value"/"grade_table" in `unverified`; fully = nothing unverified."""
    inds = list(catalog.indicators())
    values = sum(1 for i in inds if i.confirmed)
    full = sum(1 for i in inds if not i.unverified)
    total = len(inds) or 1
    return {"indicators": len(inds), "values_confirmed": values, "fully_confirmed": full,
            "share_values": round(100 * values / total, 1), "share_full": round(100 * full / total, 1)}
