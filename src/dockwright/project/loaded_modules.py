"""The app modules a start loads, for the environment variables it requires.

What it does: from the modules the start runs (the app's module, the script or console script it names,
for Django the settings module, the WSGI/ASGI module and manage.py, which the release steps run), it
follows the project imports and the dotted names written as strings, which frameworks import by name:
Django's ``INSTALLED_APPS`` (a package loads its modules: models, admin, signals ...), ``ROOT_URLCONF``
and ``include("blog.urls")``, ``MIDDLEWARE``, ``DJANGO_SETTINGS_MODULE``, Flask's
``app.config.from_object("settings.Prod")``, Celery's ``include=[...]``. A string naming a package takes
every module under it; one naming an attribute (``blog.apps.BlogConfig``) takes its module, and an app
config's package. None when no start module is among the app's modules: the caller then counts every
module, as before.

Why: a Django site listed ``API_URL`` as required from a Netlify build script (``static-builds/``) that no
start path imports; only the variables a loaded module reads without a default stop the app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dockwright.errors import ProjectError
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.tree import ProjectTree
from dockwright.project.undeclared_imports import reachable

_DOTTED = re.compile(r"""["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)["']""")


def loaded_modules(
    tree: ProjectTree, scans: Iterable[ModuleScan], roots: Iterable[str]
) -> list[ModuleScan] | None:
    """The modules of ``scans`` that starting from ``roots`` loads (imports and dotted strings, to a
    fixed point), or None when no root is one of them."""
    by_module = {s.module: s for s in scans if s.module}
    start = {r for r in roots if r in by_module}
    if not start:
        return None
    packages = {m.rsplit(".", 1)[0] for m in by_module if "." in m}
    read: set[str] = set()
    while True:
        loaded = {s.module for s in reachable(by_module.values(), start)}
        fresh = loaded - read
        if not fresh:
            return [by_module[m] for m in by_module if m in loaded]
        for module in fresh:
            read.add(module)
            try:
                source = tree.read_text(by_module[module].rel)
            except ProjectError:
                continue  # not text: its scan holds nothing either
            start |= _named(source, by_module, packages)


def _named(source: str, by_module: dict[str, ModuleScan], packages: set[str]) -> set[str]:
    """The project modules the dotted strings of ``source`` name (a package: every module under it)."""
    out: set[str] = set()
    for name in set(_DOTTED.findall(source)):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            head = ".".join(parts[:cut])
            if head in packages:
                out |= {m for m in by_module if m == head or m.startswith(head + ".")}
                break
            if head in by_module:
                out.add(head)
                if cut < len(parts) and parts[cut - 1] == "apps" and cut > 1:
                    package = ".".join(parts[: cut - 1])  # an app config's package (Django loads it)
                    out |= {m for m in by_module if m == package or m.startswith(package + ".")}
                break
    return out
