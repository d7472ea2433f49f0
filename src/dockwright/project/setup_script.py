"""Whether the project's ``setup.py`` is a build script at all.

A module of the app may be named ``setup.py`` (the app's set-up: a database client, its configuration)
without ever calling setuptools: pip would run it to build a wheel and stop on its imports
(``ModuleNotFoundError`` in "Preparing metadata (setup.py)"). Only a file that imports setuptools or
distutils, or calls ``setup(...)``, is the legacy build script pip and the plan build the package with
(https://setuptools.pypa.io/en/latest/userguide/quickstart.html#setup-py)."""

from __future__ import annotations

import re

from dockwright.project.tree import ProjectTree

_BUILD = re.compile(r"^\s*(?:from|import)\s+(?:setuptools|distutils)\b|\bsetup\s*\(", re.M)


def has_setup_script(tree: ProjectTree) -> bool:
    """``setup.py`` exists and is a setuptools (or distutils) build script."""
    return tree.is_file("setup.py") and bool(_BUILD.search(tree.read_text("setup.py")))
