"""Supervisor endpoints: list, read and review inspections of their jurisdiction."""
from __future__ import annotations

import marshmallow as ma
from flask import jsonify
from flask_smorest import Blueprint

from server.inspections import listing
from server.inspections import review as review_service
from server.inspections.schemas import (
    InspectionDetailSchema,
    InspectionListArgs,
    InspectionSchema,
    ReviewRequestSchema,
    ReviewSchema,
)
from server.kernel.access import allow
from server.kernel.auth import current_principal

blp = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections",
                description="Inspections and their review")


@blp.route("/")
@allow("inspection.list")
@blp.arguments(InspectionListArgs, location="query")
@blp.response(200, InspectionSchema(many=True))
def list_inspections(args):
    """Inspections inside the caller's jurisdiction subtree (filter by status, disagreement,
    company name or credit code)."""
    return listing.list_inspections(current_principal(), status=args.get("status"),
                                           disagreement=args.get("disagreement"), q=args.get("q"),
                                           limit=args["limit"], offset=args["offset"])


@blp.route("/<inspection_id>")
@allow("inspection.read")
@blp.response(200, InspectionDetailSchema)
def get_inspection(inspection_id):
    """One inspection with every finding revision, flags and reviews (404 outside the subtree)."""
    return review_service.get_inspection(current_principal(), inspection_id)


@blp.route("/<inspection_id>/reviews", methods=["POST"])
@allow("inspection.review")
@blp.arguments(ReviewRequestSchema)
@blp.response(201, ReviewSchema)
def review(body, inspection_id):
    """Approve, return for correction or reject (with a comment); reaches the device by pull."""
    return review_service.review_inspection(current_principal(), inspection_id, body["outcome"], body["comment"])


class PhotoStatusSchema(ma.Schema):
    referenced = ma.fields.List(ma.fields.String())
    missing = ma.fields.List(ma.fields.String())
    complete = ma.fields.Boolean()


@blp.get("/<inspection_id>/photo-status")
@allow("inspection.read")
@blp.alt_response(200, schema=PhotoStatusSchema, description="referenced and missing photos", success=True)
def inspection_photos(inspection_id: str):
    """{referenced, missing, complete} for an inspection the caller may see."""
    return jsonify(review_service.visible_photo_status(current_principal(), inspection_id))
