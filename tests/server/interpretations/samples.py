"""Real-language sample interpretations and questions for the tests."""
from __future__ import annotations

FORMALDEHYDE_A = "GB 18401-2010/4.1/formaldehyde/A"

INFANT_CLASS_A = {
    "title": "婴幼儿纺织产品的甲醛含量按A类判定",
    "text": ("36个月及以下婴幼儿穿着或使用的纺织产品（如婴儿连体衣、睡袋、口水巾）应符合A类要求，"
             "甲醛含量按A类限值 ≤20 mg/kg 判定，不得按B类或C类判定。"),
    "clauses": [{"edition_id": "GB 18401-2010", "clause": "4.1"}],
    "indicator_ids": [FORMALDEHYDE_A],
    "effective": "2024-01-01",
    "effect": {"method": "rounded"},
}

EBIKE_SPEED = {
    "title": "电动自行车最高设计车速的测量",
    "text": "最高设计车速按整车在平直路面上电机助力停止时的车速测量，超过25 km/h 判为不合格。",
    "clauses": [{"edition_id": "GB 17761-2024", "clause": "4.1"}],
    "indicator_ids": [],
    "effective": "2025-09-01",
    "effect": {"interval": "1"},
}

INFANT_QUESTION = "婴儿连体衣的甲醛按哪一类判定？"
UNRELATED_QUESTION = "饮用水中菌落总数超标时如何复检？"
