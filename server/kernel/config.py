"""Configuration read from the environment (12-factor), with defaults for the embedded setup.

`load_config(instance_path)` returns a dict for `app.config.update`. Every key has a default
so `gbfield serve` works with no environment at all (SQLite + blobs under the instance folder).
"""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def instance_secret(instance: Path) -> str:
    """Return the key kept in `<instance>/secret_key`, creating it (mode 0600) on first use,
    so every worker process and every restart signs console sessions with the same key.
    Two workers starting at once agree: only one creates the file (O_EXCL), the other reads it.
    Raises OSError when the instance folder cannot be written or read."""
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):   # the creator may still be writing it
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            time.sleep(0.01)
        raise OSError(f"{path} is empty") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def load_config(instance_path: str) -> dict:
    """Return the configuration dict for an app whose instance folder is `instance_path`.

    Raises ValueError when a numeric variable is not an integer.
    """
    instance = Path(instance_path)
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'gbfield.db'}"
    if db_url.startswith("postgres://"):  # Heroku-style URLs
        db_url = "postgresql+psycopg://" + db_url[len("postgres://"):]
    elif db_url.startswith("postgresql://"):
        db_url = "postgresql+psycopg://" + db_url[len("postgresql://"):]
    return {
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or instance_secret(instance),
        "GBFIELD_BLOB_DIR": os.environ.get("GBFIELD_BLOB_DIR") or str(instance / "blobs"),
        # What enrolment QR codes tell devices to talk to; None = the request's host URL.
        "GBFIELD_PUBLIC_URL": os.environ.get("GBFIELD_PUBLIC_URL") or None,
        "GBFIELD_USER_TOKEN_TTL_HOURS": _int("GBFIELD_USER_TOKEN_TTL_HOURS", 12),
        "GBFIELD_DEVICE_TOKEN_TTL_DAYS": _int("GBFIELD_DEVICE_TOKEN_TTL_DAYS", 365),
        "GBFIELD_ENROLMENT_TTL_MINUTES": _int("GBFIELD_ENROLMENT_TTL_MINUTES", 15),
        # a tablet's enrolment is confirmed with its officer's own password
        "GBFIELD_ENROL_REQUIRES_PASSWORD": os.environ.get("GBFIELD_ENROL_REQUIRES_PASSWORD", "1").lower()
        not in ("0", "false", "no", "off"),
        # after this many consecutive wrong passwords a user's logins are refused for a while
        "GBFIELD_LOGIN_MAX_FAILURES": _int("GBFIELD_LOGIN_MAX_FAILURES", 5),
        "GBFIELD_LOGIN_LOCK_MINUTES": _int("GBFIELD_LOGIN_LOCK_MINUTES", 15),
        # the same username from anywhere, and one client for any usernames (spraying)
        "GBFIELD_LOGIN_USER_MAX_FAILURES": _int("GBFIELD_LOGIN_USER_MAX_FAILURES", 50),
        "GBFIELD_LOGIN_CLIENT_MAX_FAILURES": _int("GBFIELD_LOGIN_CLIENT_MAX_FAILURES", 20),
        # edge limits (server.kernel.limits, docs/security.md)
        "GBFIELD_MAX_BODY_BYTES": _int("GBFIELD_MAX_BODY_BYTES", 2 * 1024 * 1024),
        "GBFIELD_JSON_MAX_DEPTH": _int("GBFIELD_JSON_MAX_DEPTH", 32),
        # the key pull pages are signed with, and the next one during a rotation
        # (server.kernel.signing; default: <instance>/catalog_ed25519.key, made on first use)
        "GBFIELD_CATALOG_KEY": os.environ.get("GBFIELD_CATALOG_KEY") or None,
        "GBFIELD_CATALOG_NEXT_KEY": os.environ.get("GBFIELD_CATALOG_NEXT_KEY") or None,
        # the console's session cookie only over HTTPS (set it behind a TLS proxy)
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes", "on"),
        "GBFIELD_TOMBSTONE_RETENTION_DAYS": _int("GBFIELD_TOMBSTONE_RETENTION_DAYS", 90),
        # 回头看: an officer's tablet pulls its jurisdiction's inspections that changed within this window
        "GBFIELD_HISTORY_MONTHS": _int("GBFIELD_HISTORY_MONTHS", 24),
        "GBFIELD_PASSWORD_PROFILE": "default",   # argon2id RFC 9106 low-memory
        "GBFIELD_SQLITE_BUSY_TIMEOUT_MS": _int("GBFIELD_SQLITE_BUSY_TIMEOUT_MS", 30000),
        # Evidence photos (docs/photos.md); blob-store settings (GBFIELD_BLOB_STORE, GBFIELD_S3_*)
        # are read by server.blobs from the config, else the environment.
        "GBFIELD_PHOTO_MAX_BYTES": _int("GBFIELD_PHOTO_MAX_BYTES", 25 * 1024 * 1024),
        "GBFIELD_PHOTO_MAX_PIXELS": _int("GBFIELD_PHOTO_MAX_PIXELS", 50_000_000),
        "GBFIELD_UPLOAD_EXPIRY_HOURS": _int("GBFIELD_UPLOAD_EXPIRY_HOURS", 24),
        "GBFIELD_PHOTO_DERIVATIVES": os.environ.get("GBFIELD_PHOTO_DERIVATIVES") or "lazy",
        "GBFIELD_UPLOAD_STAGING_DIR": os.environ.get("GBFIELD_UPLOAD_STAGING_DIR") or None,
        # "folder" (GBFIELD_UPLOAD_STAGING_DIR) or "database" (servers on several machines)
        "GBFIELD_UPLOAD_STAGING": os.environ.get("GBFIELD_UPLOAD_STAGING") or "folder",
        # request body limits (docs/security.md, docs/operations.md): a compressed body may
        # decode to at most this many bytes (413 otherwise, nothing stored); 0 = the same
        # limit as a plain body (GBFIELD_MAX_BODY_BYTES, else 2 MiB)
        "GBFIELD_MAX_DECODED_BODY_BYTES": _int("GBFIELD_MAX_DECODED_BODY_BYTES", 0),
        # operators: log lines as JSON (or "text": logging left alone); /metrics beyond the loopback
        "GBFIELD_LOG_FORMAT": os.environ.get("GBFIELD_LOG_FORMAT") or "json",
        "GBFIELD_METRICS_TOKEN": os.environ.get("GBFIELD_METRICS_TOKEN") or None,
        # flask-smorest / OpenAPI
        "API_TITLE": "gbfield sync API",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/static/",   # served locally, never a CDN
        "JSON_SORT_KEYS": False,
    }
