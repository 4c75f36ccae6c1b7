"""The rulesets feature's public service: stored rule-set versions (one per catalog digest)
and the app's rule-set provider (server.rulesets.provider)."""
from __future__ import annotations

import zlib
from datetime import date

from flask import Flask, current_app
from sqlalchemy import select

from assets import canonical_json, catalog_digest
from server.kernel import clock
from server.kernel.changes import record_change
from server.kernel.extensions import db
from server.rulesets.models import RuleSetVersion
from server.rulesets.provider import Judge, PublishedSource, Rejudgement, RuleSetProvider
from sync.protocol import OP_UPSERT

__all__ = ["ENGINE_VERSION", "Judge", "PublishedSource", "Rejudgement", "RuleSetProvider", "ensure_ruleset",
           "install_provider", "judge", "provider", "ruleset_json"]
ENGINE_VERSION = "rules-1"
EXTENSION_KEY = "gbfield_rulesets"


def install_provider(app: Flask, published: PublishedSource) -> RuleSetProvider:
    """Build the app's one RuleSetProvider over `published` interpretations (create_app)."""
    found = app.extensions[EXTENSION_KEY] = RuleSetProvider(published)
    return found


def provider() -> RuleSetProvider:
    """Return the current app's RuleSetProvider."""
    return current_app.extensions[EXTENSION_KEY]


def judge() -> Judge:
    """Return a Judge of the current app's provider for one unit of work."""
    return provider().judge()


def ensure_ruleset(catalog, *, source: str, effective_from: date | None = None) -> tuple[RuleSetVersion, bool]:
    """Return (rule set for this catalog's digest, created?) creating a new version when the
    digest is new. Raises nothing beyond database errors."""
    digest = catalog_digest(catalog)
    found = db.session.execute(select(RuleSetVersion).where(RuleSetVersion.catalog_digest == digest)
                               .order_by(RuleSetVersion.created_at.desc())).scalars().first()
    if found is not None:
        return found, False
    now = clock.now()
    hexd = digest.split(":")[-1]
    version = f"{now:%Y%m%d}-{hexd[:8]}"
    row = RuleSetVersion(version=version, catalog_digest=digest, engine_version=ENGINE_VERSION,
                         effective_from=effective_from or now.date(), created_at=now, source=source,
                         snapshot=zlib.compress(canonical_json(catalog).encode("utf-8")),
                         interpretation_ids=[])
    db.session.add(row)
    db.session.flush()
    record_change("ruleset", version, OP_UPSERT, 1, ruleset_json(row))
    return row, True


def ruleset_json(row: RuleSetVersion) -> dict:
    """Return the pull `data` of a rule-set version."""
    return {"version": row.version, "catalog_digest": row.catalog_digest,
            "engine_version": row.engine_version, "effective_from": row.effective_from.isoformat(),
            "created_at": clock.as_utc(row.created_at).isoformat(), "source": row.source,
            "interpretation_ids": list(row.interpretation_ids or [])}
