"""Print the layout figures of a source tree (issue 9's before/after): pairs of packages
importing each other both ways (the sub-packages of server/ and sync/ count as packages), imports of our own packages inside functions,
files calling commit(), modules over 300 and over 500 lines.

    python3 scripts/layout_figures.py [TREE]      # TREE defaults to the current directory

Standard library only, so it runs on any checkout (`git archive <commit> | tar -x -C DIR`).
Every import statement counts, at the top of a module or inside a function.
"""
from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

PACKAGES = ("server", "sync", "device", "rules", "codes", "assets", "zhsearch", "sampling", "documents",
            "kivy_client", "cli")
#: packages whose sub-packages are compared with one another too
SPLIT = ("server", "sync")
COMMIT = re.compile(r"\.commit\(\)")


def sources(tree: Path):
    for package in PACKAGES:
        for path in sorted((tree / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(tree: Path, path: Path) -> str:
    parts = list(path.relative_to(tree).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, current: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = current.split(".")
            base = base[:len(base) - node.level + (1 if is_package else 0)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
    return []


def unit_of(name: str) -> str | None:
    """The package a module counts under: `server.inspections`, `sync.client`, `rules` …"""
    parts = name.split(".")
    if parts[0] not in PACKAGES:
        return None
    if parts[0] in SPLIT and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def figures(tree: Path) -> dict:
    edges: dict[str, set[str]] = defaultdict(set)
    nested = commits = 0
    over_300, over_500 = [], []
    for path in sources(tree):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > 300:
            over_300.append((lines, str(path.relative_to(tree))))
        if lines > 500:
            over_500.append((lines, str(path.relative_to(tree))))
        commits += bool(COMMIT.search(text))
        name = module_name(tree, path)
        here = unit_of(name)
        module = ast.parse(text)
        inside = in_functions(module)
        for node in ast.walk(module):
            ours = [t for t in imported(node, name, path.name == "__init__.py") if t.split(".")[0] in PACKAGES]
            if not ours:
                continue
            nested += id(node) in inside
            for target in ours:
                there = unit_of(target)
                if here and there and not _nested(here, there):
                    edges[here].add(there)
    both_ways = sorted({tuple(sorted((a, b))) for a, targets in edges.items() for b in targets
                        if a in edges.get(b, ())})
    return {"both_ways": both_ways, "nested": nested, "commits": commits,
            "over_300": sorted(over_300, reverse=True), "over_500": sorted(over_500, reverse=True)}


def _nested(a: str, b: str) -> bool:
    """True when one package is the other or holds it (`server` and `server.app`)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def in_functions(module: ast.Module) -> set[int]:
    """The ids of the nodes inside a function of `module`."""
    inside: set[int] = set()
    for fn in ast.walk(module):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            inside.update(id(n) for n in ast.walk(fn) if n is not fn)
    return inside


def main(argv: list[str]) -> int:
    tree = Path(argv[1] if len(argv) > 1 else ".").resolve()
    found = figures(tree)
    print(f"tree: {tree}")
    print(f"packages importing each other both ways: {len(found['both_ways'])}")
    for a, b in found["both_ways"]:
        print(f"  {a} <-> {b}")
    print(f"imports of our packages inside functions: {found['nested']}")
    print(f"files calling commit(): {found['commits']}")
    print(f"modules over 300 lines: {len(found['over_300'])}")
    for lines, path in found["over_300"]:
        print(f"  {lines:4} {path}")
    print(f"modules over 500 lines: {len(found['over_500'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
