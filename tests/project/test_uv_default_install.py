"""uv.lock read as what the default install reaches, not every extra and group (project/uv_graph.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from uv_lock_text import uv_package

MakeProject = Callable[[dict[str, str | bytes]], Path]
PYPROJECT = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "pdftool"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["click", "rich[jupyter]"]\n\n'
    '[project.optional-dependencies]\nwebservice = ["streamlit"]\n\n'
    '[project.scripts]\npdftool = "pdftool.cli:main"\n\n'
    '[dependency-groups]\ndev = ["pytest"]\n'
)

LOCK = (
    "version = 1\n\n"
    '[[package]]\nname = "pdftool"\nversion = "1.0"\nsource = { editable = "." }\n'
    'dependencies = [{ name = "click" }, { name = "rich", extra = ["jupyter"] }]\n\n'
    '[package.optional-dependencies]\nwebservice = [{ name = "streamlit" }]\n\n'
    '[package.dev-dependencies]\ndev = [{ name = "pytest" }]\n\n'
    + uv_package("click", "8.1.7")
    + uv_package(
        "rich", "13.0.0", extras='jupyter = [{ name = "ipywidgets" }]\nother = [{ name = "pygments" }]'
    )
    + uv_package("ipywidgets", "8.0.0")
    + uv_package("pygments", "2.0.0")
    + uv_package("streamlit", "1.40.0", deps='{ name = "tornado" }')
    + uv_package("tornado", "6.4")
    + uv_package("pytest", "8.0.0", deps='{ name = "pluggy" }')
    + uv_package("pluggy", "1.5.0")
)


def _project(make_project: MakeProject) -> Path:
    return make_project(
        {
            "pyproject.toml": PYPROJECT,
            "uv.lock": LOCK,
            "src/pdftool/__init__.py": "",
            "src/pdftool/cli.py": "import click\n\n\ndef main():\n    click.echo('ok')\n",
            # a demo front end beside the package, in a folder the wheel does not ship
            "misc/webservice.py": "import streamlit as st\n\nst.title('pdftool')\n",
        }
    )


def test_the_projects_extras_and_dev_groups_are_not_its_dependencies(make_project: MakeProject) -> None:
    facts = detect_project(_project(make_project), python="3.13")
    locked = {p.name for p in facts.dependencies.locked}
    # the edge's own extra (rich[jupyter]) is followed, rich's other extra and the project's are not
    assert locked == {"click", "rich", "ipywidgets"}


def test_a_front_end_only_an_extra_provides_does_not_beat_the_projects_own_tool(
    make_project: MakeProject,
) -> None:
    facts = detect_project(_project(make_project), python="3.13")
    assert facts.app.kind.value == "cli"
    assert facts.app.command.value == ("pdftool",)
    assert any("streamlit" in p for p in facts.app.other_processes)


def test_a_lock_without_edges_for_the_project_keeps_everyuv_package(make_project: MakeProject) -> None:
    lock = (
        'version = 1\n\n[[package]]\nname = "pdftool"\nversion = "1.0"\nsource = { editable = "." }\n\n'
        + uv_package("click", "8.1.7")
        + uv_package("pytest", "8.0.0")
    )
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "uv.lock": lock,
            "src/pdftool/__init__.py": "",
            "src/pdftool/cli.py": "def main():\n    pass\n",
        }
    )
    facts = detect_project(root, python="3.13")
    assert {p.name for p in facts.dependencies.locked} == {"click", "pytest"}
