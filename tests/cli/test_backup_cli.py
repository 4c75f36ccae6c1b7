"""`gbfield backup` / `gbfield restore` round trip: a populated server (the demo world and
its inspections, photos with their evidence events, an audit entry) backed up, restored into
an empty one, and compared — every row of every table, every photo's bytes against its
hash, the evidence chain and its head. SQLite with folder blobs; PostgreSQL with S3
(SeaweedFS). A non-empty target is refused without --force."""
from __future__ import annotations

import hashlib
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from seaweed import start_seaweedfs, stop

from cli.main import main as gbfield
from cli.server import upgrade_database
from server import create_app
from server.accounts.service import principal_of
from server.app.demo import load_demo
from server.evidence import service as evidence
from server.kernel import audit
from server.kernel import backup as archive
from server.kernel.extensions import db
from server.kernel.uow import unit_of_work
from server.photos import service as photos
from server.photos.models import Photo
from server.photos.samples import make_photo
from server.photos.storage import blob_key


@pytest.fixture(scope="module")
def seaweedfs(tmp_path_factory):
    proc, endpoint = start_seaweedfs(tmp_path_factory.mktemp("seaweed-backup"))
    yield endpoint
    stop(proc)


@contextmanager
def another_pg_database(pg_url):
    """A second fresh database on the throwaway cluster (the restore target)."""
    name = "t_" + uuid.uuid4().hex[:16]
    admin = sa.create_engine(pg_url.rpartition("/")[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_url.rpartition("/")[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite-folder", pytest.param("postgres-s3", marks=[pytest.mark.postgres, pytest.mark.s3])])
def servers(request, tmp_path, monkeypatch):
    """Yield a function setting the environment to the source (0) or the target (1) server."""
    if request.param == "sqlite-folder":
        urls = [f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'target.db'}"]
        blobs = [{"GBFIELD_BLOB_STORE": "filesystem", "GBFIELD_BLOB_DIR": str(tmp_path / f"blobs{n}")} for n in (0, 1)]
        target_db = None
    else:
        source = request.getfixturevalue("pg_url")
        target_db = another_pg_database(source)
        urls = [source, target_db.__enter__()]
        s3 = request.getfixturevalue("seaweedfs")
        blobs = [{"GBFIELD_BLOB_STORE": "s3", "GBFIELD_S3_BUCKET": f"b{n}-{uuid.uuid4().hex[:10]}",
                  "GBFIELD_S3_ENDPOINT_URL": s3.url, "GBFIELD_S3_ACCESS_KEY": s3.access_key,
                  "GBFIELD_S3_SECRET_KEY": s3.secret_key} for n in (0, 1)]
    monkeypatch.setenv("GBFIELD_PASSWORD_PROFILE", "cheapest-for-tests")
    monkeypatch.setenv("GBFIELD_BLOB_FSYNC", "0")

    def use(n):
        monkeypatch.setenv("DATABASE_URL", urls[n])
        for key, value in blobs[n].items():
            monkeypatch.setenv(key, value)
        app = create_app()
        apps.append(app)
        return app

    apps = []
    yield use
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if target_db is not None:
        target_db.__exit__(None, None, None)


def populate(app) -> None:
    upgrade_database(app)
    with app.app_context():
        load_demo(with_inspections=True)
        with unit_of_work():
            inspector = principal_of("insp_chaoyang")
            for n in range(3):
                data = make_photo(320 + n, 240)
                photos.store_photo(data, hashlib.sha256(data).hexdigest(), inspector)
            audit.record(principal_of("admin"), "user.unlock", "insp_haidian")


def snapshot(app) -> dict:
    """Every row of every table (as the archive writes them), the photos' blob hashes, the
    evidence chain."""
    with app.app_context():
        conn = db.session.connection()
        tables = {t.name: archive._dump_table(conn, t)[0] for t in db.metadata.sorted_tables}
        store = archive.blob_store()
        photo_hashes = {p.sha256: hashlib.sha256(store.get(blob_key("original", p.sha256))).hexdigest()
                        for p in db.session.execute(db.select(Photo)).scalars()}
        chain = evidence.verify()
        return {"tables": tables, "photos": photo_hashes, "blobs": sorted(store.list()),
                "chain": (chain.ok, chain.count, chain.head), "revision": archive.schema_revision()}


def test_a_populated_server_restores_into_an_empty_one(servers, tmp_path, capsys):
    source = servers(0)
    populate(source)
    before = snapshot(source)
    assert len(before["photos"]) == 3 and all(k == v for k, v in before["photos"].items())
    assert before["chain"][0] and before["chain"][1] >= 3
    assert sum(1 for rows in before["tables"].values() if rows) > 15
    out = tmp_path / "backup.tar.gz"
    assert gbfield(["backup", str(out)]) == 0
    said = capsys.readouterr()
    assert "backup written" in said.out and "blobs 1/" not in said.out and "文件 blobs" in said.err

    target = servers(1)
    assert gbfield(["restore", str(out)]) == 0
    assert "restored" in capsys.readouterr().out
    after = snapshot(target)
    assert after == before
    with target.app_context(), unit_of_work():      # the restored server numbers new rows after the old ones
        audit.record(principal_of("admin"), "user.unlock", "insp_chaoyang")
        evidence.append_event("uploaded", actor="insp_chaoyang", photo_sha256="0" * 64, details={})
    with target.app_context():
        assert evidence.verify().ok and evidence.verify().count == before["chain"][1] + 1

    assert gbfield(["restore", str(out)]) == 2                   # not into a target holding data
    err = capsys.readouterr().err
    assert "not empty" in err and "--force" in err
    assert gbfield(["restore", str(out), "--force", "--quiet"]) == 0
    assert snapshot(target) == before


def test_backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup(servers, tmp_path, capsys):
    populate(servers(0))
    out = tmp_path / "b.tar"
    out.write_bytes(b"something else")
    assert gbfield(["backup", str(out)]) == 2
    assert "never overwrites" in capsys.readouterr().err
    servers(1)
    assert gbfield(["restore", str(out)]) == 2
    assert "not a gbfield backup" in capsys.readouterr().err
