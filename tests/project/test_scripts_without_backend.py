"""A PEP 621 project with console scripts and no ``[build-system]``: pip builds it with setuptools'
legacy backend (PEP 517's fallback), so it is a package and its script is the start
(project/metadata.py ``_scripts_without_backend``); ``[project.entry-points.console_scripts]`` counts
like ``[project.scripts]`` (project/detectors/console_scripts.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = """\
[project]
name = "tally"
version = "1.2"
dependencies = ["click"]

[project.entry-points.console_scripts]
tally = "tally.cli:main"
"""

FILES: dict[str, str | bytes] = {
    "tally/__init__.py": "",
    "tally/__main__.py": "from tally.cli import main\n\nmain()\n",
    "tally/cli.py": "import click\n\n@click.command()\ndef main():\n    click.echo('0')\n",
}


def test_console_scripts_without_a_build_system_make_a_setuptools_package(make_project: MakeProject) -> None:
    facts = detect_project(make_project({"pyproject.toml": PYPROJECT, **FILES}), python="3.13")
    assert facts.layout.is_package.value is True
    assert facts.layout.build_backend.value == "setuptools.build_meta:__legacy__"
    assert facts.layout.build_requires == ("setuptools>=40.8.0",)
    evidence = facts.layout.is_package.evidence[0]
    assert (evidence.file, evidence.line) == ("pyproject.toml", 6)
    assert facts.app.command.value == ("tally",)
    assert facts.app.kind.value == "cli"


def test_scripts_under_project_scripts_count_too(make_project: MakeProject) -> None:
    text = PYPROJECT.replace("[project.entry-points.console_scripts]", "[project.scripts]")
    facts = detect_project(make_project({"pyproject.toml": text, **FILES}), python="3.13")
    assert facts.layout.is_package.value is True
    assert facts.app.command.value == ("tally",)


def test_a_uv_project_without_a_build_system_stays_virtual(make_project: MakeProject) -> None:
    """uv sync installs no project without a build system (unless [tool.uv] package = true)."""
    lock = 'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "tally"\nversion = "1.2"\nsource = { virtual = "." }\n'
    root = make_project({"pyproject.toml": PYPROJECT, "uv.lock": lock, **FILES})
    assert detect_project(root, python="3.13").layout.is_package.value is False
    packaged = make_project(
        {"pyproject.toml": PYPROJECT + "\n[tool.uv]\npackage = true\n", "uv.lock": lock, **FILES}
    )
    assert detect_project(packaged, python="3.13").layout.is_package.value is True


def test_a_pyproject_without_scripts_stays_an_application_tree(make_project: MakeProject) -> None:
    text = PYPROJECT.split("[project.entry-points")[0]
    facts = detect_project(make_project({"pyproject.toml": text, **FILES}), python="3.13")
    assert facts.layout.is_package.value is False
    assert facts.app.command.value == ("python", "-m", "tally")
