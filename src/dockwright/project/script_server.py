"""A console script whose function serves the app in-process: the program is a web server.

What it does: for a console script's ``module:function``, the function's body (and the module's
functions it calls, two levels down) is searched for a call that serves HTTP in-process:
``uvicorn.run(app, ...)``, ``waitress.serve(app, ...)``, aiohttp's ``web.run_app(app, ...)``, or any
``X.run(...)``/``X.serve(...)`` given a ``port=`` (Flask's ``app.run``, an SDK's ``server.run``). Its
port is the call's ``port=``: a literal, or the function's parameter that a click option
(``@click.option("--port", default=3000)``) or an argparse argument (``add_argument("--port",
default=3000)``) fills, with that line as evidence. Its host, read the same way: a host option the
script takes (``--host``) is given ``0.0.0.0`` on the planned command; a literal loopback address
(``host="127.0.0.1"``) is said in a note, as nothing outside the container reaches it and only the code
can change it.

A script that dispatches subcommands (argparse's ``add_subparsers``, a click or Typer group) is left a
CLI: serving is one of its commands.

Why: an MCP server shipped as a click console script ending in ``uvicorn.run(app, host="127.0.0.1",
port=port)`` (``--port`` defaulting to 3000) was planned as a CLI: no ``EXPOSE``, no probe, and the
run line ``--help``. Nothing is executed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from dockwright.project.ast_names import dotted
from dockwright.project.facts import Evidence
from dockwright.project.source_roots import module_path
from dockwright.project.tree import ProjectTree

# calls that serve HTTP whatever their arguments (the app's own server calls need a port= below)
_SERVERS = frozenset({"uvicorn.run", "waitress.serve", "web.run_app", "aiohttp.web.run_app"})
_SERVE_METHODS = frozenset({"run", "serve", "run_app", "run_server"})
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_HOST = "0.0.0.0"  # what a host option is given on the planned command: every interface
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class ScriptServer:
    call: Evidence  # the serving call
    port: int | None
    port_evidence: Evidence | None
    host_option: str  # the option naming the host ("--host"), "" without one
    loopback: Evidence | None  # where the code binds a loopback address (``host``), None otherwise
    host: str = ""


def script_server(tree: ProjectTree, target: str) -> ScriptServer | None:
    """What the console script ``target`` (``module:function``) serves in-process, or None."""
    module, _, function = target.partition(":")
    rel = module_path(tree, module.strip())
    if rel is None or not function:
        return None
    try:
        body = ast.parse(tree.read_text(rel)).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    functions = {n.name: n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    start = functions.get(function.strip().split(".")[0])
    if start is None or _dispatches(start):
        return None
    for holder, call in _calls(start, functions, depth=2):
        name = dotted(call.func) or ""
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""  # `make_app().run(...)` too
        if name not in _SERVERS and not (method in _SERVE_METHODS and "port" in keywords):
            continue
        name = name or ast.unparse(call.func)
        where = Evidence(rel, call.lineno, f"{target} serves in-process: {name}(...)")
        port, port_ev = _value(rel, start, holder, keywords.get("port"), int)
        host, host_ev = _value(rel, start, holder, keywords.get("host"), str)
        option = _option_of(start, keywords.get("host"))
        loopback = host_ev if not option and isinstance(host, str) and host in _LOOPBACK else None
        port = port if isinstance(port, int) else None
        return ScriptServer(where, port, port_ev, option, loopback, host if isinstance(host, str) else "")
    return None


def _dispatches(function: Function) -> bool:
    """The script runs subcommands (argparse's ``add_subparsers``, a click or Typer group): serving is
    one command of several, and options given to the program would reach the dispatcher, not it."""
    decorators = {
        (dotted(d.func if isinstance(d, ast.Call) else d) or "").rpartition(".")[2]
        for d in function.decorator_list
    }
    if decorators & {"group", "command_group"}:
        return True
    return any(
        isinstance(n, ast.Call) and (dotted(n.func) or "").rpartition(".")[2] in ("add_subparsers", "Typer")
        for n in ast.walk(function)
    )


def _calls(
    function: Function, functions: dict[str, Function], depth: int, seen: frozenset[str] = frozenset()
) -> list[tuple[Function, ast.Call]]:
    """(the function holding it, call) of every call in ``function`` and in the module functions it
    calls, ``depth`` levels down, the function's own first."""
    own = [(function, n) for n in ast.walk(function) if isinstance(n, ast.Call)]
    out = list(own)
    if depth <= 0:
        return out
    for _, call in own:
        name = call.func.id if isinstance(call.func, ast.Name) else ""
        callee = functions.get(name)
        if callee is not None and name not in seen and callee is not function:
            out += _calls(callee, functions, depth - 1, seen | {function.name})
    return out


def _value(
    rel: str, start: Function, holder: Function, node: ast.expr | None, kind: type
) -> tuple[object, Evidence | None]:
    """The literal ``node`` is, or the default of the option that fills the parameter it names."""
    if isinstance(node, ast.Constant) and isinstance(node.value, kind) and not isinstance(node.value, bool):
        return node.value, Evidence(rel, node.lineno, f"{ast.unparse(node)} in the serving call")
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    if not name:
        return None, None
    for function in (holder, start):
        found = _option_default(rel, function, name, kind)
        if found is not None:
            return found
    return None, None


def _option(function: Function, name: str) -> tuple[ast.Call, list[str]] | None:
    """The click option decorating ``function`` or the argparse argument it adds that fills the
    parameter (or ``args.`` attribute) ``name``: the call and its flags."""
    calls = [d for d in function.decorator_list if isinstance(d, ast.Call)]
    calls += [n for n in ast.walk(function) if isinstance(n, ast.Call)]
    for call in calls:
        if (dotted(call.func) or "").rpartition(".")[2] not in ("option", "add_argument", "argument"):
            continue
        flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name in {f.lstrip("-").replace("-", "_") for f in flags}:
            return call, flags
    return None


def _option_default(rel: str, function: Function, name: str, kind: type) -> tuple[object, Evidence] | None:
    """The default the option filling ``name`` gives it (:func:`_option`), with its line."""
    found = _option(function, name)
    if found is None:
        return None
    call, flags = found
    default = next((k.value for k in call.keywords if k.arg == "default"), None)
    if isinstance(default, ast.Constant) and isinstance(default.value, kind):
        flag = next((f for f in flags if f.startswith("--")), flags[0] if flags else name)
        return default.value, Evidence(rel, call.lineno, f"{flag} defaults to {default.value!r}")
    return None


def _option_of(function: Function, node: ast.expr | None) -> str:
    """The command-line option (``--host``) that fills the parameter ``node`` names, "" without one."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    found = _option(function, name) if name else None
    return next((f for f in found[1] if f.startswith("--")), "") if found else ""
    calls = [d for d in function.decorator_list if isinstance(d, ast.Call)]
    calls += [n for n in ast.walk(function) if isinstance(n, ast.Call)]
    for call in calls:
        if (dotted(call.func) or "").rpartition(".")[2] not in ("option", "add_argument"):
            continue
        flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name in {f.lstrip("-").replace("-", "_") for f in flags}:
            return next((f for f in flags if f.startswith("--")), "")
    return ""
