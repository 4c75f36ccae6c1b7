"""The short version of bench/fleet.py: the scaled deployment (gunicorn workers, PostgreSQL,
SeaweedFS, one scheduler) and three tablets each doing a small day; no error, nothing lost,
nothing duplicated (counted from the database), every review outcome pulled. The push
latency target is loosened: CI shares its two cores with the rest of the suite."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.s3]
FLEET = Path(__file__).resolve().parents[2] / "bench" / "fleet.py"


def test_a_small_fleet_loses_and_duplicates_nothing(pg_url):
    run = subprocess.run([sys.executable, str(FLEET), "--db", pg_url, "--tablets", "3", "--procs", "1",
                          "--workers", "2", "--threads", "2", "--indicators", "300", "--inspections", "3",
                          "--findings", "2", "--photos", "1", "--photo-kb", "20", "--questions", "1",
                          "--pace", "0.1", "--ramp", "1", "--max-minutes", "4", "--push-p99-target", "60"],
                         check=False, capture_output=True, text=True, timeout=480)
    out = run.stdout + run.stderr[-3000:]
    assert run.returncode == 0, out
    assert "errors: 0 " in out and "reviews pulled: 3/3" in out, out
    assert '"lost": 0, "duplicated": 0' in out and "targets" in out and "met" in out, out
