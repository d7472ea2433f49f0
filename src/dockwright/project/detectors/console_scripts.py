"""The project's own console scripts.

## What it detects
``[project.scripts]``, ``[tool.poetry.scripts]``, setup.cfg ``console_scripts``, and setup.py
``entry_points={"console_scripts": [...]}`` / ``scripts=[...]``. Scripts named like developer tools
(build, lint, test, docs, release ...) are never taken as the app. A project setuptools refuses to
build (a flat layout with several top-level folders, ``project/setuptools_discovery.py``) has none:
the scripts exist only once the project is installed, and the image runs its tree.

## Evidence
The line declaring the script in ``pyproject.toml``, ``setup.cfg`` or ``setup.py``
(``console script mytool = mytool.cli:main``).

## Example
```toml
[project]
name = "mytool"

[project.scripts]
mytool = "mytool.cli:main"
mytool-lint = "mytool.dev:lint"
```

## Start command
The script's name (``mytool``), a CLI process; the script named after the project wins. When the
project is a server started by its own CLI (``data/server_clis.toml``: thumbor, datasette, lnbits), that
command is a web process ranked before the framework scans (``detectors/own_server.py``). A script
whose function serves HTTP in-process (``uvicorn.run(app, port=port)`` under a ``--port`` option;
``project/script_server.py``) is the web process: its port from the call or the option's default, a host
option given ``0.0.0.0``, and a note when the code binds a loopback address.
"""

from __future__ import annotations

import ast
import re
from typing import Any, cast

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.server_clis import own_server
from dockwright.project.facts import Evidence
from dockwright.project.script_server import ANY_HOST, ScriptServer, script_server
from dockwright.project.setuptools_discovery import flat_layout_refused
from dockwright.project.tree import ProjectTree

TOOL_NAMES = frozenset(
    {
        "build",
        "lint",
        "test",
        "tests",
        "docs",
        "format",
        "fmt",
        "release",
        "bump",
        "publish",
        "check",
        "typecheck",
        "coverage",
        "bench",
        "benchmark",
        "dev",
        "setup",
        "install",
        "clean",
    }
)


def declared_scripts(pyproject: dict[str, Any] | None) -> dict[str, Any]:
    """Console scripts from ``[project.scripts]``, ``[project.entry-points.console_scripts]`` (which
    setuptools accepts as well) and ``[tool.poetry.scripts]`` (name -> target)."""
    pyproject = pyproject or {}
    project = pyproject.get("project") if isinstance(pyproject.get("project"), dict) else {}
    groups = cast(dict[str, Any], project).get("entry-points")
    scripts = dict((groups.get("console_scripts") if isinstance(groups, dict) else None) or {})
    scripts.update(cast(dict[str, Any], project).get("scripts") or {})
    scripts.update(pyproject.get("tool", {}).get("poetry", {}).get("scripts") or {})
    return scripts


def project_scripts(ctx: Context) -> dict[str, str]:
    """Every console script the project declares (name -> ``module:function``): pyproject.toml's
    (:func:`declared_scripts`), setup.cfg's ``[options.entry_points]`` and setup.py's; developer tools
    included (a repository's image may run one). Read once per plan: ``ctx.once(project_scripts)``."""
    return all_scripts(ctx.tree, ctx.pyproject)


def all_scripts(tree: ProjectTree, pyproject: dict[str, Any] | None) -> dict[str, str]:
    """:func:`project_scripts` from the tree and pyproject.toml's table, outside a detector."""
    scripts = {name: str(target) for name, target in declared_scripts(pyproject).items()}
    for name, target in _setup_cfg_scripts(tree):
        scripts.setdefault(name, target)
    for group, name, target, _ in setup_py_entry_points(tree):
        if group == "console_scripts":
            scripts.setdefault(name, target)
    return scripts


#: where pip, uv and Poetry put console scripts in an image (the official image's prefix, a venv's)
_SCRIPT_FOLDERS = ("/usr/local/bin/", "/usr/bin/", "/opt/venv/bin/", "/venv/bin/", "/app/.venv/bin/")


def script_named(ctx: Context, word: str) -> str | None:
    """The project's console script ``word`` runs (``moto_server``, ``/usr/local/bin/moto_server``,
    ``/opt/venv/bin/moto_server``: where installers put it), or None."""
    name = word.rsplit("/", 1)[-1] if word.startswith(_SCRIPT_FOLDERS) else word
    return name if name in ctx.once(project_scripts) else None


def _setup_cfg_scripts(tree: ProjectTree) -> list[tuple[str, str]]:
    """setup.cfg's ``console_scripts = NAME = module:function`` lines."""
    if not tree.is_file("setup.cfg"):
        return []
    block = re.search(r"console_scripts\s*=\s*\n((?:[ \t]+.+\n?)+)", tree.read_text("setup.cfg"))
    found = (
        [re.match(r"\s*([\w.-]+)\s*=\s*([\w.:]+)", entry) for entry in block.group(1).splitlines()]
        if block
        else []
    )
    return [(match.group(1), match.group(2)) for match in found if match]


def script_evidence(tree: ProjectTree, name: str, target: object) -> Evidence:
    line = tree.line_of("pyproject.toml", rf"^[\"']?{re.escape(name)}[\"']?\s*=")
    return Evidence("pyproject.toml", line, f"console script {name} = {target}")


_DECLARATION = re.compile(r"\s*([\w.-]+)\s*=\s*([\w.]+:[\w.]+)\s*(?:\[[\w,\s-]*\])?\s*")


def _setup_py(ctx: Context) -> list[tuple[str, str, Evidence]]:
    """The ``console_scripts`` of setup.py's ``entry_points``. Other groups (``celery.commands``,
    ``pytest11``) are plugins another program loads, never a program of their own."""
    return [
        (name, target, Evidence("setup.py", line, f"console script {name} = {target}"))
        for group, name, target, line in setup_py_entry_points(ctx.tree)
        if group == "console_scripts"
    ]


def setup_py_entry_points(tree: ProjectTree) -> list[tuple[str, str, str, int]]:
    """(group, name, ``module:function``, line) of setup.py's ``entry_points``: a dict's (or
    ``dict(...)``'s) group entries, each a list of ``name = module:function`` strings or one string of
    them, and the sections of an INI string (``[console_scripts]``)."""
    if not tree.is_file("setup.py"):
        return []
    try:
        module = ast.parse(tree.read_text("setup.py"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    lines: list[tuple[str, int, str]] = []  # (group, line, text) of each declaration
    ini = _entry_point_strings(module)
    for node in ast.walk(module):
        groups: list[tuple[object, ast.expr]] = []  # (group name, declarations)
        if isinstance(node, ast.Dict):
            groups = [
                (k.value, v)
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant)
            ]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            groups = [(k.arg, k.value) for k in node.keywords]  # entry_points=dict(console_scripts=[...])
        for key, value in groups:
            if isinstance(key, str) and isinstance(value, (ast.List, ast.Tuple, ast.Constant)):
                lines += [
                    (key, n.lineno + k, text)
                    for n in ast.walk(value)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    for k, text in enumerate(n.value.splitlines())
                ]
        if node in ini and isinstance(node, ast.Constant) and isinstance(node.value, str):
            section = ""
            for k, text in enumerate(node.value.splitlines()):
                header = re.fullmatch(r"\s*\[([\w.-]+)\]\s*", text)
                if header:
                    section = header.group(1)
                elif section:
                    lines.append((section, node.lineno + k, text))
    out = []
    for group, number, text in lines:
        match = _DECLARATION.fullmatch(text)
        if match:
            out.append((group, match.group(1), match.group(2), number))
    return out


def _entry_point_strings(module: ast.Module) -> list[ast.expr]:
    """The string literals given as ``entry_points=`` (directly, or through a name bound to one): their
    INI sections declare entry points; another literal (a ``long_description`` showing one) does not."""
    given = [
        k.value
        for n in ast.walk(module)
        if isinstance(n, ast.Call)
        for k in n.keywords
        if k.arg == "entry_points"
    ]
    names = {v.id for v in given if isinstance(v, ast.Name)}
    bound = [
        n.value
        for n in ast.walk(module)
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in n.targets)
    ]
    return [v for v in given + bound if isinstance(v, ast.Constant) and isinstance(v.value, str)]


def plugin_commands(ctx: Context) -> dict[str, tuple[str, Evidence]]:
    """Commands the project adds to another program as a plugin (an entry point group other than
    console or GUI scripts, ``celery.commands: flower = flower.command:flower``): name -> (group,
    where it is declared)."""
    out: dict[str, tuple[str, Evidence]] = {}
    for group, name, target, line in setup_py_entry_points(ctx.tree):
        if group not in ("console_scripts", "gui_scripts"):
            out[name] = (group, Evidence("setup.py", line, f"entry point {group}: {name} = {target}"))
    project = (ctx.pyproject or {}).get("project")
    groups = project.get("entry-points") if isinstance(project, dict) else None
    for group, entries in (groups or {}).items() if isinstance(groups, dict) else ():
        if group in ("console_scripts", "gui_scripts") or not isinstance(entries, dict):
            continue
        for name, target in entries.items():
            at = ctx.tree.line_of("pyproject.toml", rf"^[\"']?{re.escape(str(name))}[\"']?\s*=")
            out[str(name)] = (
                group,
                Evidence("pyproject.toml", at, f"entry point {group}: {name} = {target}"),
            )
    return out


def project_name(ctx: Context) -> str:
    pyproject = ctx.pyproject or {}
    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        return str(project["name"])
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    return str(poetry.get("name", "")) if isinstance(poetry, dict) else ""


def usable_scripts(ctx: Context) -> list[tuple[str, str, Evidence]]:
    """The usable scripts (not developer tools): (name, target, evidence), the one named after the
    project first; none when setuptools refuses to build the project (the scripts exist only once the
    project is installed)."""
    pyproject = cast(dict[str, Any] | None, ctx.pyproject)
    build = (pyproject or {}).get("build-system")
    backend = build.get("build-backend") if isinstance(build, dict) else None
    if flat_layout_refused(ctx.tree, pyproject, backend if isinstance(backend, str) else None):
        return []
    found: list[tuple[str, str, Evidence]] = []
    for name, target in declared_scripts(cast(dict[str, Any] | None, ctx.pyproject)).items():
        found.append((name, str(target), script_evidence(ctx.tree, name, target)))
    for name, target in _setup_cfg_scripts(ctx.tree):
        line = ctx.tree.line_of("setup.cfg", rf"^\s*{re.escape(name)}\s*=")
        found.append((name, target, Evidence("setup.cfg", line, f"console script {name}")))
    found += _setup_py(ctx)
    own = re.sub(r"[-_.]+", "-", project_name(ctx).lower())
    usable = [f for f in found if f[0].lower() not in TOOL_NAMES]
    usable.sort(key=lambda f: 0 if re.sub(r"[-_.]+", "-", f[0].lower()) == own else 1)
    return usable


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for name, target, ev in usable_scripts(ctx):
        if own_server(name, project_name(ctx)):
            continue  # detectors/own_server.py's, ranked earlier
        served = script_server(ctx.tree, target)
        if served is not None and served.port is not None:  # it serves HTTP in-process: a web process
            out.append(_serving(name, target, ev, served))
            continue
        out.append(
            Candidate(
                "console-script",
                name,
                "cli",
                (ev,),
                command=(name,),
                target=target,
                module=target.split(":")[0],
            )
        )
    return out


def _serving(name: str, target: str, ev: Evidence, served: ScriptServer) -> Candidate:
    """The console script as the web process: its host option given every interface, its port."""
    notes: tuple[str, ...] = ()
    if served.loopback is not None:
        notes = (
            f"{served.loopback.file}:{served.loopback.line}: the server binds {served.host}, a loopback "
            "address: nothing outside the container reaches it (the health check, run inside, passes); "
            "bind 0.0.0.0 there, or read the host from an option or a variable",
        )
    return Candidate(
        "console-script",
        "web",
        "web",
        (ev, served.call),
        command=(name, *((served.host_option, ANY_HOST) if served.host_option else ())),
        target=target,
        module=target.split(":")[0],
        port=served.port,
        port_evidence=served.port_evidence,
        notes=notes,
    )
