"""Load, validate and digest catalog files (assets/standards/*.json) into a rules Catalog."""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

from assets.errors import CatalogError
from rules.catalog import Catalog

PACKAGE_DIR = Path(__file__).resolve().parent
STANDARDS_DIR = PACKAGE_DIR / "standards"
SCHEMA_PATH = PACKAGE_DIR / "schema" / "standard.schema.json"


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def default_paths() -> list[Path]:
    """Return the packaged real standards files, sorted by name."""
    return sorted(STANDARDS_DIR.glob("*.json"))


def read_standard_dicts(path: Path) -> list[tuple[str, dict]]:
    """Return (pointer prefix, standard dict) pairs from one file: either one standard
    object or {"standards": [...]}. Raises CatalogError on unreadable JSON."""
    name = path.name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(name, "/", f"无法读取文件 / cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(name, "/", f"JSON 语法错误，第{exc.lineno}行第{exc.colno}列：{exc.msg}") from exc
    if isinstance(data, dict) and "standards" in data and "code" not in data:
        if not isinstance(data["standards"], list):
            raise CatalogError(name, "/standards", "应为数组 / must be an array")
        return [(f"/standards/{i}", d) for i, d in enumerate(data["standards"])]
    return [("", data)]


def validate_standard(std: Any, file: str, prefix: str = "") -> None:
    """Validate one standard dict against the JSON Schema; raises CatalogError naming
    the file, the JSON pointer of the offending field and why."""
    errors = list(_validator().iter_errors(std))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        raise CatalogError(file, prefix + _pointer(err.absolute_path), err.message)


def check_semantics(entries: Sequence[tuple[str, str, dict]]) -> None:
    """Checks the schema cannot express, over (file, pointer prefix, standard dict)
    entries: unique codes/editions/indicator ids, ids matching their edition and clause,
    clause/class/category references, replaces/replaced_by consistency, date order.
    Raises CatalogError at the first problem."""
    seen_codes: dict[str, str] = {}
    seen_editions: dict[str, tuple[str, str, dict]] = {}
    seen_indicators: dict[str, str] = {}
    for file, prefix, std in entries:
        where = prefix
        if std["code"] in seen_codes:
            raise CatalogError(file, where + "/code", f"标准 {std['code']} 重复（亦见 {seen_codes[std['code']]}）")
        seen_codes[std["code"]] = file
        for ei, ed in enumerate(std["editions"]):
            ep = f"{where}/editions/{ei}"
            _check_edition_shape(file, ep, std["code"], ed)
            if ed["id"] in seen_editions:
                raise CatalogError(file, ep + "/id", f"版本 {ed['id']} 重复")
            seen_editions[ed["id"]] = (file, ep, ed)
            for ii, ind in enumerate(ed.get("indicators", ())):
                ip = f"{ep}/indicators/{ii}"
                if ind["id"] in seen_indicators:
                    raise CatalogError(file, ip + "/id",
                                       f"指标编号 {ind['id']} 重复（亦见 {seen_indicators[ind['id']]}）")
                seen_indicators[ind["id"]] = f"{file}{ip}"
    _check_replacements(seen_editions)


def _parse_date(file: str, pointer: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CatalogError(file, pointer, f"日期无效 / invalid date {value!r}") from exc


def _check_edition_shape(file: str, ep: str, code: str, ed: dict) -> None:
    if not ed["id"].startswith(code + "-") or ed["id"][len(code) + 1:] != str(ed["year"]):
        raise CatalogError(file, ep + "/id", f"版本号 {ed['id']} 与标准号 {code} 和年份 {ed['year']} 不符")
    issued = _parse_date(file, ep + "/issued", ed.get("issued"))
    effective = _parse_date(file, ep + "/effective", ed["effective"])
    withdrawn = _parse_date(file, ep + "/withdrawn", ed.get("withdrawn"))
    if issued and issued > effective:
        raise CatalogError(file, ep + "/issued", f"发布日期 {issued} 晚于实施日期 {effective}")
    if withdrawn and withdrawn <= effective:
        raise CatalogError(file, ep + "/withdrawn", f"废止日期 {withdrawn} 不晚于实施日期 {effective}")
    tr = ed.get("transition")
    if tr:
        if not ed.get("replaces"):
            raise CatalogError(file, ep + "/transition", "有过渡期但未写明代替的版本（replaces 为空）")
        prod = _parse_date(file, ep + "/transition/production_until", tr.get("production_until"))
        sale = _parse_date(file, ep + "/transition/sale_until", tr.get("sale_until"))
        if prod and sale and sale < prod:
            raise CatalogError(file, ep + "/transition/sale_until", f"销售截止 {sale} 早于生产截止 {prod}")
        if sale and sale < effective:
            raise CatalogError(file, ep + "/transition/sale_until", f"销售截止 {sale} 早于新版实施日期 {effective}")
    clauses = {c["number"] for c in ed.get("clauses", ())}
    classes = {c["id"] for c in ed.get("classes", ())}
    categories = [c["id"] for c in ed.get("categories", ())]
    if len(set(categories)) != len(categories):
        raise CatalogError(file, ep + "/categories", "产品类别编号重复")
    for ci, cat in enumerate(ed.get("categories", ())):
        req = cat.get("required_class")
        if req is not None and req not in classes:
            raise CatalogError(file, f"{ep}/categories/{ci}/required_class", f"引用了未定义的产品类别等级 {req!r}")
    for ii, ind in enumerate(ed.get("indicators", ())):
        ip = f"{ep}/indicators/{ii}"
        if ind["clause"] not in clauses:
            raise CatalogError(file, ip + "/clause", f"引用了版本中不存在的条款 {ind['clause']}")
        if not ind["id"].startswith(f"{ed['id']}/{ind['clause']}/"):
            raise CatalogError(file, ip + "/id", f"指标编号应以 “{ed['id']}/{ind['clause']}/” 开头")
        for k, cls in enumerate(ind.get("classes", ())):
            if cls not in classes:
                raise CatalogError(file, f"{ip}/classes/{k}", f"引用了未定义的类别 {cls!r}")
        for k, cat in enumerate(ind.get("categories", ())):
            if cat not in categories:
                raise CatalogError(file, f"{ip}/categories/{k}", f"引用了未定义的产品类别 {cat!r}")
        if ind.get("method") == "full" and ind.get("interval"):
            raise CatalogError(file, ip + "/interval", "全数值比较法不使用修约间隔 / interval only with method 'rounded'")
        _check_indicator_kind(file, ip, ind)
    _check_relations(file, ep, ed, clauses, set(categories))


def _check_indicator_kind(file: str, ip: str, ind: dict) -> None:
    kind = ind.get("kind", "limit")
    table = ind.get("grade_table")
    if kind == "energy_grade":
        if not table:
            raise CatalogError(file, ip + "/grade_table", "能效等级指标需要能效等级表 / energy_grade needs grade_table")
        grades = [row["grade"] for row in table["grades"]]
        if grades != [str(n) for n in range(1, len(grades) + 1)]:
            raise CatalogError(file, ip + "/grade_table/grades", f"等级应从1级起依次排列，实为 {grades}")
    elif table:
        raise CatalogError(file, ip + "/grade_table", "只有能效等级指标（kind energy_grade）有等级表")
    if kind == "marking" and ind.get("unit") is not None:
        raise CatalogError(file, ip + "/unit", "标示项目没有单位 / a marking item has no unit")
    answers = ind.get("answers", ())
    if answers:
        if kind == "energy_grade":
            raise CatalogError(file, ip + "/answers", "能效等级指标不用可选答案")
        texts = [a["text"] for a in answers]
        if len(set(texts)) != len(texts):
            raise CatalogError(file, ip + "/answers", "可选答案重复")
        if not any(a["outcome"] == "pass" for a in answers):
            raise CatalogError(file, ip + "/answers", "可选答案中至少应有一个判为符合（outcome pass）")


def _check_relations(file: str, ep: str, ed: dict, clauses: set[str], categories: set[str]) -> None:
    for k, rel in enumerate(ed.get("relations", ())):
        rp = f"{ep}/relations/{k}"
        if rel.get("clause") and rel["clause"] not in clauses:
            raise CatalogError(file, rp + "/clause", f"引用了版本中不存在的条款 {rel['clause']}")
        for c, cat in enumerate(rel.get("categories", ())):
            if cat not in categories:
                raise CatalogError(file, f"{rp}/categories/{c}", f"引用了未定义的产品类别 {cat!r}")
        if rel["target"] == ed["id"] or rel["target"] == ed["id"].rsplit("-", 1)[0]:
            raise CatalogError(file, rp + "/target", "关联标准不能是本标准自身")
    seen: set[str] = set()
    for k, am in enumerate(ed.get("amendments", ())):
        ap = f"{ep}/amendments/{k}"
        if am["id"] in seen:
            raise CatalogError(file, ap + "/id", f"修改单 {am['id']} 重复")
        seen.add(am["id"])
        if int(am["id"].rsplit("-", 1)[1]) < int(ed["year"]):
            raise CatalogError(file, ap + "/id", f"修改单 {am['id']} 早于版本年份 {ed['year']}")
        eff = _parse_date(file, ap + "/effective", am.get("effective"))
        if eff and eff < date.fromisoformat(ed["effective"]):
            raise CatalogError(file, ap + "/effective", f"修改单实施日期 {eff} 早于版本实施日期")


def _code_of(edition_id: str) -> str:
    return edition_id.rsplit("-", 1)[0]


def _check_replacements(editions: dict[str, tuple[str, str, dict]]) -> None:
    for eid, (file, ep, ed) in editions.items():
        new = ed.get("replaced_by")
        if new:
            if new not in editions:
                if _code_of(new) == _code_of(eid):
                    raise CatalogError(file, ep + "/replaced_by", f"代替它的版本 {new} 不在目录中")
            elif eid not in editions[new][2].get("replaces", ()):
                raise CatalogError(file, ep + "/replaced_by", f"{new} 的 replaces 未列出 {eid}")
            elif date.fromisoformat(editions[new][2]["effective"]) <= date.fromisoformat(ed["effective"]):
                raise CatalogError(file, ep + "/replaced_by", f"{new} 的实施日期不晚于 {eid}")
        for k, old in enumerate(ed.get("replaces", ())):
            if old in editions and editions[old][2].get("replaced_by") != eid:
                raise CatalogError(file, f"{ep}/replaces/{k}", f"{old} 的 replaced_by 不是 {eid}")


def load_catalog(paths: Sequence[str | Path] | None = None) -> Catalog:
    """Load, validate and build the catalog from `paths` (default: the packaged real
    standards, cached). Raises CatalogError naming file, field (JSON pointer) and reason."""
    if paths is None:
        return _default_catalog()
    return _load(tuple(Path(p) for p in paths))


@functools.cache
def _default_catalog() -> Catalog:
    return _load(tuple(default_paths()))


def _load(paths: tuple[Path, ...]) -> Catalog:
    entries: list[tuple[str, str, dict]] = []
    for path in paths:
        for prefix, std in read_standard_dicts(path):
            validate_standard(std, path.name, prefix)
            entries.append((path.name, prefix, std))
    check_semantics(entries)
    try:
        return Catalog.from_dicts([std for _, _, std in entries])
    except (KeyError, ValueError, TypeError) as exc:  # pragma: no cover - schema should prevent
        raise CatalogError(entries[0][0] if entries else "?", "/", f"无法构建目录：{exc!r}") from exc


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(catalog: Catalog) -> str:
    """Return the catalog as canonical JSON (sorted keys, no spaces, ISO dates)."""
    data = [asdict(std) for std in catalog.standards]
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default)


def catalog_digest(catalog: Catalog) -> str:
    """Return "sha256:<hex>" over the canonical JSON of the catalog (a content version)."""
    return "sha256:" + hashlib.sha256(canonical_json(catalog).encode("utf-8")).hexdigest()
