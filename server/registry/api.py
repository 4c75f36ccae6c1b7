"""The registry API under /api/v1/products: anyone authenticated reads; admins and
supervisors write (one product as JSON, or a CSV import with a row-by-row report)."""
from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from server.kernel import uow
from server.kernel.access import REGISTRY_WRITERS, allow
from server.kernel.auth import current_principal
from server.kernel.errors import ValidationFailed
from server.registry import service
from server.registry.schemas import (
    ImportArgs,
    ImportReportSchema,
    ProductListArgs,
    ProductPageSchema,
    ProductSchema,
    ProductWriteResultSchema,
    ProductWriteSchema,
    WithdrawnSchema,
)

blp = Blueprint("products", __name__, url_prefix="/api/v1/products",
                description="Product registry: GTIN → product, company, applicable standards")

WRITERS = REGISTRY_WRITERS
MAX_CSV_BYTES = 20 * 1024 * 1024


@blp.route("/")
@allow("registry.read")
@blp.arguments(ProductListArgs, location="query")
@blp.response(200, ProductPageSchema)
def list_products(args):
    """Registered products, searched by GTIN prefix or words of name / company / credit code."""
    return service.list_products(current_principal(), args["q"], args["limit"], args["offset"])


@blp.route("/<gtin>")
@allow("registry.read")
@blp.response(200, ProductSchema)
def get_product(gtin):
    """One product (GTIN-8/12/13/14 accepted); 404 when not registered."""
    return service.product_json(service.get_product(current_principal(), gtin))


@blp.route("/<gtin>", methods=["PUT"])
@allow("registry.write")
@blp.arguments(ProductWriteSchema)
@blp.response(200, ProductWriteResultSchema)
def put_product(body, gtin):
    """Create or update one product; devices receive it by pull (unchanged content: no change)."""
    row, result = service.put_product(current_principal(), gtin, body)
    return {**service.product_json(row), "result": result}


@blp.route("/<gtin>", methods=["DELETE"])
@allow("registry.write")
@blp.response(200, WithdrawnSchema)
def withdraw_product(gtin):
    """Withdraw a product from the registry (a tombstone devices pull)."""
    row = service.withdraw_product(current_principal(), gtin)
    return {"gtin": row.gtin, "version": row.version, "withdrawn": True}


@blp.route("/import", methods=["POST"])
@allow("registry.write")
@blp.arguments(ImportArgs, location="query")
@blp.response(200, ImportReportSchema)
def import_products(args):
    """Import a registry CSV (body `text/csv`, a multipart `file`, or JSON {"csv": "..."}):
    valid rows are applied, rejected rows listed with row number, column and reason."""
    content, source = _csv_payload()
    report = service.import_csv(current_principal(), content, source=args["source"] or source,
                                dry_run=args["dry_run"])
    if args["dry_run"]:
        uow.rollback()   # a dry run stores nothing
    return report


def _csv_payload() -> tuple[bytes | str, str]:
    if request.content_length and request.content_length > MAX_CSV_BYTES:
        raise ValidationFailed("csv_too_large", details={"file": ["too large"]})
    upload = request.files.get("file")
    if upload is not None:
        return upload.read(), upload.filename or "upload.csv"
    if request.is_json:
        body = request.get_json(silent=True) or {}
        if not isinstance(body.get("csv"), str):
            raise ValidationFailed("csv_json",
                                   details={"csv": ["required"]})
        return body["csv"], str(body.get("source") or "upload.csv")
    data = request.get_data()
    if not data:
        raise ValidationFailed("csv_missing", details={"file": ["required"]})
    return data, "upload.csv"
