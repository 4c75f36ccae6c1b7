"""A BlobStore on an S3-compatible object store (AWS S3, SeaweedFS, MinIO…), via boto3.

boto3 is in the ``s3`` extra; it is imported when an S3BlobStore is made, so the
default (folder) deployment does not need it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .base import (
    BlobInfo,
    BlobNotFound,
    BlobStore,
    BlobStoreError,
    HashingWriter,
    check_range,
    iter_source,
    validate_key,
)

_MISSING = {"404", "NoSuchKey", "NotFound"}


class _HashingReader:
    """A file-like wrapper hashing what boto3 reads from the source."""

    def __init__(self, data: bytes | BinaryIO, hasher: HashingWriter) -> None:
        self._chunks = iter_source(data)
        self._buffer = b""
        self._hasher = hasher

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += self._hasher.update(chunk)
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


class S3BlobStore(BlobStore):
    """Blobs as objects ``<prefix><key>`` in one bucket (created if missing when ``create_bucket``)."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, access_key: str | None = None,
                 secret_key: str | None = None, region: str = "us-east-1", prefix: str = "",
                 create_bucket: bool = False, client=None) -> None:
        try:
            import boto3  # noqa: PLC0415 — the optional `s3` extra, slow to import: only an S3 store loads it
            from botocore.config import Config  # noqa: PLC0415 — as boto3
            from botocore.exceptions import ClientError  # noqa: PLC0415 — as boto3
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise BlobStoreError("S3 blob storage needs boto3 (pip install gbfield[s3])") from exc
        self._client_error = ClientError
        self.bucket = bucket
        self.prefix = prefix
        self.client = client or boto3.client(
            "s3", endpoint_url=endpoint_url, aws_access_key_id=access_key,
            aws_secret_access_key=secret_key, region_name=region,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                          retries={"max_attempts": 3, "mode": "standard"}))
        if create_bucket:
            self._ensure_bucket()

    def _ensure_bucket(self) -> None:
        try:
            self.client.create_bucket(Bucket=self.bucket)
        except self._client_error as exc:
            if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise BlobStoreError(f"cannot create bucket {self.bucket}: {exc}") from exc

    def _name(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def _is_missing(self, exc) -> bool:
        error = exc.response.get("Error", {})
        return str(error.get("Code")) in _MISSING or exc.response.get(
            "ResponseMetadata", {}).get("HTTPStatusCode") == 404

    def put(self, key: str, data: bytes | BinaryIO, *, content_type: str | None = None) -> BlobInfo:
        """Upload (multipart for big bodies, done by boto3); see BlobStore.put."""
        name = self._name(key)
        hasher = HashingWriter()
        extra = {"ContentType": content_type} if content_type else {}
        try:
            self.client.upload_fileobj(_HashingReader(data, hasher), self.bucket, name, ExtraArgs=extra)
        except Exception as exc:  # boto3 raises ClientError, S3UploadFailedError, EndpointConnectionError…
            raise BlobStoreError(f"cannot write blob {key} to s3://{self.bucket}: {exc}") from exc
        return BlobInfo(key, hasher.size, hasher.hexdigest)

    def _get(self, key: str, byte_range: str | None = None) -> bytes:
        name = self._name(key)
        kwargs = {"Range": byte_range} if byte_range else {}
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=name, **kwargs)
            return response["Body"].read()
        except self._client_error as exc:
            if self._is_missing(exc):
                raise BlobNotFound(key) from None
            if exc.response.get("Error", {}).get("Code") == "InvalidRange":
                return b""
            raise BlobStoreError(f"cannot read blob {key}: {exc}") from exc

    def get(self, key: str) -> bytes:
        """See BlobStore.get."""
        return self._get(key)

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        """See BlobStore.open_range (an HTTP Range request)."""
        check_range(start, end)
        if end is not None and end == start:
            self.stat(key)  # still raise BlobNotFound for a missing key
            return b""
        last = "" if end is None else str(end - 1)
        return self._get(key, f"bytes={start}-{last}")

    def exists(self, key: str) -> bool:
        """See BlobStore.exists."""
        try:
            self.stat(key)
        except BlobNotFound:
            return False
        return True

    def delete(self, key: str) -> bool:
        """See BlobStore.delete."""
        existed = self.exists(key)
        if existed:
            try:
                self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
            except self._client_error as exc:
                raise BlobStoreError(f"cannot delete blob {key}: {exc}") from exc
        return existed

    def list(self, prefix: str = "") -> Iterator[str]:
        """See BlobStore.list."""
        paginator = self.client.get_paginator("list_objects_v2")
        keys = []
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                keys.extend(item["Key"][len(self.prefix):] for item in page.get("Contents", ()))
        except self._client_error as exc:
            raise BlobStoreError(f"cannot list s3://{self.bucket}/{self.prefix}{prefix}: {exc}") from exc
        yield from sorted(keys)

    def stat(self, key: str) -> BlobInfo:
        """See BlobStore.stat (sha256 None)."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except self._client_error as exc:
            if self._is_missing(exc):
                raise BlobNotFound(key) from None
            raise BlobStoreError(f"cannot stat blob {key}: {exc}") from exc
        return BlobInfo(key, int(head["ContentLength"]), None)

    def close(self) -> None:
        """Close the boto3 client's connection pool."""
        close = getattr(self.client, "close", None)
        if close:
            close()
