"""The project's own console scripts.

## What it detects
``[project.scripts]``, ``[tool.poetry.scripts]``, setup.cfg ``console_scripts``, and setup.py
``entry_points={"console_scripts": [...]}``. Also the script files setuptools installs as they are:
setup.py ``scripts=["bin/mytool"]``, setup.cfg's ``[options] scripts``, pyproject's ``[tool.setuptools]
script-files``: each a file of the project whose first line is a Python ``#!`` (``#!/usr/bin/env
python3``), installed under its file name into the environment's ``bin/`` (the wheel holds it in
``.data/scripts`` as ``#!python``, which pip and uv rewrite to the environment's interpreter); a file
that only calls a function it imports from the project (``from mytool.cli import main`` then ``main()``
under ``if __name__ == "__main__":``) is judged by that function, as an entry point's is. A shell
script or a file without a ``#!`` is not a program the image can start. Scripts named like developer
tools (build, lint, test, docs, release ...) are never taken as the app. A project setuptools refuses to
build (a flat layout with several top-level folders, ``project/setuptools_discovery.py``) has none:
the scripts exist only once the project is installed, and the image runs its tree.

## Evidence
The line declaring the script in ``pyproject.toml``, ``setup.cfg`` or ``setup.py``
(``console script mytool = mytool.cli:main``, ``script file bin/mytool (setup.py scripts=), installed as
mytool``), and the ``ENTRYPOINT``/``CMD`` line of the repository's own Dockerfile when it runs that
script (``ENTRYPOINT ["mytool"]``, ``CMD ["python", "bin/mytool"]``).

## Example
```toml
[project]
name = "mytool"

[project.scripts]
mytool = "mytool.cli:main"
mytool-lint = "mytool.dev:lint"
```

## Start command
The script's name (``mytool``), a CLI process; the script the repository's own image runs wins, then
the script named after the project. When the
project is a server started by its own CLI (``data/server_clis.toml``: thumbor, datasette, lnbits), that
command is a web process ranked before the framework scans (``detectors/own_server.py``). A script
whose function serves HTTP in-process (``uvicorn.run(app, port=port)`` under a ``--port`` option;
``project/script_server.py``) is the web process: its port from the call or the option's default, a host
option given ``0.0.0.0``, and a note when the code binds a loopback address.
"""

from __future__ import annotations

import ast
import posixpath
import re
from typing import Any, cast

from dockwright.errors import ProjectError
from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.server_clis import own_server
from dockwright.project.facts import Evidence
from dockwright.project.script_server import ANY_HOST, ScriptServer, script_server
from dockwright.project.setuptools_discovery import flat_layout_refused
from dockwright.project.source_roots import module_path
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
    for name, target, _, _ in script_files(tree, pyproject):
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


# the first line setuptools' build_scripts rewrites to ``#!python`` in a wheel (its ``first_line_re``),
# which pip and uv then point at the environment's interpreter
_PYTHON_SHEBANG = re.compile(r"#!.*python[0-9.]*(?:[ \t].*)?")


def script_files(tree: ProjectTree, pyproject: dict[str, Any] | None) -> list[tuple[str, str, str, Evidence]]:
    """(installed name, target, file, evidence) of each script file setuptools installs as it is into
    the environment's ``bin/``: setup.py's ``scripts=[...]``, setup.cfg's ``[options] scripts``,
    pyproject's ``[tool.setuptools] script-files``. Only a file of the project whose first line is a
    Python ``#!`` runs there (a shell script or a file without one is no program the image starts). The
    target is ``module:function`` when the file only calls a function it imports from the project
    (:func:`_stub_target`), else ""."""
    declared: list[tuple[str, Evidence]] = []
    for path, number in _setup_py_script_files(tree):
        declared.append((path, Evidence("setup.py", number, f"script file {path} (setup.py scripts=)")))
    for path in _setup_cfg_script_files(tree):
        at = tree.line_of("setup.cfg", rf"^[ \t]*(?:scripts[ \t]*=[ \t]*)?{re.escape(path)}[ \t,]*$")
        declared.append((path, Evidence("setup.cfg", at, f"script file {path} (setup.cfg scripts)")))
    setuptools = ((pyproject or {}).get("tool") or {}).get("setuptools")
    files = setuptools.get("script-files") if isinstance(setuptools, dict) else None
    for path in files if isinstance(files, list) else ():
        if isinstance(path, str):
            at = tree.line_of("pyproject.toml", rf"[\"']{re.escape(path)}[\"']")
            where = "[tool.setuptools] script-files"
            declared.append((path, Evidence("pyproject.toml", at, f"script file {path} ({where})")))
    out: list[tuple[str, str, str, Evidence]] = []
    for path, ev in declared:
        rel = posixpath.normpath(path.removeprefix("./"))
        if rel.startswith(("../", "/")) or not tree.is_file(rel) or not _python_shebang(tree, rel):
            continue
        name = posixpath.basename(rel)
        if any(found[0] == name for found in out):
            continue
        detail = f"{ev.detail}, installed as {name}"
        out.append((name, _stub_target(tree, rel), rel, Evidence(ev.file, ev.line, detail)))
    return out


def _python_shebang(tree: ProjectTree, rel: str) -> bool:
    try:
        first = tree.read_bytes(rel)[:256].split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    except (OSError, ProjectError):
        return False
    return _PYTHON_SHEBANG.fullmatch(first) is not None


def _setup_py_script_files(tree: ProjectTree) -> list[tuple[str, int]]:
    """(path, line) of the string literals setup.py gives ``scripts=`` (a list or tuple, directly or
    through a name bound to one)."""
    if not tree.is_file("setup.py"):
        return []
    try:
        module = ast.parse(tree.read_text("setup.py"))
    except (SyntaxError, ValueError, RecursionError, MemoryError, ProjectError):
        return []
    given = [
        k.value for n in ast.walk(module) if isinstance(n, ast.Call) for k in n.keywords if k.arg == "scripts"
    ]
    names = {v.id for v in given if isinstance(v, ast.Name)}
    given += [
        n.value
        for n in ast.walk(module)
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in n.targets)
    ]
    return [
        (e.value, e.lineno)
        for v in given
        if isinstance(v, (ast.List, ast.Tuple))
        for e in v.elts
        if isinstance(e, ast.Constant) and isinstance(e.value, str)
    ]


def _setup_cfg_script_files(tree: ProjectTree) -> list[str]:
    """The paths of setup.cfg's ``[options] scripts =`` (on its line, or one per indented line below)."""
    if not tree.is_file("setup.cfg"):
        return []
    options = re.search(r"^\[options\]\s*$((?:\n(?!\[).*)*)", tree.read_text("setup.cfg"), re.M)
    block = re.search(r"^scripts\s*=(.*(?:\n[ \t]+.*)*)", options.group(1), re.M) if options else None
    if block is None:
        return []
    return [p for p in re.split(r"[\s,]+", block.group(1)) if p and not p.startswith(("#", ";"))]


_EXITS = frozenset({"sys.exit", "exit", "SystemExit"})


def _stub_target(tree: ProjectTree, rel: str) -> str:
    """``module:function`` when the script file only runs a function it imports from the project
    (``from ticker.cli import main`` then ``main()``, ``sys.exit(main())`` or ``raise
    SystemExit(main())``, under ``if __name__ == "__main__":`` or at its top level), else ""."""
    try:
        body = ast.parse(tree.read_bytes(rel)).body
    except (SyntaxError, ValueError, RecursionError, MemoryError, OSError, ProjectError):
        return ""
    imported: dict[str, str] = {}
    for node in body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.update((a.asname or a.name, f"{node.module}:{a.name}") for a in node.names)
    statements = list(body)
    for node in body:
        if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
            continue
        if ast.unparse(node.test).replace("'", '"') == '__name__ == "__main__"':
            statements += node.body
    for node in statements:
        call = node.value if isinstance(node, ast.Expr) else node.exc if isinstance(node, ast.Raise) else None
        if isinstance(call, ast.Call) and ast.unparse(call.func) in _EXITS and len(call.args) == 1:
            call = call.args[0]  # sys.exit(main())
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in imported:
            target = imported[call.func.id]
            return target if module_path(tree, target.split(":")[0]) is not None else ""
    return ""


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
    files = script_files(ctx.tree, pyproject)
    found += [(name, target, ev) for name, target, _, ev in files if all(f[0] != name for f in found)]
    own = re.sub(r"[-_.]+", "-", project_name(ctx).lower())
    usable = [f for f in found if f[0].lower() not in TOOL_NAMES]
    usable.sort(key=lambda f: 0 if re.sub(r"[-_.]+", "-", f[0].lower()) == own else 1)
    run = ctx.once(own_image_runs)
    if run is not None:  # the script the repository's own image runs: first, its line as evidence too
        usable = [(n, t, ev) for n, t, ev in usable if n == run[0]] + [f for f in usable if f[0] != run[0]]
    return usable


def own_image_runs(ctx: Context) -> tuple[str, tuple[str, ...], Evidence] | None:
    """(script, arguments, the ``ENTRYPOINT``/``CMD`` line) when the repository's own image starts one of
    the project's scripts by its name (``ENTRYPOINT ["mytool"]``, ``/usr/local/bin/mytool``) or, for a
    script file, with python on its path (``CMD ["python", "bin/mytool"]``); None otherwise. Computed once
    per plan (``ctx.once``)."""
    from dockwright.project.detectors.own_image_server import own_words
    from dockwright.project.own_image import python_args

    own = ctx.files.own_final
    if own is None:
        return None
    path, _, final = own
    instruction = final.instruction
    argv = own_words(ctx, final)
    if instruction is None or not argv:
        return None
    name, arguments = script_named(ctx, argv[0]), tuple(argv[1:])
    rest = python_args(argv)
    if rest:  # `python bin/mytool`: the file, under the image's WORKDIR or relative to it
        workdir = final.workdir.rstrip("/") + "/"
        rel = posixpath.normpath(rest[0].removeprefix(workdir) if rest[0].startswith(workdir) else rest[0])
        name = next((n for n, _, f, _ in script_files(ctx.tree, ctx.pyproject) if f == rel), None)
        arguments = tuple(rest[1:])
    if name is None:
        return None
    text = f"{instruction.keyword} {' '.join(instruction.value.split())}"
    why = f"{text[:80]} (the repository's own image runs {name})"
    return name, arguments, Evidence(path, instruction.span.line, why)


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for name, target, ev in usable_scripts(ctx):
        if own_server(name, project_name(ctx)):
            continue  # detectors/own_server.py's, ranked earlier
        served = script_server(ctx.tree, target)
        if served is not None and served.port is not None:  # it serves HTTP in-process: a web process
            out.append(_serving(name, target, ev, served))
            continue
        run = ctx.once(own_image_runs)
        own = (run[2],) if run is not None and run[0] == name else ()
        out.append(
            Candidate(
                "console-script",
                name,
                "cli",
                (ev, *own),
                command=(name, *(run[1] if own and run else ())),
                target=target,
                module=target.split(":")[0] or None,
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
