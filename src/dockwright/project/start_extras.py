"""Optional extras the start itself needs.

A package may keep its command-line front end's dependencies in an optional extra
(``[project.optional-dependencies] cli = ["rich"]``) and document the start as
``pipx run tool[cli]``, while its console script's module imports ``rich`` at module level: installed
without the extra, ``docker run IMAGE --help`` stops on ``ModuleNotFoundError``. Extras are otherwise
installed only when asked for (``extras`` in ``[tool.dockwright]``); this one is what the start needs.

What counts: a module-level ``import X`` / ``from X import ...`` of the module the start runs (a console
script's ``module:function``, ``python -m module``); not one inside a function, an ``if`` or a ``try``
that goes on without it (the program may do without it), but one in a ``try`` whose handlers all stop
the program (``except ImportError: raise SystemExit("install tool[wsgi]")``) counts. Its top-level name
must be a requirement name of an extra and of no main dependency. Import and distribution names are
compared canonicalised (``typing_extensions`` = ``typing-extensions``); a distribution whose import name
differs (``PyYAML`` → ``yaml``) is not matched, so nothing is added on a guess. The project's own
modules never count, though a self-referencing extra (``all = ["tool[cli,http]"]``) names the project.

The module a server runs counts too (``uvicorn pkg.api:app`` runs ``pkg.api``), and so does the
program itself: a start running ``uvicorn`` that only an extra installs needs that extra. Poetry's
extras (``[tool.poetry.extras]`` naming ``optional = true`` dependencies) are read like
``[project.optional-dependencies]``: a Poetry server documented as ``pip install "tool[server]"``
would otherwise be built without its web framework and server. Nothing is executed.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.detectors.console_scripts import declared_scripts
from dockwright.project.extras import poetry_extras
from dockwright.project.facts import Evidence
from dockwright.project.managers import poetry_requirements
from dockwright.project.tree import ProjectTree


def _names(lines: object) -> set[str]:
    out: set[str] = set()
    for line in lines if isinstance(lines, list) else []:
        try:
            out.add(canonicalize_name(Requirement(str(line)).name))
        except InvalidRequirement:
            continue
    return out


def _module_file(tree: ProjectTree, module: str) -> str | None:
    path = module.replace(".", "/")
    for base in ("", "src/"):
        for rel in (f"{base}{path}.py", f"{base}{path}/__init__.py"):
            if tree.is_file(rel):
                return rel
    return None


_TARGET = re.compile(r"^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*):[A-Za-z_][\w.]*(?:\(\))?$")


def _started_module(pyproject: dict[str, Any], command: tuple[str, ...]) -> str | None:
    if not command:
        return None
    if len(command) >= 3 and command[0].startswith("python") and command[1] == "-m":
        return command[2]
    target = declared_scripts(pyproject).get(command[0])
    if isinstance(target, str):
        return target.split(":", 1)[0].strip()
    # a server's `module:attr` target (uvicorn pkg.api:app, gunicorn pkg.wsgi:application)
    return next((m[1] for arg in command[1:] if (m := _TARGET.match(arg))), None)


def _scripted(pyproject: dict[str, Any], command: tuple[str, ...]) -> bool:
    """The start runs the module itself (``python -m``, a console script), not a server's target."""
    python_m = len(command) >= 3 and command[0].startswith("python") and command[1] == "-m"
    return python_m or command[0] in declared_scripts(pyproject)


def _groups(pyproject: dict[str, Any]) -> tuple[set[str], dict[str, set[str]]]:
    """(main dependency names, extra -> its names): PEP 621's tables, else Poetry's."""
    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("optional-dependencies"), dict):
        main = _names(project.get("dependencies"))
        return main, {str(k): _names(v) for k, v in project["optional-dependencies"].items()}
    poetry = poetry_extras(pyproject)
    if not poetry:
        return set(), {}
    main = {canonicalize_name(Requirement(r).name) for r in poetry_requirements(pyproject, optional=False)}
    return main, {
        name: {canonicalize_name(Requirement(r).name) for r in lines} for name, lines in poetry.values()
    }


def _top_imports(source: str) -> list[tuple[str, int]]:
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    out: list[tuple[str, int]] = []
    for stmt in body:
        if isinstance(stmt, ast.Try) and _exits_without(stmt):
            out += _top_imports_of(stmt.body)
        else:
            out += _top_imports_of([stmt])
    return out


def _top_imports_of(body: list[ast.stmt]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for stmt in body:
        if isinstance(stmt, ast.Import):
            out += [(a.name.split(".")[0], stmt.lineno) for a in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            out.append((stmt.module.split(".")[0], stmt.lineno))
    return out


def _exits_without(stmt: ast.Try) -> bool:
    """A ``try`` whose every handler ends the program (``raise SystemExit("install x[wsgi]")``,
    ``sys.exit(...)``, a bare ``raise``): its imports are needed as much as unguarded ones."""
    return bool(stmt.handlers) and all(handler.body and _ends(handler.body[-1]) for handler in stmt.handlers)


def _ends(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Raise):
        return True  # SystemExit, ImportError with advice, or the error again
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if isinstance(call, ast.Call):
        name = ast.unparse(call.func)
        return name in ("sys.exit", "exit", "quit", "os._exit", "SystemExit")
    return False


def extras_for_start(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    command: tuple[str, ...],
    installed: frozenset[str] = frozenset(),
) -> list[tuple[str, Evidence]]:
    """(extra, evidence) for each optional extra the start's module imports from at module level, or
    that installs the program the start runs. ``installed``: the names the lock installs anyway (a
    main dependency's own dependency, torch through a model library), which no extra is needed for."""
    main, groups = _groups(pyproject or {})
    main = main | set(installed)
    if not groups or not command:
        return []
    project = (pyproject or {}).get("project")
    named = project.get("name") if isinstance(project, dict) else None
    if named is None:
        tool = (pyproject or {}).get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        named = poetry.get("name") if isinstance(poetry, dict) else None
    own = canonicalize_name(str(named or ""))
    found: dict[str, Evidence] = {}
    program = canonicalize_name(command[0].rsplit("/", 1)[-1])
    # the project's own console script (an extra naming the project itself) is not a package to add
    if program not in main and program != own and command[0] not in declared_scripts(pyproject or {}):
        extra = next((group for group, names in groups.items() if program in names), None)
        if extra is not None:
            line = tree.line_of("pyproject.toml", rf"^\s*[\"']?{re.escape(extra)}[\"']?\s*=")
            found[extra] = Evidence(
                "pyproject.toml",
                line,
                f"the start runs {command[0]}, which only the extra {extra!r} installs",
            )
    module = _started_module(pyproject or {}, command)
    rel = _module_file(tree, module) if module else None
    if rel is None:
        return list(found.items())
    for name, line in _top_imports(tree.read_text(rel)):
        key = canonicalize_name(name)
        # the project's own package: an extra naming the project itself (`all = ["tool[cli]"]`) does not
        # make it optional
        if key in main or key == own or _module_file(tree, name) is not None:
            continue
        extra = next((group for group, names in groups.items() if key in names), None)
        if extra is not None and extra not in found:
            runs = (
                " ".join(command[:3])
                if _scripted(pyproject or {}, command)
                else f"{command[0]} serves {module}, which"
            )
            detail = f"{runs} imports {name}, which only the extra {extra!r} provides"
            found[extra] = Evidence(rel, line, detail)
    return list(found.items())
