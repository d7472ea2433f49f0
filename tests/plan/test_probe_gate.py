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
    ("start", "others", "web", "theirs"),
    [
        (GUNICORN, (WORKER, BEAT), ("gunicorn",), (("celery",),)),
        (("/opt/venv/bin/gunicorn", "app:app"), (WORKER,), ("gunicorn",), (("celery",),)),
        (("python", "-u", "-m", "uvicorn", "app:app"), (WORKER,), ("uvicorn",), (("celery",),)),
        (("sh", "entrypoint.sh", *GUNICORN), (WORKER,), ("gunicorn",), (("celery",),)),
        (("sh", "boot.sh"), (("sh", "-c", "celery -A tasks worker"),), ("boot.sh",), (("sh", "-c"),)),
        (
            ("python", "manage.py", "runserver"),
            (("python", "manage.py", "rqworker"),),
            ("manage.py", "runserver"),
            (("manage.py", "rqworker"),),
        ),
        (
            ("myapp", "serve", "--port", "8000"),
            (("myapp", "worker"),),
            ("myapp", "serve"),
            (("myapp", "worker"),),
        ),
        # the web start holds the worker's whole command: only the web start's own words tell them apart
        (("python", "app.py", "--web"), (("python", "app.py"),), ("app.py", "--web"), None),
        (GUNICORN, (), None, None),
        ((), (WORKER,), None, None),
    ],
)
def test_gate(start: tuple[str, ...], others: tuple[tuple[str, ...], ...], web: Any, theirs: Any) -> None:
    gate = probe_gate.gate(start, others)
    if theirs is None:
        assert gate is None
    else:
        assert gate is not None and gate.web == web and gate.others == theirs


def test_an_other_inside_the_web_start_is_asked() -> None:
    gate = probe_gate.gate(GUNICORN, (WORKER, ("gunicorn", "--bind", "0.0.0.0:8000")))
    assert gate is not None and gate.others == (("celery",),)
    assert gate.unknown == ("gunicorn --bind 0.0.0.0:8000",)


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
        ("/usr/bin/tini\0--\0python\0manage.py\0runserver\0000.0.0.0:8000\0", True),  # another server
        ("/usr/bin/tini\0--\0python\0manage.py\0shell\0", True),  # a command the project never names
        ("/usr/bin/tini\0--\0celery\0-A\0tasks\0worker\0", False),
        ("/usr/bin/tini\0--\0/opt/venv/bin/celery\0-A\0tasks\0beat\0", False),
        ("/usr/bin/tini\0--\0sh\0-c\0sleep 1 && exec celery -A tasks worker -c 4\0", False),
        ("/usr/bin/tini\0--\0sh\0-c\0celery -A tasks worker & exec gunicorn app:app\0", True),
    ],
)
def test_gate_code_reads_pid_1(cmdline: str, asked: bool) -> None:
    gate = probe_gate.gate(GUNICORN, (WORKER, BEAT))
    assert gate is not None
    assert _run(probe_gate.gate_code(gate), cmdline) is asked


def test_gate_code_of_two_words() -> None:
    gate = probe_gate.gate(("python", "manage.py", "runserver"), (("python", "manage.py", "rqworker"),))
    assert gate is not None
    code = probe_gate.gate_code(gate)
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
    assert code.startswith("import sys; t = ")
    assert "any(map(h, [['celery']])) and not h(['gunicorn']) and sys.exit(0); " in code
    assert code.endswith("socket.create_connection(('127.0.0.1', 8000), timeout=4).close()")
    reason = plan.healthcheck_reason
    assert "passes without asking when PID 1's command holds `celery` and not `gunicorn`" in reason
    assert "the image also runs worker, beat, which serve no port" in reason
    decision = plan.decision("healthcheck")
    assert decision is not None and decision.choice == "tcp 8000 unless celery runs"


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
