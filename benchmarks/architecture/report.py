"""How the apps depend on each other, read from the source (function-level imports included).

Prints the cross-app import edges, the cycles between apps, the largest modules and the longest
functions. `python benchmarks/architecture/report.py [ROOT]` (ROOT defaults to the repository).
tests/planner/test_architecture.py uses `app_graph` and `layer_violations` from here.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

# The layers, lowest first: an app may import the apps before it, never one after it.
# planner is the base (organisations, organisers, access, i18n, codes, the API and admin
# helpers); web is the site (urls, the API root, the demo loader, the account pages).
LAYERS = (
    "planner",
    "outbox",
    "events",
    "delegations",
    "notifications",
    "scheduling",
    "logistics",
    "feeds",
    "confirmations",
    "invitations",
    "personal",
    "orga",
    "web",
)
APPS = LAYERS
SKIP_PARTS = {"migrations", "tests", ".venv", "node_modules", "benchmarks"}


def source_files(root: Path):
    for app in APPS:
        base = root / app
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if SKIP_PARTS & set(path.relative_to(root).parts):
                continue
            yield path


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, int]]:
    """Every module this file imports, anywhere in it (functions included), with the line."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            # `from scheduling import feeds` names a module too
            found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
    return found


def import_edges(root: Path) -> list[tuple[str, str, str, int]]:
    """(importer module, imported module, file, line) for imports between two apps."""
    edges = []
    for path in source_files(root):
        module = module_name(root, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target, line in imported_modules(tree, module, path.name == "__init__.py"):
            src_app, dst_app = module.split(".")[0], target.split(".")[0]
            if dst_app in APPS and dst_app != src_app:
                edges.append((module, target, str(path.relative_to(root)), line))
    return edges


def app_graph(root: Path) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for src, dst, _, _ in import_edges(root):
        graph[src.split(".")[0]].add(dst.split(".")[0])
    return graph


def layer_violations(root: Path, layers=LAYERS) -> list[tuple[str, int, str, str]]:
    """(file, line, importer app, imported app) for every import of a higher layer."""
    rank = {app: i for i, app in enumerate(layers)}
    found = set()
    for src, dst, file, line in import_edges(root):
        src_app, dst_app = src.split(".")[0], dst.split(".")[0]
        if rank[dst_app] > rank[src_app]:
            found.add((file, line, src_app, dst_app))
    return sorted(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(set(graph) | {w for ws in graph.values() for w in ws}):
        if v not in index:
            visit(v)
    return out


def two_way_pairs(graph) -> list[tuple[str, str]]:
    return sorted((a, b) for a in graph for b in graph[a] if a < b and a in graph.get(b, ()))


def largest_modules(root: Path, n: int = 10) -> list[tuple[int, str]]:
    sizes = [
        (len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(root)))
        for p in source_files(root)
    ]
    return sorted(sizes, reverse=True)[:n]


def longest_functions(root: Path, n: int = 15, over: int = 80) -> list[tuple[int, str]]:
    found = []
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > over:
                    found.append((length, f"{path.relative_to(root)}:{node.name}"))
    return sorted(found, reverse=True)[:n]


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2]
    graph = app_graph(root)
    edges = import_edges(root)
    deferred = sum(1 for src, _, file, line in edges if _inside_function(root / file, line))
    print("app -> apps it imports")
    for app in APPS:
        if app in graph:
            print(f"  {app:14} -> {', '.join(sorted(graph[app]))}")
    pairs = two_way_pairs(graph)
    print(f"two-way app pairs: {len(pairs)}: " + ", ".join(f"{a}<->{b}" for a, b in pairs))
    comps = cycles(graph)
    print(
        f"cycles (strongly connected app sets): {len(comps)}: "
        + "; ".join(" ".join(c) for c in comps)
    )
    print(f"cross-app imports: {len(edges)} ({deferred} inside functions)")
    print("largest modules (lines):")
    for size, name in largest_modules(root):
        print(f"  {size:5}  {name}")
    print("functions over 80 lines:")
    for size, name in longest_functions(root):
        print(f"  {size:5}  {name}")
    upward = layer_violations(root)
    print(f"imports of a higher layer ({' < '.join(LAYERS)}): {len(upward)}")
    for file, line, src_app, dst_app in upward:
        print(f"  {file}:{line}  {src_app} -> {dst_app}")
    print(
        f"architecture: app_cycles={len(comps)} two_way_pairs={len(pairs)} "
        f"upward_imports={len(upward)}"
    )
    return 0


def _inside_function(path: Path, line: int) -> bool:
    tree = _trees.get(path) or _trees.setdefault(path, ast.parse(path.read_text(encoding="utf-8")))
    for node in ast.walk(tree):
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.lineno <= line <= node.end_lineno
        ):
            return True
    return False


_trees: dict = {}

if __name__ == "__main__":
    sys.exit(main(sys.argv))
