"""Which edition of a standard applies on a date, its status, and which indicators apply.

All computed from dates and data, never stored. Pure.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from rules.catalog import Edition, Indicator, Standard
from rules.errors import NoEditionInForce

__all__ = [
    "CURRENT",
    "UPCOMING",
    "WITHDRAWN",
    "applicable_indicators",
    "edition_in_force",
    "required_class",
    "status",
    "withdrawn_on",
]

CURRENT = "现行"
UPCOMING = "即将实施"
WITHDRAWN = "废止"

STAGES = ("production", "sale")


def withdrawn_on(edition: Edition, standard: Standard | None = None) -> date | None:
    """Return the date the edition stops being current: its own `withdrawn`, else the
    effective date of the edition that replaces it (looked up in `standard`), else None."""
    if edition.withdrawn is not None:
        return edition.withdrawn
    if standard is not None and edition.replaced_by:
        for other in standard.editions:
            if other.id == edition.replaced_by:
                return other.effective
    return None


def status(edition: Edition, on: date, standard: Standard | None = None) -> str:
    """Return "即将实施" before the effective date, "废止" from the withdrawal date on
    (see `withdrawn_on`), else "现行". Raises nothing."""
    if on < edition.effective:
        return UPCOMING
    end = withdrawn_on(edition, standard)
    if end is not None and on >= end:
        return WITHDRAWN
    return CURRENT


def _newest_effective(standard: Standard, on: date) -> Edition:
    started = [e for e in standard.editions if e.effective <= on]
    if not started:
        raise NoEditionInForce(standard.code, on)
    return max(started, key=lambda e: e.effective)


def edition_in_force(standard: Standard, on: date, *, manufactured: date | None = None,
                     stage: str = "sale") -> Edition:
    """Return the edition a product is judged against on date `on`.

    stage "production": the newest edition effective on `on` (the making/shipping date).
    stage "sale": the same, except inside a transition: when the newest edition has a
    `transition` and the product was made (`manufactured`) on or before its
    `production_until` (default: the day before the new edition's effective date) and `on`
    is on or before its `sale_until`, the replaced edition applies. Without a
    manufacture date the newest edition applies (the seller must prove the exception).

    Raises NoEditionInForce when no edition is effective yet on `on`; ValueError for an
    unknown stage.
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
    newest = _newest_effective(standard, on)
    if stage == "production" or manufactured is None or newest.transition is None:
        return newest
    transition = newest.transition
    made_by = transition.production_until or (newest.effective - timedelta(days=1))
    if manufactured > made_by:
        return newest
    if transition.sale_until is not None and on > transition.sale_until:
        return newest
    old = _replaced_edition(standard, newest)
    return old if old is not None else newest


def _replaced_edition(standard: Standard, new: Edition) -> Edition | None:
    candidates = [e for e in standard.editions if e.id in new.replaces]
    return max(candidates, key=lambda e: e.effective) if candidates else None


def required_class(edition: Edition, category: str | None) -> str | None:
    """Return the least product class a category must meet (GB 18401: infant -> "A"),
    or None when the category is unknown to the edition or has no class."""
    if category is None:
        return None
    found = edition.category(category)
    return found.required_class if found else None


def applicable_indicators(edition: Edition, category: str | None = None,
                          product_class: str | None = None) -> tuple[Indicator, ...]:
    """Return the edition's indicators that apply to a product.

    An indicator applies when its `categories` is empty or holds `category` (no category:
    every indicator), and its `classes` is empty or holds the product's class. The
    product's class is `product_class`, else the category's required class; when neither
    is known, indicators of every class are returned. Raises nothing.
    """
    cls = product_class or required_class(edition, category)
    return tuple(_filter(edition.indicators, category, cls))


def _filter(indicators: Iterable[Indicator], category: str | None, cls: str | None):
    for ind in indicators:
        if category is not None and ind.categories and category not in ind.categories:
            continue
        if cls is not None and ind.classes and cls not in ind.classes:
            continue
        yield ind
