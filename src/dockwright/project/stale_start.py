"""A start the repository spells whose app module cannot be imported any more.

What it does: for a command a repository file spells (a systemd unit, a Procfile, compose, supervisord,
the own image) that serves ``module:attr``, reads the module's scan: ``attr`` must be a name the module
binds, each name its import-time ``from`` imports take from the project's own modules must be bound there
(or be a submodule), and, for the files that outlive a layout (units, Procfiles, compose, platform and
task files, supervisord), with a whole lock, each third-party package it imports must be one a locked
distribution provides. Names are judged only where the module binds no name dynamically
(project/module_bindings.py).

Why: a unit file or Procfile left from the project's Flask era (``gunicorn manage:application``, whose
``manage.py`` imports ``create_app`` from a package that no longer defines it and ``flask_migrate``,
which no dependency installs any more) outranks the current start the repository's own Dockerfile
spells: the image builds, and every worker stops on ImportError.

Example: ``svc.service`` ``ExecStart=.../gunicorn -b 0.0.0.0:8000 manage:application``, ``manage.py:4
from app import create_app``, ``app/__init__.py`` empty -> "manage.py:4 imports create_app from app,
which app/__init__.py does not define: the start is left from an earlier layout of the project".

Use instead: the next candidate (the own Dockerfile's ``uvicorn app.main:api``).
"""

from __future__ import annotations

import re
import shlex

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.detectors.servers import last_command, package_of
from dockwright.project.main_only import in_main_only
from dockwright.project.root_module import SERVER_DIR_FLAGS
from dockwright.project.start_cwd import launch_folder
from dockwright.project.undeclared_imports import installed_names, own_names, unprovided

_APP_TARGET = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_]")
# the files that outlive a project's layout: their start is judged by its third-party imports too
_LEFT_BEHIND = frozenset({"procfile", "compose", "deploy", "task-runner", "supervisord", "systemd"})


def app_target(argv: tuple[str, ...] | list[str]) -> str | None:
    """The ``module:attr`` a server command serves (``gunicorn -b :80 app:app``), None when it names none;
    an option's value is never the target (``-c python:deploy.conf``)."""
    if not argv or not package_of(argv[0]):
        return None
    return next(
        (a for i, a in enumerate(argv[1:], 1) if _APP_TARGET.match(a) and not argv[i - 1].startswith("-")),
        None,
    )


def import_dirs(argv: tuple[str, ...] | list[str], entered: tuple[str, ...] = ()) -> list[str]:
    """The folders (``"backend/"``, ``""``, ``"src/"``) a server may import the app's module from, in the
    order it looks: the folders the start enters and the server's own folder options (``--chdir``,
    ``--app-dir``: put first on its path), then the root and a src layout."""
    dirs = [d.strip("/") + "/" for d in entered if d and not d.startswith(("/", "$", "~"))]
    dirs += [argv[i + 1].strip("/") + "/" for i, a in enumerate(argv[:-1]) if a in SERVER_DIR_FLAGS]
    dirs += [
        a.split("=", 1)[1].strip("/") + "/"
        for a in argv
        if a.startswith(tuple(f + "=" for f in SERVER_DIR_FLAGS))
    ]
    return list(dict.fromkeys([*dirs, "", "src/"]))


def unimportable(ctx: Context, c: Candidate) -> str | None:
    """Why the app module the candidate's command serves cannot be imported, None when nothing shows it."""
    if not c.command:
        return None
    try:
        argv = last_command(tuple(shlex.split(c.target))) if c.source == "entry-script" else None
    except ValueError:
        return None
    argv = argv or last_command(c.command)
    target = app_target(argv)
    if target is None:
        return None
    module, attr = target.split(":", 1)
    attr = attr.split("(", 1)[0].strip()  # `app:create_app()`: the factory
    folder = launch_folder(c.command)
    for base in import_dirs(argv, (folder,) if folder else ()):
        scan = _module_scan(ctx, base, module)
        if scan is not None:
            return _undefined(ctx, base, scan, attr, target) or _not_installed(ctx, c, scan)
    return None


def _module_scan(ctx: Context, base: str, module: str) -> ModuleScan | None:
    path = base + module.replace(".", "/")
    return ctx.by_rel.get(path + ".py") or ctx.by_rel.get(path + "/__init__.py")


def _undefined(ctx: Context, base: str, scan: ModuleScan, attr: str, target: str) -> str | None:
    if attr.isidentifier() and not _has(ctx, base, scan, attr):
        return f"it serves {target}, but {scan.rel} does not define {attr}"
    for module, name, line in scan.from_sites:
        if in_main_only(line, scan.main_only):
            continue  # the module's own program (`if __name__ == "__main__":`): not run when served
        source = _module_scan(ctx, base, module)
        if source is None or source is scan or _has(ctx, base, source, name):
            continue
        return (
            f"{scan.rel}:{line} imports {name} from {module}, which {source.rel} does not define: the "
            "start is left from an earlier layout of the project"
        )
    return None


def _has(ctx: Context, base: str, scan: ModuleScan, name: str) -> bool:
    """``name`` is bound in ``scan``'s module, may be, or is a submodule of its package."""
    if scan.bound is None or name in scan.bound:
        return True
    if not scan.rel.endswith("__init__.py"):
        return False
    package = scan.rel.rsplit("/", 1)[0] if "/" in scan.rel else "."
    # a subpackage, a module, an extension module (`name.cpython-313-x86_64-linux-gnu.so`)
    return any(entry == name or entry.startswith(name + ".") for entry in ctx.tree.listdir(package))


def _not_installed(ctx: Context, c: Candidate, scan: ModuleScan) -> str | None:
    check = ctx.imports
    if check is None or check.lock_file is None or c.source not in _LEFT_BEHIND:
        return None
    if scan.apps or scan.factories:
        # the module builds the app the framework detectors find too: the start is the current one, and
        # a missing import is the undeclared-import warning's (an import name its distribution does not
        # spell, `bson` of pymongo, would otherwise drop the start's own options)
        return None
    installed = installed_names(check, ctx.dependencies)
    for top, line in unprovided(scan, ctx.once(_own_names), installed):
        if not in_main_only(line, scan.main_only):  # not the module's own program: run when served
            return (
                f"{scan.rel}:{line} imports {top}, which no distribution {check.lock_file} installs "
                "provides: the start is left from an earlier set of dependencies"
            )
    return None


def _own_names(ctx: Context) -> frozenset[str]:
    """The project's own module and folder names (once per plan: ``ctx.once``)."""
    return own_names(ctx.by_rel.values(), "")
