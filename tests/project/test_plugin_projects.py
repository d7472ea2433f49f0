"""A project that is a plugin of a dependency's program (a Celery monitor adding ``celery monitor``), as
its repository ships it: setup.py reading requirements from a folder through a helper, entry points of
other groups that are no console scripts, its own image running ``celery monitor``, and a compose
demo whose code is the mounted examples/ folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.deploy_env import DeployEnv
from dockwright.project.detect import detect_project
from dockwright.project.detectors.base import Context
from dockwright.project.detectors.console_scripts import plugin_commands, setup_py_entry_points
from dockwright.project.facts import AppFacts
from dockwright.project.plan_files import PlanFiles
from dockwright.project.setuptools_static import read_setuptools
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETUP_PY = """\
from setuptools import setup, find_packages


def requirements(filename):
    return open("requirements/" + filename).read().splitlines()


setup(
    name="monitor",
    packages=find_packages(),
    install_requires=requirements("base.txt"),
    entry_points={
        "celery.commands": ["monitor = monitor.command:monitor"],
        "console_scripts": ["monitor-admin = monitor.admin:main"],
    },
)
"""
DOCKERFILE = 'FROM python:3.13-slim\nRUN pip install monitor\nEXPOSE 5555\nCMD ["celery", "monitor"]\n'
COMPOSE = """\
services:
  worker:
    build: ./
    entrypoint: celery
    command: -A tasks worker -l info
    volumes:
      - ./examples:/data
    environment:
      PYTHONPATH: /data
  monitor:
    build: ./
    command: celery -A tasks monitor
    working_dir: /data
    volumes:
      - ./examples:/data
    ports:
      - 5555:5555
"""
ADMIN = "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n"


def _files(**more: str) -> dict[str, str | bytes]:
    return {
        "setup.py": SETUP_PY,
        "requirements/base.txt": "celery>=5\ntornado>=6\n",
        "monitor/__init__.py": "",
        "monitor/command.py": "import click\n\n\n@click.command()\ndef monitor():\n    pass\n",
        "monitor/admin.py": ADMIN,
        "examples/tasks.py": "from celery import Celery\n\napp = Celery('tasks')\n",
        **more,
    }


def test_a_helper_reading_from_a_folder_gives_the_requirements(make_project: MakeProject) -> None:
    install = read_setuptools(ProjectTree(make_project(_files()))).get("install_requires")
    assert install is not None and install.values == ("celery>=5", "tornado>=6")
    assert install.via == "requirements/base.txt"


def test_only_console_scripts_are_programs_other_groups_are_plugins(make_project: MakeProject) -> None:
    root = make_project(_files())
    tree = ProjectTree(root)
    assert setup_py_entry_points(tree) == [
        ("celery.commands", "monitor", "monitor.command:monitor", 13),
        ("console_scripts", "monitor-admin", "monitor.admin:main", 14),
    ]
    context = Context(tree, None, (), {}, frozenset(), DeployEnv(PlanFiles(tree)))
    assert list(plugin_commands(context)) == ["monitor"]


@pytest.mark.parametrize(
    "entry_points",
    [
        'dict(console_scripts=["tool = pkg.cli:main"])',
        '"""\n[console_scripts]\ntool = pkg.cli:main\n[pytest11]\nplug = pkg.plugin\n"""',
    ],
)
def test_other_spellings_of_console_scripts(make_project: MakeProject, entry_points: str) -> None:
    root = make_project(
        {"setup.py": f"from setuptools import setup\nsetup(name='t', entry_points={entry_points})\n"}
    )
    found = [(g, n, t) for g, n, t, _ in setup_py_entry_points(ProjectTree(root))]
    assert ("console_scripts", "tool", "pkg.cli:main") in found
    assert all(g in ("console_scripts", "pytest11") for g, _, _ in found)


def test_the_own_image_running_the_plugin_serves_on_its_port(make_project: MakeProject) -> None:
    facts = detect_project(make_project(_files(Dockerfile=DOCKERFILE)), python="3.13")
    app = facts.app
    assert app.command.value == ("celery", "monitor")
    assert (app.kind.value, app.port.value) == ("web", 5555)
    assert app.command.evidence[0].file == "Dockerfile"


def test_compose_demos_on_mounted_examples_are_not_the_start(make_project: MakeProject) -> None:
    facts = detect_project(make_project(_files(Dockerfile=DOCKERFILE, **{"docker-compose.yml": COMPOSE})))
    assert facts.app.command.value == ("celery", "monitor")
    assert not any("service worker" in p or "service monitor" in p for p in facts.app.other_processes)


# --- a compose service's entrypoint and command (detectors/compose.py) ---------------------------------

CELERY_PROJECT: dict[str, str | bytes] = {
    "requirements.txt": "celery\n",
    "proj/__init__.py": "",
    "proj/celery.py": "from celery import Celery\n\napp = Celery('proj')\n",
}
FLASK_APP = "from flask import Flask\n\napp = Flask(__name__)\n"
SHOP: dict[str, str | bytes] = {
    "requirements.txt": "flask\ngunicorn\n",
    "shop/__init__.py": "",
    "shop/web.py": FLASK_APP,
}
ComposeApp = Callable[[str, dict[str, str | bytes]], AppFacts]


def _service(name: str, command: str, *, entrypoint: str = "", more: str = "") -> str:
    """compose.yaml with one service built from the root (``more``: its further keys, indented)."""
    entry = f"    entrypoint: {entrypoint}\n" if entrypoint else ""
    return f"services:\n  {name}:\n    build: .\n{entry}    command: {command}\n{more}"


@pytest.fixture
def compose_app(make_project: MakeProject) -> ComposeApp:
    """The app detected in ``files`` beside ``compose.yaml`` holding the given text."""

    def detect(compose: str, files: dict[str, str | bytes]) -> AppFacts:
        return detect_project(make_project({**files, "compose.yaml": compose})).app

    return detect


def test_a_compose_entrypoint_program_takes_the_command_as_arguments(compose_app: ComposeApp) -> None:
    app = compose_app(_service("worker", "-A proj worker -l info", entrypoint="celery"), CELERY_PROJECT)
    assert app.command.value == ("celery", "-A", "proj", "worker", "-l", "info")
    assert app.command.evidence[0].file == "compose.yaml"


def test_a_compose_entrypoint_script_still_wraps(compose_app: ComposeApp) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "",
        "jobs.py": "import time\n\nwhile True:\n    time.sleep(5)\n",
        "boot.sh": '#!/bin/sh\nexec "$@"\n',
    }
    app = compose_app(_service("web", "python jobs.py", entrypoint="./boot.sh"), files)
    assert "./boot.sh" not in app.command.value


@pytest.mark.parametrize("init", ["['tini', '--']", "['/usr/bin/dumb-init', '--']", "tini -s --"])
def test_a_compose_init_entrypoint_is_no_program_of_the_start(compose_app: ComposeApp, init: str) -> None:
    """``entrypoint: [tini, --]`` runs the command under an init, which the planned image has of its own:
    the start is the command, not ``tini -- celery ...``."""
    app = compose_app(_service("worker", "celery -A proj worker", entrypoint=init), CELERY_PROJECT)
    assert app.command.value == ("celery", "-A", "proj", "worker")
    assert app.command.evidence[0].file == "compose.yaml"


def test_tests_on_the_pythonpath_beside_the_app_are_no_demo(compose_app: ComposeApp) -> None:
    """A development service that puts its mounted tests on ``PYTHONPATH`` beside its mounted source still
    runs the project: only a service whose code all comes from examples/tests/docs mounts is a demo."""
    more = (
        "    ports: ['8000:8000']\n    volumes:\n      - ./src:/srv/src\n      - ./tests:/srv/tests\n"
        "    environment:\n      - PYTHONPATH=/srv/src:/srv/tests\n"
    )
    files: dict[str, str | bytes] = {
        "requirements.txt": "flask\ngunicorn\n",
        "src/shop/__init__.py": "",
        "src/shop/web.py": FLASK_APP,
        "tests/test_web.py": "def test_ok():\n    assert True\n",
    }
    app = compose_app(_service("web", "gunicorn -b 0.0.0.0:8000 shop.web:app", more=more), files)
    assert app.command.evidence[0].file == "compose.yaml"


@pytest.mark.parametrize(
    "entry", ["/usr/local/bin/docker-entrypoint", "/app/docker/start", "['/entry', 'x']"]
)
def test_a_compose_entrypoint_path_of_the_image_wraps_the_command(
    compose_app: ComposeApp, entry: str
) -> None:
    """An ``entrypoint`` path the repository's image put there (``/usr/local/bin/docker-entrypoint``,
    copied from the repository) is its wrapper script, not a program: the start is the command."""
    command = "gunicorn -b 0.0.0.0:8000 --workers 3 shop.web:app"
    compose = _service("web", command, entrypoint=entry, more="    ports: ['8000:8000']\n")
    app = compose_app(compose, {**SHOP, "docker/entrypoint": '#!/bin/sh\nexec "$@"\n'})
    assert app.command.value == ("gunicorn", "-b", "0.0.0.0:8000", "--workers", "3", "shop.web:app")
    assert app.command.evidence[0].file == "compose.yaml"


def test_a_compose_entrypoint_program_by_path_runs_by_name(compose_app: ComposeApp) -> None:
    app = compose_app(_service("worker", "-A proj worker", entrypoint="/venv/bin/celery"), CELERY_PROJECT)
    assert app.command.value == ("celery", "-A", "proj", "worker")


def test_a_literal_long_description_showing_console_scripts_declares_none(make_project: MakeProject) -> None:
    """Only the ``entry_points`` string (given directly or through a name) is read as INI sections: a
    literal ``long_description`` that shows the section to its readers declares nothing."""
    setup = (
        "from setuptools import setup\n\nENTRY = '''\n[console_scripts]\ntool = pkg.cli:main\n'''\n"
        "setup(\n    name='t',\n    entry_points=ENTRY,\n"
        "    long_description='''Usage:\n\n    [console_scripts]\n    fake = other.mod:main\n''',\n)\n"
    )
    found = [
        (g, n, t) for g, n, t, _ in setup_py_entry_points(ProjectTree(make_project({"setup.py": setup})))
    ]
    assert found == [("console_scripts", "tool", "pkg.cli:main")]
