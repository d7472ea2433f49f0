"""A start that runs a program of the project which serves with a framework's development server.

What it finds
    The planned start runs a program of the project (``python app.py``, ``python -m pkg``, one of its
    console scripts), and that program's module (or a project function its ``__main__`` block calls)
    starts a development server in-process: werkzeug's ``run_simple(...)``, ``uvicorn.run(...,
    reload=True)``, Sanic's ``app.run(debug=True)``/``dev=True``, Bottle's ``run()`` on its wsgiref
    server, Flask's ``app.run()``. Which calls and which arguments make one is per framework: the table
    ``data/dev_servers.toml`` (aiohttp's ``web.run_app`` is its production server and is not there).

Decision
    The program stays the start (it may set its app up from its options or environment, which a server
    started on ``module:app`` would skip), and the plan says so: a warning naming the file and line, the
    server, and what to serve instead (``--start "uvicorn main:app --host 0.0.0.0 --port 8000"``) when
    the app is a module-level object a production server can import.

Why: ``python main.py`` ending in ``uvicorn.run("main:app", reload=True)`` was planned as it is: the
image served with one reloading process, and nothing said so.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dockwright.errors import ProjectError
from dockwright.project.ast_names import import_aliases, resolved
from dockwright.project.detectors.console_scripts import declared_scripts
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.servers import last_command
from dockwright.project.own_image import python_args
from dockwright.project.production_branches import debug_branch_calls
from dockwright.project.reached import reached
from dockwright.project.tree import ProjectTree, data_table


@dataclass(frozen=True)
class DevServer:
    """A row of ``data/dev_servers.toml`` (its header says what each field means)."""

    name: str
    why: str
    serve: str
    source: str
    calls: tuple[str, ...] = ()
    app_method: str = ""
    app_classes: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    target_arg: int = -1
    target_kw: str = ""
    interface: str = ""
    host_arg: int = -1
    host_kw: str = ""
    default_host: str = ""
    port_arg: int = -1
    port_kw: str = ""
    default_port: int = 0

    def argument(self, call: ast.Call, position: int, keyword: str) -> ast.expr | None:
        """The call's argument at ``position`` or named ``keyword`` (None: not given)."""
        given = call.args[position] if 0 <= position < len(call.args) else None
        return next((k.value for k in call.keywords if keyword and k.arg == keyword), given)


@lru_cache(maxsize=1)
def table() -> tuple[DevServer, ...]:
    rows: list[dict[str, Any]] = data_table("dev_servers.toml")["dev_server"]
    out: list[DevServer] = []
    for row in rows:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
        out.append(DevServer(**fields))
    return tuple(out)


@dataclass(frozen=True)
class DevRun:
    """A call starting a development server: where, which, and the app it serves (``module:app``, "")."""

    rel: str
    line: int
    server: DevServer
    target: str


def dev_server_notes(
    tree: ProjectTree,
    scans: Iterable[ModuleScan],
    pyproject: dict[str, Any] | None,
    command: tuple[str, ...],
    port: int,
) -> list[str]:
    """The warnings for a start whose program serves with a development server (module docstring)."""
    scans = list(scans)
    started = started_module(scans, pyproject, last_command(command))
    if started is None:
        return []
    scan, functions = started
    runs = list(_runs(tree, scan, functions))
    for local in sorted(scan.main_calls & set(scan.from_imports)):  # `from pkg.cli import main`; main()
        source, _, name = scan.from_imports[local].rpartition(".")
        holder = next((s for s in scans if s.module == source), None)
        if holder is not None and holder.rel != scan.rel:
            runs += _runs(tree, holder, frozenset({name}))
    grouped: dict[tuple[str, str], list[DevRun]] = {}
    for run in sorted(set(runs), key=lambda r: (r.rel, r.line)):
        grouped.setdefault((run.rel, run.server.name), []).append(run)
    out: list[str] = []
    for (rel, _), same in grouped.items():  # the branches of one program (`if DEBUG: ... else: ...`) once
        server, target = same[0].server, next((r.target for r in same if r.target), "")
        instead = (
            "a production server can serve its app instead, with its settings given another way: "
            f"--start {shlex.quote(server.serve.format(port=port, target=shlex.quote(target)))}"
            if target
            else "serve the app with a production server instead (--start)"
        )
        lines = ",".join(str(r.line) for r in same)
        out.append(
            f"{rel}:{lines}: {' '.join(command)} serves the app with {server.name}: {server.why} "
            f"({server.source}); kept as the start, since the program may set its app up itself; {instead}"
        )
    return out


def started_module(
    scans: list[ModuleScan], pyproject: dict[str, Any] | None, argv: tuple[str, ...]
) -> tuple[ModuleScan, frozenset[str] | None] | None:
    """The module the start runs and the functions that run (None: the whole module): ``python X.py``,
    ``python -m pkg`` (its ``__main__``), a console script (its function)."""
    rest = python_args(argv)
    if rest is not None:
        if rest and rest[0].endswith(".py"):
            rel = rest[0].removeprefix("./")
            found = next((s for s in scans if s.rel == rel), None)
            return (found, None) if found else None
        if len(rest) >= 2 and rest[0] == "-m":
            names = (f"{rest[1]}.__main__", rest[1])
            found = next((s for n in names for s in scans if s.module == n), None)
            return (found, None) if found else None
        return None
    target = str(declared_scripts(pyproject).get(argv[0], "")) if argv else ""
    if ":" not in target:
        return None
    module, _, function = target.partition(":")
    found = next((s for s in scans if s.module == module.strip()), None)
    return (found, frozenset({function.strip().split(".")[0]})) if found else None


def parsed_module(tree: ProjectTree, scan: ModuleScan) -> ast.Module | None:
    """The module's tree: the scan's own when it kept one, else the file parsed; None if it does not parse."""
    if isinstance(scan.syntax, ast.Module):
        return scan.syntax
    try:
        return ast.parse(tree.read_text(scan.rel))
    except (ProjectError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _runs(tree: ProjectTree, scan: ModuleScan, functions: frozenset[str] | None) -> list[DevRun]:
    module = parsed_module(tree, scan)
    if module is None:
        return []
    return [run for run, _ in dev_calls(module, scan, functions)]


def dev_calls(
    module: ast.Module, scan: ModuleScan, functions: frozenset[str] | None = None
) -> list[tuple[DevRun, ast.Call]]:
    """The calls of ``module`` (of ``functions`` and what they call, when given) that start a development
    server of the table, each with its run."""
    names = import_aliases(module)
    debug = debug_branch_calls(module.body, names)
    out: list[tuple[DevRun, ast.Call]] = []
    for call in _calls(module, functions):
        if id(call) in debug:
            continue  # the debug branch of a program that serves with a production server otherwise
        for server in table():
            if _starts(server, call, names, module, scan) and _in_dev_mode(server, call):
                out.append((DevRun(scan.rel, call.lineno, server, _target(server, call, module, scan)), call))
                break
    return out


def _calls(module: ast.Module, functions: frozenset[str] | None) -> Iterator[ast.Call]:
    """The calls of the whole module, or of ``functions`` and the module's functions they call."""
    if functions is None:
        yield from (n for n in ast.walk(module) if isinstance(n, ast.Call))
        return
    defined = {n.name: n for n in module.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}

    def called(name: str) -> list[str]:
        calls = (n for n in ast.walk(defined[name]) if isinstance(n, ast.Call))
        return [n.func.id for n in calls if isinstance(n.func, ast.Name) and n.func.id in defined]

    for name in sorted(reached((f for f in functions if f in defined), called)):
        yield from (n for n in ast.walk(defined[name]) if isinstance(n, ast.Call))


def _starts(
    server: DevServer, call: ast.Call, names: dict[str, str], module: ast.Module, scan: ModuleScan
) -> bool:
    if resolved(call.func, names) in server.calls:
        return True
    if not server.app_method or not isinstance(call.func, ast.Attribute) or call.func.attr != "run":
        return False
    receiver = call.func.value
    if isinstance(receiver, ast.Call):  # Sanic("x").run(...), create_app().run(...)
        return resolved(receiver.func, names).rsplit(".", 1)[-1] in server.app_classes
    if not isinstance(receiver, ast.Name):
        return False
    if any(f == server.app_method and v == receiver.id for f, v, _ in scan.apps):
        return True
    return any(
        isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == receiver.id for t in n.targets)
        and isinstance(n.value, ast.Call)
        and resolved(n.value.func, names).split(".")[0] == server.app_method
        and resolved(n.value.func, names).rsplit(".", 1)[-1] in server.app_classes
        for n in ast.walk(module)
    )


def _in_dev_mode(server: DevServer, call: ast.Call) -> bool:
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if any(k in keywords for k in server.unless):
        return False
    if not server.when:
        return True
    return any(isinstance(keywords.get(k), ast.Constant) and keywords[k].value is True for k in server.when)  # type: ignore[attr-defined]


def _target(server: DevServer, call: ast.Call, module: ast.Module, scan: ModuleScan) -> str:
    """The ``module:app`` a production server can import for the app the call serves, else ""."""
    node: ast.expr | None
    if server.target_arg < 0:
        node = call.func.value if isinstance(call.func, ast.Attribute) else None
    else:
        node = call.args[server.target_arg] if len(call.args) > server.target_arg else None
        node = next((k.value for k in call.keywords if k.arg == server.target_kw), node)
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and ":" in node.value:
        return node.value
    return importable_name(node, module, scan)


def importable_name(node: ast.expr | None, module: ast.Module, scan: ModuleScan) -> str:
    """``module:name`` a server can import for a name the module binds at module level (not in a
    ``__main__`` module) or imports from another module, else ""."""
    if not isinstance(node, ast.Name):
        return ""
    module_level = any(
        isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in s.targets)
        for s in module.body
    )
    if module_level and not scan.module.endswith("__main__"):
        return f"{scan.module}:{node.id}"
    source, _, name = scan.from_imports.get(node.id, "").rpartition(".")
    return f"{source}:{name}" if source else ""
