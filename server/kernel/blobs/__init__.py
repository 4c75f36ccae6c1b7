"""Blob storage behind one interface: MemoryBlobStore, FilesystemBlobStore (default), S3BlobStore.

``store_from_config(config)`` builds the store a Flask app is configured for
(each key from the app config, else the environment): ``GBFIELD_BLOB_STORE`` =
``"filesystem"`` (default; folder ``GBFIELD_BLOB_DIR``, default ``<instance>/blobs``),
``"s3"`` (``GBFIELD_S3_BUCKET``, ``GBFIELD_S3_ENDPOINT_URL``, ``GBFIELD_S3_ACCESS_KEY``,
``GBFIELD_S3_SECRET_KEY``, ``GBFIELD_S3_REGION``, ``GBFIELD_S3_PREFIX``) or ``"memory"``.
"""
from __future__ import annotations

import os

from .base import BlobInfo, BlobNotFound, BlobStore, BlobStoreError, InvalidBlobKey, validate_key
from .filesystem import FilesystemBlobStore
from .memory import MemoryBlobStore
from .s3 import S3BlobStore

__all__ = [
    "BlobInfo", "BlobNotFound", "BlobStore", "BlobStoreError", "FilesystemBlobStore", "InvalidBlobKey",
    "MemoryBlobStore", "S3BlobStore", "store_from_config", "validate_key",
]


def store_from_config(config, instance_path: str = ".") -> BlobStore:
    """Return the BlobStore described by a Flask-style config mapping (falling back to the
    environment). Raises BlobStoreError for an unknown kind or a missing bucket name."""
    def setting(name: str, default=None):
        value = config.get(name)
        return value if value not in (None, "") else os.environ.get(name) or default

    kind = str(setting("GBFIELD_BLOB_STORE", "filesystem")).lower()
    if kind == "memory":
        return MemoryBlobStore()
    if kind == "filesystem":
        root = setting("GBFIELD_BLOB_DIR") or os.path.join(instance_path, "blobs")
        return FilesystemBlobStore(root, fsync=str(setting("GBFIELD_BLOB_FSYNC", "1")) not in ("0", "False", "false"))
    if kind == "s3":
        bucket = setting("GBFIELD_S3_BUCKET")
        if not bucket:
            raise BlobStoreError("GBFIELD_BLOB_STORE=s3 needs GBFIELD_S3_BUCKET")
        return S3BlobStore(
            bucket, endpoint_url=setting("GBFIELD_S3_ENDPOINT_URL"),
            access_key=setting("GBFIELD_S3_ACCESS_KEY"), secret_key=setting("GBFIELD_S3_SECRET_KEY"),
            region=setting("GBFIELD_S3_REGION", "us-east-1"), prefix=setting("GBFIELD_S3_PREFIX", ""),
            create_bucket=True)
    raise BlobStoreError(f"unknown GBFIELD_BLOB_STORE {kind!r} (filesystem | s3 | memory)")
