"""Health, readiness, metrics and protocol version (no authentication; /metrics is for the
loopback or a bearer token, see docs/operations.md)."""
from __future__ import annotations

import os
import secrets

import marshmallow as ma
from flask import Response, current_app, request
from flask_smorest import Blueprint

from server.app import probes
from server.kernel.errors import Forbidden
from server.kernel.extensions import db
from server.kernel.metrics import exposition
from sync.protocol import MIN_PROTOCOL, PROTOCOL_VERSION

blp = Blueprint("meta", __name__, url_prefix="/api/v1", description="Server health and protocol")
metrics_blp = Blueprint("metrics", __name__, description="Prometheus metrics")


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    protocol = ma.fields.Integer()
    min_protocol = ma.fields.Integer()
    database = ma.fields.String()


class CheckSchema(ma.Schema):
    ok = ma.fields.Boolean()
    detail = ma.fields.String()


class ReadySchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "ready | degraded (no scheduler) | down"})
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(CheckSchema))


@blp.route("/health")
@blp.response(200, HealthSchema)
def health():
    """Liveness: the process answers and reaches its database; protocol versions."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "protocol": PROTOCOL_VERSION, "min_protocol": MIN_PROTOCOL,
            "database": db.engine.dialect.name}


@blp.route("/ready")
@blp.response(200, ReadySchema)
@blp.alt_response(503, schema=ReadySchema, description="the database or the blob store fails")
def ready():
    """Readiness: the database and the blob store answer (503 otherwise: take this worker
    out of rotation) and who holds the scheduler lease (none: `degraded`, still 200 — a
    dead scheduler must not take the web workers out)."""
    checks = probes.readiness()
    serving = checks["database"]["ok"] and checks["blob_store"]["ok"]
    status = "down" if not serving else "ready" if checks["scheduler"]["ok"] else "degraded"
    return {"status": status, "checks": checks}, 200 if serving else 503


@metrics_blp.route("/metrics")
def metrics():
    """Prometheus text exposition (every worker's counters and the database probes)."""
    token = current_app.config.get("GBFIELD_METRICS_TOKEN") or os.environ.get("GBFIELD_METRICS_TOKEN")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token:
        allowed = secrets.compare_digest(given.encode(), str(token).encode())
    else:
        allowed = request.remote_addr in ("127.0.0.1", "::1")
    if not allowed:
        raise Forbidden("metrics")
    return Response(exposition(current_app), mimetype="text/plain; version=0.0.4; charset=utf-8")
