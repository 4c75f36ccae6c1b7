"""What pages and the tablet show of a standard's related-standards chain and of its
unconfirmed values, in one language: the public standard page (server.resolver), the
console's standard view (server.catalog) and the tablet's standard view
(kivy_client.presenters.standard) all call these, so they say the same thing.

    chain_view(catalog, "GB 31701-2015", on, "en")   # {"groups": [{key, title, entries}], …}
    unverified_marks(indicator, "zh")                 # {"confirmed", "mark", "parts", "note"}

Pure: the chain is `rules.chain.standard_chain(...).to_dict()`, the words are the message
catalogue's `chain.*` texts. Raises rules.errors.UnknownEdition for an edition the catalog
lacks.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from assets.messages import words
from rules.catalog import Catalog, Edition, Indicator
from rules.chain import standard_chain
from rules.editions import status

#: the chain's groups in page order: (key of Chain.to_dict(), word of its heading)
GROUPS = (("history", "history"), ("amendments", "amendments"), ("together", "together"),
          ("required_by", "required_by"), ("test_methods", "test_methods"), ("references", "references"))
_STATUS_KEYS = {"现行": "current", "即将实施": "upcoming", "废止": "withdrawn"}
#: an indicator whose `unverified` names one of these is not confirmed (Indicator.confirmed)
VALUE_PARTS = ("value", "grade_table")


def part_names(parts: Iterable[str], lang: str) -> list[str]:
    """Return the names of unverified parts ("value" -> 限值 / limit value) in `lang`."""
    w = words("chain", lang)
    return [w.get(f"part_{p}", p) for p in parts]


def _join(names: list[str], lang: str) -> str:
    return ("、" if lang != "en" else ", ").join(names)


def unverified_marks(indicator: Indicator, lang: str, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Return how a page marks an indicator: {confirmed, mark (待核实 / To be verified, or
    None when confirmed), parts (names of what no public source confirmed), note (one
    sentence, or None when nothing is unverified)}. Parts in `skip` are left out of `parts`
    and `note` (a page that says once that a clause number is unverified)."""
    w = words("chain", lang)
    names = part_names([p for p in indicator.unverified if p not in set(skip)], lang)
    note = None
    if names or not indicator.confirmed:
        names = names or part_names([p for p in VALUE_PARTS if p in indicator.unverified], lang)
        note = w["value_unverified" if not indicator.confirmed else "part_unverified"].format(
            parts=_join(names, lang))
    return {"confirmed": indicator.confirmed, "mark": None if indicator.confirmed else w["mark"],
            "parts": names, "note": note}


def parts_note(parts: Iterable[str], lang: str) -> str | None:
    """Return "条款号待核实（未经公开来源核对）" for unverified parts other than the value
    (None for none)."""
    names = part_names(parts, lang)
    return words("chain", lang)["part_unverified"].format(parts=_join(names, lang)) if names else None


def edition_marks(edition: Edition, lang: str) -> dict[str, Any]:
    """Return {parts, note} for an edition's unverified dates (issued, effective, …)."""
    return {"parts": part_names(edition.unverified, lang), "note": parts_note(edition.unverified, lang)}


def _link_item(link: dict, edition_id: str, w: dict[str, str], edition_status) -> dict[str, Any]:
    """One link read from `edition_id`'s side ("被 GB 18580-2025 代替" for a newer edition)."""
    reverse = link["relation"] in ("replaces", "replaces_part") and link["from_edition"] != edition_id
    if reverse:
        label, code, target_edition = w["rel_" + link["relation"] + "_by"], link["from_edition"], link["from_edition"]
    else:
        label, code, target_edition = w.get("rel_" + link["relation"], link["label"]), link["target"], link["edition_id"]
    status, status_key = edition_status(target_edition)
    count = len(link["indicator_ids"])
    return {"relation": link["relation"], "label": label, "code": code, "edition_id": target_edition,
            "resolves_to": target_edition if target_edition and target_edition != code else None,
            "title": link["title"], "status": status, "status_key": status_key,
            "in_catalog": target_edition is not None, "clause": link["clause"], "note": link["note"],
            "indicators": count, "indicators_text": w["for_indicators"].format(count=count) if count else None}


def chain_view(catalog: Catalog, edition_id: str, on: date, lang: str = "zh") -> dict[str, Any]:
    """Return the chain of `edition_id` on `on` as a page shows it: {edition_id, status,
    title, empty, groups: [{key, title, entries}], chain (the raw `Chain.to_dict()`)}. An
    item is {relation, label (代替 / Replaces …, from this edition's side), code, edition_id
    (the catalog edition to link to, or None), resolves_to (the edition in force a yearless
    target names), title, status, status_key, in_catalog, clause, note, indicators,
    indicators_text}; an amendment item is {label, code (its full number), summary,
    issued, effective}. Raises rules.errors.UnknownEdition."""
    chain = standard_chain(catalog, edition_id, on).to_dict()
    w = words("chain", lang)
    status_words = words("resolver", lang)

    def status_word(label: str) -> str:
        key = _STATUS_KEYS.get(label)
        return status_words.get(f"status_{key}", label) if key else label

    def edition_status(ident: str | None) -> tuple[str | None, str | None]:
        if ident is None:
            return None, None
        edition = catalog.edition(ident)
        label = status(edition, on, catalog.standard(edition.standard_code))
        return status_word(label), _STATUS_KEYS.get(label)

    groups = []
    for key, word in GROUPS:
        entries = chain[key]
        if not entries:
            continue
        if key == "amendments":
            items = [{"relation": "amendment", "label": w["rel_amendment"], "code": a["number"],
                      "summary": a["summary"], "issued": a["issued"], "effective": a["effective"]}
                     for a in entries]
        else:
            items = [_link_item(link, edition_id, w, edition_status) for link in entries]
        groups.append({"key": key, "title": w[word], "entries": items})
    return {"edition_id": edition_id, "status": status_word(chain["status"]), "title": w["title"],
            "empty": not groups, "none": w["none"], "groups": groups, "chain": chain}


def chain_lines(view: dict[str, Any], *, compact: Iterable[str] = ()) -> list[str]:
    """Return one plain line per chain item (for the tablet's text widgets):
    "须同时符合 GB 18401（GB 18401-2010 现行）国家纺织产品基本安全技术规范"; the groups named
    in `compact` ("test_methods", "references") as one line each: "检验方法标准：GB/T 2912.1、…"."""
    lines = []
    for group in view["groups"]:
        if group["key"] in compact:
            codes = list(dict.fromkeys(item["code"] for item in group["entries"]))
            lines.append(f"{group['title']}：{'、'.join(codes)}")
            continue
        for item in group["entries"]:
            if item["relation"] == "amendment":
                lines.append(f"{item['label']} {item['code']}  {item['summary'] or ''}".rstrip())
                continue
            where = " ".join(x for x in (item.get("resolves_to"), item.get("status")) if x)
            line = f"{item['label']} {item['code']}" + (f"（{where}）" if where else "")
            if item.get("title"):
                line += f" {item['title']}"
            if item.get("indicators_text"):
                line += f" · {item['indicators_text']}"
            lines.append(line)
    return lines
