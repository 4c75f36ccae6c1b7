"""Offline resolution on the tablet: scanned text -> product and the standards that apply.

Pure over the device's catalog store (`store.catalog.row`): the product registry and the
standards catalog arrive by pull (entities `product`, `standard`, `edition`,
`indicator`), so a scan resolves with no network. The standards view is the same
`assets.registry.describe_standards` the public resolver page shows.

    answer = resolve_scan(store.catalog, "https://id.gs1.org/01/06901234567892/10/B2025", on=date.today())
    answer.status   # "found" | "not_in_registry" | "invalid" | "standard" | "unknown_standard"
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from assets.registry import catalog_from_rows, consumer_checks, describe_standards, standard_refs
from assets.registry.view import describe_standard
from codes import CodeError, ParsedCode, china_prefix, parse_any
from rules.catalog import Catalog

FOUND, NOT_IN_REGISTRY, INVALID, STANDARD, UNKNOWN_STANDARD = (
    "found", "not_in_registry", "invalid", "standard", "unknown_standard")


class CatalogRows(Protocol):
    """What resolution needs from the catalog cache (`device.stores.CatalogStore` has it)."""

    def row(self, entity: str, ident: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Resolution:
    """The answer to a scan. `message` is for the officer (Chinese first)."""

    status: str
    message: str
    code: dict[str, Any] | None = None           # codes.ParsedCode.to_dict() of the scan
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    product: dict[str, Any] | None = None        # the registry record as pulled
    standards: list[dict[str, Any]] = field(default_factory=list)
    consumer_checks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """True when the scan named a registered product."""
        return self.status == FOUND

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the answer."""
        return {"status": self.status, "message": self.message, "code": self.code, "gtin": self.gtin,
                "lot": self.lot, "serial": self.serial, "product": self.product,
                "standards": self.standards, "consumer_checks": self.consumer_checks}


def local_catalog(catalog: CatalogRows, codes: list[str]) -> Catalog:
    """Return a Catalog of the standards `codes` as cached on the device (missing ones
    are left out; describe_standards then marks them `known: False`)."""
    standards, editions, indicators = [], {}, {}
    for code in dict.fromkeys(codes):
        std = catalog.row("standard", code)
        if std is None:
            continue
        standards.append(std)
        for edition_id in std.get("editions", ()):
            ed = catalog.row("edition", edition_id)
            if ed is None:
                continue
            editions[edition_id] = ed
            for indicator_id in ed.get("indicator_ids", ()):
                ind = catalog.row("indicator", indicator_id)
                if ind is not None:
                    indicators[indicator_id] = ind
    return catalog_from_rows(standards, editions, indicators)


def _standard_codes(product: dict[str, Any]) -> list[str]:
    return [ref["standard"] for ref in standard_refs(product)]


def resolve_scan(catalog: CatalogRows, text: str, *, on: date, strict: bool = False) -> Resolution:
    """Resolve scanned text against the device's cached registry and catalog on date `on`.

    Accepts whatever `codes.parse_any` reads (Digital Link, element string, GTIN/EAN-13,
    GB/T 33993 URL, standard link or number); lenient by default, as a tablet scanning
    real products should be. Never raises for bad input: an unreadable code answers
    status "invalid" with codes' message; a GTIN not in the cache "not_in_registry".
    """
    try:
        parsed = parse_any(text, strict=strict)
    except CodeError as exc:
        return Resolution(INVALID, f"无法识别的条码或二维码：{exc.message}")
    if parsed.kind in ("standard", "standard_link"):
        return _resolve_standard(catalog, parsed, on)
    if not parsed.gtin:
        return Resolution(INVALID, "该码不含商品条码（GTIN，AI 01） (no GTIN in the code)", code=parsed.to_dict())
    return resolve_gtin(catalog, parsed, on=on)


def resolve_gtin(catalog: CatalogRows, parsed: ParsedCode, *, on: date) -> Resolution:
    """Resolve an already parsed code carrying a GTIN (see resolve_scan)."""
    gtin = parsed.gtin
    lot, serial = parsed.ais.get("10"), parsed.ais.get("21")
    product = catalog.row("product", gtin)
    if product is None:
        where = "（中国厂商条码 690–699）" if china_prefix(gtin) else ""
        return Resolution(NOT_IN_REGISTRY,
                          f"商品库中没有商品条码 {gtin}{where}：本机未登记该商品，请按产品标签核对执行标准，"
                          f"联网同步后可再查 (GTIN not in the registry on this device)",
                          code=parsed.to_dict(), gtin=gtin, lot=lot, serial=serial)
    catalog = local_catalog(catalog, _standard_codes(product))
    standards = describe_standards(product, catalog, on)
    return Resolution(FOUND, f"{product.get('name')}：适用 {len(standards)} 项标准", code=parsed.to_dict(),
                      gtin=gtin, lot=lot, serial=serial, product=product, standards=standards,
                      consumer_checks=consumer_checks("*"))


def _resolve_standard(catalog: CatalogRows, parsed: ParsedCode, on: date) -> Resolution:
    catalog = local_catalog(catalog, [parsed.standard])
    ref = {"standard": parsed.standard, "edition": parsed.edition, "category": None, "classes": []}
    view = describe_standard(catalog, ref, on)
    if not view.get("known"):
        return Resolution(UNKNOWN_STANDARD, f"本机标准库中没有 {parsed.edition or parsed.standard}，请同步后再查 "
                                            f"(standard not in the local catalog)", code=parsed.to_dict())
    return Resolution(STANDARD, f"{view['edition']} {view['title']}（{view['status']}）", code=parsed.to_dict(),
                      standards=[view])
