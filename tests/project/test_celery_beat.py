"""Celery beat gets a schedule file the non-root app user can write (the working directory is root's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.celery_beat import beat_schedule
from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

TASKS = """\
from celery import Celery

app = Celery("jobs", broker="amqp://guest@localhost//")
"""


def _fact(line: str) -> Fact[tuple[str, ...]]:
    return Fact(tuple(line.split()), (Evidence("Procfile", 2, "clock"),))


@pytest.mark.parametrize(
    "line",
    ["celery -A jobs beat -l info", "/opt/venv/bin/celery -A jobs beat", "celery -A jobs worker -B"],
)
def test_a_beat_writing_the_working_directory_gets_a_schedule_in_a_folder_of_its_own(line: str) -> None:
    command, dirs = beat_schedule(_fact(line))
    assert command.value == (*line.split(), "--schedule", "celerybeat/celerybeat-schedule")
    assert [d.value for d in dirs] == ["celerybeat"]
    assert (command.evidence[-1].file, command.evidence[-1].line) == ("Procfile", 2)
    assert "docs.celeryq.dev" in command.evidence[-1].detail


@pytest.mark.parametrize(
    "line",
    [
        "celery -A jobs beat -s /data/schedule",
        "celery -A jobs beat --schedule=/data/schedule",
        "celery -A jobs beat -S django_celery_beat.schedulers:DatabaseScheduler",
        "celery -A jobs beat --scheduler django",
        "celery -A jobs worker -l info",
        "python beat.py",
    ],
)
def test_a_beat_with_its_own_state_or_no_beat_is_left_alone(line: str) -> None:
    command, dirs = beat_schedule(_fact(line))
    assert command.value == tuple(line.split())
    assert dirs == ()


def test_a_procfile_clock_process_is_planned_with_the_writable_folder(make_project: MakeProject) -> None:
    root = make_project(
        {"tasks.py": TASKS, "Procfile": "worker: celery -A tasks worker\nclock: celery -A tasks beat\n"}
    )
    app = detect_app(ProjectTree(root), None, process="clock", dependencies=frozenset({"celery"}))
    assert app.command.value[-2:] == ("--schedule", "celerybeat/celerybeat-schedule")
    assert [w.value for w in app.writable] == ["celerybeat"]
    # the worker's image (the default process) makes the folder too and says how to run the beat
    worker = detect_app(ProjectTree(root), None, dependencies=frozenset({"celery"}))
    assert worker.command.value[:4] == ("celery", "-A", "tasks", "worker")
    assert [w.value for w in worker.writable] == ["celerybeat"]


@pytest.mark.parametrize(
    ("line", "folder"),
    [
        ("celery --workdir web -A main.celery beat", "web/celerybeat"),
        ("celery --workdir=web/ -A main.celery beat -l info", "web/celerybeat"),
    ],
)
def test_a_beat_that_changes_folder_gets_the_folder_there(line: str, folder: str) -> None:
    """celery's ``--workdir`` changes folder before beat opens its relative schedule file."""
    command, dirs = beat_schedule(_fact(line))
    assert command.value == (*line.split(), "--schedule", "celerybeat/celerybeat-schedule")
    assert [d.value for d in dirs] == [folder]


def test_a_beat_inside_a_shell_line_gets_the_option_in_its_list_item() -> None:
    line = ("/bin/sh", "-c", "python wait_for_broker.py && exec celery -A jobs beat -l info")
    command, dirs = beat_schedule(Fact(line, (Evidence("Procfile", 2, "clock"),)))
    assert command.value == (
        "/bin/sh",
        "-c",
        "python wait_for_broker.py && exec celery -A jobs beat -l info --schedule celerybeat/celerybeat-schedule",
    )
    assert [d.value for d in dirs] == ["celerybeat"]
    kept = ("/bin/sh", "-c", "python wait.py && exec celery -A jobs beat -s /data/beat")
    assert beat_schedule(Fact(kept))[0].value == kept


def test_a_beat_given_as_the_start_gets_the_writable_schedule(make_project: MakeProject) -> None:
    root = make_project({"tasks.py": TASKS})
    app = detect_app(
        ProjectTree(root), None, start="celery -A tasks beat -l info", dependencies=frozenset({"celery"})
    )
    assert app.command.value == (
        *["celery", "-A", "tasks", "beat", "-l", "info"],
        "--schedule",
        "celerybeat/celerybeat-schedule",
    )
    assert [w.value for w in app.writable] == ["celerybeat"]
