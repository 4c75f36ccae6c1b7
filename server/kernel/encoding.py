"""Content-Encoding both ways (docs/protocol.md, "Compression").

Requests: a body sent with `Content-Encoding: gzip` or `zstd` is decoded before any view
reads it, with a hard limit on the decoded size (`GBFIELD_MAX_DECODED_BODY_BYTES`, by
default the plain body limit `GBFIELD_MAX_BODY_BYTES`, one family with it): a body
that would decode to more is answered 413 `payload_too_large` before a view runs, so
nothing is stored (a decompression bomb costs the server at most the limit in memory).
Any other encoding answers 415 with `Accept-Encoding` naming the ones accepted. Every API
answer carries that `Accept-Encoding` header too (RFC 7694), which is how the device
learns it may send zstd.

Responses: flask-compress compresses JSON, HTML, CSV and text answers of 1 KiB or more
when the client accepts it (zstd, then brotli, then gzip, by the client's q-values);
files sent from disk or the blob store (photos) pass through untouched.
"""
from __future__ import annotations

import gzip
import io
import zlib

import zstandard
from flask import Flask, current_app, request
from flask_compress import Compress

from server.kernel.errors import DomainError, PayloadTooLarge
from sync.protocol import ErrorCode

#: request encodings the server decodes, best first (what `Accept-Encoding` answers name)
REQUEST_ENCODINGS = ("zstd", "gzip")
#: without GBFIELD_MAX_DECODED_BODY_BYTES a decoded body gets the plain body limit
#: (GBFIELD_MAX_BODY_BYTES, docs/security.md), else this
DEFAULT_MAX_DECODED_BODY_BYTES = 2 * 1024 * 1024
#: response encodings, the server's preference first (flask-compress picks by q-value)
RESPONSE_ENCODINGS = ["zstd", "br", "gzip", "deflate"]
COMPRESSED_MIMETYPES = ["application/json", "text/html", "text/css", "text/csv", "text/plain",
                        "application/javascript", "text/javascript", "image/svg+xml"]
_READ = 64 * 1024


class UnsupportedEncoding(DomainError):
    """A request body in an encoding the server does not decode (415)."""

    code, status = ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415


def _decoder(encoding: str, raw: io.RawIOBase):
    if encoding == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)


def decode_body(encoding: str, raw, limit: int) -> bytes:
    """Return the decoded body read from the file-like `raw`.

    Raises PayloadTooLarge (413) when it decodes to more than `limit` bytes (reading at
    most `limit` + one chunk), UnsupportedEncoding (415) for an encoding not in
    REQUEST_ENCODINGS, DomainError 400 `bad_request` for a body that is not valid in its
    encoding.
    """
    if encoding not in REQUEST_ENCODINGS:
        raise UnsupportedEncoding("encoding", encoding=encoding, accepted=", ".join(REQUEST_ENCODINGS))
    out = io.BytesIO()
    try:
        with _decoder(encoding, raw) as reader:
            while chunk := reader.read(_READ):
                out.write(chunk)
                if out.tell() > limit:
                    raise PayloadTooLarge("decoded_body", limit=limit, encoding=encoding)
    except (OSError, EOFError, zlib.error, zstandard.ZstdError) as exc:
        raise DomainError("encoded_body", encoding=encoding, problem=str(exc)[:120]) from exc
    return out.getvalue()


def _decode_request_body() -> None:
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if not encoding or encoding == "identity":
        return
    config = current_app.config
    limit = int(config.get("GBFIELD_MAX_DECODED_BODY_BYTES") or config.get("GBFIELD_MAX_BODY_BYTES")
                or DEFAULT_MAX_DECODED_BODY_BYTES)
    environ = request.environ
    environ["gbfield.body_bytes_as_sent"] = request.content_length or 0
    body = decode_body(encoding, request.stream, limit)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_CONTENT_ENCODING", None)
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = False
    environ["gbfield.encoded_body"] = encoding
    request.__dict__.pop("stream", None)        # werkzeug's cached stream of the old input


def _advertise(response):
    if request.path.startswith("/api/"):
        response.headers.setdefault("Accept-Encoding", ", ".join(REQUEST_ENCODINGS))
    return response


def init_app(app: Flask) -> None:
    """Decode compressed request bodies (before every view) and compress answers."""
    app.config.setdefault("COMPRESS_ALGORITHM", RESPONSE_ENCODINGS)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_MIMETYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    app.config.setdefault("COMPRESS_LEVEL", 6)          # gzip
    app.config.setdefault("COMPRESS_ZSTD_LEVEL", 3)
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_STREAMS", False)
    Compress(app)
    app.before_request_funcs.setdefault(None, []).insert(0, _decode_request_body)
    app.after_request(_advertise)
