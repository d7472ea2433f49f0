"""What a repository's ``gunicorn.conf.py`` does to the container gunicorn runs in.

gunicorn loads ``./gunicorn.conf.py`` from its working directory unless ``-c``/``--config`` names
another file (https://docs.gunicorn.org/en/stable/configure.html#configuration-file), and the image's
working directory is the project root, so the repository's file is in effect whatever command the plan
writes. Command-line flags win over it (``--bind``), but three of its settings stop a container, and
are read here without running it:

- ``daemon = True``: gunicorn forks into the background and PID 1 exits, so the container stops;
- ``accesslog``/``errorlog`` at an absolute path (``/var/log/app/info.log``): the non-root user cannot
  create it, so the server fails at start (``-`` is stdout/stderr, what a container wants);
- a ``raise`` at module level (``else: raise ValueError(...)`` when a variable is unset): the server
  stops before it serves; the variables the file reads are named.

Settings under an ``if`` are reported with their condition's line: they apply only when it holds.

``bind`` is read too (``config_bind``): a string or a list of them, written out, as an f-string or a
``+`` of parts, its port a constant or ``os.environ.get("PORT", default)``/``os.getenv`` (directly or
through a module-level variable, under ``int()``/``str()``), or a variable with no default
(``os.environ["PORT"]``, ``os.getenv("PORT")``: the caller's planned port); project/gunicorn_bind.py makes
the plan serve where it says. ``-c``/``--config FILE`` names the file instead when the tree holds it, and
``-c python:pkg.conf`` (a module gunicorn imports, the working directory on its path) names
``pkg/conf.py`` or ``pkg/conf/__init__.py``, read the same way.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree

if TYPE_CHECKING:
    from dockwright.project.plan_files import PlanFiles

CONFIG = "gunicorn.conf.py"
_WRITABLE_PREFIXES = ("/tmp/", "/dev/")


def _module_level(body: list[ast.stmt], guard: int | None = None) -> list[tuple[ast.stmt, int | None]]:
    """Statements run when the file is loaded (module body and its if/else/try branches, not functions),
    each with the line of the innermost ``if`` that guards it."""
    out: list[tuple[ast.stmt, int | None]] = []
    for stmt in body:
        out.append((stmt, guard))
        if isinstance(stmt, ast.If):
            out += _module_level(stmt.body, stmt.lineno) + _module_level(stmt.orelse, stmt.lineno)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                out += _module_level(block, guard)
    return out


def _env_names(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        key: ast.AST | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("getenv", "get") and (called == "getenv" or "environ" in ast.unparse(func)):
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in names:
            names.append(key.value)
    return names


def _where(line: int, guard: int | None, rel: str = CONFIG) -> str:
    return f"{rel}:{line}" + (f" (in a branch of the if at line {guard})" if guard else "")


def config_file(tree: ProjectTree, argv: tuple[str, ...], cwd: str = "") -> str | None:
    """The config file the gunicorn command ``argv`` loads from the tree: its ``-c``/``--config FILE``
    when the tree holds that file, else ``gunicorn.conf.py`` when there is no such flag; None otherwise.
    ``cwd``: the folder gunicorn is launched in (``cd web && exec gunicorn``, ``env -C web gunicorn``),
    where both are looked for (gunicorn's own ``--chdir`` comes after its config is read)."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "gunicorn":
        return None
    for i, arg in enumerate(argv[1:], 1):
        named = arg.split("=", 1)[1] if arg.startswith("--config=") else None
        if arg in ("-c", "--config"):
            named = argv[i + 1] if i + 1 < len(argv) else ""
        if named is not None:
            if named.startswith("python:"):
                return module_file(tree, named.removeprefix("python:"))
            rel = posixpath.normpath(posixpath.join(cwd or ".", named)) if named else ""
            return rel if rel and not rel.startswith(("/", "..")) and tree.is_file(rel) else None
    rel = posixpath.join(cwd, CONFIG) if cwd else CONFIG
    return rel if tree.is_file(rel) else None


def loads_module(argv: tuple[str, ...]) -> bool:
    """The gunicorn command ``argv`` loads its config as a module (``-c python:pkg.conf``): gunicorn
    imports it wherever the package is, its installed wheel's copy as well as the tree's."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "gunicorn":
        return False
    named = [argv[i + 1] for i in range(1, len(argv) - 1) if argv[i] in ("-c", "--config")]
    named += [a.split("=", 1)[1] for a in argv if a.startswith("--config=")]
    return any(n.startswith("python:") for n in named)


def module_file(tree: ProjectTree, module: str) -> str | None:
    """The tree's file of the module a ``-c python:MODULE`` config names (gunicorn imports it with the
    working directory first on ``sys.path``): ``pkg/conf.py`` or ``pkg/conf/__init__.py``; None when the
    tree has neither (an installed distribution's module)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", module):
        return None
    path = module.replace(".", "/")
    for rel in (f"{path}.py", f"{path}/__init__.py"):
        if tree.is_file(rel):
            return rel
    return None


@dataclass(frozen=True)
class Bind:
    """One address of a config's ``bind``: host, port (the default when read from the environment) and
    the variable it is read from, if any; a variable read with no default (``os.environ["PORT"]``) is
    ``required``, its port the one the caller planned."""

    host: str
    port: int
    env: str | None = None
    required: bool = False  # the variable has no default there: ``port`` is the one the plan chose

    @property
    def loopback(self) -> bool:
        return self.host in ("localhost", "[::1]", "::1") or self.host.startswith("127.")


@dataclass(frozen=True)
class ConfigBind:
    """The ``bind`` a gunicorn config sets: the file, the line, the guarding ``if`` (or None), the
    addresses read (those whose port is unknown are left out) and the source text."""

    file: str
    line: int
    guard: int | None
    addresses: tuple[Bind, ...]
    text: str

    def where(self) -> str:
        return _where(self.line, self.guard, self.file)


def _env_read(node: ast.expr) -> tuple[str, str | None] | None:
    """``os.environ.get("PORT", "5000")`` / ``os.getenv("PORT", 5000)`` -> ("PORT", "5000");
    ``os.environ["PORT"]``, ``os.environ.get("PORT")``, ``os.getenv("PORT")`` -> ("PORT", None)."""
    if isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
        key = node.slice
        return (key.value, None) if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id
        if called in ("int", "str") and len(node.args) == 1:
            return _env_read(node.args[0])
        environ = called == "get" and isinstance(func, ast.Attribute) and "environ" in ast.unparse(func.value)
        if (called == "getenv" or environ) and len(node.args) in (1, 2) and not node.keywords:
            key = node.args[0]
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None
            if len(node.args) == 1:
                return key.value, None
            default = node.args[1]
            if isinstance(default, ast.Constant) and isinstance(default.value, (str, int)):
                return key.value, str(default.value)
    return None


_Part = str | tuple[str, str | None]


def _parts(node: ast.expr, names: dict[str, ast.expr], depth: int = 0) -> list[_Part] | None:
    """The pieces of a string expression: text, or (variable, default or None) for an environment read."""
    if depth > 5:
        return None
    if isinstance(node, ast.Name) and node.id in names:
        return _parts(names[node.id], names, depth + 1)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("int", "str"):
        return _parts(node.args[0], names, depth + 1) if len(node.args) == 1 and not node.keywords else None
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
        return [str(node.value)]
    read = _env_read(node)
    if read:
        return [read]
    if isinstance(node, ast.JoinedStr):
        out: list[_Part] = []
        for value in node.values:
            inner = value.value if isinstance(value, ast.FormattedValue) else value
            got = _parts(inner, names, depth + 1)
            if got is None:
                return None
            out += got
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _parts(node.left, names, depth + 1), _parts(node.right, names, depth + 1)
        return None if left is None or right is None else left + right
    return None


def _address(node: ast.expr, names: dict[str, ast.expr], planned: int | None) -> Bind | None:
    parts = _parts(node, names)
    if not parts:
        return None
    text = "".join(p if isinstance(p, str) else "\0" for p in parts)
    reads = [p for p in parts if isinstance(p, tuple)]
    host, sep, port = text.rpartition(":")
    if not sep or host.startswith("unix") or len(reads) > 1:
        return None
    env, default = reads[0] if port == "\0" and reads else (None, port)
    if "\0" in host:
        return None
    if env and default is None:
        return Bind(host, planned, env, required=True) if planned else None
    if default is None or not default.isdigit():
        return None
    return Bind(host, int(default), env)


def config_bind(
    files: PlanFiles, argv: tuple[str, ...], planned: int | None = None, cwd: str = ""
) -> tuple[list[ConfigBind], list[str]]:
    """The module-level ``bind`` assignments of the config the gunicorn command ``argv`` loads, in the
    file's order, and notes on the ones that cannot be read; a port read from a variable with no
    default takes ``planned`` (the port the plan chose), and without one is not read."""
    rel = config_file(files.tree, argv, cwd)
    module = None if rel is None else files.python_module(rel)
    if rel is None or module is None:
        return [], []
    names: dict[str, ast.expr] = {}
    found: list[ConfigBind] = []
    notes: list[str] = []
    for stmt, guard in _module_level(module.body):
        if (
            not isinstance(stmt, ast.Assign)
            or len(stmt.targets) != 1
            or not isinstance(stmt.targets[0], ast.Name)
        ):
            continue
        name = stmt.targets[0].id
        if name != "bind":
            names[name] = stmt.value
            continue
        items = stmt.value.elts if isinstance(stmt.value, (ast.List, ast.Tuple)) else [stmt.value]
        addresses = [_address(item, names, planned) for item in items]
        text = ast.unparse(stmt.value)
        if None in addresses:
            notes.append(
                f"{_where(stmt.lineno, guard, rel)}: bind = {text} is not read (the port is not "
                "written out nor an environment variable with a default); pass --port"
            )
        found.append(ConfigBind(rel, stmt.lineno, guard, tuple(a for a in addresses if a), text))
    return found, notes


def config_settings(files: PlanFiles, argv: tuple[str, ...]) -> frozenset[str]:
    """The settings (``workers``, ``worker_class`` ...) the config the gunicorn command ``argv`` loads
    assigns at module level."""
    rel = config_file(files.tree, argv)
    module = None if rel is None else files.python_module(rel)
    if rel is None or module is None:
        return frozenset()
    return frozenset(
        target.id
        for stmt, _ in _module_level(module.body)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign))
        for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        if isinstance(target, ast.Name)
    )


def config_strings(files: PlanFiles, argv: tuple[str, ...]) -> dict[str, tuple[str, Evidence]]:
    """setting -> (value, its line) of the string literals the config the gunicorn command ``argv`` loads
    assigns at module level (``worker_class = "eventlet"``)."""
    rel = config_file(files.tree, argv)
    module = None if rel is None else files.python_module(rel)
    if rel is None or module is None:
        return {}
    out: dict[str, tuple[str, Evidence]] = {}
    for stmt, _ in _module_level(module.body):
        if not isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            continue
        value = stmt.value
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
            if isinstance(target, ast.Name):
                out[target.id] = (value.value, Evidence(rel, stmt.lineno, f"{target.id} = {value.value!r}"))
    return out


def config_notes(files: PlanFiles, argv: tuple[str, ...], cwd: str = "") -> list[str]:
    """Warnings about the ``gunicorn.conf.py`` that the gunicorn command ``argv`` loads (launched in
    ``cwd``), if any."""
    rel = config_file(files.tree, argv, cwd)
    if rel is None:
        return []
    module = files.python_module(rel)
    if module is None:
        return [f"{rel}: gunicorn loads it from the working directory, but it is not valid Python"]
    notes: list[str] = []
    for stmt, guard in _module_level(module.body):
        if isinstance(stmt, ast.Raise):
            read = _env_names(module)
            reads = f"; it reads {', '.join(read)} (docker run -e)" if read else ""
            notes.append(
                f"{_where(stmt.lineno, guard, rel)}: gunicorn loads this file from the working directory and "
                f"it raises there, so the server stops before it serves{reads}"
            )
        if not isinstance(stmt, ast.Assign) or not isinstance(stmt.value, ast.Constant):
            continue
        value = stmt.value.value
        for target in stmt.targets:
            name = target.id if isinstance(target, ast.Name) else ""
            if name == "daemon" and value is True:
                notes.append(
                    f"{_where(stmt.lineno, guard, rel)}: daemon = True makes gunicorn fork into the "
                    "background, so PID 1 exits and the container stops; a container runs gunicorn in the "
                    "foreground"
                )
            elif (
                name in ("accesslog", "errorlog")
                and isinstance(value, str)
                and value.startswith("/")
                and not value.startswith(_WRITABLE_PREFIXES)
            ):
                notes.append(
                    f"{_where(stmt.lineno, guard, rel)}: {name} = {value!r}, which the non-root user cannot "
                    f"create; '-' logs to the container's output"
                )
    return notes


def served_argv(tree: ProjectTree, command: tuple[str, ...]) -> tuple[str, ...]:
    """The server command a start command runs: its last command, or an entry script's ``exec`` line."""
    from dockwright.project.detectors.entry_script import exec_line, script_defaults, with_defaults
    from dockwright.project.detectors.servers import last_command

    argv = last_command(command)
    if len(argv) == 2 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and tree.is_file(argv[1]):
        text = tree.read_script(argv[1])
        found = exec_line(text)
        return with_defaults(found[1], script_defaults(text)) if found else ()
    return argv
