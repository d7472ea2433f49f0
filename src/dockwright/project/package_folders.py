"""Where a folder the app writes inside one of its own packages is when the app is installed as a wheel.

What it does: for each writable folder (project-relative) inside the folder of a scanned module, gives
the folder's path below site-packages: the module's import path in place of its folder in the tree
(``src/statebot/state`` beside ``src/statebot/main.py``, module ``statebot.main`` -> ``statebot/state``).
The deepest module folder holding it decides.

Why: a module writing ``Path(__file__).parent / "state"`` writes beside its installed file; from a wheel
that is ``$VIRTUAL_ENV/lib/pythonX.Y/site-packages/statebot/state``. Made writable under the work
directory instead, the folder stood unused and the app stopped on PermissionError.

Example: ``src/statebot/main.py`` writes ``Path(__file__).parent / "state" / "last_run.txt"`` ->
``("src/statebot/state", "statebot/state")``; the plan makes
``/opt/venv/lib/python3.13/site-packages/statebot/state`` the app user's (plan/start.py).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Fact


def installed_paths(
    writable: Iterable[Fact[str]], by_rel: Mapping[str, ModuleScan]
) -> tuple[tuple[str, str], ...]:
    """(folder, path below site-packages) for each writable folder inside a module's package folder."""
    packages: dict[str, str] = {}  # package folder in the tree -> its import path
    for scan in by_rel.values():
        parts = scan.module.split(".")
        imported = parts if scan.rel.endswith("/__init__.py") else parts[:-1]
        folder = posixpath.dirname(scan.rel)
        if imported and folder.endswith("/".join(imported)):
            packages.setdefault(folder, "/".join(imported))
    out: list[tuple[str, str]] = []
    for fact in writable:
        path = posixpath.normpath(fact.value)
        if path.startswith("/"):
            continue
        holders = [f for f in packages if path.startswith(f + "/")]
        if holders and path not in packages:  # a folder holding modules is code: never the app user's
            folder = max(holders, key=len)
            out.append((fact.value, packages[folder] + path[len(folder) :]))
    return tuple(dict.fromkeys(out))
