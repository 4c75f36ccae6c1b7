"""Nobody but the unit of work commits (server/kernel/uow.py): services, views, jobs and
CLI commands run inside a unit of work, or call its commit() when their protocol needs the
data stored before they answer."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THE_ONE = "server/kernel/uow.py"
COMMIT = re.compile(r"\.commit\(\s*\)")


def _sources():
    for package in ("server", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_commit_is_called_in_exactly_one_module():
    calling = sorted(str(p.relative_to(ROOT)) for p in _sources()
                     if COMMIT.search(p.read_text(encoding="utf-8")))
    assert calling == [THE_ONE], calling


def test_the_unit_of_work_commits():
    assert COMMIT.search((ROOT / THE_ONE).read_text(encoding="utf-8"))
