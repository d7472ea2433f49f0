"""Model files an app loads when it starts, checked against where the image will have them.

A model server typically loads its model at import: ``clf = joblib.load("model/clf.joblib")`` at
module level, or ``onnxruntime.InferenceSession(...)`` in a startup hook. The image holds the project's
files under its work directory, which is where relative paths resolve (the working directory, not the
module's folder). Three ways that goes wrong, each a note with the line:

- the file is not in the project (git-ignored, fetched by hand or by a notebook): the image has none;
- the path is absolute (``/model/clf.joblib``), a place only the project's own Dockerfile copied it
  to; the project's copy sits under the work directory instead;
- the path is relative and the file sits beside the module (``api/clf.onnx`` opened as ``clf.onnx``):
  it resolves from the working directory, where there is none.

The loaders are ``data/model_loaders.toml`` (each with its documentation). Only literal paths are
checked: a string, the literal tail of a path built on a folder the code computes
(``os.path.join(BASE_DIR, "models", "m.pkl")``, ``Path(__file__).parent / "m.pkl"``: the project must
hold it below the module's folder or one above), or a module-level name bound to either; a path read
from the environment is the operator's to provide. Read statically; nothing is run.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from dockwright.errors import ProjectError
from dockwright.project.ast_names import dotted, import_aliases, is_main_guard, resolved
from dockwright.project.data_files import anchored_tail
from dockwright.project.detectors.base import outside_app
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.tree import ProjectTree, data_table

MISSING = (
    "not in the project (git-ignored? downloaded by hand?), so not in the image: the app stops at start; "
    "add it to the project or mount it"
)
APP_DIR = "/app"  # the work directory the plans copy the project to (absolute paths under it are fine)


@dataclass(frozen=True)
class Loader:
    call: str
    keywords: tuple[str, ...]
    positional: bool
    source: str


@lru_cache(maxsize=1)
def loaders() -> dict[str, Loader]:
    rows = data_table("model_loaders.toml")["loader"]
    return {
        str(r["call"]): Loader(
            str(r["call"]), tuple(r.get("keywords", [])), bool(r.get("positional", True)), str(r["source"])
        )
        for r in rows
    }


def _startup(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function the framework runs at start: ``@app.on_event("startup")``."""
    return any(
        isinstance(d, ast.Call)
        and (dotted(d.func) or "").endswith("on_event")
        and any(isinstance(a, ast.Constant) and a.value == "startup" for a in d.args[:1])
        for d in function.decorator_list
    )


def _run_at_start(module: ast.Module) -> list[ast.AST]:
    """The nodes that run when the module is imported or the app starts (not other function bodies)."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(module.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if _startup(node):
                todo.extend(node.body)
            continue
        if isinstance(node, ast.ClassDef):
            continue
        if isinstance(node, ast.If) and is_main_guard(node):
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _bindings(module: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = <expression>`` bindings (``MODEL_PATH = "..."`` or a join on BASE_DIR)."""
    out: dict[str, ast.expr] = {}
    for stmt in module.body:
        if isinstance(stmt, ast.Assign):
            out.update({t.id: stmt.value for t in stmt.targets if isinstance(t, ast.Name)})
    return out


def _path_of(call: ast.Call, loader: Loader, bindings: dict[str, ast.expr]) -> tuple[str, bool] | None:
    """(path, anchored) of the call's path argument: a literal (anchored False), or the literal tail of
    a path built on a run-time folder such as the module's own (anchored True); None otherwise."""
    candidates = [*(call.args[:1] if loader.positional else [])]
    candidates += [k.value for k in call.keywords if k.arg in loader.keywords]
    for node in candidates:
        if isinstance(node, ast.Name) and node.id in bindings:
            node = bindings[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value, False
        tail = anchored_tail(node)
        if tail:
            return tail, True
    return None


def _in_project(tree: ProjectTree, path: str) -> bool:
    return not path.startswith("..") and (tree.is_file(path) or tree.is_dir(path))


def _anchored_check(tree: ProjectTree, rel: str, tail: str) -> str | None:
    """``tail`` joined to a folder the code computes: fine when the project has it below the module's
    folder or a folder above it (which one the code means is not read)."""
    folder = posixpath.dirname(rel)
    while True:
        if _in_project(tree, posixpath.normpath(posixpath.join(folder, tail))):
            return None
        if not folder:
            return MISSING
        folder = posixpath.dirname(folder)


def _check(tree: ProjectTree, rel: str, path: str) -> str | None:
    """What is wrong with ``path`` (opened from ``rel``) in the image, or None when it is there."""
    if "://" in path or not path.strip() or "{" in path:
        return None
    if path.startswith("/"):
        if path.startswith(APP_DIR + "/") and _in_project(tree, path[len(APP_DIR) + 1 :]):
            return None
        parts = path.strip("/").split("/")
        found = next(
            (tail for tail in ("/".join(parts[i:]) for i in range(len(parts))) if _in_project(tree, tail)),
            None,
        )
        if found:
            return (
                f"an absolute path; the project's {found} is in the image at {APP_DIR}/{found}, not there "
                "(only the project's own Dockerfile put it there): open it relative to the app, or mount it"
            )
        return MISSING
    relative = posixpath.normpath(path)
    if _in_project(tree, relative):
        return None
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(rel), relative))
    if posixpath.dirname(rel) and _in_project(tree, beside):
        return (
            f"a relative path, which resolves from the working directory ({APP_DIR}), where it is not; "
            f"the file is {beside}: open it relative to the module (Path(__file__).parent) or by that path"
        )
    return MISSING


def looked_for(rel: str, text: str) -> bool:
    """True when the module may load a model at start: an app module (not tests, docs, examples) whose
    text names one of the loaders' calls."""
    return any(call.rsplit(".", 1)[-1] in text for call in loaders()) and not outside_app(rel)


def model_loads(module: ast.Module) -> list[tuple[int, str, str, bool]]:
    """(line, loader call, path, anchored) of each model file the module loads when it is imported or
    the app starts."""
    table = loaders()
    aliases, bindings = import_aliases(module), _bindings(module)
    out: list[tuple[int, str, str, bool]] = []
    for node in _run_at_start(module):
        if not isinstance(node, ast.Call):
            continue
        name = resolved(node.func, aliases)
        loader = table.get(name)
        found = _path_of(node, loader, bindings) if loader else None
        if loader is not None and found is not None:
            out.append((node.lineno, name, *found))
    return out


def _loads_of(tree: ProjectTree, rel: str) -> list[tuple[int, str, str, bool]]:
    """:func:`model_loads` of a module read and parsed here (one the module scans did not look at)."""
    if outside_app(rel):
        return []
    try:
        text = tree.read_text(rel)
    except ProjectError:
        return []
    if not looked_for(rel, text):
        return []
    try:
        return model_loads(ast.parse(text, rel))
    except (SyntaxError, ValueError, RecursionError):
        return []


def model_notes(tree: ProjectTree, scans: Mapping[str, ModuleScan] | None = None) -> list[str]:
    """One note per model file an app module loads at start that the image will not have there (the
    loads the module ``scans`` gathered, else the module read and parsed here)."""
    table = loaders()
    notes: list[str] = []
    for rel in tree.python_files:
        scan = (scans or {}).get(rel)
        loads = scan.model_loads if scan is not None and scan.model_loads is not None else None
        for line, call, path, anchored in _loads_of(tree, rel) if loads is None else loads:
            loader = table[call]
            problem = _anchored_check(tree, rel, path) if anchored else _check(tree, rel, path)
            shown = f"<its folder>/{path}" if anchored else path
            how = f"{loader.call}, {loader.source}"
            if problem:
                notes.append(f"{rel}:{line} loads {shown!r} at start ({how}): {problem}")
    return sorted(set(notes))
