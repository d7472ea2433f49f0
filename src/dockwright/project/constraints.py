"""Constraints files the project installs under: ``PIP_CONSTRAINT`` set, or ``pip install -c FILE``
run, where the repository documents it.

pip reads ``PIP_CONSTRAINT`` from the environment; projects set it in tox.ini (``setenv``), CI
workflows (``env:``), a Makefile, noxfile.py, ``.envrc`` or their own Dockerfile, and as often give the
file on the install line itself (``pip install -r requirements.txt -c constraints.txt``, ``--constraint
FILE``). When the value names a file of the project, the lock is resolved under it too (``uv pip compile
--constraint``), as pip would install. ``-c`` lines inside requirements files need nothing here: uv reads
them itself. An app folder planned from a root that holds its recipe (``ADD app/ /app``, ``WORKDIR /app``,
``pip install ... -c constraints.txt``): the root's Dockerfile is read too, its relative files taken from
the app folder, where its install ran. When the project states no Python, the files' pins are in the
Python chooser's view too (:func:`constraint_pins`): an old pin with wheels up to an older CPython moves
the choice as a requirements pin does.
"""

from __future__ import annotations

import re

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.generated_pins import GeneratedPins, read_generated_pins
from dockwright.project.tree import ProjectTree

# where projects write the variable (more specific places first)
_PLACES = ("tox.ini", "setup.cfg", "Makefile", "noxfile.py", ".envrc", "Dockerfile", ".gitlab-ci.yml")
_WORKFLOWS = ".github/workflows"
_ASSIGNMENT = re.compile(r"""PIP_CONSTRAINTS?["']?\s*(?:=|:|\s)\s*["']?(?P<value>[^\s"'#;]+)""")
# `pip install ... -c FILE` / `--constraint FILE` / `--constraint=FILE` (pip, `python -m pip`, `uv pip`)
_INSTALL = re.compile(
    r"""\bpip3?\s+install\b[^\n;&|]*?\s(?:-c|--constraint)(?:\s+|=)["']?(?P<value>[^\s"'#;&|]+)"""
)


def _candidates(tree: ProjectTree) -> list[str]:
    workflows = [
        f"{_WORKFLOWS}/{name}" for name in tree.listdir(_WORKFLOWS) if name.endswith((".yml", ".yaml"))
    ]
    return [rel for rel in (*_PLACES, *workflows) if tree.is_file(rel)]


def _as_project_file(tree: ProjectTree, value: str) -> str | None:
    """``value`` as a project-relative file, when it names one (``{toxinidir}/c.txt``, ``./c.txt``)."""
    for prefix in ("{toxinidir}/", "${{ github.workspace }}/", "$(CURDIR)/", "$PWD/", "${PWD}/", "./"):
        value = value.removeprefix(prefix)
    if value.startswith(("/", "$", "{", "http:", "https:")) or ".." in value.split("/"):
        return None
    return value if tree.is_file(value) else None


def detect_constraints(tree: ProjectTree, outer: ProjectTree | None = None) -> tuple[Evidence, ...]:
    """Each constraints file ``PIP_CONSTRAINT`` or an install line's ``-c`` names, with where; ``outer``:
    the root above an app folder, whose Dockerfile installs the app's requirements."""
    found: dict[str, Evidence] = {}
    sources = [(rel, rel, tree) for rel in _candidates(tree)]
    if outer is not None and outer.is_file("Dockerfile"):
        sources.append(("Dockerfile", f"{_up(tree, outer)}Dockerfile", outer))
    for rel, shown, reader in sources:
        try:
            text = reader.read_text(rel)
        except ProjectError:  # an unreadable side file is no constraint
            continue
        matches = [*_ASSIGNMENT.finditer(text), *_INSTALL.finditer(text)]
        for match in sorted(matches, key=lambda m: m.start("value")):
            path = _as_project_file(tree, match.group("value"))
            if path and path not in found:
                line = text.count("\n", 0, match.start("value")) + 1
                found[path] = Evidence(shown, line, path)
    return tuple(found.values())


def _up(tree: ProjectTree, outer: ProjectTree) -> str:
    """The way from the app folder up to ``outer`` (``../``), as evidence names a file above it."""
    try:
        return "../" * len(tree.root.resolve().relative_to(outer.root.resolve()).parts)
    except ValueError:  # not below it: named from the root
        return f"{outer.root}/"


def constraint_pins(tree: ProjectTree, found: tuple[Evidence, ...]) -> list[GeneratedPins]:
    """The ``name==version`` pins of each constraints file ``found`` names (its ``detail``), with their
    lines: the Python chooser sees them as it sees requirements pins (project/detect.py)."""
    out: list[GeneratedPins] = []
    for path in dict.fromkeys(e.detail for e in found):
        try:
            text = tree.read_text(path)
        except ProjectError:  # unreadable: no pins to see
            continue
        pins = read_generated_pins(path, text)
        if pins.packages:
            out.append(pins)
    return out
