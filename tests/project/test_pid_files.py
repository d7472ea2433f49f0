"""A server's PID file in a root-owned folder moves to /tmp: the image starts as its non-root user
(rw37: fastapi_best_architecture's granian `--pid-file /var/run/granian.pid` from a supervisord program)."""

from __future__ import annotations

import pytest
from tests.project.conftest import MakeProject
from tests.project.test_start_detectors import FLASK

from dockwright.project.detect import detect_project
from dockwright.project.pid_files import pid_files_moved


@pytest.mark.parametrize(
    ("argv", "moved"),
    [
        (
            ("granian", "m:app", "--pid-file", "/var/run/granian.pid"),
            ("granian", "m:app", "--pid-file", "/tmp/granian.pid"),
        ),
        (("gunicorn", "-p", "/run/app.pid", "app:app"), ("gunicorn", "-p", "/tmp/app.pid", "app:app")),
        (("gunicorn", "--pid=/var/lib/app/g.pid", "app:app"), ("gunicorn", "--pid=/tmp/g.pid", "app:app")),
        (
            ("uwsgi", "--pidfile", "/tmp/uwsgi.pid"),
            ("uwsgi", "--pidfile", "/tmp/uwsgi.pid"),
        ),  # writable already
        (("gunicorn", "-p", "app.pid", "app:app"), ("gunicorn", "-p", "app.pid", "app:app")),  # relative
        (("uvicorn", "m:app", "--port", "8000"), ("uvicorn", "m:app", "--port", "8000")),
    ],
)
def test_pid_files_outside_tmp_move_there(argv: tuple[str, ...], moved: tuple[str, ...]) -> None:
    assert pid_files_moved(argv)[0] == moved


def test_the_plans_start_writes_its_pid_file_in_tmp(make_project: MakeProject) -> None:
    root = make_project(
        {
            "app.py": FLASK,
            "requirements.txt": "flask\ngunicorn\n",
            "Procfile": "web: gunicorn app:app --bind 0.0.0.0:8000 --pid /var/run/gunicorn.pid\n",
        }
    )
    facts = detect_project(root)
    assert facts.app.command.value[-2:] == ("--pid", "/tmp/gunicorn.pid")
    assert any("written in /tmp instead" in n for n in facts.notes)
