"""Where photo bytes live in the BlobStore, and the app's store and settings."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app

from server.kernel.blobs import BlobStore, store_from_config
from server.photos.imaging import ImageLimits

KINDS = ("original", "thumb", "screen", "public")
DERIVED_KINDS = ("thumb", "screen", "public")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
EXTENSION_KEY = "gbfield_blobs"


def is_sha256(value: str) -> bool:
    """Return True for a lower-case 64-digit hex string."""
    return isinstance(value, str) and bool(_SHA256.match(value))


def blob_key(kind: str, sha256: str) -> str:
    """Return the BlobStore key of a photo's ``kind`` version. Raises ValueError for bad input."""
    if kind not in KINDS or not is_sha256(sha256):
        raise ValueError(f"bad photo blob reference {kind}/{sha256!r}")
    return f"photos/{kind}/{sha256}"


@dataclass(frozen=True)
class PhotoSettings:
    """Photo and upload settings read from the app config (environment via server.config)."""

    limits: ImageLimits
    upload_expiry_hours: int
    derivatives: str  # "eager" (at upload) | "lazy" (on first request, then kept)


def settings() -> PhotoSettings:
    """Return the current app's PhotoSettings."""
    config = current_app.config
    return PhotoSettings(
        ImageLimits(max_bytes=int(config.get("GBFIELD_PHOTO_MAX_BYTES", 25 * 1024 * 1024)),
                    max_pixels=int(config.get("GBFIELD_PHOTO_MAX_PIXELS", 50_000_000))),
        int(config.get("GBFIELD_UPLOAD_EXPIRY_HOURS", 24)),
        str(config.get("GBFIELD_PHOTO_DERIVATIVES", "lazy")))


def blob_store() -> BlobStore:
    """Return the current app's BlobStore (made once from the config). Raises BlobStoreError."""
    store = current_app.extensions.get(EXTENSION_KEY)
    if store is None:
        store = store_from_config(current_app.config, current_app.instance_path)
        current_app.extensions[EXTENSION_KEY] = store
    return store
