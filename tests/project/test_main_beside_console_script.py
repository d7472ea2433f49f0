"""A package's ``python -m pkg`` beside the project's console script is the same program only when the
script names that ``__main__`` (or what it imports): one naming another module is another process. A
console script running the function a served module's ``__main__`` block calls is that start too."""

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


SERVER = """import tornado.ioloop
import tornado.web


def main():
    tornado.web.Application([]).listen(8888)
    tornado.ioloop.IOLoop.current().start()


def admin():
    print("admin")


if __name__ == "__main__":
    main()
"""


def _beside_served_module(make_project: MakeProject, target: str) -> tuple[str, ...]:
    files: dict[str, str | bytes] = {
        "pyproject.toml": PYPROJECT.replace("relayctl", "relayd").replace("{target}", target),
        "relay/__init__.py": "",
        "relay/server.py": SERVER,
    }
    pyproject = tomllib.loads(str(files["pyproject.toml"]))
    app = detect_app(ProjectTree(make_project(files)), pyproject, dependencies=frozenset({"tornado"}))
    assert app.command.value == ("python", "-m", "relay.server")
    return app.other_processes


def test_a_console_script_running_the_served_modules_main_is_that_start(make_project: MakeProject) -> None:
    # `relayd = relay.server:main` runs what `python -m relay.server` runs: not another process
    assert not _beside_served_module(make_project, "relay.server:main")


def test_a_console_script_running_another_function_of_it_stays_listed(make_project: MakeProject) -> None:
    assert any("relayd" in o for o in _beside_served_module(make_project, "relay.server:admin"))
