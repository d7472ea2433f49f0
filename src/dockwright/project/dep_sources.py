"""A requirements file beside the package's own declaration: what the declaration names that the file
leaves out, and the file's pins that the declaration's ranges refuse.

A project may carry both a ``requirements.txt`` (rank 4 of the manager precedence, managers.py) and a
declaration of what the package needs: PEP 621 ``[project].dependencies``, or setuptools'
``install_requires`` in ``setup.py``/``setup.cfg`` (read statically, project/setuptools_static.py). The
requirements file stays the lock's source: it is usually the pinned set the project deploys with, and a
superset of the declaration (every declared name pinned there) needs nothing more. But the declaration
is what ``pip install .`` installs, and the image installs the app's wheel with ``--no-deps`` (the lock
is the complete set): a declared dependency the file does not name is then missing at run time
(ministack: requirements.txt pins hypercorn, docker, cbor2; the table also declares pyyaml and
defusedxml, and the image failed with "No module named 'defusedxml'").

This module finds those left-out declarations, each with its line; the plan (plan/common.py) resolves
them together with the requirements file when the app is installed as a package, and warns, naming
them, when it is not. A declaration whose marker is false on the target (``pywin32; sys_platform ==
"win32"``) is never missing. Dynamic dependencies (only the build backend can tell them) are not read.

It also compares versions: a pin of the file (``requests==2.25.1``) that a declared range refuses
(``requests>=2.31``) would be installed as it is, since ``--no-deps`` skips the check pip makes when it
installs the package with its dependencies (``pip install -r requirements.txt .`` refuses the pair,
and ``pip check`` in the image reports it). The user's own exact pin is a plan warning naming both
lines (an explicit choice the image keeps); a lock dockwright generates for an installed package
must satisfy the package's ranges, or ``init`` stops (:func:`lock_violations`).

Packaging guide on the two files' roles: https://packaging.python.org/en/latest/discussions/install-requires-vs-requirements/
Version specifiers (PEP 440, through ``packaging``): https://packaging.python.org/en/latest/specifications/version-specifiers/
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from dockwright.errors import LockError
from dockwright.project.facts import Evidence, Fact, ProjectFacts
from dockwright.project.setuptools_static import read_setuptools
from dockwright.project.target import environment, marker_holds
from dockwright.project.tree import ProjectTree

if TYPE_CHECKING:  # pinned_lines reads through managers, which imports this module
    from dockwright.project.pinned_lines import Pin

PYPROJECT = "pyproject.toml"
PROJECT_LABEL = "[project] dependencies"


def static_project_dependencies(pyproject: dict[str, Any] | None) -> list[str]:
    """``[project].dependencies`` as written, or [] when there is none or it is dynamic."""
    project = (pyproject or {}).get("project")
    if not isinstance(project, dict):
        return []
    dynamic = project.get("dynamic", [])
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return []
    deps = project.get("dependencies", [])
    return [str(d) for d in deps] if isinstance(deps, list) else []


def _pyproject_line(tree: ProjectTree, requirement: str) -> int | None:
    """The line of ``requirement``'s string in pyproject.toml (the first quoted occurrence)."""
    quoted = re.escape(requirement)
    return tree.line_of(
        PYPROJECT, rf"""^[ \t]*(?:dependencies[ \t]*=[ \t]*\[[ \t]*)?["']{quoted}["']"""
    ) or tree.line_of(PYPROJECT, rf"""["']{quoted}["']""")


def _setuptools_applies(pyproject: dict[str, Any] | None) -> bool:
    """Whether setuptools takes the dependencies from ``install_requires``: no ``[project]`` table, or
    one whose ``dependencies`` are dynamic and not given by ``[tool.setuptools.dynamic]``."""
    data = pyproject or {}
    project = data.get("project")
    if not isinstance(project, dict):
        return True
    dynamic = project.get("dynamic", [])
    if not (isinstance(dynamic, list) and "dependencies" in dynamic):
        return False
    tool = data.get("tool", {}).get("setuptools", {}) if isinstance(data.get("tool"), dict) else {}
    given = tool.get("dynamic", {}) if isinstance(tool, dict) else {}
    return not (isinstance(given, dict) and "dependencies" in given)


def declared(tree: ProjectTree, pyproject: dict[str, Any] | None) -> tuple[Fact[str], ...]:
    """The package's own dependency declaration, each line with where it is written (the evidence's
    detail names the declaration: ``[project] dependencies`` or ``setup.py install_requires``); () when
    there is none or only the build backend can tell it."""
    static = static_project_dependencies(pyproject)
    if static:
        return tuple(Fact(t, (Evidence(PYPROJECT, _pyproject_line(tree, t), PROJECT_LABEL),)) for t in static)
    if not _setuptools_applies(pyproject):
        return ()
    keyword = read_setuptools(tree).get("install_requires")
    if keyword is None or keyword.dynamic:
        return ()
    label = f"{keyword.file} install_requires"
    out = []
    for text in keyword.values:
        where = keyword.via or keyword.file
        quoted = re.escape(text)
        pattern = rf"^\s*{quoted}\s*(?:#.*)?$" if where != "setup.py" else rf"""["']{quoted}["']"""
        line = tree.line_of(where, pattern) or (None if keyword.via else keyword.line)
        out.append(Fact(text, (Evidence(where, line, label),)))
    return tuple(out)


def unread(tree: ProjectTree, pyproject: dict[str, Any] | None) -> Evidence | None:
    """Where the package's declaration is, when it exists but cannot be read without running code (a
    computed ``install_requires``: :func:`declared` then gives ()); None otherwise."""
    if static_project_dependencies(pyproject) or not _setuptools_applies(pyproject):
        return None
    keyword = read_setuptools(tree).get("install_requires")
    if keyword is None or not keyword.dynamic:
        return None
    return Evidence(keyword.file, keyword.line, f"{keyword.file} install_requires computed by code")


def app_list(facts: ProjectFacts, source: str) -> bool:
    """Whether ``source``, a requirements file, stands beside a ``[project]`` table with no build backend:
    the app's own dependency list (uv's application layout: ``uv init`` writes no ``[build-system]``,
    ``uv add`` edits the list, ``uv sync``/``uv run`` install it), not a package's metadata. The
    requirements file then is mostly an export of it for a platform that reads one (Streamlit Community
    Cloud, a Dockerfile's ``pip install -r``), and a name added since is missing from it
    (docs/realworld.md, Session 19: depsources3). Its lines are then resolved with the file like an
    installed package's: those the file leaves out (merged), and its ranges (lock/own_ranges.py)."""
    deps = facts.dependencies
    layout = facts.layout
    declared = deps.declared_ranges or deps.uncovered
    return (
        source.endswith((".txt", ".in"))
        and not layout.is_package.value
        and layout.build_backend.value is None
        and bool(declared)
        and label_of(declared) == PROJECT_LABEL
    )


def label_of(found: Iterable[Fact[str]]) -> str:
    """The declaration ``found`` comes from: ``[project] dependencies`` or ``setup.py install_requires``."""
    # a declared line's detail is the label; an uncovered one's starts with it ("<label> declares ...")
    return next((f.evidence[0].detail.partition(" declares ")[0] for f in found if f.evidence), PROJECT_LABEL)


def declaring_file(found: Iterable[Fact[str]]) -> str:
    """The file the declaration belongs to (the lock header's ``# dockwright-merged:`` names it)."""
    label = label_of(found)
    return PYPROJECT if label == PROJECT_LABEL else label.split()[0]


def _holds(req: Requirement, python: str) -> bool:
    try:
        return marker_holds(str(req.marker) if req.marker else None, environment(python))
    except LockError:
        return True  # an unreadable marker: kept (the resolver reports the marker itself)


def _parsed(found: Iterable[Fact[str]], python: str, own: str = "") -> list[tuple[Fact[str], Requirement]]:
    """The declared lines that parse, are true on the target and are not the project itself."""
    out = []
    for fact in found:
        try:
            req = Requirement(fact.value)
        except InvalidRequirement:
            continue  # the lock's resolver names it with its own error
        if canonicalize_name(req.name) != own and _holds(req, python):
            out.append((fact, req))
    return out


def _own_name(pyproject: dict[str, Any] | None) -> str:
    project = (pyproject or {}).get("project")
    return canonicalize_name(str(project.get("name", ""))) if isinstance(project, dict) else ""


def uncovered(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    named: Iterable[str],
    source: str,
    python: str,
    found: Iterable[Fact[str]] | None = None,
) -> tuple[Fact[str], ...]:
    """The declared lines (``found``, else :func:`declared`) whose distribution ``named`` (the canonical
    names the requirements file ``source`` and its includes name) leaves out, each with its line; the
    project itself (a self-reference with extras) and lines false on the target are left out."""
    have = {canonicalize_name(n) for n in named if n}
    found = declared(tree, pyproject) if found is None else found
    out: list[Fact[str]] = []
    for fact, req in _parsed(found, python, _own_name(pyproject)):
        if canonicalize_name(req.name) in have:
            continue
        ev = fact.evidence[0]
        detail = f"{ev.detail} declares {fact.value!r}, which {source} does not name"
        out.append(Fact(fact.value, (Evidence(ev.file, ev.line, detail),)))
    return tuple(out)


def _refuses(req: Requirement, version: str) -> bool:
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False  # not a PEP 440 version: nothing to compare
    return bool(req.specifier) and not req.specifier.contains(parsed, prereleases=True)


def where(ev: Evidence) -> str:
    return f"{ev.file}:{ev.line}" if ev.line else ev.file


def pin_conflicts(
    pins: Iterable[tuple[str, str, Evidence]], found: Iterable[Fact[str]], python: str
) -> tuple[Fact[str], ...]:
    """Each exact pin ``(name, version, where)`` a declared range of ``found`` refuses: the value is
    ``name==version``, the evidence the pin's line then the declaration's (its detail the range)."""
    ranges = _parsed(found, python)
    out: list[Fact[str]] = []
    for name, version, pinned in pins:
        for fact, req in ranges:
            if canonicalize_name(req.name) == canonicalize_name(name) and _refuses(req, version):
                decl = fact.evidence[0]
                out.append(
                    Fact(
                        f"{canonicalize_name(name)}=={version}",
                        (pinned, Evidence(decl.file, decl.line, f"{decl.detail} {fact.value!r}")),
                    )
                )
    return tuple(out)


def conflict_text(conflict: Fact[str]) -> str:
    """``requirements.txt:3 pins requests==2.25.1, which [project] dependencies 'requests>=2.31'
    (pyproject.toml:12) refuses``."""
    pinned, decl = conflict.evidence[0], conflict.evidence[1]
    return f"{where(pinned)} pins {conflict.value}, which {decl.detail} ({where(decl)}) refuses"


def lock_violations(
    lock_pins: Iterable[Pin],
    lock_path: str,
    found: Iterable[Fact[str]],
    python: str,
    exempt: Iterable[str] = (),
) -> tuple[Fact[str], ...]:
    """The pins of a lock (``read_pins`` of its text; markers true on the target) that a declared range
    refuses; names in ``exempt`` (the user's own exact pins, warned about in the plan) are left out."""
    skip = {canonicalize_name(n) for n in exempt}
    pins = []
    for pin in lock_pins:
        if pin.name in skip or pin.operator != "==":
            continue
        try:
            if not marker_holds(pin.marker, environment(python)):
                continue
        except LockError:
            pass
        pins.append((pin.name, pin.version, Evidence(lock_path, pin.line, "")))
    return pin_conflicts(pins, found, python)


def requirement_name(text: str) -> str:
    """The canonical distribution name of a requirement line ("" when it does not parse)."""
    try:
        return canonicalize_name(Requirement(text).name)
    except InvalidRequirement:
        return ""


def lines(found: Iterable[Fact[str]]) -> tuple[str, ...]:
    """The requirement lines of ``found`` (what the lock resolves beside the requirements file)."""
    return tuple(f.value for f in found)


def named_with_lines(found: Iterable[Fact[str]]) -> str:
    """``pyyaml>=6.0 (pyproject.toml:27), defusedxml>=0.7 (pyproject.toml:28)``."""
    return ", ".join(f"{fact.value} ({where(fact.evidence[0])})" for fact in found)
