"""The gbfield sync server: `create_app(config_overrides=None)` builds a Flask app.

Layout (docs/architecture.md): `server.kernel` (config, extensions, errors, auth and the
access policy, clock, change log, blob stores, the unit of work, the console shell),
feature packages (accounts, catalog, rulesets, registry, resolver, evidence, photos,
uploads, syncing, inspections, interpretations, statistics, jobs), each one folder with its
models, service, schemas, API and console pages, and `server.app`, which lists the features
once. Configuration comes from the environment (server/kernel/config.py).
"""
from server.app import MIGRATIONS_DIR, create_app

__all__ = ["MIGRATIONS_DIR", "create_app"]
