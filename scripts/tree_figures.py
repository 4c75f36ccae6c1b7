"""Print figures about the source tree's structure (run from the repository root):

    .venv/bin/python scripts/tree_figures.py [TREE]

TREE (default: this checkout) may be any other checkout, e.g. an older commit unpacked with
`git archive <commit> | tar -x -C DIR`, so before and after are measured the same way.

- package pairs of `server` (server.<a> and server.<b>) that import each other both ways,
  and cycles between the project's top-level packages;
- imports of the project's own packages inside functions (out of sight of import-linter);
- files (outside tests/) that call `.commit()`;
- modules that define a pushed record's fields or check them (a literal listing several
  of the pushed field names, or a GTIN / credit-code check);
- modules over 300 lines (source, then tests).

Function-level imports are counted with the standard library's `ast`; the package pairs
with grimp (installed with import-linter), which sees function-level imports too.
"""
from __future__ import annotations

import ast
import re
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
PACKAGES = ("rules", "codes", "zhsearch", "assets", "sampling", "sync", "device", "documents", "server",
            "kivy_client", "cli")
SKIP = ("server/migrations/versions/", ".venv/", "build/")
#: field names of pushed records: a literal naming three or more of them defines a shape
PUSHED_FIELDS = {"inspected_on", "company_name", "credit_code", "product_class", "manufactured_on",
                 "indicator_id", "measured", "device_verdict", "ruleset_version", "started_at",
                 "ended_at", "device_created_at", "inspection_id"}
CHECK_CALLS = re.compile(r"\b(uscc\.validate|ean\.validate|uscc\.is_valid|ean\.is_valid)\b")


def source_files(under: str | None = None) -> list[Path]:
    """Return the project's .py files (not tests unless `under` is tests/)."""
    out = []
    roots = [ROOT / under] if under else [ROOT / p for p in PACKAGES]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not any(s in rel for s in SKIP):
                out.append(path)
    return out


def function_level_imports(paths: list[Path]) -> list[str]:
    """Return "file:line module" for every import of our packages inside a function."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                names = []
                if isinstance(inner, ast.Import):
                    names = [a.name for a in inner.names]
                elif isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                    names = [inner.module]
                for name in names:
                    if name.split(".")[0] in PACKAGES:
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {name}")
    return sorted(set(found))


def commit_files(paths: list[Path]) -> list[str]:
    """Return the files calling `.commit()`."""
    return [str(p.relative_to(ROOT)) for p in paths if re.search(r"\.commit\(\)", p.read_text(encoding="utf-8"))]


def shape_modules(paths: list[Path]) -> list[str]:
    """Return the modules that list pushed field names or check GTINs / credit codes."""
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        hit = bool(CHECK_CALLS.search(text))
        if not hit:
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                    names = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                    if len(names & PUSHED_FIELDS) >= 3:
                        hit = True
                        break
        if hit:
            out.append(str(path.relative_to(ROOT)))
    return out


def long_modules(paths: list[Path], limit: int = 300) -> list[str]:
    """Return "lines file" of modules over `limit` lines."""
    rows = []
    for path in paths:
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > limit:
            rows.append((n, str(path.relative_to(ROOT))))
    return [f"{n:5d} {p}" for n, p in sorted(rows, reverse=True)]


def package_pairs() -> tuple[list[str], list[str]]:
    """Return (server.<a> <-> server.<b> pairs importing each other, top-level package pairs)."""
    import grimp

    sys.path.insert(0, str(ROOT))
    present = [p for p in PACKAGES if (ROOT / p / "__init__.py").exists()]
    graph = grimp.build_graph(*present, cache_dir=None)

    def imports(a: str, b: str) -> bool:
        return bool(graph.find_matching_direct_imports(import_expression=f"{a}.** -> {b}.**")
                    or graph.find_matching_direct_imports(import_expression=f"{a} -> {b}.**")
                    or graph.find_matching_direct_imports(import_expression=f"{a}.** -> {b}"))

    children = sorted(m for m in graph.find_children("server") if graph.find_children(m))
    server_pairs = [f"{a} <-> {b}" for a, b in combinations(children, 2) if imports(a, b) and imports(b, a)]
    top_pairs = [f"{a} <-> {b}" for a, b in combinations(present, 2) if imports(a, b) and imports(b, a)]
    return server_pairs, top_pairs


def main() -> None:
    src = source_files()
    server_pairs, top_pairs = package_pairs()
    fl = function_level_imports(src)
    sections = [
        ("server packages importing each other both ways", server_pairs),
        ("top-level packages importing each other both ways", top_pairs),
        ("function-level imports of project packages", fl),
        ("files calling commit() (outside tests/)", commit_files(src)),
        ("modules defining or checking a pushed record's fields", shape_modules(src)),
        ("source modules over 300 lines", long_modules(src)),
        ("test modules over 300 lines", long_modules(source_files("tests"))),
    ]
    for title, rows in sections:
        print(f"{len(rows):4d}  {title}")
    for title, rows in sections:
        print(f"\n## {title} ({len(rows)})")
        for row in rows:
            print(f"  {row}")


if __name__ == "__main__":
    main()
