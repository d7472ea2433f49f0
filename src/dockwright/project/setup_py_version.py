"""setup.py's version when setup.py computes it from a file of the project.

What it does
    Reads ``setup(version=EXPR)`` where EXPR is no literal, the way the code reads it, without running
    setup.py:

    - a name imported from the project (``from mypkg import __version__``, ``from mypkg.about import
      VERSION as version``) or an attribute of an imported module (``import mypkg`` ...
      ``mypkg.__version__``): that module's literal (``mypkg/__init__.py``, under ``src/`` too),
      following one ``from .x import NAME`` re-export;
    - a key of a namespace a project file was ``exec``-ed into (``exec(f.read(), about)`` ...
      ``about["__version__"]``): that file's literal;
    - a call or expression that reads a project file (``get_version("mypkg/__init__.py")``, a function whose
      body opens ``os.path.join("mypkg", "__init__.py")`` and searches ``__version__ = ...``): the file
      named by the string literals of the expression, of the module-level names it uses and of the
      bodies of the functions it calls, and the variable the search names (``__version__`` unless a
      literal names ``VERSION``).

    Only a value that looks like a version (``1.4.2``, ``2.0.0rc1``) is taken.

Why is this bad?
    The image's version label and default tag said ``0.0.0`` for a project whose version is one line of
    its package (session 40: a version held in ``pkg/__init__.py`` for setup.py was not read).

Example
    ``setup(version=read_version())`` with ``def read_version(): return re.search(r'__version__ =
    "(.+)"', open(os.path.join("tool", "__init__.py")).read()).group(1)`` -> ``tool/__init__.py``'s
    ``__version__``.

Use instead
    Nothing to change; ``[project] version`` or setup.cfg's ``version = attr: pkg.__version__`` say it
    without code.
"""

from __future__ import annotations

import ast
import posixpath
import re

from dockwright.errors import ProjectError
from dockwright.project.ast_names import assignment
from dockwright.project.facts import Evidence, Fact
from dockwright.project.source_roots import module_path
from dockwright.project.tree import ProjectTree

_VERSION = re.compile(r"[0-9][0-9A-Za-z.+!-]*")
_NAMES = ("__version__", "VERSION", "__VERSION__", "version")


def setup_py_version(tree: ProjectTree) -> Fact[str] | None:
    """setup.py's ``setup(version=...)`` read from the project file it comes from, with both places as
    evidence; None without setup.py, without a version keyword, or when it cannot be read so."""
    from dockwright.project.setuptools_static import setup_keyword

    keyword = setup_keyword(tree, "version")
    if keyword is None:
        return None
    module, expr = keyword
    found = code_version(tree, module, expr)
    if found is None:
        return None
    said = Evidence("setup.py", expr.lineno, f"setup(version=...) reads {found.evidence[0].file}")
    return Fact(found.value, (said, *found.evidence))


def code_version(tree: ProjectTree, module: ast.Module, expr: ast.expr) -> Fact[str] | None:
    """The version ``setup(version=expr)`` computes from a project file (module docstring), or None."""
    names = _module_bindings(module)
    value = expr
    for _ in range(4):  # `version=VERSION` where `VERSION = about["__version__"]`
        if isinstance(value, ast.Name) and value.id in names and isinstance(names[value.id], ast.expr):
            value = names[value.id]  # type: ignore[assignment]
        else:
            break
    imported = _imported(module, value)
    if imported is not None:
        return _literal(tree, *imported, depth=1)
    executed = _executed(tree, module, value)
    if executed is not None:
        return _literal(tree, *executed, depth=0, by_path=True)
    return _read_by_code(tree, module, value, names)


def _module_bindings(module: ast.Module) -> dict[str, ast.AST]:
    """Module-level ``NAME = value`` (top-level blocks too) and ``def NAME``."""
    out: dict[str, ast.AST] = {}
    stack: list[ast.stmt] = list(module.body)
    while stack:
        node = stack.pop(0)
        targets, value = assignment(node)
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                out[target.id] = value
        if isinstance(node, ast.FunctionDef):
            out[node.name] = node
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            stack[:0] = [*node.body, *(node.orelse if isinstance(node, (ast.If, ast.Try)) else [])]
    return out


def _imports(module: ast.Module) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """The module's ``from X import NAME [as ALIAS]`` (alias -> (X, NAME)) and ``import X`` names."""
    names: dict[str, tuple[str, str]] = {}
    modules: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names if alias.asname is None)
    return names, modules


def _imported(module: ast.Module, value: ast.expr) -> tuple[str, str] | None:
    """(module, name) for an imported name or an imported module's attribute."""
    names, modules = _imports(module)
    if isinstance(value, ast.Name) and value.id in names:
        return names[value.id]
    parts: list[str] = []
    node: ast.expr = value
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if isinstance(node, ast.Name) and len(parts) >= 1:
        dotted = ".".join([node.id, *parts[:-1]])
        if dotted in modules or node.id in modules:
            return dotted, parts[-1]
    return None


def _executed(tree: ProjectTree, module: ast.Module, value: ast.expr) -> tuple[str, str] | None:
    """(file, key) for ``NS["key"]`` (or ``NS.get("key")``) where the module ``exec``s a project file's
    text into the dict ``NS``: the file named by the literals of the call or of the ``with open(...) as
    f`` whose handle it reads."""
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        space, key = value.value.id, value.slice
    elif (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "get"
        and isinstance(value.func.value, ast.Name)
        and value.args
    ):
        space, key = value.func.value.id, value.args[0]
    else:
        return None
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return None
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "exec"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Name)
            and node.args[1].id == space
        ):
            files = _files(tree, [*_literals(node), *_opened_by(node, module)])
            if files:
                return files[0], key.value
    return None


def _opened_by(call: ast.Call, module: ast.Module) -> list[str]:
    """The literals of the ``with open(...) as f`` items whose handle ``call`` reads."""
    handles = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)}
    return [
        literal
        for node in ast.walk(module)
        if isinstance(node, ast.With)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id in handles
        for literal in _literals(item.context_expr)
    ]


def _read_by_code(
    tree: ProjectTree, module: ast.Module, value: ast.expr, names: dict[str, ast.AST]
) -> Fact[str] | None:
    """The version a call or expression reads from the project file its string literals name."""
    literals: list[str] = []
    seen: set[int] = set()
    todo: list[ast.AST] = [value]
    while todo:
        node = todo.pop()
        if id(node) in seen or len(seen) > 64:
            continue
        seen.add(id(node))
        literals += _literals(node)
        todo += [
            names[n.id] for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in names
        ]  # the bindings and functions it uses, theirs in turn
    if not literals:
        return None
    wanted = next((n for n in _NAMES if any(n in s for s in literals if "=" in s or "(" in s)), "__version__")
    for rel in _files(tree, literals):
        found = _literal(tree, rel, wanted, depth=0, by_path=True)
        if found is not None:
            return found
    return None


def _files(tree: ProjectTree, literals: list[str]) -> list[str]:
    """The project's .py files the literals name, alone or joined (``os.path.join("pkg", "__init__.py")``,
    ``here / "src" / "pkg" / "version.py"``), in order."""
    parts = [s.strip("/").removeprefix("./") for s in literals if s and len(s) < 200 and "\n" not in s]
    folders = [p for p in parts if tree.is_dir(p)]
    out: list[str] = []
    for part in parts:
        if not part.endswith(".py"):
            continue
        for rel in (
            part,
            *(posixpath.join(f, part) for f in folders),
            *(posixpath.join(f, g, part) for f in folders for g in folders if f != g),
        ):
            if tree.is_file(rel) and rel not in out:
                out.append(rel)
    return out


def _literal(
    tree: ProjectTree, where: str, name: str, *, depth: int, by_path: bool = False
) -> Fact[str] | None:
    """The string literal ``name`` is bound to at module level in ``where`` (a file when ``by_path``,
    else a dotted module), following ``from .x import name`` ``depth`` times."""
    rel = where if by_path else module_path(tree, where)
    if not rel or not tree.is_file(rel):
        return None
    try:
        module = ast.parse(tree.read_text(rel), rel)
    except (ProjectError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for stmt in module.body:
        targets, value = assignment(stmt)
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            text = value.value if isinstance(value, ast.Constant) else None
            if isinstance(text, str) and _VERSION.fullmatch(text):
                return Fact(text, (Evidence(rel, stmt.lineno, f"{name} = {text!r}"),))
            return None
    if depth > 0:
        package = posixpath.dirname(rel).replace("/", ".")
        for stmt in module.body:
            if isinstance(stmt, ast.ImportFrom) and any((a.asname or a.name) == name for a in stmt.names):
                original = next(a.name for a in stmt.names if (a.asname or a.name) == name)
                base = stmt.module or ""
                source = f"{package.removeprefix('src.')}.{base}" if stmt.level == 1 else base
                return _literal(tree, source.strip("."), original, depth=depth - 1)
    return None


def _literals(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
