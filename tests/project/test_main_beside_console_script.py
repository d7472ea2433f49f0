"""A package's ``python -m pkg`` beside the project's console script is the same program only when the
script names that ``__main__`` (or what it imports): one naming another module is another process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import tomllib

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = '[project]\nname = "relay"\nversion = "1"\n[project.scripts]\nrelayctl = "{target}"\n'
CLI = "import click\n\n\n@click.group()\ndef tools():\n    pass\n"


def _others(make_project: MakeProject, target: str, main: str) -> tuple[str, ...]:
    files: dict[str, str | bytes] = {
        "pyproject.toml": PYPROJECT.replace("{target}", target),
        "relay/__init__.py": "def main():\n    print('relay')\n",
        "relay/cli.py": CLI,
        "relay/__main__.py": main,
    }
    pyproject = tomllib.loads(str(files["pyproject.toml"]))
    app = detect_app(ProjectTree(make_project(files)), pyproject, dependencies=frozenset({"click"}))
    assert app.command.value == ("relayctl",)
    return app.other_processes


def test_a_console_script_naming_another_module_leaves_python_m_pkg_listed(make_project: MakeProject) -> None:
    others = _others(make_project, "relay.cli:tools", "from relay import main\n\nmain()\n")
    assert any("python -m relay" in o for o in others)


def test_a_console_script_naming_the_same_program_drops_it(make_project: MakeProject) -> None:
    assert not _others(make_project, "relay.__main__:run", "def run():\n    pass\n\nrun()\n")
    assert not _others(make_project, "relay:main", "from relay import main\n\nmain()\n")
    assert not _others(make_project, "relay.cli:tools", "from relay.cli import tools\n\ntools()\n")
