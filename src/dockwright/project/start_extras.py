"""Optional extras the start itself needs.

A package may keep its command-line front end's dependencies in an optional extra
(``[project.optional-dependencies] cli = ["rich"]``) and document the start as
``pipx run tool[cli]``, while its console script's module imports ``rich`` at module level: installed
without the extra, ``docker run IMAGE --help`` stops on ``ModuleNotFoundError``. Extras are otherwise
installed only when asked for (``extras`` in ``[tool.dockwright]``); this one is what the start needs.

What counts: a module-level ``import X`` / ``from X import ...`` of the module the start runs (a console
script's ``module:function``, from pyproject.toml, setup.cfg or setup.py; ``python -m module``), or of a
project module it imports at module level in turn (a console script's module importing the package's
server module, which imports Flask); not one inside a function, an ``if`` or a ``try`` that goes on
without it (the program may do without it), but one in a ``try`` whose handlers all stop the program
(``except ImportError: raise SystemExit("install tool[wsgi]")``) counts. Its top-level name must be a
requirement name of an extra and of no main dependency. Import and distribution names are compared
canonicalised (``typing_extensions`` = ``typing-extensions``); a distribution whose import name differs
(``PyYAML`` → ``yaml``) is not matched, so nothing is added on a guess. The project's own modules never
count, though a self-referencing extra (``all = ["tool[cli,http]"]``) names the project.

The module a server runs counts too (``uvicorn pkg.api:app`` runs ``pkg.api``), and so does the
program itself: a start running ``uvicorn`` that only an extra installs needs that extra. The extras
are read from the table the backend reads (``project/optional_extras.py``: PEP 621, Poetry's
``[tool.poetry.extras]``, setuptools' ``extras_require``): a Poetry or setuptools server documented as
``pip install "tool[server]"`` would otherwise be built without its web framework. Nothing is executed.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.project.detectors.console_scripts import all_scripts
from dockwright.project.facts import Evidence
from dockwright.project.optional_extras import main_requirement_names, optional_extras, requirement_names
from dockwright.project.source_roots import module_path
from dockwright.project.tree import ProjectTree

_TARGET = re.compile(r"^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*):[A-Za-z_][\w.]*(?:\(\))?$")


def _started_module(scripts: dict[str, str], command: tuple[str, ...]) -> str | None:
    if not command:
        return None
    if len(command) >= 3 and command[0].startswith("python") and command[1] == "-m":
        return command[2]
    target = scripts.get(_program(command))
    if target is not None:
        return target.split(":", 1)[0].strip()
    # a server's `module:attr` target (uvicorn pkg.api:app, gunicorn pkg.wsgi:application)
    return next((m[1] for arg in command[1:] if (m := _TARGET.match(arg))), None)


def _program(command: tuple[str, ...]) -> str:
    """The program's name (``/usr/local/bin/moto_server`` runs ``moto_server``)."""
    return command[0].rsplit("/", 1)[-1]


def _scripted(scripts: dict[str, str], command: tuple[str, ...]) -> bool:
    """The start runs the module itself (``python -m``, a console script), not a server's target."""
    python_m = len(command) >= 3 and command[0].startswith("python") and command[1] == "-m"
    return python_m or _program(command) in scripts


def _groups(
    tree: ProjectTree, pyproject: dict[str, Any]
) -> tuple[set[str], dict[str, tuple[set[str], Evidence]]]:
    """(main dependency names, extra -> (its names, its declaration)): project/optional_extras."""
    declared = optional_extras(tree, pyproject)
    if not declared:
        return set(), {}
    main = main_requirement_names(tree, pyproject)
    return main, {
        e.name: (requirement_names(e.lines), Evidence(e.file, e.line, "")) for e in declared.values()
    }


def _loaded_at_import(tree: ProjectTree, module: str) -> list[tuple[str, str, int]]:
    """(file, imported top-level name, line) of the module-level imports of ``module`` and of the
    project modules it imports at module level in turn (``moto.server`` importing
    ``moto.moto_server.werkzeug_app``, which imports flask), nearest first, at most 12 modules."""
    out: list[tuple[str, str, int]] = []
    queue, seen = [module], {module}
    while queue and len(seen) <= 12:
        rel = module_path(tree, queue.pop(0))
        if rel is None:
            continue
        for dotted, line in _top_imports(tree.read_text(rel)):
            top = dotted.split(".")[0]
            if module_path(tree, top) is None:
                out.append((rel, top, line))
                continue
            for name in (dotted, dotted.rsplit(".", 1)[0]):  # `from pkg.mod import name`: pkg.mod
                if name not in seen and module_path(tree, name) is not None:
                    seen.add(name)
                    queue.append(name)
                    break
    return out


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
            out += [(a.name, stmt.lineno) for a in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            out += [(f"{stmt.module}.{a.name}", stmt.lineno) for a in stmt.names]
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
    name: str = "",
) -> list[tuple[str, Evidence]]:
    """(extra, evidence) for each optional extra the start's module (or a project module it imports at
    module level) imports from at module level, or that installs the program the start runs.
    ``installed``: the names the lock installs anyway (a main dependency's own dependency, torch through
    a model library), which no extra is needed for; ``name``: the project's."""
    main, groups = _groups(tree, pyproject or {})
    main = main | set(installed)
    if not groups or not command:
        return []
    own = canonicalize_name(name or _declared_name(pyproject or {}))
    scripts = all_scripts(tree, pyproject)
    found: dict[str, Evidence] = {}
    program = canonicalize_name(_program(command))
    # the project's own console script (an extra naming the project itself) is not a package to add
    if program not in main and program != own and _program(command) not in scripts:
        extra = next((group for group, (names, _) in groups.items() if program in names), None)
        if extra is not None:
            declared = groups[extra][1]
            found[extra] = Evidence(
                declared.file,
                declared.line,
                f"the start runs {command[0]}, which only the extra {extra!r} installs",
            )
    module = _started_module(scripts, command)
    if module is None:
        return list(found.items())
    for rel, imported, line in _loaded_at_import(tree, module):
        key = canonicalize_name(imported)
        # the project's own package: an extra naming the project itself (`all = ["tool[cli]"]`) does not
        # make it optional
        if key in main or key == own:
            continue
        extra = next((group for group, (names, _) in groups.items() if key in names), None)
        if extra is not None and extra not in found:
            runs = (
                " ".join(command[:3])
                if _scripted(scripts, command)
                else f"{command[0]} serves {module}, which"
            )
            via = "" if rel == module_path(tree, module) else f" ({rel}, loaded at import)"
            detail = f"{runs} imports {imported}{via}, which only the extra {extra!r} provides"
            found[extra] = Evidence(rel, line, detail)
    return list(found.items())


def _declared_name(pyproject: dict[str, Any]) -> str:
    project = pyproject.get("project")
    named = project.get("name") if isinstance(project, dict) else None
    if named is None:
        tool = pyproject.get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        named = poetry.get("name") if isinstance(poetry, dict) else None
    return str(named or "")
