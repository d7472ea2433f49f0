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
from collections.abc import Set as AbstractSet

from dockwright.errors import ProjectError
from dockwright.project.detectors.base import outside_app
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.reached import reached
from dockwright.project.tree import ProjectTree

_DOTTED = re.compile(r"""["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)["']""")


def loaded_modules(
    tree: ProjectTree, scans: Iterable[ModuleScan], roots: Iterable[str]
) -> list[ModuleScan] | None:
    """The modules of ``scans`` that starting from ``roots`` loads (imports and dotted strings, to a
    fixed point), or None when no root is one of them. A name is looked up as written, else below the
    packages holding a start module (a start run from its folder, ``--chdir``/``--app-dir``, imports
    ``config.settings`` for ``backend/config/settings.py``)."""
    roots = set(roots)
    # tests, examples and docs are never loaded by a start, whatever string names their package ("tests")
    by_module = {s.module: s for s in scans if s.module and (s.module in roots or not outside_app(s.rel))}
    found = {r for r in roots if r in by_module}
    if not found:
        return None
    packages = {m.rsplit(".", 1)[0] for m in by_module if "." in m}
    below = _below(by_module)
    heads = sorted({".".join(r.split(".")[:i]) for r in found for i in range(1, r.count(".") + 1)}, key=len)

    def loads(module: str) -> list[str]:
        scan = by_module[module]
        names = {t for t in (*scan.from_imports.values(), *(d for d, _ in scan.import_sites))}
        names -= set(scan.optional_imports)  # `try: import x` / `except ImportError`: maybe never loaded
        out = [m for name in names for m in _imported(name, by_module, heads)]
        try:
            source = tree.read_text(scan.rel)
        except ProjectError:
            return out  # not text: its scan holds nothing either
        return [*out, *_named(source, by_module, packages, heads, below)]

    seen = reached(found, loads)
    return [by_module[m] for m in by_module if m in seen]


def _imported(name: str, by_module: dict[str, ModuleScan], heads: list[str]) -> list[str]:
    """The project modules importing ``name`` loads (it and its packages), as written or below a head."""
    for head in ("", *heads):
        full = f"{head}.{name}" if head else name
        parts = full.split(".")
        found = [p for p in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if p in by_module]
        if found and (not head or f"{head}.{name.split('.')[0]}" in by_module):
            return found
    return []


def _below(by_module: dict[str, ModuleScan]) -> dict[str, frozenset[str]]:
    """Each dotted name -> the modules it is or holds (``m == name or m.startswith(name + ".")``), made
    once: the strings of 700 loaded modules asked it of 2,000 modules each 6,600 times."""
    found: dict[str, set[str]] = {}
    for module in by_module:
        found.setdefault(module, set()).add(module)
        for at, char in enumerate(module):
            if char == ".":
                found.setdefault(module[:at], set()).add(module)
    return {name: frozenset(modules) for name, modules in found.items()}


def _named(
    source: str,
    by_module: dict[str, ModuleScan],
    packages: set[str],
    heads: list[str],
    below: dict[str, frozenset[str]],
) -> set[str]:
    """The project modules the dotted strings of ``source`` name (a package: every module under it)."""
    out: set[str] = set()
    for written in set(_DOTTED.findall(source)):
        for head in ("", *heads):
            name = f"{head}.{written}" if head else written
            found = _module_of(name, by_module, packages, below)
            if found:
                out |= found
                break
    return out


def _module_of(
    name: str, by_module: dict[str, ModuleScan], packages: set[str], below: dict[str, frozenset[str]]
) -> AbstractSet[str]:
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in packages:
            return below.get(head, frozenset())
        if head in by_module:
            out = {head}
            if cut < len(parts) and parts[cut - 1] == "apps" and cut > 1:
                package = ".".join(parts[: cut - 1])  # an app config's package (Django loads it)
                out |= below.get(package, frozenset())
            return out
    return set()
