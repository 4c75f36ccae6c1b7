"""Pull, push and digest (docs/protocol.md)."""
from __future__ import annotations

import orjson
from flask import Response
from flask_smorest import Blueprint

from server.kernel.access import allow
from server.kernel.auth import current_principal
from server.kernel.signing import signer
from server.kernel.uow import unit_of_work
from server.syncing import pull as pull_service
from server.syncing import push as push_service
from server.syncing.schemas import (
    DigestRequestSchema,
    DigestResponseSchema,
    PullArgsSchema,
    PullPageSchema,
    PushRequestSchema,
    PushResponseSchema,
)

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync", description="Device sync")


@blp.route("/pull")
@allow("sync.use")
@blp.arguments(PullArgsSchema, location="query")
@blp.response(200, PullPageSchema)
def pull(args):
    """One page of changes after `since` that the caller may see (410 resync_required
    when the cursor is stale: `sync.protocol.pull_is_stale(since, horizon, client horizon)`).

    The page is answered as pre-serialised JSON (stored `data` spliced in as is, or sent as
    a JSON string with `data=text`); its shape is PullPageSchema. It is signed with the
    catalog key (headers X-Gbfield-Signature, X-Gbfield-Catalog-Keys: docs/security.md)."""
    entities = pull_service.parse_entities(args.get("entities"))
    body = pull_service.pull_json(current_principal(), args["since"], args["limit"], entities,
                                  args.get("horizon"), args["data"])
    return Response(body, status=200, mimetype="application/json", headers=signer().headers(body))


@blp.route("/push", methods=["POST"])
@allow("sync.use")
@blp.arguments(PushRequestSchema)
@blp.response(200, PushResponseSchema)
def push(body):
    """Apply device writes; one result per item (applied, duplicate, conflict, rejected).
    The batch is committed before the answer goes out: an item answered applied is stored.

    The answer (its shape is PushResponseSchema) is written with orjson in one call."""
    with unit_of_work():
        answer = push_service.push(current_principal(), body)
    return Response(orjson.dumps(answer, default=str, option=orjson.OPT_NON_STR_KEYS),
                    status=200, mimetype="application/json")


@blp.route("/digest", methods=["POST"])
@allow("sync.use")
@blp.arguments(DigestRequestSchema)
@blp.response(200, DigestResponseSchema)
def digest(body):
    """Compare per-entity digests of what the device holds; names the entities to re-pull."""
    return {"mismatched": pull_service.compare_digests(current_principal(), body["digests"])}
