"""Flask's instance folder, where an app that uses it keeps its SQLite database and local config.

``Flask(__name__, instance_relative_config=True)`` and ``app.instance_path`` (the tutorial's
``DATABASE=os.path.join(app.instance_path, "flaskr.sqlite")`` and ``os.makedirs(app.instance_path)``)
put files in a folder Flask chooses from where the app's top-level package is
(https://flask.palletsprojects.com/en/stable/config/#instance-folders, ``Flask.auto_find_instance_path``):
``instance/`` beside the package (or module) when it runs from its source tree, and
``$PREFIX/var/<package>-instance`` when it is installed, ``$PREFIX`` being the environment's
(``sys.prefix``: the image's venv). Both are root's in the image, and the app runs as a non-root user:
``makedirs`` fails (the tutorial swallows the ``OSError``) and the first request that opens the
database answers 500 (``sqlite3.OperationalError: unable to open database file``). So a module the start
loads that builds a Flask app and uses the instance folder gets it made, owned by the app user; the plan
(which knows whether the app is installed as a wheel) names the installed place. A start that imports
the app from a folder (``gunicorn --chdir app app:app``) names the module from there: its instance
folder is in that folder (``app/instance``).
"""

from __future__ import annotations

import posixpath
import re

from dockwright.project.detectors.scan import ModuleScan, module_name
from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree

_USES = r"instance_relative_config\s*=\s*True|\.instance_path\b"
_WHY = "Flask's instance folder of {package} (instance_relative_config/instance_path)"
_OF = re.compile(r"^Flask's instance folder of (?P<package>[A-Za-z_][A-Za-z0-9_]*) ")


def _source_folder(scan: ModuleScan, folder: str = "") -> tuple[str, str]:
    """(``instance`` beside the top-level package or module of ``scan``, relative to the root; that
    top-level name). ``folder``: the one the server imports the app from (``--chdir app``), where the
    module's import name starts (app/app.py is ``app``, its instance folder app/instance)."""
    inside = bool(folder) and scan.rel.startswith(folder + "/")
    rel = scan.rel[len(folder) + 1 :] if inside else scan.rel
    module = module_name(rel) if inside else scan.module
    parts = rel.split("/")
    depth = len(module.split("."))
    keep = len(parts) - 1 - depth if parts[-1] == "__init__.py" else len(parts) - depth
    return posixpath.join(folder if inside else "", *parts[: max(keep, 0)], "instance"), module.split(".")[0]


def instance_folders(tree: ProjectTree, scans: tuple[ModuleScan, ...], folder: str = "") -> list[Fact[str]]:
    """The instance folder of each Flask app the modules the start loads build and use it in;
    ``folder``: the one the start imports the app from (root_module.imports_from_a_folder)."""
    out: dict[str, Fact[str]] = {}
    for scan in scans:
        if not any(f == "flask" for f, _, _ in (*scan.apps, *scan.factories)):
            continue
        line = tree.line_of(scan.rel, _USES)
        if not line:
            continue
        instance, package = _source_folder(scan, folder)
        why = _WHY.format(package=package)
        out.setdefault(instance, Fact(instance, (Evidence(scan.rel, line, why),)))
    return list(out.values())


def installed_folder(fact: Fact[str], prefix: str) -> str | None:
    """Where Flask puts the instance folder of ``fact`` (one of :func:`instance_folders`) when the app
    is installed into the environment at ``prefix``; None for another writable folder."""
    match = _OF.match(fact.evidence[0].detail) if fact.evidence else None
    return posixpath.join(prefix, "var", f"{match.group('package')}-instance") if match else None
