"""assets: every real file validates; broken copies fail naming file and field; digest; synthetic."""
import json
import shutil
import time
from datetime import date

import pytest

from assets import CatalogError, catalog_digest, default_paths, load_catalog
from assets.synthetic import generate
from rules.editions import edition_in_force

REAL = {p.name: p for p in default_paths()}


@pytest.mark.parametrize("name", sorted(REAL))
def test_each_real_file_validates_alone(name):
    cat = load_catalog([REAL[name]])
    assert len(cat.standards) == 1 and any(True for _ in cat.indicators())


def test_default_catalog_is_cached_and_complete():
    cat = load_catalog()
    assert cat is load_catalog()
    codes = {s.code for s in cat.standards}
    assert {"GB 17761", "GB 18401", "GB 31701", "GB 5749", "GB 18580", "GB 2762", "GB 6675.4", "GB 4806.7"} <= codes
    assert len(cat.edition("GB 5749-2022").indicators) >= 20
    assert {e.id for e in cat.standard("GB 18580").editions} == {"GB 18580-2017", "GB 18580-2025"}


@pytest.mark.parametrize("indicator_id,limit,unit", [
    ("GB 17761-2024/4.1/max-speed", "≤25", "km/h"),
    ("GB 17761-2024/4.1/plastic-mass-ratio", "≤5.5", "%"),
    ("GB 18401-2010/4.1/formaldehyde/A", "≤20", "mg/kg"),
    ("GB 18401-2010/4.1/ph/C", "4.0~9.0", None),
    ("GB 18401-2010/4.1/colour-fastness-water/A", "≥3-4", "级"),
    ("GB 31701-2015/4.2/lead", "≤90", "mg/kg"),
    ("GB 5749-2022/4.2/total-coliforms", "不得检出", "MPN/100mL"),
    ("GB 6675.4-2014/4.1/selenium/toy-material", "≤500", "mg/kg"),
    ("GB 18580-2025/4/formaldehyde-emission/panel-product", "≤0.050", "mg/m³"),
])
def test_key_real_values(indicator_id, limit, unit):
    ind = load_catalog().indicator(indicator_id)
    assert (ind.limit, ind.unit) == (limit, unit)
    assert ind.source is not None and ind.source.title


def test_real_ebike_transition_examples():
    std = load_catalog().standard("GB 17761")
    assert edition_in_force(std, date(2025, 10, 15), manufactured=date(2025, 8, 20)).id == "GB 17761-2018"
    assert edition_in_force(std, date(2025, 12, 2), manufactured=date(2025, 8, 20)).id == "GB 17761-2024"
    assert edition_in_force(std, date(2025, 10, 15), manufactured=date(2025, 9, 5)).id == "GB 17761-2024"


# --- every limit text parses (skipped only while rules.limits is missing) ------------------
_KNOWN_PARSER_GAPS: set[str] = set()   # limits the parser cannot read yet (none)


def _limit_params():
    """Every limit text the engine parses: kind "limit" without its own answers (a word
    requirement with answers, and a marking item, are judged by their answers), the
    minimum of an energy grade and every row of its grade table."""
    out = []
    for ind in load_catalog().indicators():
        texts = []
        if ind.kind == "energy_grade":
            texts = [(ind.limit, ind.unit, ind.id)] + [
                (row.limit, ind.grade_table.unit, f"{ind.id}#{row.grade}") for row in ind.grade_table.grades]
        elif ind.kind == "limit" and not ind.answers:
            texts = [(ind.limit, ind.unit, ind.id)]
        for limit, unit, ident in texts:
            marks = [pytest.mark.xfail(reason="parser does not read this wording yet", strict=False)] \
                if limit in _KNOWN_PARSER_GAPS else []
            out.append(pytest.param(limit, unit, id=ident, marks=marks))
    return out


@pytest.mark.parametrize("limit,unit", _limit_params())
def test_every_real_limit_parses(limit, unit):
    limits = pytest.importorskip("rules.limits")
    limits.parse_limit(limit, unit)


# --- broken copies -------------------------------------------------------------------------
def _broken_copy(tmp_path, name, mutate):
    data = json.loads(REAL[name].read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _set(path, value):
    def mutate(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def _del(path):
    def mutate(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


def _dup_indicator(data):
    inds = data["editions"][0]["indicators"]
    inds.append(dict(inds[0]))


def _new_edition_too_early(data):
    data["editions"][1]["issued"] = None
    data["editions"][1]["effective"] = "2019-01-01"


BREAKAGES = [
    ("GB-18401.json", _set(["field"], "clothing"), "/field"),
    ("GB-18401.json", _del(["editions", 0, "effective"]), "/editions/0"),
    ("GB-18401.json", _set(["editions", 0, "indicators", 0, "limit"], ""), "/editions/0/indicators/0/limit"),
    ("GB-18401.json", _set(["editions", 0, "indicators", 2, "method"], "approx"), "/editions/0/indicators/2/method"),
    ("GB-18401.json", _set(["editions", 0, "indicators", 0, "colour"], "red"), "/editions/0/indicators/0"),
    ("GB-18401.json", _set(["editions", 0, "effective"], "2011-13-01"), "/editions/0/effective"),
    ("GB-18401.json", _set(["editions", 0, "effective"], "2011-02-30"), "/editions/0/effective"),
    ("GB-18401.json", _set(["editions", 0, "indicators", 0, "clause"], "9.9"), "/editions/0/indicators/0/clause"),
    ("GB-18401.json", _set(["editions", 0, "indicators", 0, "classes"], ["D"]), "/editions/0/indicators/0/classes/0"),
    ("GB-18401.json", _set(["editions", 0, "categories", 0, "required_class"], "Z"),
     "/editions/0/categories/0/required_class"),
    ("GB-18401.json", _dup_indicator, "/editions/0/indicators/22/id"),
    ("GB-18401.json", _set(["editions", 0, "id"], "GB 18401-2011"), "/editions/0/id"),
    ("GB-17761.json", _set(["editions", 0, "replaced_by"], "GB 17761-2030"), "/editions/0/replaced_by"),
    ("GB-17761.json", _set(["editions", 1, "replaces"], []), "/editions/1/transition"),
    ("GB-17761.json", _new_edition_too_early, "/editions/0/replaced_by"),
    ("GB-17761.json", _set(["editions", 1, "transition", "sale_until"], "2025-08-01"),
     "/editions/1/transition/sale_until"),
    ("GB-17761.json", _set(["editions", 0, "issued"], "2020-01-01"), "/editions/0/issued"),
    ("GB-5749.json", _set(["editions", 0, "indicators", 0, "id"], "GB 5749-2022/9.9/x"), "/editions/0/indicators/0/id"),
]


@pytest.mark.parametrize("name,mutate,pointer", BREAKAGES)
def test_broken_copy_names_file_and_field(tmp_path, name, mutate, pointer):
    path = _broken_copy(tmp_path, name, mutate)
    with pytest.raises(CatalogError) as exc:
        load_catalog([path])
    assert exc.value.file == name
    assert exc.value.pointer == pointer
    assert name in str(exc.value) and pointer in str(exc.value)


def test_invalid_json_names_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"code": "GB 1",\n  oops}', encoding="utf-8")
    with pytest.raises(CatalogError, match="bad.json.*第2行"):
        load_catalog([path])


def test_duplicate_standard_across_files(tmp_path):
    a = shutil.copy(REAL["GB-2762.json"], tmp_path / "a.json")
    b = shutil.copy(REAL["GB-2762.json"], tmp_path / "b.json")
    with pytest.raises(CatalogError) as exc:
        load_catalog([a, b])
    assert exc.value.file == "b.json" and exc.value.pointer == "/code"


# --- digest --------------------------------------------------------------------------------
def test_digest_is_stable_and_content_sensitive(tmp_path):
    d1 = catalog_digest(load_catalog())
    assert d1.startswith("sha256:") and len(d1) == 71
    assert catalog_digest(load_catalog(list(REAL.values()))) == d1
    changed = _broken_copy(tmp_path, "GB-2762.json", _set(["editions", 0, "indicators", 0, "limit"], "≤0.3"))
    others = [p for n, p in REAL.items() if n != "GB-2762.json"]
    assert catalog_digest(load_catalog(others + [changed])) != d1


# --- synthetic -----------------------------------------------------------------------------
def test_synthetic_default_size_fast_and_deterministic():
    t0 = time.perf_counter()
    data = generate()
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0
    assert len(data) == 500
    assert sum(len(e["indicators"]) for s in data for e in s["editions"]) == 20000
    assert generate(standards=5, indicators=50, seed=7) == generate(standards=5, indicators=50, seed=7)
    assert generate(standards=5, indicators=50, seed=7) != generate(standards=5, indicators=50, seed=8)


def test_synthetic_validates_and_never_collides_with_real(tmp_path):
    path = tmp_path / "syn.json"
    from assets.synthetic import main
    assert main(["--out", str(path), "--standards", "40", "--indicators", "800", "--seed", "3"]) == 0
    cat = load_catalog(list(REAL.values()) + [path])
    assert sum(1 for s in cat.standards if s.code.startswith("GB 6")) >= 40
    assert all(s.code.startswith("GB 6") and int(s.code[3:]) >= 60000 for s in load_catalog([path]).standards)
    assert all(int(s.code.split(" ")[1].split(".")[0]) < 60000 for s in load_catalog().standards)


# --- new indicator kinds, relations and amendments: the loader names what is wrong ---------
def _with(edit):
    data = json.loads(REAL["GB-18401.json"].read_text(encoding="utf-8"))
    edit(data["editions"][0])
    return data


@pytest.mark.parametrize("edit, pointer, words", [
    (lambda e: e["indicators"][0].update(kind="energy_grade"), "/indicators/0/grade_table", "能效等级表"),
    (lambda e: e["indicators"][0].update(kind="energy_grade", grade_table={
        "measure": "APF", "unit": None, "grades": [{"grade": "2", "limit": "≥1"}]}), "/grade_table/grades", "1级"),
    (lambda e: e["indicators"][0].update(grade_table={"measure": "APF", "unit": None, "grades": [
        {"grade": "1", "limit": "≥1"}]}), "/indicators/0/grade_table", "energy_grade"),
    (lambda e: e["indicators"][0].update(kind="marking"), "/indicators/0/unit", "单位"),
    (lambda e: e["indicators"][0].update(answers=[{"text": "有", "outcome": "fail"}]), "/indicators/0/answers", "pass"),
    (lambda e: e["indicators"][0].update(answers=[{"text": "无", "outcome": "pass"}, {"text": "无", "outcome": "fail"}]),
     "/indicators/0/answers", "重复"),
    (lambda e: e.update(relations=[{"type": "together", "target": "GB 31701", "clause": "9.9"}]), "/relations/0/clause", "9.9"),
    (lambda e: e.update(relations=[{"type": "together", "target": "GB 18401"}]), "/relations/0/target", "自身"),
    (lambda e: e.update(relations=[{"type": "together", "target": "GB 31701", "categories": ["nope"]}]),
     "/relations/0/categories/0", "nope"),
    (lambda e: e.update(amendments=[{"id": "XG1-2009", "summary": "x"}]), "/amendments/0/id", "早于"),
    (lambda e: e.update(amendments=[{"id": "XG1-2012", "summary": "x"}, {"id": "XG1-2012", "summary": "y"}]),
     "/amendments/1/id", "重复"),
    (lambda e: e.update(amendments=[{"id": "XG1-2012", "summary": "x", "effective": "2011-01-01"}]),
     "/amendments/0/effective", "早于"),
    (lambda e: e.update(unverified=["nonsense"]), "/unverified/0", "nonsense"),
])
def test_new_fields_rejected_naming_field(tmp_path, edit, pointer, words):
    path = tmp_path / "GB-18401.json"
    path.write_text(json.dumps(_with(edit), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog([path])
    assert err.value.pointer.startswith("/editions/0") and pointer in err.value.pointer, err.value.pointer
    assert words in str(err.value)
