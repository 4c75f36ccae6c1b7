"""What an indicator accepts (device.entry) and what DeviceRecords refuses at the field:
word limits and marking items take their answers, grades the grey scale, numbers only
numbers; a refused value is never stored. Over the real catalog."""
from datetime import date

import pytest

import assets
from device import DeviceRecords, InvalidEntry, entry_spec, ruleset_judge
from rules.ruleset import RuleSet

ODOUR = "GB 18401-2010/4.1/odour"
FORMALDEHYDE = "GB 18401-2010/4.1/formaldehyde/A"
FASTNESS = "GB 18401-2010/4.1/colour-fastness-water/A"
PH = "GB 18401-2010/4.1/ph/A"
MARKING = "GB 2626-2019/8/class-marking"
COLIFORMS = "GB 5749-2022/4.2/total-coliforms"
APF = "GB 21455-2019/4/apf/hp-4500"


@pytest.fixture(scope="module")
def catalog():
    return assets.load_catalog()


@pytest.mark.parametrize("indicator,kind,choices", [
    (ODOUR, "choice", ("无异味", "有异味")),
    (MARKING, "choice", ("已标示", "未标示", "标示不正确")),
    (FASTNESS, "grade", ("5", "4-5", "4", "3-4", "3", "2-3", "2", "1-2", "1")),
    (FORMALDEHYDE, "number", ()),
    (PH, "number", ()),
    (COLIFORMS, "choice", ("未检出", "检出")),
    (APF, "number", ()),
])
def test_each_indicator_gets_the_input_its_limit_needs(catalog, indicator, kind, choices):
    spec = entry_spec(catalog.indicator(indicator))
    assert spec.input == kind and tuple(c.text for c in spec.choices) == choices


def test_an_energy_indicator_offers_the_grades_a_label_may_claim(catalog):
    spec = entry_spec(catalog.indicator(APF))
    assert spec.claims == ("1", "2", "3", "4", "5")
    assert spec.check_claim("一级") == "1" and spec.check_claim("") is None
    with pytest.raises(InvalidEntry, match="标称能效等级应为"):
        spec.check_claim("7")


@pytest.mark.parametrize("indicator,typed,stored", [
    (ODOUR, "无异味", "无异味"),
    (MARKING, "缺失", "未标示"),
    (FASTNESS, "3-4级", "3-4"),
    (FASTNESS, "4～5", "4-5"),
    (FORMALDEHYDE, " 19.8 ", "19.8"),
    (FORMALDEHYDE, "<0.01", "<0.01"),
    (COLIFORMS, "未检出", "未检出"),
])
def test_accepted_entries_are_stored_in_the_limits_own_words(catalog, indicator, typed, stored):
    assert entry_spec(catalog.indicator(indicator)).check(typed) == stored


@pytest.mark.parametrize("indicator,typed,fragment", [
    (ODOUR, "没有异味", "请从列表中选择：无异味 / 有异味"),
    (ODOUR, "abc", "请从列表中选择"),
    (FORMALDEHYDE, "abc", "不是数值，请输入数字"),
    (FORMALDEHYDE, "", "请输入检测结果"),
    (FASTNESS, "6", "不是色牢度等级"),
    (MARKING, "看不清", "已标示 / 未标示 / 标示不正确"),
])
def test_refused_entries_say_what_to_enter(catalog, indicator, typed, fragment):
    with pytest.raises(InvalidEntry) as info:
        entry_spec(catalog.indicator(indicator)).check(typed)
    assert fragment in info.value.message and info.value.code == "validation_failed"
    assert "Error" not in info.value.message                # never an exception's name


@pytest.fixture
def judged(store, catalog):
    records = DeviceRecords(store, judge=ruleset_judge(RuleSet("2025.1", catalog)))
    return records, records.create_inspection(date(2025, 6, 1), product_class="A")


def test_free_text_word_answers_are_refused_never_judged_fail(store, judged):
    """Found: "没有异味" against 无异味 was judged 不合格; "abc" as a measured value was
    saved with the reason "ValueParseError: …"."""
    records, iid = judged
    before = store.outbox.items()
    for indicator, typed in ((ODOUR, "没有异味"), (FORMALDEHYDE, "abc")):
        with pytest.raises(InvalidEntry):
            records.add_finding(iid, indicator, typed, "mg/kg" if indicator == FORMALDEHYDE else None)
    assert store.outbox.items() == before and records.findings_of(iid) == []
    fid = records.add_finding(iid, ODOUR, "无异味")
    assert store.records.get("finding", fid)["data"]["device_verdict"]["outcome"] == "pass"


def test_a_unit_the_rules_cannot_convert_is_refused_not_stored(store, judged):
    records, iid = judged
    with pytest.raises(InvalidEntry, match="不能换算为 mg/kg"):
        records.add_finding(iid, FORMALDEHYDE, "15", "km/h")
    assert records.findings_of(iid) == []


def test_an_energy_finding_keeps_the_claimed_grade_and_judges_it(store, judged):
    records, iid = judged
    fid = records.add_finding(iid, APF, "3.40", claimed_grade="1级")
    data = store.records.get("finding", fid)["data"]
    assert data["claimed_grade"] == "1" and data["device_verdict"]["outcome"] == "fail"
