"""The shape of the `agora` package: dependencies point one way, no module reaches into
another package's private names, and docs/architecture.md names only what exists.

The import graph is read with `ast` from the source, so an import inside a function counts
exactly like one at the top of a module (a lazy import hides a cycle from Python, not from
this test). Imports under `if TYPE_CHECKING:` never run and are left out.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "agora"
ARCHITECTURE_DOC = ROOT / "docs" / "architecture.md"


@dataclass(frozen=True)
class Use:
    """`importer` uses `target` (a module), maybe naming one of its attributes."""

    importer: str
    target: str
    name: str
    line: int


def module_names(package: Path = PACKAGE) -> dict[str, Path]:
    modules = {}
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _runtime_nodes(tree: ast.AST):
    """Every node except those under `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _owning_module(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def uses(source: str, importer: str, modules: dict[str, Path], is_package: bool = False) -> list[Use]:
    """The agora modules `importer` imports, and the private attributes it reads from them."""
    found: list[Use] = []
    aliases: dict[str, str] = {}
    base = importer if is_package else importer.rpartition(".")[0]
    tree = ast.parse(source)
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _owning_module(alias.name, modules)
                if target:
                    found.append(Use(importer, target, "", node.lineno))
                    if alias.asname:
                        aliases[alias.asname] = target
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base.split(".")[: len(base.split(".")) - node.level + 1]
                source_module = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                source_module = node.module or ""
            for alias in node.names:
                submodule = f"{source_module}.{alias.name}"
                if submodule in modules:
                    found.append(Use(importer, submodule, "", node.lineno))
                    aliases[alias.asname or alias.name] = submodule
                else:
                    target = _owning_module(source_module, modules)
                    if target:
                        found.append(Use(importer, target, alias.name, node.lineno))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in aliases:
            found.append(Use(importer, aliases[node.value.id], node.attr, node.lineno))
    return [use for use in found if use.target != importer]


def all_uses(package: Path = PACKAGE) -> list[Use]:
    modules = module_names(package)
    return [use for name, path in modules.items()
            for use in uses(path.read_text(), name, modules, path.name == "__init__.py")]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def graph(found: list[Use]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for use in found:
        edges.setdefault(use.importer, set()).add(use.target)
    return edges


def _package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def private_reaches(found: list[Use]) -> list[Use]:
    """Uses of a `_private` name of a module in another package of agora."""
    return [use for use in found
            if use.name.startswith("_") and not use.name.startswith("__")
            and _package_of(use.importer) != _package_of(use.target)]


# ---- the checks on agora ---------------------------------------------------------------------

def test_no_module_of_agora_imports_itself_back_in_a_cycle():
    found = cycles(graph(all_uses()))
    assert found == [], "import cycles (counting imports inside functions):\n" + "\n".join(
        " <-> ".join(component) for component in found)


def test_no_module_uses_another_packages_private_names():
    found = private_reaches(all_uses())
    assert found == [], "\n".join(
        f"{use.importer}:{use.line} uses {use.target}.{use.name}" for use in found)


def test_the_toxicity_package_knows_no_django_and_nothing_else_of_agora():
    for path in (PACKAGE / "toxicity").rglob("*.py"):
        for node in _runtime_nodes(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith("django"), f"{path}: imports {name}"
                assert not name.startswith("agora.") or name.startswith("agora.toxicity"), \
                    f"{path}: imports {name}"


def test_the_comment_journey_hands_over_in_one_direction():
    """The HTTP layer uses comments, comments use moderation, never the other way round;
    live and the jobs hang off comments' signals, which know neither."""
    edges = graph(all_uses())
    assert "agora.http" in edges["agora.comments.api"]
    assert "agora.moderation.pipeline" in edges["agora.comments.services"]
    for module in ("agora.comments.services", "agora.comments.signals", "agora.moderation.pipeline"):
        reached = _reachable(edges, module)
        assert not {m for m in reached if m.startswith(("agora.live", "agora.jobs", "agora.http"))}, module
        assert not {m for m in reached if m.endswith(".api") or m.endswith(".views")}, module


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# ---- the checker itself finds what it should ---------------------------------------------------

def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "agora"


def test_a_lazy_import_closing_a_cycle_is_found(tmp_path):
    package = _write(tmp_path, {
        "agora/__init__.py": "",
        "agora/a/__init__.py": "",
        "agora/a/one.py": "from agora.b import two\n",
        "agora/b/__init__.py": "",
        "agora/b/two.py": "def later():\n    from agora.a.one import x\n",
        "agora/b/three.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                            "    from agora.a import one\n",
    })
    found = all_uses(package)
    assert cycles(graph(found)) == [["agora.a.one", "agora.b.two"]]
    assert "agora.b.three" not in graph(found)  # TYPE_CHECKING imports never run


def test_a_private_name_from_another_package_is_found_but_not_within_one(tmp_path):
    package = _write(tmp_path, {
        "agora/__init__.py": "",
        "agora/a/__init__.py": "",
        "agora/a/one.py": "from agora.b.two import _helper\nfrom agora.b import two\n"
                          "two._other()\nfrom agora.a.three import _fine\n",
        "agora/a/three.py": "",
        "agora/b/__init__.py": "",
        "agora/b/two.py": "",
    })
    found = {(use.target, use.name) for use in private_reaches(all_uses(package))}
    assert found == {("agora.b.two", "_helper"), ("agora.b.two", "_other")}


# ---- docs/architecture.md ----------------------------------------------------------------------

_NAMED = re.compile(r"`(agora[./][\w./]*)`")


def documented_names() -> list[str]:
    return sorted(set(_NAMED.findall(ARCHITECTURE_DOC.read_text())))


def test_the_architecture_doc_names_things():
    assert len(documented_names()) > 20


@pytest.mark.parametrize("name", documented_names())
def test_every_module_and_function_the_architecture_doc_names_exists(name):
    if "/" in name:
        assert (ROOT / name).exists(), f"docs/architecture.md names {name}, which does not exist"
        return
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            assert hasattr(found, attribute), f"docs/architecture.md names {name}: no {attribute}"
            found = getattr(found, attribute)
        return
    pytest.fail(f"docs/architecture.md names {name}, which is no module")
