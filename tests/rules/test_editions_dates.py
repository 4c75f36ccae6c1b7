"""rules.editions: status, the edition in force (with GB 17761's transition), applicability."""
from datetime import date

import pytest

from rules.catalog import Catalog
from rules.editions import applicable_indicators, edition_in_force, required_class, status
from rules.errors import NoEditionInForce


def _ed(eid, effective, **kw):
    d = {"id": eid, "year": int(eid[-4:]), "title": "电动自行车安全技术规范", "effective": effective,
         "source": {"title": "t"}, "clauses": [{"number": "4.1", "title": "要求"}], "indicators": []}
    d.update(kw)
    return d


EBIKE = Catalog.from_dicts([{
    "code": "GB 17761", "title": "电动自行车安全技术规范", "field": "ebike", "mandatory": True, "editions": [
        _ed("GB 17761-2018", "2019-04-15", replaced_by="GB 17761-2024"),
        _ed("GB 17761-2024", "2025-09-01", replaces=["GB 17761-2018"],
            transition={"production_until": "2025-08-31", "sale_until": "2025-11-30"}),
    ]}]).standard("GB 17761")
OLD, NEW = EBIKE.edition("GB 17761-2018"), EBIKE.edition("GB 17761-2024")


@pytest.mark.parametrize("edition,on,expected", [
    (NEW, date(2025, 8, 31), "即将实施"),
    (NEW, date(2025, 9, 1), "现行"),
    (OLD, date(2019, 4, 14), "即将实施"),
    (OLD, date(2025, 8, 31), "现行"),
    (OLD, date(2025, 9, 1), "废止"),
])
def test_status(edition, on, expected):
    assert status(edition, on) == expected


def test_status_derives_withdrawal_from_standard_when_edition_lacks_it():
    from dataclasses import replace
    bare = replace(OLD, withdrawn=None)
    assert status(bare, date(2025, 10, 1)) == "现行"          # nothing says otherwise
    assert status(bare, date(2025, 10, 1), EBIKE) == "废止"    # replacing edition's effective date


@pytest.mark.parametrize("manufactured,on,expected", [
    (date(2025, 8, 20), date(2025, 10, 15), "GB 17761-2018"),   # inside the sales transition
    (date(2025, 8, 31), date(2025, 11, 30), "GB 17761-2018"),   # last days of both windows
    (date(2025, 8, 20), date(2025, 12, 2), "GB 17761-2024"),    # sale banned from 2025-12-01
    (date(2025, 8, 20), date(2025, 12, 1), "GB 17761-2024"),
    (date(2025, 9, 5), date(2025, 9, 10), "GB 17761-2024"),     # made after production_until
    (date(2025, 9, 5), date(2025, 10, 15), "GB 17761-2024"),
    (None, date(2025, 10, 15), "GB 17761-2024"),                 # no proof of manufacture date
    (date(2025, 8, 20), date(2025, 8, 25), "GB 17761-2018"),    # before the new edition
    (date(2020, 1, 1), date(2024, 1, 1), "GB 17761-2018"),
])
def test_edition_in_force_on_sale(manufactured, on, expected):
    assert edition_in_force(EBIKE, on, manufactured=manufactured).id == expected


@pytest.mark.parametrize("on,expected", [
    (date(2025, 8, 31), "GB 17761-2018"), (date(2025, 9, 1), "GB 17761-2024")])
def test_edition_in_force_at_production_ignores_transition(on, expected):
    got = edition_in_force(EBIKE, on, manufactured=date(2025, 8, 1), stage="production")
    assert got.id == expected


def test_no_edition_in_force_before_first_effective_date():
    with pytest.raises(NoEditionInForce):
        edition_in_force(EBIKE, date(2019, 4, 14))


def test_bad_stage():
    with pytest.raises(ValueError):
        edition_in_force(EBIKE, date(2025, 1, 1), stage="import")


def test_transition_without_production_until_uses_day_before_effective():
    std = Catalog.from_dicts([{"code": "GB 9", "title": "t", "field": "toy", "mandatory": True, "editions": [
        _ed("GB 9-2010", "2010-01-01", replaced_by="GB 9-2020"),
        _ed("GB 9-2020", "2020-06-01", replaces=["GB 9-2010"], transition={"sale_until": "2020-12-31"})]}]).standard("GB 9")
    assert edition_in_force(std, date(2020, 7, 1), manufactured=date(2020, 5, 31)).id == "GB 9-2010"
    assert edition_in_force(std, date(2020, 7, 1), manufactured=date(2020, 6, 1)).id == "GB 9-2020"


TEXTILE = Catalog.from_dicts([{"code": "GB 18401", "title": "国家纺织产品基本安全技术规范", "field": "textile",
    "mandatory": True, "editions": [_ed("GB 18401-2010", "2011-08-01",
        classes=[{"id": c, "name": c + "类"} for c in "ABC"],
        categories=[{"id": "infant", "name": "婴幼儿", "required_class": "A"},
                    {"id": "skin-contact", "name": "直接接触皮肤", "required_class": "B"},
                    {"id": "non-skin-contact", "name": "非直接接触皮肤", "required_class": "C"},
                    {"id": "hanging-decor", "name": "悬挂类装饰", "required_class": "C"}],
        indicators=[{"id": f"GB 18401-2010/4.1/formaldehyde/{c}", "clause": "4.1", "name": "甲醛含量",
                     "limit": lim, "unit": "mg/kg", "classes": [c]} for c, lim in zip("ABC", ("≤20", "≤75", "≤300"))]
        + [{"id": "GB 18401-2010/4.1/odour", "clause": "4.1", "name": "异味", "limit": "无异味", "unit": None},
           {"id": "GB 18401-2010/4.1/perspiration/C", "clause": "4.1", "name": "耐汗渍色牢度", "limit": "≥3",
            "unit": "级", "classes": ["C"], "categories": ["non-skin-contact"]}])]}]).edition("GB 18401-2010")


@pytest.mark.parametrize("category,expected", [
    ("infant", "A"), ("skin-contact", "B"), ("non-skin-contact", "C"), ("unknown", None), (None, None)])
def test_required_class(category, expected):
    assert required_class(TEXTILE, category) == expected


def _ids(inds):
    return sorted(i.id.removeprefix("GB 18401-2010/4.1/") for i in inds)


@pytest.mark.parametrize("category,product_class,expected", [
    ("infant", None, ["formaldehyde/A", "odour"]),
    ("skin-contact", None, ["formaldehyde/B", "odour"]),
    ("non-skin-contact", None, ["formaldehyde/C", "odour", "perspiration/C"]),
    ("hanging-decor", None, ["formaldehyde/C", "odour"]),       # perspiration not assessed
    ("skin-contact", "A", ["formaldehyde/A", "odour"]),         # labelled better than required
    (None, None, ["formaldehyde/A", "formaldehyde/B", "formaldehyde/C", "odour", "perspiration/C"]),
])
def test_applicable_indicators(category, product_class, expected):
    assert _ids(applicable_indicators(TEXTILE, category, product_class)) == expected
