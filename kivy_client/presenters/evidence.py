"""Where an evidence photo comes from (a typed path, or the newest image the camera app
wrote to the camera folder) and how the attached photos are shown (thumbnail and upload
state from the device's photo queue)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from device.stores import PhotoStore
from kivy_client.presenters.base import PresenterError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
CAMERA_DIR_ENV = "GBFIELD_CAMERA_DIR"
#: queue state -> (中文, English)
STATE_LABELS = {"pending": ("待上传", "to upload"), "uploaded": ("已上传", "uploaded"),
                "rejected": ("失败", "failed")}


@dataclass(frozen=True)
class PhotoView:
    """An attached photo: its thumbnail file and upload state."""

    sha256: str
    record_id: str
    thumbnail: str
    state: str                 # pending | uploaded | rejected
    error: str | None

    def label(self, language: str = "zh_CN") -> str:
        """Return the state in `language`, with the reason of a failure."""
        zh, en = STATE_LABELS.get(self.state, (self.state, self.state))
        text = en if language == "en" else zh
        return f"{text}：{self.error}" if self.error and self.state != "uploaded" else text


def camera_dir(configured: str | Path | None = None) -> Path | None:
    """Return the camera folder: `configured`, else $GBFIELD_CAMERA_DIR, else None."""
    value = configured or os.environ.get(CAMERA_DIR_ENV)
    return Path(value).expanduser() if value else None


def capture_source(path_text: str, folder: Path | None) -> Path:
    """Return the image to attach: the typed path if any, else the newest image in
    `folder`. Raises PresenterError when neither gives a readable image file."""
    text = (path_text or "").strip()
    if text:
        path = Path(text).expanduser()
        if not path.is_file():
            raise PresenterError(f"找不到照片文件：{text} / no such photo file")
        return path
    if folder is None or not folder.is_dir():
        raise PresenterError("请输入照片路径，或在设置相机文件夹 GBFIELD_CAMERA_DIR / type a photo path "
                             "or set the camera folder")
    images = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES]
    if not images:
        raise PresenterError(f"相机文件夹里没有照片：{folder} / the camera folder has no photo")
    return max(images, key=lambda p: (p.stat().st_mtime, p.name))


def photo_views(queue: PhotoStore, record_ids: list[str]) -> list[PhotoView]:
    """Return the queued photos of `record_ids` (oldest first) with thumbnails and states."""
    wanted = set(record_ids)
    views = []
    for row in queue.rows():
        if row["record_id"] not in wanted:
            continue
        path = Path(row["path"])
        thumb = path.with_name(f"{row['sha256']}.thumb.jpg")
        views.append(PhotoView(row["sha256"], row["record_id"], str(thumb if thumb.is_file() else path),
                               row["state"], row["last_error"]))
    return views
