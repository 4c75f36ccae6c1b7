"""The engine's photo step: upload the device's queued evidence photos the server lacks.

Photos are files the tablet's pipeline wrote (`kivy_client.services.photos`), queued in the
device's photo store (`device.stores.PhotoStore`: state, attempts, last error, tus upload
URL) and referenced by SHA-256 in the records' `data.photos`. Records and blobs travel
apart: each sync first asks the server which pending photos it already has (those are
never sent again), then uploads the others with tus (`sync.client.uploads.PhotoUploader`,
whose `url_store` is the photo store, so an upload resumes after a cut or a restart).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from device.stores.photos import PENDING, PhotoStore
from sync.client.errors import RequestRejected, RetryableError


@dataclass
class PhotoTally:
    """What one photo step did."""

    uploaded: int = 0
    skipped: int = 0      # the server already had them: nothing sent
    failed: int = 0
    errors: list[str] | None = None


def upload_pending(queue: PhotoStore, uploader: Any, retry: Any) -> PhotoTally:
    """Upload every pending photo the server lacks; return a PhotoTally.

    One `photos/check` (retried with `retry`) names what the server has; the rest go one
    by one through `uploader.upload(path, sha256, skip_check=True)`. A network failure
    that outlasts the uploader's retries stops the step (the other photos wait for the
    next sync); a refused photo is kept as `rejected`; a missing or changed file stays
    pending with the reason. Raises CredentialsError (401); nothing else.
    """
    tally = PhotoTally(errors=[])
    pending = queue.rows(PENDING)
    if not pending:
        return tally
    try:
        present = retry.call(lambda: uploader.check([p["sha256"] for p in pending]))
    except (RetryableError, RequestRejected) as exc:
        tally.failed = len(pending)
        tally.errors.append(f"照片检查失败，稍后重试 / photo check failed: {exc}")
        return tally
    for photo in pending:
        sha = photo["sha256"]
        if sha in present:
            queue.mark_uploaded(sha)
            tally.skipped += 1
            continue
        try:
            result = uploader.upload(photo["path"], sha, skip_check=True)
        except (OSError, ValueError) as exc:   # the file is gone or no longer hashes to its id
            queue.note_failure(sha, f"照片文件丢失或已改变 / photo file missing or changed: {exc}")
            tally.failed += 1
            tally.errors.append(f"照片 {sha[:12]}: 文件丢失或已改变 / file missing or changed")
            continue
        except RequestRejected as exc:
            queue.note_failure(sha, str(exc), rejected=True)
            tally.failed += 1
            tally.errors.append(f"照片 {sha[:12]} 被服务器拒绝 / photo refused: {exc}")
            continue
        except RetryableError as exc:
            queue.note_failure(sha, str(exc))
            tally.failed += 1
            tally.errors.append(f"照片上传中断，稍后重试 / photo upload interrupted: {exc}")
            break
        queue.mark_uploaded(sha)
        if result.status == "uploaded":
            tally.uploaded += 1
        else:
            tally.skipped += 1
    return tally
