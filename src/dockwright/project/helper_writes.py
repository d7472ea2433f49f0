"""Files a module writes at import through a project function that opens its path parameter.

What it does: a project function that opens one of its parameters for writing (``open(path, "w")``,
``Path(path).write_text(...)``; project/file_writes.py's writers), called at module level (also under a
module-level ``if``/``try``) with a path in the app's tree held in a module-level variable
(``SECRET_FILE = os.path.join(BASE_DIR, "secret.txt")``, then ``SECRET_KEY =
secret_from_file(SECRET_FILE)``): the module writes that file when it is imported, so at every start.
In a folder of the app's code, which stays root-owned, the non-root user cannot create it: a note names
the call, the helper's write, the variable holding the path and the name the call sets, to give
another way. A folder of its own is made writable, as the other writes are. The file is never made
beforehand: such helpers read it when it exists, and an empty one would be read as the value.

The variable may be bound again under a module-level ``if``/``try`` to a value read from a configuration
file or the environment, with its first value as the fallback (``SECRET_FILE =
section.get("secret_file", SECRET_FILE)`` after ``config.read(["app.ini", "/etc/app/app.ini"])``,
``os.environ.get("SECRET_FILE", SECRET_FILE)``): the key or variable that moves the file is said in the
note, and when a configuration file of the tree the module reads sets the key (configparser's INI), the
file is the one it names (a relative path: from the working directory, the tree's root).

Why: a Django server's settings wrote a generated ``secret.txt`` beside the installed package at import;
the container stopped with PermissionError and the plan said nothing (the write is in a helper of
``utils.py``, not in the settings).
"""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from dockwright.errors import ProjectError
from dockwright.project.ast_names import dotted
from dockwright.project.ast_walk import walk
from dockwright.project.detectors.scan import ModuleScan, tree_path
from dockwright.project.file_writes import written_path
from dockwright.project.tree import ProjectTree


class HelperWrite(NamedTuple):
    """A module-level call writing ``file`` (relative to the root) through the project function
    ``function`` (which writes at ``writes_at``, ``rel:line``); ``variable`` holds the path, ``sets``
    is the name the call's value is assigned to ("" for none)."""

    rel: str
    line: int
    function: str
    writes_at: str
    file: str
    variable: str
    sets: str
    moved_by: str = ""  # what moves the file: "the secret_file key of app.ini's [global] section" ...

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.file) or "."


def helper_writes(tree: ProjectTree, scans: Iterable[ModuleScan]) -> list[HelperWrite]:
    """The files written at import through a project function (see the module's docstring). A module is
    parsed only when its text defines a function and names a writer, or it calls such a function."""
    scans = list(scans)
    parsed: dict[str, ast.Module] = {}
    writers: dict[str, tuple[int, str]] = {}  # "module.function" -> (parameter position, "rel:line")
    for scan in scans:
        found = scan.written_parameters if not isinstance(scan.syntax, ast.Module) else None
        if found is None:  # not gathered by the scans (project/module_scans.py): parsed here
            module = _parsed(tree, scan, parsed, _WRITER)
            found = module_writers(module) if module is not None else {}
        for name, (position, line) in found.items():
            writers[f"{scan.module}.{name}"] = (position, f"{scan.rel}:{line}")
    if not writers:
        return []
    out: list[HelperWrite] = []
    for scan in scans:
        local = {
            name: dotted_name for name, dotted_name in scan.from_imports.items() if dotted_name in writers
        }
        local |= {k.rsplit(".", 1)[1]: k for k in writers if k.rsplit(".", 1)[0] == scan.module}
        module = _parsed(tree, scan, parsed, None) if local else None
        if module is not None:
            out += _calls(tree, scan, module, local, writers)
    return out


# the writers of project/file_writes.py, in a module's text: worth parsing it for a function using one
_WRITER = re.compile(r"\bopen\(|\.write_(?:text|bytes)\(|\.touch\(|sqlite3\.connect\(|\.save\(")


def _parsed(
    tree: ProjectTree, scan: ModuleScan, cache: dict[str, ast.Module], wanted: re.Pattern[str] | None
) -> ast.Module | None:
    """The module's syntax tree (the scan's own when it kept one), parsed once; None when its text does
    not match ``wanted`` or it cannot be read."""
    if scan.rel in cache:
        return cache[scan.rel]
    if isinstance(scan.syntax, ast.Module):
        cache[scan.rel] = scan.syntax
        return scan.syntax
    try:
        source = tree.read_text(scan.rel)
    except ProjectError:
        return None
    if wanted is not None and ("def " not in source or not wanted.search(source)):
        return None
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    cache[scan.rel] = module
    return module


def module_writers(module: ast.Module) -> dict[str, tuple[int, int]]:
    """The module-level functions that open a path parameter for writing: name -> (parameter position,
    line); a later definition that writes replaces an earlier one."""
    out: dict[str, tuple[int, int]] = {}
    for node in module.body:
        if isinstance(node, ast.FunctionDef):
            found = _written_parameter(node)
            if found is not None:
                out[node.name] = found
    return out


def may_define_writer(source: str) -> bool:
    """Whether a module's text may define a function :func:`module_writers` finds (else it finds none)."""
    return "def " in source and _WRITER.search(source) is not None


def _written_parameter(func: ast.FunctionDef) -> tuple[int, int] | None:
    """(position, line) of the parameter the function opens for writing, else None."""
    params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    for node in walk(func):
        if not isinstance(node, ast.Call):
            continue
        path = written_path(node)
        while (
            isinstance(path, ast.Call) and dotted(path.func) in ("Path", "pathlib.Path", "str") and path.args
        ):
            path = path.args[0]
        if isinstance(path, ast.Name) and path.id in params:
            return params.index(path.id), node.lineno
    return None


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, those under a module-level ``if``/``try`` too (run at import)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level([*stmt.body, *stmt.orelse])
        elif isinstance(stmt, ast.Try):
            yield from _top_level([*stmt.body, *stmt.orelse, *stmt.finalbody])


def _calls(
    tree: ProjectTree,
    scan: ModuleScan,
    module: ast.Module,
    local: dict[str, str],
    writers: dict[str, tuple[int, str]],
) -> list[HelperWrite]:
    out: list[HelperWrite] = []
    for stmt in _top_level(module.body):
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.Expr, ast.AnnAssign)) else None
        if (
            not isinstance(value, ast.Call)
            or not isinstance(value.func, ast.Name)
            or value.func.id not in local
        ):
            continue
        position, writes_at = writers[local[value.func.id]]
        argument = value.args[position] if len(value.args) > position else None
        if not isinstance(argument, ast.Name):
            continue
        bound = _bound_before(module.body, argument.id, stmt.lineno)
        moved_by, configured = "", None
        read = _overridden(module.body, bound) if bound is not None else None
        if read is not None and bound is not None:
            moved_by, configured = _moved_by(tree, module, read)
            bound = _bound_before(module.body, read.fallback.id, bound.lineno) if read.fallback else None
        parts = configured or (tree_path(bound, scan) if bound is not None else None)
        if not parts:
            continue
        file = posixpath.normpath("/".join(parts))
        if file.startswith(".."):
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        sets = next((t.id for t in targets if isinstance(t, ast.Name)), "")
        function = value.func.id
        out.append(HelperWrite(scan.rel, stmt.lineno, function, writes_at, file, argument.id, sets, moved_by))
    return out


def _bound_before(body: list[ast.stmt], name: str, line: int) -> ast.expr | None:
    """The value of the last module-level assignment of ``name`` before ``line`` (one under a
    module-level ``if``/``try`` too: it runs at import)."""
    found: ast.Assign | None = None
    for stmt in _top_level(body):
        if stmt.lineno >= line or not isinstance(stmt, ast.Assign):
            continue
        names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        if name in names and (found is None or stmt.lineno > found.lineno):
            found = stmt
    return found.value if found is not None else None


class _Read(NamedTuple):
    """A value read from the environment (``kind`` "env") or a configuration file ("config"): its
    variable or key, the section ("" when unknown), and the name holding the fallback (None: none)."""

    kind: str
    key: str
    section: str
    fallback: ast.Name | None


_ENV_READS = frozenset({"os.environ.get", "os.getenv", "environ.get", "getenv"})


def _overridden(body: list[ast.stmt], value: ast.expr) -> _Read | None:
    """``os.environ.get("X", NAME)``, ``section.get("key", NAME)`` (a mapping of a configparser section,
    ``section = config["global"]``), ``config.get("global", "key", fallback=NAME)``: the read, else
    None."""
    if not isinstance(value, ast.Call) or (
        not isinstance(value.func, ast.Attribute) and dotted(value.func) not in _ENV_READS
    ):
        return None
    name = dotted(value.func) or ""
    words = [a.value for a in value.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    rest = [a for a in value.args if not (isinstance(a, ast.Constant) and isinstance(a.value, str))]
    fallback = next((k.value for k in value.keywords if k.arg in ("fallback", "default")), None)
    fallback = fallback or (rest[0] if rest else None)
    held = fallback if isinstance(fallback, ast.Name) else None
    if name in _ENV_READS and words:
        return _Read("env", words[0], "", held)
    if not isinstance(value.func, ast.Attribute) or value.func.attr != "get" or not words:
        return None
    if len(words) == 2:
        return _Read("config", words[1], words[0], held)
    return _Read("config", words[0], _section(body, value.func.value), held)


def _section(body: list[ast.stmt], receiver: ast.expr) -> str:
    """The section a receiver stands for: ``config["global"]``, or a name bound once to it."""
    if isinstance(receiver, ast.Name):
        bound = [
            s.value
            for s in _top_level(body)
            if isinstance(s, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == receiver.id for t in s.targets)
        ]
        receiver = bound[0] if len(bound) == 1 else receiver
    if isinstance(receiver, ast.Subscript):
        key = receiver.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return ""


def _moved_by(tree: ProjectTree, module: ast.Module, read: _Read) -> tuple[str, list[str] | None]:
    """What moves the file (for the note), and the path a configuration file of the tree sets it to."""
    if read.kind == "env":
        return f"the environment variable {read.key}", None
    where = f" of the [{read.section}] section" if read.section else ""
    files = _config_files(module)
    for name in files:
        if name.startswith(("/", "~")) or not tree.is_file(name):
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(tree.read_text(name))
        except (configparser.Error, ProjectError):
            continue
        sections = [read.section] if read.section else parser.sections()
        for section in sections:
            value = parser.get(section, read.key, fallback="") if parser.has_section(section) else ""
            if value and not value.startswith(("/", "~", "$")):
                said = f"the {read.key} key of {name}'s [{section}] section, which sets it to {value}"
                return said, [p for p in value.split("/") if p not in ("", ".")] or None
    named = f" of {' or '.join(files)}" if files else " of the configuration file the module reads"
    return f"the {read.key} key{where}{named}", None


def _config_files(module: ast.Module) -> list[str]:
    """The files a configparser object reads: ``config.read("app.ini")`` or a list of them (held in a
    name bound once); the environment's and other computed entries left out."""
    if not any(
        isinstance(n, (ast.Import, ast.ImportFrom))
        and any((getattr(n, "module", None) or a.name) == "configparser" for a in n.names)
        for n in ast.walk(module)
    ):
        return []
    bound = {
        t.id: s.value
        for s in ast.walk(module)
        if isinstance(s, ast.Assign)
        for t in s.targets
        if isinstance(t, ast.Name)
    }
    out: list[str] = []
    for node in ast.walk(module):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
            continue
        if node.func.attr != "read":
            continue
        arg = node.args[0]
        arg = bound.get(arg.id, arg) if isinstance(arg, ast.Name) else arg
        items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
        for item in items:
            if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value:
                out.append(item.value)
    return list(dict.fromkeys(out))
