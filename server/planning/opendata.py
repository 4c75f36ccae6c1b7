"""Published results (一公开) as open data: the columns the public sees, and CSV / JSON.

A published row is built from a whitelist, so nothing else — above all no inspector's
name, roster code or ID number — can reach a public page or file:

    public_row({...any result record...}) -> {plan_id, plan_name, enterprise, credit_code, item,
                                              result, inspected_on, order, order_outcome, published_on}
    to_csv(rows) -> bytes     # UTF-8 with BOM (Excel on Windows opens it as UTF-8), Chinese headers
    to_json(rows) -> bytes    # {"columns": [...], "rows": [...]}

Result wording follows the publicity system's usual phrases: 未发现问题 / 发现问题; an order
to correct (责令改正) shows its deadline and, once known, whether it was met.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from server.kernel.csvcells import safe_cell

COLUMNS = (("plan_id", "计划编号"), ("plan_name", "抽查计划"), ("enterprise", "检查对象"),
           ("credit_code", "统一社会信用代码"), ("item", "抽查事项"), ("result", "检查结果"),
           ("inspected_on", "检查日期"), ("order", "责令改正"), ("order_outcome", "整改情况"),
           ("published_on", "公示日期"))
RESULTS = {"pass": "未发现问题", "fail": "发现问题"}
ORDER_OUTCOMES = {"open": "整改期限未到", "reinspecting": "待复查", "closed": "整改到位",
                  "escalated": "逾期未整改，已报告上级处理"}


def public_row(record: Mapping[str, Any]) -> dict[str, str]:
    """Return the public form of one result record (keys of COLUMNS only, text values).

    `record` may hold anything; only these are read: plan_id, plan_name, enterprise,
    credit_code, item, outcome ("pass"/"fail"), inspected_on, order_deadline, order_state,
    published_on.
    """
    deadline = record.get("order_deadline")
    state = record.get("order_state")
    return {"plan_id": str(record.get("plan_id") or ""), "plan_name": str(record.get("plan_name") or ""),
            "enterprise": str(record.get("enterprise") or ""), "credit_code": str(record.get("credit_code") or ""),
            "item": str(record.get("item") or ""),
            "result": RESULTS.get(str(record.get("outcome")), "待定"),
            "inspected_on": str(record.get("inspected_on") or ""),
            "order": f"已责令改正，限期至 {deadline}" if deadline else "",
            "order_outcome": ORDER_OUTCOMES.get(str(state), "") if deadline else "",
            "published_on": str(record.get("published_on") or "")}


def to_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Return the rows (public_row form) as CSV with Chinese headers, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([safe_cell(row.get(key, "")) for key, _ in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Return {"columns": [{key, label}], "rows": [...]} as UTF-8 JSON."""
    body = {"columns": [{"key": k, "label": v} for k, v in COLUMNS],
            "rows": [{key: row.get(key, "") for key, _ in COLUMNS} for row in rows]}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
