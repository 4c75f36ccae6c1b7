"""Registry services: list, search, get, upsert, withdraw products and import CSV files.

Every product that changes emits a `product` change (`record_change`) in the same
transaction, so tablets receive it by pull; a product whose content is unchanged emits
nothing (re-importing the same file changes nothing). The unit of work commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select

from codes import CodeError, gtin14
from server.catalog.service import current_catalog
from server.kernel import audit, clock
from server.kernel.access import require
from server.kernel.auth import Principal
from server.kernel.changes import record_change
from server.kernel.errors import NotFound, ValidationFailed
from server.kernel.extensions import db
from server.kernel.i18n import request_language
from server.kernel.types import content_hash
from server.registry.cells import gtin_problem
from server.registry.models import Product
from server.registry.rows import HeaderError, check_row, check_rows, decode_csv, read_csv
from sync.protocol import OP_DELETE, OP_UPSERT

MAX_LIST = 500


def normalise_gtin(value: str) -> str:
    """Return the GTIN-14 of a GTIN-8/12/13/14; raises ValidationFailed naming the problem."""
    try:
        return gtin14(str(value))
    except CodeError as exc:
        variant, params = gtin_problem(exc, str(value))
        raise ValidationFailed(variant, details={"gtin": [variant]}, **params) from exc


def live_product(gtin: str) -> dict[str, Any] | None:
    """Return the record of the registered (not withdrawn) product `gtin` (GTIN-14), or None."""
    row = db.session.get(Product, gtin)
    return None if row is None or row.deleted_at is not None else row.data


def product_json(row: Product) -> dict[str, Any]:
    """Return the API view of a product: its record plus version and timestamps."""
    return {**row.data, "version": row.version, "updated_at": clock.as_utc(row.updated_at).isoformat()}


def _live(gtin: str) -> Product | None:
    row = db.session.get(Product, gtin)
    return row if row is not None and row.deleted_at is None else None


def get_product(principal: Principal | None, gtin: str) -> Product:
    """Return the live product with this GTIN (any length); raises ValidationFailed for a
    malformed GTIN, NotFound when it is not registered."""
    row = _live(normalise_gtin(gtin))
    if row is None:
        raise NotFound("product", gtin=gtin, details={"gtin": [gtin]})
    return row


def list_products(principal: Principal | None, q: str | None = None, limit: int = 50,
                  offset: int = 0) -> dict[str, Any]:
    """Return {total, items} of live products matching `q` (digits of the GTIN, or words in the
    name, company, credit code or kind), ordered by GTIN. Raises ValidationFailed for a
    limit outside 1..MAX_LIST."""
    if not 1 <= limit <= MAX_LIST or offset < 0:
        raise ValidationFailed("limit", maximum=MAX_LIST, details={"limit": ["1..500"]})
    cond = [Product.deleted_at.is_(None)]
    if q and q.strip():
        text = q.strip()
        digits = text.isascii() and text.isdigit()
        like = f"%{text}%"
        options = [Product.name.like(like), Product.company_name.like(like), Product.credit_code.like(like)]
        if digits:
            options.append(Product.gtin.like(like))
        cond.append(or_(*options))
    total = db.session.execute(select(func.count()).select_from(Product).where(*cond)).scalar()
    rows = db.session.execute(select(Product).where(*cond).order_by(Product.gtin)
                              .limit(limit).offset(offset)).scalars()
    return {"total": int(total or 0), "items": [product_json(r) for r in rows]}


def products_of(credit_codes: Iterable[str], gtins: Iterable[str] = ()) -> dict[str, list[dict[str, Any]]]:
    """Return {credit code: [{gtin, name, category, product_class, standards}]} of the live
    products registered to these companies, plus those of `gtins` (a directory's own list of
    product codes) under their company's code; each list by GTIN. Raises nothing."""
    codes = sorted({c for c in credit_codes if c})
    wanted = set()
    for value in gtins:
        try:
            wanted.add(gtin14(str(value)))
        except CodeError:
            continue
    cond = []
    if codes:
        cond.append(Product.credit_code.in_(codes))
    if wanted:
        cond.append(Product.gtin.in_(sorted(wanted)))
    if not cond:
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    rows = db.session.execute(select(Product).where(Product.deleted_at.is_(None), or_(*cond))
                              .order_by(Product.gtin)).scalars()
    for row in rows:
        if row.credit_code:
            out.setdefault(row.credit_code, []).append(
                {"gtin": row.gtin, "name": row.name, "category": row.category, "product_class": row.product_class,
                 "standards": list(row.data.get("standards") or [])})
    return out


def save_product(data: Mapping[str, Any]) -> str:
    """Upsert one checked product record (see rows.check_row); return "added", "changed"
    or "unchanged". Emits a `product` change unless unchanged. Raises nothing."""
    digest = content_hash(dict(data))
    row = db.session.get(Product, data["gtin"])
    now = clock.now()
    columns = {"name": data["name"], "category": data.get("category"),
               "product_class": data.get("product_class"), "company_name": data.get("company_name"),
               "credit_code": data.get("credit_code")}
    if row is None:
        db.session.add(Product(gtin=data["gtin"], version=1, content_hash=digest, data=dict(data),
                               updated_at=now, deleted_at=None, **columns))
        record_change("product", data["gtin"], OP_UPSERT, 1, dict(data))
        return "added"
    if row.content_hash == digest and row.deleted_at is None:
        return "unchanged"
    row.version += 1
    row.content_hash, row.data, row.updated_at, row.deleted_at = digest, dict(data), now, None
    for key, value in columns.items():
        setattr(row, key, value)
    record_change("product", row.gtin, OP_UPSERT, row.version, dict(data))
    return "changed"


def _require_writer(principal: Principal | None, action: str = "registry.write", target: str = "") -> None:
    """Raise Forbidden unless `principal` may write the registry (None: the CLI, trusted);
    the write is recorded in the audit log."""
    if principal is not None:
        require(principal, "registry.write")
        audit.record(principal, action, target)


def put_product(principal: Principal | None, gtin: str, body: Mapping[str, Any]) -> tuple[Product, str]:
    """Check and upsert one product from a JSON body (the CSV columns; `standards` as the
    CSV cell text or a list of entries). Returns (row, "added"|"changed"|"unchanged").
    Raises Forbidden (not a registrar of a province, or an admin), ValidationFailed with
    per-column details."""
    _require_writer(principal, target=gtin)
    raw = {k: body.get(k) for k in ("name", "kind", "category", "product_class", "company_name", "credit_code")}
    standards = body.get("standards")
    if isinstance(standards, list):
        standards = "; ".join(_entry_text(s) for s in standards)
    raw["standards"] = standards or ""
    raw["gtin"] = gtin
    checked = check_row(1, {k: ("" if v is None else str(v)) for k, v in raw.items()}, current_catalog())
    if checked.errors:
        language = request_language()
        details: dict[str, list[str]] = {}
        for err in checked.errors:
            details.setdefault(err.column, []).append(err.reason(language))
        first = checked.errors[0]
        raise ValidationFailed(first.variant, details=details, **first.params)
    result = save_product(checked.data)
    db.session.flush()
    return db.session.get(Product, checked.data["gtin"]), result


def _entry_text(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, Mapping):
        return str(entry)
    text = str(entry.get("edition") or entry.get("standard") or "")
    if entry.get("category"):
        text += f"@{entry['category']}"
    classes = entry.get("classes") or []
    if classes:
        text += f":{classes[0]}"
    return text


def withdraw_product(principal: Principal | None, gtin: str) -> Product:
    """Withdraw a product (tombstone: tablets delete it at the next pull); returns the row.
    Raises Forbidden as put_product, ValidationFailed / NotFound as get_product."""
    _require_writer(principal, target=gtin)
    row = get_product(principal, gtin)
    now = clock.now()
    row.version += 1
    row.deleted_at = row.updated_at = now
    record_change("product", row.gtin, OP_DELETE, row.version, None)
    return row


def import_csv(principal: Principal | None, content: bytes | str, *, source: str = "upload",
               dry_run: bool = False) -> dict[str, Any]:
    """Check every row of a registry CSV, apply the valid rows, and return the report:

        {source, dry_run, rows, accepted, rejected, added, changed, unchanged,
         ignored_columns, rejections: [{row, gtin, errors: [{column, column_label, reason}]}],
         products: [{row, gtin, name, result}]}

    Rows are numbered as in a spreadsheet (header = row 1). With `dry_run` nothing is
    written. Raises ValidationFailed when the file itself is unusable (encoding, header).
    """
    _require_writer(principal, "registry.import", source)
    try:
        rows, ignored = read_csv(decode_csv(content))
    except HeaderError as exc:
        raise ValidationFailed(exc.variant, details={"file": [str(exc)]}, **exc.params) from exc
    checked = check_rows(rows, current_catalog())
    language = request_language()
    report: dict[str, Any] = {"source": source, "dry_run": dry_run, "date": date.today().isoformat(),
                              "rows": len(checked), "accepted": 0, "rejected": 0, "added": 0,
                              "changed": 0, "unchanged": 0, "ignored_columns": ignored,
                              "rejections": [], "products": []}
    for item in checked:
        if item.errors or item.data is None:
            report["rejected"] += 1
            report["rejections"].append({"row": item.row, "gtin": item.raw.get("gtin") or None,
                                         "name": item.raw.get("name") or None,
                                         "errors": [e.to_dict(language) for e in item.errors]})
            continue
        report["accepted"] += 1
        result = "checked" if dry_run else save_product(item.data)
        if not dry_run:
            report[result] += 1
        report["products"].append({"row": item.row, "gtin": item.data["gtin"], "name": item.data["name"],
                                   "result": result})
    return report
