"""The test tree imports its helpers by basename (pytest's default `prepend` mode with no
`__init__.py` files): a package marker under tests/ could shadow a real package (a
`tests/sync/__init__.py` made `import sync` find the test folder), and two test modules
with the same basename would collide."""
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_package_markers_under_tests():
    markers = [str(p.relative_to(ROOT)) for p in ROOT.rglob("__init__.py") if "_artifacts" not in p.parts]
    assert markers == []


def test_module_basenames_are_unique():
    names = Counter(p.name for p in ROOT.rglob("*.py")
                    if p.name not in ("conftest.py",) and "_artifacts" not in p.parts)
    assert [n for n, count in names.items() if count > 1] == []
