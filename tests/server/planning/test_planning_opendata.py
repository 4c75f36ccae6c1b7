"""Open data of published results: whitelisted columns only (no inspector data), CSV that
Excel reads as UTF-8, JSON with the same columns."""
from __future__ import annotations

import csv
import io
import json

import pytest

from server.planning.opendata import COLUMNS, public_row, to_csv, to_json

RECORD = {"plan_id": "2026-T1", "plan_name": "纺织品双随机抽查", "enterprise": "北京示例婴童服饰有限公司",
          "credit_code": "91110105MA01ABCD00", "item": "婴幼儿纺织产品甲醛含量", "outcome": "fail",
          "inspected_on": "2026-03-12", "order_deadline": "2026-04-12", "order_state": "closed",
          "published_on": "2026-03-20",
          "inspectors": ["JC110105001", "JC110105002"], "inspector_names": ["张三", "赵敏"],
          "id_numbers": ["110105199601011000"], "notes": "internal"}


def test_public_row_keeps_only_public_columns():
    row = public_row(RECORD)
    assert list(row) == [k for k, _ in COLUMNS]
    assert row["result"] == "发现问题" and row["order"] == "已责令改正，限期至 2026-04-12"
    assert row["order_outcome"] == "整改到位"
    text = json.dumps(row, ensure_ascii=False)
    for private in ("JC110105001", "张三", "赵敏", "110105199601011000", "internal"):
        assert private not in text


@pytest.mark.parametrize("outcome, deadline, state, result, order_outcome", [
    ("pass", None, None, "未发现问题", ""),
    ("fail", "2026-04-01", "open", "发现问题", "整改期限未到"),
    ("fail", "2026-04-01", "escalated", "发现问题", "逾期未整改，已报告上级处理"),
    (None, None, None, "待定", ""),
])
def test_wording(outcome, deadline, state, result, order_outcome):
    row = public_row({"outcome": outcome, "order_deadline": deadline, "order_state": state})
    assert (row["result"], row["order_outcome"]) == (result, order_outcome)


def test_csv_and_json():
    rows = [public_row(RECORD), public_row({**RECORD, "outcome": "pass", "order_deadline": None})]
    data = to_csv(rows)
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:3] == ["计划编号", "抽查计划", "检查对象"] and table[2][5] == "未发现问题"
    body = json.loads(to_json(rows))
    assert [c["key"] for c in body["columns"]] == [k for k, _ in COLUMNS] and len(body["rows"]) == 2
