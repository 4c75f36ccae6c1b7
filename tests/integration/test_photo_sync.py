"""The engine's photo step against the real server: photos go by tus before the records
that reference them, through a proxy that cuts uploads every few hundred KB; a photo the
server already has is never sent again."""
import hashlib

import pytest
import requests
import sqlalchemy as sa
from cutting_proxy import CuttingProxy
from device_kit import H, client_for, enrol_device, first_indicators, login

from device import DeviceRecords
from server.photos.samples import make_noise_jpeg
from sync.client import RetryPolicy
from sync.client.uploads import PhotoUploader


def photo_files(folder, n, size=1_000_000):
    """Write `n` distinct ~1 MB JPEGs as the tablet's pipeline would; return their paths."""
    paths = []
    for k in range(n):
        path = folder / f"photo{k}.jpg"
        path.write_bytes(make_noise_jpeg(size, seed=100 + k))
        paths.append(path)
    return paths


def uploader_for(store, url):
    retry = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.1, max_total=60)
    return PhotoUploader(url, store.state.credentials()["token"], retry=retry, url_store=store.photos,
                         timeout=(3, 10))


def server_originals(workdir, sha):
    """Return the stored originals of `sha` in the server's blob folder."""
    return [p for p in (workdir / "blobs").rglob(sha) if "original" in p.parts]


@pytest.mark.slow
def test_photos_upload_through_cut_connections_and_inspection_is_complete(live_server, tmp_path):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    assert client_for(store, check_digest=False).sync().ok
    records = DeviceRecords(store)
    iid = records.create_inspection("2024-05-20", company_name="照片测试企业")
    ind = first_indicators(store, 2)
    f1 = records.add_finding(iid, ind[0], "1.0")
    f2 = records.add_finding(iid, ind[1], "2.0")
    files = photo_files(tmp_path, 3)
    shas = [records.attach_photo(iid, files[0]), records.attach_photo(f1, files[1]),
            records.attach_photo(f2, files[2])]
    assert shas == [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    # never-sent items were amended in place: still one outbox item per record
    assert len(store.outbox.items()) == 3 and store.records.get("finding", f1)["data"]["photos"] == [shas[1]]

    proxy = CuttingProxy(live_server.port, cut_probability=1.0, min_bytes=150_000, max_bytes=400_000,
                         seed=5, direction="request")
    try:
        client = client_for(store, url=proxy.url, check_digest=False, uploader=uploader_for(store, proxy.url))
        totals = {"uploaded": 0, "skipped": 0}
        for _ in range(8):  # bounded: each run resumes where the last one stopped
            report = client.sync()
            totals["uploaded"] += report.photos_uploaded
            totals["skipped"] += report.photos_skipped
            if report.ok and not store.outbox.items() and not store.photos.rows("pending"):
                break
        assert report.ok, report.errors
        assert proxy.cuts > 3, proxy.cuts
    finally:
        proxy.close()
    assert totals["uploaded"] + totals["skipped"] == 3
    assert store.photos.counts() == {"pending": 0, "uploaded": 3, "rejected": 0}
    # every photo stored once on the server, with the right bytes
    engine = sa.create_engine(live_server.db_url)
    with engine.connect() as conn:
        stored = sorted(r[0] for r in conn.execute(sa.text("SELECT sha256 FROM photos")))
    engine.dispose()
    assert stored == sorted(shas)
    for sha in shas:
        originals = server_originals(live_server.workdir, sha)
        assert len(originals) == 1 and hashlib.sha256(originals[0].read_bytes()).hexdigest() == sha
    sup = login(live_server.url, "zhao")
    answer = requests.get(f"{live_server.url}/api/v1/inspections/{iid}",
                          headers={**H, "Authorization": f"Bearer {sup}"}, timeout=10).json()
    assert answer["photo_status"] == {"referenced": sorted(shas), "missing": [], "complete": True}

    # a second tablet attaching a photo the server already has sends no byte of it
    other = enrol_device(live_server.url, "li", tmp_path / "li-b.sqlite")
    other_client = client_for(other, check_digest=False)
    assert other_client.sync().ok
    other_records = DeviceRecords(other)
    iid2 = other_records.create_inspection("2024-05-21", company_name="照片测试企业")
    other_records.attach_photo(iid2, files[0])
    report = other_client.sync()
    assert report.ok and (report.photos_uploaded, report.photos_skipped) == (0, 1), report
    assert len(server_originals(live_server.workdir, shas[0])) == 1


def test_a_record_is_pushed_even_when_its_photo_cannot_be_sent(live_server, tmp_path):
    store = enrol_device(live_server.url, "li", tmp_path / "li.sqlite")
    client = client_for(store, check_digest=False)
    assert client.sync().ok
    records = DeviceRecords(store)
    iid = records.create_inspection("2024-05-20", company_name="照片测试企业")
    [path] = photo_files(tmp_path, 1, size=50_000)
    sha = records.attach_photo(iid, path)
    path.unlink()  # the file vanished before the upload
    report = client.sync()
    assert report.applied == 1 and report.photos_failed == 1 and not report.ok
    [row] = store.photos.rows()
    assert row["sha256"] == sha and row["state"] == "pending" and row["attempts"] == 1  # kept
    sup = login(live_server.url, "zhao")
    answer = requests.get(f"{live_server.url}/api/v1/inspections/{iid}",
                          headers={**H, "Authorization": f"Bearer {sup}"}, timeout=10).json()
    assert answer["photo_status"] == {"referenced": [sha], "missing": [sha], "complete": False}
