"""The assets package's exception root (no imports: the message catalogue and the
catalog loader both raise it, and the tablet imports the first without the second)."""
from __future__ import annotations


class CatalogError(Exception):
    """A catalog file that cannot be loaded: `.file`, `.pointer` (JSON pointer) and `.reason`."""

    def __init__(self, file: str, pointer: str, reason: str):
        self.file = file
        self.pointer = pointer or "/"
        self.reason = reason
        super().__init__(f"标准目录文件 {file} 字段 {self.pointer}：{reason}")
