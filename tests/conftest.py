"""Fixtures shared by the whole suite.

PostgreSQL: scripts/test.sh starts a throwaway cluster and exports GBFIELD_TEST_PG_URL.
`pg_url` gives each test its own fresh database on it (so xdist workers never share one),
and skips only when the variable is absent, which happens when pytest is run by hand
without scripts/test.sh. CI always runs through scripts/test.sh, so there it never skips.
"""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

# helpers several test folders share (imported by basename, like the folders' own kits)
sys.path.insert(0, str(Path(__file__).with_name("support")))


def _admin_url(url: str) -> str:
    base, _, _ = url.rpartition("/")
    return base + "/postgres"


@pytest.fixture
def pg_url():
    url = os.environ.get("GBFIELD_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("GBFIELD_TEST_PG_URL is not set in CI: run the suite through scripts/test.sh")
        pytest.skip("no throwaway PostgreSQL (run through scripts/test.sh)")
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:16]
    admin = sa.create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.rpartition("/")[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
