"""Supervisor endpoints: list, read and review inspections of their jurisdiction."""
from __future__ import annotations

from flask_smorest import Blueprint

from server.auth import current_principal, require_role
from server.schemas.inspections import (
    InspectionDetailSchema,
    InspectionListArgs,
    InspectionSchema,
    ReviewRequestSchema,
    ReviewSchema,
)
from server.services import review as review_service

blp = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections",
                description="Inspections and their review")


@blp.route("/")
@require_role("inspector", "supervisor", "admin")
@blp.arguments(InspectionListArgs, location="query")
@blp.response(200, InspectionSchema(many=True))
def list_inspections(args):
    """Inspections inside the caller's jurisdiction subtree (filter by status, disagreement,
    company name or credit code)."""
    return review_service.list_inspections(current_principal(), status=args.get("status"),
                                           disagreement=args.get("disagreement"), q=args.get("q"),
                                           limit=args["limit"], offset=args["offset"])


@blp.route("/<inspection_id>")
@require_role("inspector", "supervisor", "admin")
@blp.response(200, InspectionDetailSchema)
def get_inspection(inspection_id):
    """One inspection with every finding revision, flags and reviews (404 outside the subtree)."""
    return review_service.get_inspection(current_principal(), inspection_id)


@blp.route("/<inspection_id>/reviews", methods=["POST"])
@require_role("supervisor", "admin")
@blp.arguments(ReviewRequestSchema)
@blp.response(201, ReviewSchema)
def review(body, inspection_id):
    """Approve, return for correction or reject (with a comment); reaches the device by pull."""
    return review_service.review_inspection(current_principal(), inspection_id, body["outcome"], body["comment"])
