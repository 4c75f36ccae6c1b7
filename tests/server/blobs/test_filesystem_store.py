"""What only the folder store promises: sharded layout and atomic writes."""
from __future__ import annotations

import pytest

from server.kernel.blobs import (
    BlobStoreError,
    FilesystemBlobStore,
    MemoryBlobStore,
    store_from_config,
)


def test_names_are_sharded_by_their_first_four_characters(tmp_path):
    store = FilesystemBlobStore(tmp_path)
    store.put("originals/abcdef0123", b"x")
    assert (tmp_path / "originals" / "ab" / "cd" / "abcdef0123").read_bytes() == b"x"


def test_a_failed_write_leaves_neither_a_blob_nor_a_temp_file(tmp_path):
    store = FilesystemBlobStore(tmp_path)
    store.put("k/blob", b"old")

    def exploding():
        yield b"partial new content"
        raise OSError("disk unplugged")

    class Source:
        chunks = exploding()

        def read(self, size):
            return next(self.chunks)

    with pytest.raises(BlobStoreError):
        store.put("k/blob", Source())
    assert store.get("k/blob") == b"old"
    leftovers = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == ["blob"]


def test_foreign_files_and_staging_folders_are_not_listed(tmp_path):
    store = FilesystemBlobStore(tmp_path)
    store.put("p/abcd", b"1")
    (tmp_path / ".staging").mkdir()
    (tmp_path / ".staging" / "upload.part").write_bytes(b"partial")
    (tmp_path / "README").write_text("not a blob")
    assert list(store.list()) == ["p/abcd"]


def test_put_file_moves_a_local_file_in(tmp_path):
    store = FilesystemBlobStore(tmp_path / "blobs")
    source = tmp_path / "incoming"
    source.write_bytes(b"photo bytes")
    info = store.put_file("originals/ffee", source)
    assert info.size == 11 and not source.exists()
    assert store.get("originals/ffee") == b"photo bytes"


@pytest.mark.parametrize("config, kind", [({}, FilesystemBlobStore), ({"GBFIELD_BLOB_STORE": "memory"}, MemoryBlobStore)])
def test_store_from_config(tmp_path, config, kind):
    assert isinstance(store_from_config(config, str(tmp_path)), kind)


def test_store_from_config_rejects_an_unknown_kind(tmp_path):
    with pytest.raises(BlobStoreError, match="unknown GBFIELD_BLOB_STORE"):
        store_from_config({"GBFIELD_BLOB_STORE": "ftp"}, str(tmp_path))
