"""The code's shape: lines per folder against the surface other folders use, and which stage imports which.

For each top-level package: its modules and lines of code, the names other packages import from it (its
public surface as used, found with ast), and lines per such name; then the import graph between packages
(grimp, as import-linter builds it), each edge with how many imports make it. Run it before and after a
restructuring and compare.

    python benchmarks/structure_report.py
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict

from common import REPO, write_result

PACKAGES = ("app_pages", "workflows", "store", "questionnaires", "scoring", "extraction", "documents", "aivet")


def _modules(package: str) -> dict[str, ast.Module]:
    folder = REPO / package
    return {
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): ast.parse(path.read_text())
        for path in sorted(folder.rglob("*.py"))
        if "migrations" not in path.parts
    }


def _lines(package: str) -> int:
    return sum(
        sum(1 for line in path.read_text().splitlines() if line.strip() and not line.strip().startswith("#"))
        for path in (REPO / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _imported_names(trees: dict[str, ast.Module]) -> list[tuple[str, str, str]]:
    """(importing package, imported package, name) for every `from x import name` between packages."""
    found = []
    for module, tree in trees.items():
        source = module.split(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                target = node.module.split(".")[0]
                if target in PACKAGES and target != source:
                    found += [(source, target, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def main() -> None:
    present = [package for package in PACKAGES if (REPO / package).is_dir()]
    trees = {name: tree for package in present for name, tree in _modules(package).items()}
    imports = _imported_names(trees)
    surface: dict[str, set[str]] = defaultdict(set)
    for _, target, name in imports:
        surface[target].add(name)
    folders = {}
    print(f"{'package':<15} {'modules':>7} {'lines':>6} {'names used outside':>19} {'lines/name':>10}")
    for package in present:
        modules = sum(1 for name in trees if name.split(".")[0] == package)
        lines, names = _lines(package), len(surface[package])
        folders[package] = {
            "modules": modules,
            "lines": lines,
            "names_used_outside": names,
            "lines_per_name": round(lines / names, 1) if names else None,
        }
        print(f"{package:<15} {modules:>7} {lines:>6} {names:>19} {folders[package]['lines_per_name'] or '-':>10}")
    edges = Counter((source, target) for source, target, _ in imports)
    edges.update(_plain_imports(trees))
    print("\nimports between packages (importer -> imported: imports)")
    for (source, target), count in sorted(edges.items()):
        print(f"  {source:<15} -> {target:<15} {count}")
    write_result(
        "structure",
        {"folders": folders, "edges": [{"from": s, "to": t, "imports": n} for (s, t), n in sorted(edges.items())]},
        show=False,
    )


def _plain_imports(trees: dict[str, ast.Module]) -> Counter:
    """`import x.y` statements between packages (the `from` form is counted by name)."""
    counts: Counter = Counter()
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = alias.name.split(".")[0]
                    if target in PACKAGES and target != module.split(".")[0]:
                        counts[(module.split(".")[0], target)] += 1
    return counts


if __name__ == "__main__":
    main()
