"""Printed enforcement records: ONE generator for the tablet (offline) and the console.

    record = InspectionRecord(...) | InspectionRecord.from_dict(json_ready_dict)
    layout = onsite_record(record, images)       # 现场笔录 (SAMR 2021 template's fields)
    layout = inspection_report(record, images)   # 现场检查报告: both verdicts, photos with captions
    render_pdf(layout) -> bytes                  # fpdf2, CJK font embedded as a subset
    warm_up()                                    # read the font ahead (background thread): faster first layout and PDF
    render_images(layout, dpi=110) -> [PIL.Image] / render_png(layout, dpi) -> [bytes]
    find_legal_labels(text) / check_record(record)   # 违法, 涉嫌, 擅自, 非法 … and where they are

`images` maps the SHA-256 of each signature/photo to its bytes (or is a callable doing so).
One layout, two back ends: the preview is the page that prints. Pure: imports only `assets`
(for the font), fpdf2 and Pillow, so python-for-android can build it. docs/documents.md."""
from documents.errors import DocumentError, ImageError, InputError
from documents.fonts import metrics
from documents.labels import LEGAL_LABELS, FieldLabelHit, LabelHit, check_record, find_legal_labels
from documents.layout import Layout, Page
from documents.model import (
    Disclosure,
    Finding,
    InspectionRecord,
    Officer,
    Order,
    Party,
    Photo,
    Place,
    Position,
    Signature,
)
from documents.onsite import onsite_record
from documents.pdf import prepare, render_pdf
from documents.raster import render_images, render_png
from documents.report import inspection_report


def warm_up() -> None:
    """Read the font's metrics and prepare the next PDF (about a second here), so that the
    tablet's 完成检查 does not wait for them: call it from a background thread when the
    summary screen opens. Raises nothing."""
    metrics()
    prepare()


__all__ = [
    "LEGAL_LABELS",
    "Disclosure",
    "DocumentError",
    "FieldLabelHit",
    "Finding",
    "ImageError",
    "InputError",
    "InspectionRecord",
    "LabelHit",
    "Layout",
    "Officer",
    "Order",
    "Page",
    "Party",
    "Photo",
    "Place",
    "Position",
    "Signature",
    "check_record",
    "find_legal_labels",
    "inspection_report",
    "onsite_record",
    "prepare",
    "render_images",
    "render_pdf",
    "render_png",
    "warm_up",
]
