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


SETUPTOOLS = (
    '[project]\nname = "site"\nversion = "1"\ndependencies = ["flask", "gunicorn"]\n\n'
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
)
FLASK = "from flask import Flask, render_template\n\napp = Flask(__name__)\n\n\n@app.get('/')\ndef index():\n    return render_template('index.html')\n"


@pytest.mark.parametrize(
    ("extra", "from_tree"),
    [
        ({}, True),
        ({"MANIFEST.in": "graft src/site\n"}, False),
        (
            {"pyproject.toml": SETUPTOOLS + '\n[tool.setuptools.package-data]\nsite = ["templates/*"]\n'},
            False,
        ),
        (
            {"pyproject.toml": SETUPTOOLS.replace('"setuptools>=61"', '"setuptools>=61", "setuptools-scm"')},
            False,
        ),
    ],
    ids=["no-package-data", "manifest", "package-data", "scm"],
)
def test_templates_a_setuptools_wheel_leaves_out_run_the_app_from_its_tree(
    make_project: MakeProject, extra: dict[str, str], from_tree: bool
) -> None:
    """rw41 quartr: src/quartr/templates/ was not in the wheel, and every page answered 500."""
    from dockwright import api

    files: dict[str, str | bytes] = {
        "pyproject.toml": SETUPTOOLS,
        "src/site/__init__.py": FLASK,
        "src/site/templates/index.html": "<p>hi</p>\n",
        **extra,
    }
    plan = api.plan(make_project(files), start="gunicorn site:app", index_lookup=False)
    install = next(d for d in plan.decisions if d.topic == "app-install")
    assert (install.choice == "source") == from_tree
    env = {e.name: e.value for e in plan.app_env}
    assert (env.get("PYTHONPATH") == "/app/src") == from_tree
    if from_tree:
        assert "src/site/templates/index.html is data of the package site" in install.reason
