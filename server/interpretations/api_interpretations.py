"""/api/v1/interpretations: public reading of published interpretations; experts publish."""
from __future__ import annotations

from flask_smorest import Blueprint

from server.interpretations import publishing
from server.interpretations.schemas import (
    InterpretationListArgs,
    InterpretationSchema,
    PublishRequest,
    PublishResultSchema,
)
from server.kernel.access import allow
from server.kernel.auth import current_principal

blp = Blueprint("interpretations", __name__, url_prefix="/api/v1/interpretations",
                description="Official interpretations (public read)")


@blp.route("/")
@blp.arguments(InterpretationListArgs, location="query")
@blp.response(200, InterpretationSchema(many=True))
def list_interpretations(args):
    """Published interpretations (newest version each), by standard, edition, clause. Public."""
    return publishing.list_public(**args)


@blp.route("/<interpretation_id>")
@blp.response(200, InterpretationSchema)
def get_interpretation(interpretation_id):
    """One interpretation: newest version and its `history`. Public."""
    return publishing.get_public(interpretation_id)


@blp.route("/", methods=["POST"])
@allow("interpretation.publish")
@blp.arguments(PublishRequest)
@blp.response(201, PublishResultSchema)
def publish(body):
    """Publish a new interpretation (optionally from an answer); returns it and the flags
    raised on already-synced findings whose verdict it changes."""
    return publishing.publish(current_principal(), **body)


@blp.route("/<interpretation_id>/versions", methods=["POST"])
@allow("interpretation.publish")
@blp.arguments(PublishRequest)
@blp.response(201, PublishResultSchema)
def publish_version(body, interpretation_id):
    """Publish version n+1 of an interpretation (the previous version is kept as history)."""
    return publishing.publish(current_principal(), interpretation_id=interpretation_id, **body)
