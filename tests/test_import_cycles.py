"""No import cycle among our modules at import time (issue 11).

A cycle between a package's models and its helpers works only as long as the
import order happens to suit it; it breaks on the first reordering. This reads
the module-level imports of every runtime module (not migrations, not imports
inside functions, which run after loading) and looks for strongly connected
groups in that graph. A package importing its own submodules (``__init__``
re-exports) is not a cycle by itself; it is one only when a submodule imports
the package back.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "search", "imports", "demo")


def runtime_modules():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(module, path, node):
    """Dotted names a module-level import statement may load."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")
        if path.name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module
    return [target] + [f"{target}.{alias.name}" for alias in node.names]


def import_graph(modules):
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        statements = []
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                statements.append(node)
            elif isinstance(node, ast.If | ast.Try):  # guarded imports still run on load
                statements += [
                    n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)
                ]
        targets = set()
        for node in statements:
            targets.update(n for n in imported_names(module, path, node) if n in modules)
        graph[module] = targets - {module}
    return graph


def cycles(graph):
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_checker_finds_a_cycle():
    graph = {"a.models": {"a.scope"}, "a.scope": {"a.models"}, "a.views": {"a.models"}}
    assert cycles(graph) == [["a.models", "a.scope"]]


def test_no_import_cycle_between_runtime_modules():
    assert cycles(import_graph(runtime_modules())) == []
