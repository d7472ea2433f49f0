"""versioneer: a setup.py whose version comes from git through a vendored ``versioneer.py``.

Without ``.git`` (never copied into the context) versioneer's ``get_versions()`` falls through its
methods — expanded git-archive keywords, a ``_version.py`` already written, ``git describe``, the
parent directory's name — to ``0+unknown``: the build succeeds with a wrong version. Its own
``write_to_version_file(path, versions)`` writes the short ``_version.py`` that ``versions_from_file``
reads first after the (unexpanded) keywords, which is what a source distribution ships; the builder
calls it with the VERSION build arg before building the wheel. Read from ``[versioneer]`` of setup.cfg
or ``[tool.versioneer]`` of pyproject.toml (``versionfile_source``), when setup.py or the build
requirements use versioneer (https://github.com/python-versioneer/python-versioneer, "Theory of
Operation").
"""

from __future__ import annotations

import configparser
import re
from typing import Any

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree

_SAFE_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.py$")


def _uses_versioneer(tree: ProjectTree, requires: tuple[str, ...]) -> bool:
    if any(re.match(r"^\s*versioneer\b", r, re.IGNORECASE) for r in requires):
        return True
    try:
        return tree.is_file("setup.py") and "versioneer." in tree.read_text("setup.py")
    except ProjectError:
        return False


def detect_versioneer(
    tree: ProjectTree, pyproject: dict[str, Any], requires: tuple[str, ...]
) -> Fact[str] | None:
    """``versionfile_source`` (the ``_version.py`` the package imports) with where it is configured."""
    if not _uses_versioneer(tree, requires):
        return None
    table = pyproject.get("tool", {}).get("versioneer", {})
    if isinstance(table, dict) and isinstance(table.get("versionfile_source"), str):
        path, where = table["versionfile_source"], "pyproject.toml"
    elif tree.is_file("setup.cfg"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(tree.read_text("setup.cfg"))
        except (configparser.Error, ProjectError):
            return None
        if not parser.has_option("versioneer", "versionfile_source"):
            return None
        path, where = parser.get("versioneer", "versionfile_source").strip(), "setup.cfg"
    else:
        return None
    if not _SAFE_PATH.match(path) or ".." in path.split("/"):
        return None
    line = tree.line_of(where, r"^\s*versionfile_source\s*=")
    return Fact(path, (Evidence(where, line, f"versioneer writes {path} from git"),))
