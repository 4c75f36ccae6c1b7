"""rules.catalog: code normalisation, dict -> dataclass building, look-ups and their errors."""
import dataclasses
from datetime import date

import pytest

from rules.catalog import Catalog, normalise_code, split_edition_id
from rules.errors import RulesError, UnknownEdition, UnknownIndicator, UnknownStandard


def _std(code="GB 1", editions=None):
    return {"code": code, "title": "示例标准", "field": "toy", "mandatory": True,
            "editions": editions or [_ed(f"{code}-2010", "2010-01-01")]}


def _ed(eid, effective, *, replaces=(), replaced_by=None, withdrawn=None, indicators=()):
    return {"id": eid, "year": int(eid[-4:]), "title": "示例", "effective": effective, "withdrawn": withdrawn,
            "replaces": list(replaces), "replaced_by": replaced_by, "source": {"title": "t"},
            "clauses": [{"number": "4.1", "title": "要求"}], "indicators": list(indicators)}


def _ind(iid, limit="≤1"):
    return {"id": iid, "clause": "4.1", "name": "铅", "limit": limit, "unit": "mg/kg"}


@pytest.mark.parametrize("text,expected", [
    ("GB 18401", ("GB 18401", None)),
    ("GB18401", ("GB 18401", None)),
    ("gb 18401-2010", ("GB 18401", "2010")),
    ("18401", ("GB 18401", None)),
    ("GB/T 8170-2008", ("GB/T 8170", "2008")),
    ("gb/t8170", ("GB/T 8170", None)),
    ("GB 4806.7—2023", ("GB 4806.7", "2023")),
    ("不是标准号", ("不是标准号", None)),
])
def test_normalise_code(text, expected):
    assert normalise_code(text) == expected


def test_split_edition_id():
    assert split_edition_id("GB 4806.7-2023") == ("GB 4806.7", 2023)
    with pytest.raises(ValueError):
        split_edition_id("GB 4806.7")


def test_from_dicts_builds_typed_frozen_objects():
    cat = Catalog.from_dicts([_std(editions=[_ed("GB 1-2010", "2010-05-01", indicators=[_ind("GB 1-2010/4.1/lead")])])])
    ind = cat.indicator("GB 1-2010/4.1/lead")
    assert ind.edition_id == "GB 1-2010" and ind.method == "full" and ind.categories == () and not ind.key
    assert cat.edition("GB 1-2010").effective == date(2010, 5, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ind.limit = "≤2"  # frozen


def test_withdrawn_filled_from_replacing_edition():
    cat = Catalog.from_dicts([_std(editions=[
        _ed("GB 1-2010", "2010-01-01", replaced_by="GB 1-2020"),
        _ed("GB 1-2020", "2021-03-01", replaces=["GB 1-2010"]),
    ])])
    assert cat.edition("GB 1-2010").withdrawn == date(2021, 3, 1)
    assert cat.edition("GB 1-2020").withdrawn is None


def test_explicit_withdrawn_is_kept():
    cat = Catalog.from_dicts([_std(editions=[
        _ed("GB 1-2010", "2010-01-01", replaced_by="GB 1-2020", withdrawn="2020-12-31"),
        _ed("GB 1-2020", "2021-03-01", replaces=["GB 1-2010"])])])
    assert cat.edition("GB 1-2010").withdrawn == date(2020, 12, 31)


@pytest.mark.parametrize("asked", ["GB 18401", "gb18401", "18401", "GB 18401-2010"])
def test_standard_lookup_accepts_loose_codes(asked):
    cat = Catalog.from_dicts([_std("GB 18401")])
    assert cat.standard(asked).code == "GB 18401"


def test_lookups_raise_named_errors_with_suggestions():
    cat = Catalog.from_dicts([_std("GB 18401"), _std("GB 18580")])
    with pytest.raises(UnknownStandard) as exc:
        cat.standard("GB 1840")
    assert "GB 18401" in exc.value.suggestions
    with pytest.raises(UnknownEdition):
        cat.edition("GB 18401-1999")
    with pytest.raises(UnknownIndicator):
        cat.indicator("GB 18401-2010/4.1/nothing")
    assert issubclass(UnknownStandard, RulesError)


def test_indicators_iterates_in_catalog_order():
    cat = Catalog.from_dicts([
        _std("GB 1", [_ed("GB 1-2010", "2010-01-01", indicators=[_ind("GB 1-2010/4.1/a"), _ind("GB 1-2010/4.1/b")])]),
        _std("GB 2", [_ed("GB 2-2011", "2011-01-01", indicators=[_ind("GB 2-2011/4.1/c")])]),
    ])
    assert [i.id for i in cat.indicators()] == ["GB 1-2010/4.1/a", "GB 1-2010/4.1/b", "GB 2-2011/4.1/c"]
