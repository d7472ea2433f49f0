"""Repository commands that set variables before the program (``NAME=value prog ...``): the variables
become the process's environment and the program its argv, never a program called ``NAME=value``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detectors.base import command_env, shell_argv, split_assignments
from dockwright.project.detectors.servers import last_command
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

TASKS = "from celery import Celery\n\nqueue = Celery('jobs', broker='amqp://localhost')\n"
FLASK = "from flask import Flask\n\nsite = Flask(__name__)\n"


def app_of(root: Path, deps: tuple[str, ...], **kw: object) -> AppFacts:
    tree = ProjectTree(root)
    return detect_app(tree, None, dependencies=frozenset(deps), **kw)  # type: ignore[arg-type]


def test_leading_assignments_are_split_from_the_program() -> None:
    assert split_assignments("LOG=debug TZ=UTC worker --fast") == (
        (("LOG", "debug"), ("TZ", "UTC")),
        "worker --fast",
    )
    # values the shell would expand or unquote stay in the line
    assert split_assignments('MODE="a b" worker') == ((), 'MODE="a b" worker')
    assert split_assignments("HOME=$PWD worker") == ((), "HOME=$PWD worker")
    assert split_assignments("worker --level=info") == ((), "worker --level=info")


def test_command_env_gives_argv_and_the_environment_with_its_source() -> None:
    argv, env = command_env("SIGNAL=QUIT celery -A jobs worker", "Procfile:2")
    assert argv == ("celery", "-A", "jobs", "worker")
    assert env == (("SIGNAL", "QUIT", "Procfile:2 sets it for the command"),)
    # with shell syntax after them, the shell keeps them on the command they precede
    argv, env = command_env("SIGNAL=QUIT celery -A jobs worker -c $CONC", "Procfile:2")
    assert env == ()
    assert argv == ("/bin/sh", "-c", "SIGNAL=QUIT exec celery -A jobs worker -c $CONC")


def test_shell_form_puts_exec_after_the_assignments() -> None:
    argv = shell_argv("migrate && MODE=live gunicorn app:app")
    assert argv == ("/bin/sh", "-c", "migrate && MODE=live exec gunicorn app:app")
    assert last_command(argv) == ("gunicorn", "app:app")


def test_procfile_worker_with_an_assignment_is_runnable(make_project: MakeProject) -> None:
    root = make_project(
        {
            "site.py": FLASK,
            "jobs.py": TASKS,
            "Procfile": "web: gunicorn site:site\nworker: SIGNAL=QUIT celery -A jobs worker -l info\n",
        }
    )
    notes: list[str] = []
    app = app_of(root, ("flask", "gunicorn", "celery"), process="worker", notes=notes)
    assert app.command.value == ("celery", "-A", "jobs", "worker", "-l", "info")
    assert [(e.name, e.value) for e in app.env] == [("SIGNAL", "QUIT")]
    assert "Procfile:2" in app.env[0].why
    assert not any("SIGNAL=QUIT" in n and "not used" in n for n in notes)


def test_compose_command_assignment_becomes_env(make_project: MakeProject) -> None:
    root = make_project(
        {
            "jobs.py": TASKS,
            "compose.yaml": "services:\n  jobs:\n    build: .\n    command: QUEUES=mail celery -A jobs worker\n",
        }
    )
    app = app_of(root, ("celery",))
    assert app.command.value == ("celery", "-A", "jobs", "worker")
    assert [(e.name, e.value) for e in app.env] == [("QUEUES", "mail")]
