"""One exception root per package: every exception class a package defines derives from
its root (docs/contracts.md, "Error conventions"), so a caller can catch the package's
errors with one except clause. Read from the source with `ast` (importing kivy_client
would start Kivy): a class is an exception when its bases lead to a builtin exception."""
import ast
import builtins
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: package folder -> its root exception class
ROOTS = {"device": "DeviceError", "sync": "ProtocolError", "kivy_client": "TabletError",
         "documents": "DocumentError", "server": "ServerError",
         "rules": "RulesError", "codes": "CodeError", "sampling": "SamplingError", "assets": "CatalogError"}
BUILTIN_EXCEPTIONS = {name for name, value in vars(builtins).items()
                      if isinstance(value, type) and issubclass(value, BaseException)}


def classes(package: str) -> dict[str, tuple[str, list[str]]]:
    """Return {class name: (file, base names)} of every class defined in `package`."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                         for b in node.bases]
                found[node.name] = (str(path.relative_to(ROOT)), bases)
    return found


def leads_to(name: str, targets: set[str], graph: dict, seen=()) -> bool:
    if name in targets:
        return True
    if name in seen or name not in graph:
        return False
    return any(leads_to(base, targets, graph, (*seen, name)) for base in graph[name][1])


@pytest.mark.parametrize("package, root", ROOTS.items())
def test_every_exception_of_the_package_derives_from_its_root(package, root):
    graph = classes(package)
    assert root in graph, f"{package} has no {root}"
    exceptions = [n for n in graph if n != root and leads_to(n, BUILTIN_EXCEPTIONS, graph)]
    assert exceptions, f"no exception classes found in {package}: the check reads nothing"
    strays = [f"{graph[n][0]}: {n}" for n in exceptions if not leads_to(n, {root}, graph)]
    assert strays == [], f"exceptions of {package} outside its root {root}"
