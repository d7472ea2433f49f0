"""A setuptools package list that leaves out the package the start serves runs the app from its tree
(project/setuptools_packages.py; rw41 zinc: ``find_packages(include=['zinc', 'zinc.*'])`` and a start
serving ``django_project.wsgi``: the wheel lacked it, the build stopped on ModuleNotFoundError)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.setuptools_packages import start_outside_packages
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
START = ("gunicorn", "proj.wsgi:application")
TREE: dict[str, str | bytes] = {
    "core/__init__.py": "",
    "proj/__init__.py": "",
    "proj/wsgi.py": "application = None\n",
}


def _setup(packages: str) -> str:
    return f"from setuptools import setup, find_packages\nsetup(name='x', packages={packages})\n"


@pytest.mark.parametrize(
    ("files", "outside"),
    [
        ({"setup.py": _setup("find_packages(include=['core', 'core.*'])")}, True),
        ({"setup.py": _setup("['core']")}, True),
        ({"setup.py": _setup("find_packages(exclude=['proj*'])")}, True),
        ({"setup.py": _setup("find_packages()")}, False),
        ({"setup.py": _setup("find_packages(include=['core', 'proj'])")}, False),
        ({"setup.py": _setup("find_packages(include=PACKAGES)")}, False),  # computed: not read
        ({"pyproject.toml": '[tool.setuptools.packages.find]\ninclude = ["core*"]\n'}, True),
        ({"pyproject.toml": '[tool.setuptools]\npackages = ["core", "proj"]\n'}, False),
        ({"setup.cfg": "[options]\npackages = find:\n\n[options.packages.find]\ninclude = core*\n"}, True),
        ({"setup.cfg": "[options]\npackages =\n    core\n    proj\n"}, False),
    ],
)
def test_the_start_s_package_outside_the_list(
    make_project: MakeProject, files: dict[str, str], outside: bool
) -> None:
    tree = ProjectTree(make_project({**TREE, **files}))
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    found = start_outside_packages(tree, pyproject, START)
    assert (found is not None) == outside
    if found is not None:
        assert "leaves out proj" in found.detail and "runs from its source tree" in found.detail
