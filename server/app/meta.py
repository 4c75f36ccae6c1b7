"""Health and protocol version (no authentication)."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from server.kernel.extensions import db
from sync.protocol import MIN_PROTOCOL, PROTOCOL_VERSION

blp = Blueprint("meta", __name__, url_prefix="/api/v1", description="Server health and protocol")


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    protocol = ma.fields.Integer()
    min_protocol = ma.fields.Integer()
    database = ma.fields.String()


@blp.route("/health")
@blp.response(200, HealthSchema)
def health():
    """Server status, protocol versions and database kind."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "protocol": PROTOCOL_VERSION, "min_protocol": MIN_PROTOCOL,
            "database": db.engine.dialect.name}
