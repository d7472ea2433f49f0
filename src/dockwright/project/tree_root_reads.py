"""A package module the start loads that climbs from ``__file__`` out of its package and reads there.

What it does
    For a project that installs as a wheel, reads the modules the start command names and the project
    modules they load (project/loaded_modules.py) for a folder computed from ``__file__`` above the
    module's top-level package: ``Path(__file__).parent.parent.parent``, ``.parents[2]``,
    ``os.path.dirname`` nested, ``os.path.join(os.path.dirname(__file__), "..", "..")``, also through a
    name bound to it once. When that folder is then used (passed to a call, ``load_from_defs_folder(
    project_root=ROOT)``, or joined with a name that exists there in the tree, ``ROOT / "pyproject.toml"``),
    the module expects its source tree around it: the app runs from the tree, not from the wheel. A
    join that climbs back into the module's own package (``Path(__file__).parent.parent / "pkg" /
    "templates"``) reads what the wheel carries, as from the tree: no news. A folder a logger or
    ``str.format`` only reports, or a read in an ``except`` clause (the fallback of a version reader
    when the package is not installed), reads nothing the wheel lacks.
    Django settings (``BASE_DIR``) are left to project/settings_outside.py, which knows their folders.

Why is this bad?
    In the source tree the climb reaches the checkout's root; from an installed wheel it reaches
    ``site-packages`` or ``lib/pythonX.Y``, where neither ``pyproject.toml`` nor the project's data
    folders are. The code server of a Dagster project built this way failed at start with "No config file
    found at project root /opt/venv/lib/python3.13".

Example
    ``src/pipeline/definitions.py``: ``load_from_defs_folder(project_root=Path(__file__).parent.parent
    .parent)`` -> the image copies the project's tree and runs it from there.

Use instead
    Ship what the code reads inside the package (package data, ``importlib.resources``), or keep running
    the app from its tree.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from dockwright.errors import ProjectError
from dockwright.project.ast_names import PATH_JOINS, PathJoin, dotted, path_join
from dockwright.project.ast_walk import walk, walks_kept
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import AppFacts, EnvSetting, Evidence
from dockwright.project.loaded_modules import loaded_modules
from dockwright.project.model_files import APP_DIR
from dockwright.project.tree import ProjectTree

_DIRNAME = frozenset({"os.path.dirname", "path.dirname", "dirname"})
_WRAPS = frozenset(
    {"os.path.abspath", "os.path.realpath", "path.abspath", "path.realpath", "abspath", "realpath"}
)
_JOIN = frozenset({"os.path.join", "path.join", "join"})
_PATH = frozenset({"Path", "pathlib.Path", "PurePath"})
# calls that only build or print a path: passing the folder to them reads nothing
_PATH_ONLY = _DIRNAME | _WRAPS | _JOIN | _PATH | {"str", "os.fspath", "print", "repr"}
# methods that only report a value (a logger's, ``str.format``): ``log.info("root %s", ROOT)`` reads nothing
_REPORTS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "format"})


def _climb(node: ast.AST) -> int | None:
    """How many folders up from the module's file ``node`` is (0: the file itself, 1: its folder), None
    when it is not a path computed from ``__file__``."""
    if isinstance(node, ast.Name):
        return 0 if node.id == "__file__" else None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = _climb(node.value)
        return None if inner is None else inner + 1
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "parents"
    ):
        inner = _climb(node.value.value)
        index = node.slice
        if inner is None or not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
            return None
        return inner + index.value + 1
    if not isinstance(node, ast.Call):
        return None
    name = dotted(node.func) or ""
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute") and not node.args:
        return _climb(node.func.value)
    if name in (_WRAPS | _PATH) and len(node.args) == 1:
        return _climb(node.args[0])
    if name in _DIRNAME and len(node.args) == 1:
        inner = _climb(node.args[0])
        return None if inner is None else inner + 1
    if name in _JOIN and len(node.args) > 1:
        inner = _climb(node.args[0])
        rest = node.args[1:]
        if inner is None or not all(isinstance(a, ast.Constant) and a.value == ".." for a in rest):
            return None
        return inner + len(rest)
    return None


def _import_root(scan: ModuleScan) -> int:
    """How many folders of the module's path lie above its top-level package (``src/`` for
    ``src/pkg/mod.py``: 1)."""
    parts = scan.rel.split("/")
    names = scan.module.count(".") + 1 + (1 if parts[-1] == "__init__.py" else 0)
    return max(len(parts) - names, 0)


def _bound(parsed: ast.Module) -> dict[str, int]:
    """Names bound once, to a folder climbed from ``__file__``: their levels."""
    counts = Counter(
        t.id for n in walk(parsed) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)
    )
    out: dict[str, int] = {}
    for node in walk(parsed):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            levels = _climb(node.value)
            if levels and counts[node.targets[0].id] == 1:
                out[node.targets[0].id] = levels
    return out


def _levels(node: ast.AST, names: dict[str, int]) -> int:
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    return _climb(node) or 0


def _fallbacks(parsed: ast.Module) -> set[int]:
    """The nodes inside an ``except`` clause (``except PackageNotFoundError:`` reading pyproject.toml
    when the package is not installed): what runs only when the first way failed, as from a checkout."""
    return {
        id(inner)
        for node in walk(parsed)
        if isinstance(node, ast.ExceptHandler)
        for statement in node.body
        for inner in walk(statement)
    }


def _text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _joined(node: ast.AST, joined: PathJoin, inner: set[int]) -> tuple[ast.expr, tuple[str, ...]]:
    """The folder ``node`` joins literal names to, and all those names after its ``".."`` steps:
    ``X / "a" / "b"`` -> (X, ("a", "b")), its inner joins added to ``inner`` (they read the same path);
    ``os.path.join(X, "a", "b")`` -> (X, ("a", "b"))."""
    if isinstance(node, ast.Call):
        rest = node.args[1 + joined.ups :]
        literal = itertools.takewhile(
            lambda a: isinstance(a, ast.Constant) and isinstance(a.value, str), rest
        )
        return joined.base, tuple(str(a.value) for a in literal if isinstance(a, ast.Constant))
    names = [joined.name]
    base = joined.base
    while isinstance(base, ast.BinOp) and (step := path_join(base)) is not None:
        inner.add(id(base))
        names.insert(0, step.name)
        base = step.base
    return base, tuple(names)


def _uses(parsed: ast.Module, names: dict[str, int]) -> Iterable[tuple[ast.AST, int, tuple[str, ...]]]:
    """Each use of a climbed folder outside an ``except`` clause: (the node, its levels, the literal names
    read there, ``()`` when the folder itself is handed to a call)."""
    fallbacks = _fallbacks(parsed)
    inner: set[int] = set()  # the inner joins of a `X / "a" / "b"` read already
    for node in walk(parsed):
        if id(node) in fallbacks or id(node) in inner:
            continue
        joined = path_join(node)
        if joined is not None:
            base, read = _joined(node, joined, inner)
            levels = _levels(base, names)
            if levels:
                yield node, levels + joined.ups, read
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func) or ""
        if name in PATH_JOINS and len(node.args) > 1:
            continue  # a join reads only the name joined (above)
        if (
            name not in _PATH_ONLY
            and not name.startswith(("os.path.", "sys.path."))
            and not (isinstance(node.func, ast.Attribute) and node.func.attr in _REPORTS)
        ):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                levels = _levels(arg, names)
                if levels:
                    yield node, levels, ()


class TreeRootRead(NamedTuple):
    """Where a module reads above its package, and the folder its packages are imported from (``src``
    for ``src/pkg/mod.py``, "" at the root): run from the tree, that folder goes on the import path."""

    evidence: Evidence
    import_root: str


def _outside(tree: ProjectTree, scan: ModuleScan) -> TreeRootRead | None:
    try:
        text = tree.read_text(scan.rel)
        if "__file__" not in text:  # every climbed folder starts from `__file__`
            return None
        parsed = ast.parse(text, filename=scan.rel)
    except (ProjectError, SyntaxError, ValueError, RecursionError):
        return None
    with walks_kept():  # the module's tree walked once for the reads below
        return _first_read(tree, scan, parsed)


def _first_read(tree: ProjectTree, scan: ModuleScan, parsed: ast.Module) -> TreeRootRead | None:
    parts = scan.rel.split("/")
    root = _import_root(scan)
    package = parts[: root + 1]  # the module's top-level package folder (``src/ledger``)
    for node, levels, names in _uses(parsed, _bound(parsed)):
        kept = len(parts) - levels  # the folder's own depth in the tree
        if kept < 0 or kept > root:
            continue  # above the checkout, or inside the package
        if [*parts[:kept], *names][: root + 1] == package:
            continue  # out of the package and back into it (`ROOT / "ledger" / "x"`): the wheel has it
        read = names[0] if names else None
        folder = "/".join(parts[:kept])
        at = f"{folder}/{read}" if folder and read else (read or folder)
        if read is not None and (read.startswith(".") or not (tree.is_file(at) or tree.is_dir(at))):
            continue  # nothing there, or a dotfile (`.env`) no image carries
        where = (
            at if read is not None else (f"the folder {folder}" if folder else "the project's root folder")
        )
        evidence = Evidence(
            scan.rel,
            getattr(node, "lineno", None),
            f"{scan.module} climbs from __file__ out of its package and reads {where} "
            f"({ast.unparse(node)[:70]}): from an installed wheel that is site-packages, so the app runs "
            "from its source tree",
        )
        return TreeRootRead(evidence, "/".join(parts[:root]))
    return None


def reads_the_tree_root(
    tree: ProjectTree, scans: Iterable[ModuleScan], command: tuple[str, ...]
) -> TreeRootRead | None:
    """Evidence that a package module the start loads climbs out of its package from ``__file__`` and
    reads there (project/settings_outside.py reads Django's settings)."""
    listed = [s for s in scans if s.module]
    words = {w.split(":", 1)[0] for w in command}
    roots = [s.module for s in listed if s.module in words]
    loaded = loaded_modules(tree, listed, roots) if roots else None
    for scan in loaded or []:
        if scan.rel.rsplit("/", 1)[-1] == "settings.py" or "/settings/" in scan.rel:
            continue
        found = _outside(tree, scan)
        if found is not None:
            return found
    return None


def with_import_root(app: AppFacts, read: TreeRootRead) -> AppFacts:
    """``app`` run from its tree with its import folder (``src``) on ``PYTHONPATH``, as the editable
    install the code was written for puts it; unchanged when its packages are at the root."""
    if not read.import_root or any(e.name == "PYTHONPATH" for e in app.env):
        return app
    value = f"{APP_DIR}/{read.import_root}"
    why = (
        f"the app runs from its tree and imports its packages from {read.import_root}/ (where an editable "
        "install finds them), so the code finds the project's files beside it"
    )
    return dataclasses.replace(app, env=(*app.env, EnvSetting("PYTHONPATH", value, why, (read.evidence,))))
