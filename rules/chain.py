"""The related-standards chain (关联相关标准链) of an edition, resolved offline from the catalog.

For one edition: its lineage (what replaced what: 代替 / 部分代替, through every edition in
the catalog and the older ones they name), its amendments (修改单), the test-method
standards its limits refer to, the standards a product must meet together with it (须同时
符合, followed transitively) and the editions that require it. Targets written without a
year resolve to the edition in force on the given date. Pure; no I/O.

    chain = standard_chain(catalog, "GB 31701-2015", on=date(2026, 12, 1))
    [link.target for link in chain.together]          # ["GB 18401"]
    self_check_list(catalog, "GB 31701-2015", on=…)    # groups of indicators to check
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rules.catalog import Amendment, Catalog, Edition, Indicator, normalise_code
from rules.editions import applicable_indicators, edition_in_force, status
from rules.errors import NoEditionInForce, UnknownEdition, UnknownStandard

__all__ = [
    "RELATION_LABELS",
    "Chain",
    "Link",
    "SelfCheckGroup",
    "resolve",
    "self_check_list",
    "standard_chain",
    "standard_refs",
    "together_editions",
    "unresolved",
]

RELATION_LABELS = {
    "replaces": "代替", "replaces_part": "部分代替", "together": "须同时符合",
    "required_by": "被要求同时符合", "test_method": "检验方法", "refers": "规范性引用",
}
_REF_RE = re.compile(r"(?<![A-Za-z])(GB(?:\s*/\s*[TZ])?|[A-Z]{2}(?:\s*/\s*T)?)\s*(\d+(?:\.\d+)*)"
                     r"(?:\s*[-—–]\s*(\d{4})(?!\d))?")


def standard_refs(text: str | None) -> tuple[str, ...]:
    """Return the standard numbers written in `text` ("GB/T 17657-2013 6.3.6" ->
    ("GB/T 17657-2013",); "GB/T 17592; GB/T 23344" -> both), normalised, in order."""
    if not text:
        return ()
    found = []
    for m in _REF_RE.finditer(text):
        prefix = re.sub(r"\s+", "", m.group(1))
        ref = f"{prefix} {m.group(2)}" + (f"-{m.group(3)}" if m.group(3) else "")
        found.append(ref)
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Link:
    """One relation in a chain: `from_edition` <relation> `target` (as written), with the
    catalog edition it resolves to (`edition_id`, None outside the catalog), its status on
    the chain's date, the title, the clause making it and the indicators it concerns."""
    relation: str
    from_edition: str
    target: str
    edition_id: str | None = None
    status: str | None = None
    title: str | None = None
    clause: str | None = None
    note: str | None = None
    indicator_ids: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The relation in Chinese (代替, 部分代替, 须同时符合 …)."""
        return RELATION_LABELS.get(self.relation, self.relation)

    @property
    def resolved(self) -> bool:
        """True when the target is in the catalog or is described (has a title)."""
        return self.edition_id is not None or bool(self.title)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict (adds `label` and `resolved`)."""
        return {"relation": self.relation, "label": self.label, "from_edition": self.from_edition,
                "target": self.target, "edition_id": self.edition_id, "status": self.status,
                "title": self.title, "clause": self.clause, "note": self.note,
                "indicator_ids": list(self.indicator_ids), "resolved": self.resolved}


@dataclass(frozen=True)
class Chain:
    edition_id: str
    on: date
    status: str
    history: tuple[Link, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    together: tuple[Link, ...] = ()
    required_by: tuple[Link, ...] = ()
    test_methods: tuple[Link, ...] = ()
    references: tuple[Link, ...] = ()

    def links(self) -> tuple[Link, ...]:
        """Every link of the chain, lineage first."""
        return (*self.history, *self.together, *self.required_by, *self.test_methods, *self.references)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict for pages and the tablet."""
        return {"edition_id": self.edition_id, "on": self.on.isoformat(), "status": self.status,
                "history": [x.to_dict() for x in self.history],
                "amendments": [{"id": a.id, "number": f"{self.edition_id}/{a.id}",
                                "issued": a.issued and a.issued.isoformat(),
                                "effective": a.effective and a.effective.isoformat(), "summary": a.summary}
                               for a in self.amendments],
                "together": [x.to_dict() for x in self.together],
                "required_by": [x.to_dict() for x in self.required_by],
                "test_methods": [x.to_dict() for x in self.test_methods],
                "references": [x.to_dict() for x in self.references]}


def resolve(catalog: Catalog, target: str, on: date) -> Edition | None:
    """Return the catalog edition `target` names: "GB 18401-2010" that edition; "GB 18401"
    the edition in force on `on` (the earliest upcoming one before any is in force);
    None when the standard or edition is not in the catalog. Raises nothing."""
    code, year = normalise_code(target)
    try:
        std = catalog.standard(code)
    except UnknownStandard:
        return None
    if year:
        try:
            return std.edition(f"{std.code}-{year}")
        except UnknownEdition:
            return None
    try:
        return edition_in_force(std, on)
    except NoEditionInForce:
        return min(std.editions, key=lambda e: e.effective)


def _link(catalog: Catalog, relation: str, source: Edition, target: str, on: date, **extra) -> Link:
    found = resolve(catalog, target, on)
    state = None
    if found is not None:
        state = status(found, on, catalog.standard(found.standard_code))
    title = extra.pop("title", None) or (found.title if found is not None else _standard_title(catalog, target))
    return Link(relation, source.id, target, found.id if found else None, state, title, **extra)


def _standard_title(catalog: Catalog, target: str) -> str | None:
    """The title of an older edition outside the catalog whose standard is in it."""
    try:
        return catalog.standard(normalise_code(target)[0]).title
    except UnknownStandard:
        return None


def _lineage(catalog: Catalog, edition: Edition, on: date) -> tuple[Link, ...]:
    """Every 代替 / 部分代替 fact in the connected lineage of `edition`, oldest first."""
    todo, seen, links = [edition], set(), []
    partial_by = {}
    for ed in _all_editions(catalog):
        for rel in ed.relations:
            if rel.type == "replaces_part":
                partial_by.setdefault(rel.target, []).append(ed)
    while todo:
        ed = todo.pop()
        if ed.id in seen:
            continue
        seen.add(ed.id)
        for old in ed.replaces:
            links.append(_link(catalog, "replaces", ed, old, on))
        for rel in ed.relations:
            if rel.type == "replaces_part":
                links.append(_link(catalog, "replaces_part", ed, rel.target, on, title=rel.title,
                                   clause=rel.clause, note=rel.note))
        neighbours = [*ed.replaces, *(r.target for r in ed.relations if r.type == "replaces_part")]
        if ed.replaced_by:
            neighbours.append(ed.replaced_by)
        code = ed.standard_code
        neighbours += [e.id for e in partial_by.get(ed.id, []) + partial_by.get(code, [])]
        neighbours += [e.id for e in catalog.standard(code).editions if ed.id in e.replaces]
        for other in neighbours:
            found = _edition_or_none(catalog, other)
            if found is not None and found.id not in seen:
                todo.append(found)
    unique = {(x.from_edition, x.relation, x.target): x for x in links}
    return tuple(sorted(unique.values(), key=lambda x: (_effective(catalog, x.from_edition), x.target)))


def _effective(catalog: Catalog, edition_id: str) -> date:
    return catalog.edition(edition_id).effective


def _edition_or_none(catalog: Catalog, edition_id: str) -> Edition | None:
    try:
        return catalog.edition(edition_id)
    except UnknownEdition:
        return None


def _all_editions(catalog: Catalog) -> Iterable[Edition]:
    for std in catalog.standards:
        yield from std.editions


def together_editions(catalog: Catalog, edition_id: str, on: date, category: str | None = None) -> tuple[Link, ...]:
    """Return the links to every standard a product of `edition_id` must meet together
    with it, followed transitively (A with B, B with C -> B and C), each resolved on `on`.
    A relation limited to categories applies only to those (all when `category` is None).
    Raises UnknownEdition."""
    start = catalog.edition(edition_id)
    todo, seen, links = [start], {start.id}, []
    while todo:
        ed = todo.pop(0)
        for rel in ed.relations:
            if rel.type != "together" or (category and rel.categories and category not in rel.categories):
                continue
            link = _link(catalog, "together", ed, rel.target, on, title=rel.title, clause=rel.clause, note=rel.note)
            if link.edition_id in seen or link.target == start.standard_code:
                continue
            links.append(link)
            if link.edition_id is not None:
                seen.add(link.edition_id)
                todo.append(catalog.edition(link.edition_id))
    return tuple(links)


def _required_by(catalog: Catalog, edition: Edition, on: date) -> tuple[Link, ...]:
    out = []
    for ed in _all_editions(catalog):
        for rel in ed.relations:
            if rel.type == "together" and rel.target in (edition.id, edition.standard_code):
                link = _link(catalog, "required_by", edition, ed.id, on, clause=rel.clause, note=rel.note)
                out.append(link)
    return tuple(out)


def _test_methods(catalog: Catalog, edition: Edition, on: date) -> tuple[Link, ...]:
    described = {r.target: r for r in edition.relations if r.type in ("test_method", "refers")}
    by_code: dict[str, list[str]] = {}
    for ind in edition.indicators:
        for ref in standard_refs(ind.test_method):
            if normalise_code(ref)[0] == edition.standard_code:
                continue        # "GB 18401-2010 6.7", "GB 21455-2019 附录A": a clause of the standard itself
            by_code.setdefault(ref, []).append(ind.id)
    for target, rel in described.items():
        if rel.type == "test_method":
            by_code.setdefault(target, [])
    links = []
    for ref, ids in by_code.items():
        rel = described.get(ref) or described.get(normalise_code(ref)[0])
        links.append(_link(catalog, "test_method", edition, ref, on, title=rel.title if rel else None,
                           clause=rel.clause if rel else None, note=rel.note if rel else None,
                           indicator_ids=tuple(ids)))
    return tuple(links)


def standard_chain(catalog: Catalog, edition_id: str, on: date) -> Chain:
    """Return the related-standards chain of `edition_id` on date `on`. Raises UnknownEdition."""
    edition = catalog.edition(edition_id)
    std = catalog.standard(edition.standard_code)
    refs = tuple(_link(catalog, "refers", edition, r.target, on, title=r.title, clause=r.clause, note=r.note)
                 for r in edition.relations if r.type == "refers")
    return Chain(edition.id, on, status(edition, on, std), _lineage(catalog, edition, on), edition.amendments,
                 together_editions(catalog, edition.id, on), _required_by(catalog, edition, on),
                 _test_methods(catalog, edition, on), refs)


def unresolved(catalog: Catalog, on: date) -> tuple[str, ...]:
    """Return a message for every relation of every edition that does not resolve (target
    neither in the catalog nor described by a title); () when all resolve."""
    problems = []
    for ed in _all_editions(catalog):
        chain = standard_chain(catalog, ed.id, on)
        for link in chain.history:
            if not standard_refs(link.target):
                problems.append(f"{link.from_edition}：{link.label} {link.target} 不是标准号")
        for link in (*chain.together, *chain.test_methods, *chain.references):
            if not link.resolved:
                problems.append(f"{link.from_edition}：{link.label} {link.target} 不在目录中且未写名称")
        for ind in ed.indicators:
            if ind.test_method and not standard_refs(ind.test_method):
                problems.append(f"{ind.id}：检验方法 {ind.test_method!r} 中没有可识别的标准号")
    return tuple(problems)


@dataclass(frozen=True)
class SelfCheckGroup:
    """The indicators to check for one edition of a self-check list; `link` is None for the
    product's own edition, else the relation that brought this edition in."""
    edition_id: str
    title: str
    link: Link | None
    indicators: tuple[Indicator, ...] = field(default=())


def self_check_list(catalog: Catalog, edition_id: str, on: date, *, category: str | None = None,
                    product_class: str | None = None) -> tuple[SelfCheckGroup, ...]:
    """Return what a product of `edition_id` is checked against on `on`: its own applicable
    indicators, then those of every standard it must meet together with it (the same
    category and class filters, which a related edition ignores when it does not know the
    category). Raises UnknownEdition."""
    own = catalog.edition(edition_id)
    groups = [SelfCheckGroup(own.id, own.title, None, applicable_indicators(own, category, product_class))]
    for link in together_editions(catalog, own.id, on, category):
        if link.edition_id is None:
            groups.append(SelfCheckGroup(link.target, link.title or link.target, link, ()))
            continue
        ed = catalog.edition(link.edition_id)
        cat = category if category and ed.category(category) else None
        groups.append(SelfCheckGroup(ed.id, ed.title, link, applicable_indicators(ed, cat, product_class)))
    return tuple(groups)
