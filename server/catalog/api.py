"""The catalog API under /api/v1/catalog: a committee workbook (XLSX, `assets.xlsx`)
uploaded and imported into the live catalog with its row-by-row report (experts and
admins; `?check=true` only checks)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import request
from flask_smorest import Blueprint

from server.catalog.schemas import WorkbookArgs, WorkbookResultSchema
from server.catalog.workbook import import_workbook
from server.kernel.access import allow
from server.kernel.errors import ValidationFailed

blp = Blueprint("catalog", __name__, url_prefix="/api/v1/catalog",
                description="Standards catalog: committee workbook import")

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024


@blp.route("/workbook", methods=["POST"])
@allow("catalog.import")
@blp.arguments(WorkbookArgs, location="query")
@blp.response(200, WorkbookResultSchema)
def post_workbook(args):
    """Import a committee workbook (a multipart `file`, or the XLSX as the body): the
    standards that pass every check replace the live ones of the same numbers (changes
    devices pull); bad rows are reported with sheet, row, column and reason."""
    content, name = _workbook_payload()
    with tempfile.TemporaryDirectory(prefix="gbfield-workbook-") as folder:
        path = Path(folder) / (Path(name).name or "workbook.xlsx")
        path.write_bytes(content)
        return import_workbook(path, source=args["source"] or f"workbook {name}", check_only=args["check"])


def _workbook_payload() -> tuple[bytes, str]:
    if request.content_length and request.content_length > MAX_WORKBOOK_BYTES:
        raise ValidationFailed("workbook_too_large", details={"file": ["too large"]})
    upload = request.files.get("file")
    if upload is not None:
        return upload.read(), upload.filename or "workbook.xlsx"
    data = request.get_data()
    if not data:
        raise ValidationFailed("workbook_missing", details={"file": ["required"]})
    return data, "workbook.xlsx"
