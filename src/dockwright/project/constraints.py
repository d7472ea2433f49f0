"""Constraints files the project installs under: ``PIP_CONSTRAINT`` set where the repository documents it.

pip reads ``PIP_CONSTRAINT`` from the environment; projects set it in tox.ini (``setenv``), CI
workflows (``env:``), a Makefile, noxfile.py, ``.envrc`` or their own Dockerfile. When the value names a
file of the project, the lock is resolved under it too (``uv pip compile --constraint``), as pip would
install. ``-c`` lines inside requirements files need nothing here: uv reads them itself.
"""

from __future__ import annotations

import re

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree

# where projects write the variable (more specific places first)
_PLACES = ("tox.ini", "setup.cfg", "Makefile", "noxfile.py", ".envrc", "Dockerfile", ".gitlab-ci.yml")
_WORKFLOWS = ".github/workflows"
_ASSIGNMENT = re.compile(r"""PIP_CONSTRAINTS?["']?\s*(?:=|:|\s)\s*["']?(?P<value>[^\s"'#;]+)""")


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


def detect_constraints(tree: ProjectTree) -> tuple[Evidence, ...]:
    """Each constraints file ``PIP_CONSTRAINT`` names (space-separated values too), with where it is set."""
    found: dict[str, Evidence] = {}
    for rel in _candidates(tree):
        try:
            text = tree.read_text(rel)
        except ProjectError:  # an unreadable side file is no constraint
            continue
        for match in _ASSIGNMENT.finditer(text):
            path = _as_project_file(tree, match.group("value"))
            if path and path not in found:
                line = text.count("\n", 0, match.start()) + 1
                found[path] = Evidence(rel, line, path)
    return tuple(found.values())
