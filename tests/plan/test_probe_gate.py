"""The web probe of an image that also runs other processes asks only when PID 1 runs the web start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockwright.plan import probe_gate
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.detect import detect_project

GUNICORN = ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")
WORKER = ("celery", "-A", "tasks", "worker", "-l", "info")
BEAT = ("celery", "-A", "tasks", "beat")


@pytest.mark.parametrize(
    ("start", "others", "gate"),
    [
        (GUNICORN, (WORKER, BEAT), ("gunicorn",)),
        (("/opt/venv/bin/gunicorn", "app:app"), (WORKER,), ("gunicorn",)),
        (("python", "-u", "-m", "uvicorn", "app:app"), (WORKER,), ("uvicorn",)),
        (("sh", "entrypoint.sh", *GUNICORN), (WORKER,), ("gunicorn",)),
        (("sh", "boot.sh"), (("sh", "-c", "celery -A tasks worker"),), ("boot.sh",)),
        (
            ("python", "manage.py", "runserver"),
            (("python", "manage.py", "rqworker"),),
            ("manage.py", "runserver"),
        ),
        (("myapp", "serve", "--port", "8000"), (("myapp", "worker"),), ("myapp", "serve")),
        # the web start is inside the other command: nothing tells them apart
        (("python", "app.py"), (("python", "app.py", "--worker"),), None),
        (GUNICORN, (), None),
        ((), (WORKER,), None),
    ],
)
def test_gate_words(start: tuple[str, ...], others: tuple[tuple[str, ...], ...], gate: Any) -> None:
    assert probe_gate.gate_words(start, others) == gate


def _run(code: str, cmdline: str) -> bool:
    """Run the gate's statements against a PID 1 command line; True when the probe goes on to ask."""

    class Proc:
        def __init__(self, path: str, errors: str = "strict") -> None:
            assert path == "/proc/1/cmdline" and errors == "replace"

        def read(self) -> str:
            return cmdline

    try:
        exec(code + "asked = True", {"open": Proc})  # the generated probe, on a fake /proc
    except SystemExit as stop:
        assert stop.code == 0
        return False
    return True


@pytest.mark.parametrize(
    ("cmdline", "asked"),
    [
        ("/usr/bin/tini\0--\0gunicorn\0--bind\0000.0.0.0:8000\0app:app\0", True),
        ("/opt/venv/bin/python\0/opt/venv/bin/gunicorn\0app:app\0", True),
        ("/usr/bin/tini\0--\0sh\0-c\0python manage.py migrate && exec gunicorn app:app\0", True),
        ("/usr/bin/tini\0--\0celery\0-A\0tasks\0worker\0", False),
        ("/usr/bin/tini\0--\0celery\0-A\0tasks\0beat\0", False),
    ],
)
def test_gate_code_reads_pid_1(cmdline: str, asked: bool) -> None:
    assert _run(probe_gate.gate_code(("gunicorn",)), cmdline) is asked


def test_gate_code_of_two_words() -> None:
    code = probe_gate.gate_code(("manage.py", "runserver"))
    assert _run(code, "/usr/bin/tini\0--\0python\0manage.py\0runserver\0000.0.0.0:8000\0")
    assert not _run(code, "/usr/bin/tini\0--\0python\0manage.py\0rqworker\0")


def _project(root: Path, compose: str) -> Path:
    files = {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "tasks.py": "from celery import Celery\napp = Celery('tasks', broker='memory://')\n",
        "requirements.txt": "flask\ngunicorn\ncelery\n",
        "docker-compose.yml": compose,
    }
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


COMPOSE = """services:
  web:
    build: .
    command: gunicorn --bind 0.0.0.0:8000 app:app
  worker:
    build: .
    command: celery -A tasks worker -l info
  beat:
    build: .
    command: celery -A tasks beat -l info
"""


def test_web_image_with_worker_and_beat_gates_its_probe(tmp_path: Path) -> None:
    plan = make_plan(detect_project(_project(tmp_path, COMPOSE)))
    assert plan.healthcheck is not None
    code = plan.healthcheck.argv[2]
    assert code.startswith("import sys; t = ") and "'gunicorn' in t or sys.exit(0); " in code
    assert code.endswith("socket.create_connection(('127.0.0.1', 8000), timeout=4).close()")
    assert "asked only when PID 1's command runs `gunicorn`" in plan.healthcheck_reason
    assert (
        "also runs worker, beat, whose commands hold no `gunicorn`, so they pass" in plan.healthcheck_reason
    )
    decision = plan.decision("healthcheck")
    assert decision is not None and decision.choice == "tcp 8000 when gunicorn runs"


def test_the_worker_image_has_no_probe(tmp_path: Path) -> None:
    root = _project(tmp_path, COMPOSE)
    plan = make_plan(detect_project(root, process="worker"), PlanOptions(process="worker"))
    assert plan.healthcheck is None


def test_web_image_alone_keeps_the_plain_probe(tmp_path: Path) -> None:
    root = _project(tmp_path, COMPOSE.split("  worker:")[0])
    (root / "tasks.py").unlink()
    plan = make_plan(detect_project(root))
    assert plan.healthcheck is not None
    assert plan.healthcheck.argv[2].startswith("import socket; ")
    assert "PID 1" not in plan.healthcheck_reason
