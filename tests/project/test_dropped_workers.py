"""A worker class the server dropped (project/dropped_workers.py): a start naming gunicorn's eventlet
worker keeps a gunicorn before 26 in the lock, whatever source the start comes from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = "from flask import Flask\n\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    "start",
    [
        "gunicorn --worker-class eventlet -w 1 app:app",
        "gunicorn -k eventlet -w 1 app:app",
        "gunicorn --worker-class=gunicorn.workers.geventlet.EventletWorker app:app",
        "python manage.py migrate && gunicorn -k eventlet app:app",
    ],
)
def test_a_procfile_naming_the_eventlet_worker_keeps_gunicorn_before_26(
    make_project: MakeProject, start: str
) -> None:
    files: dict[str, str | bytes] = {"requirements.txt": "flask\neventlet\ngunicorn\n", "app.py": APP}
    facts = detect_project(make_project({**files, "Procfile": f"web: {start}\n"}), python="3.13")
    assert facts.app.adds.value == ("gunicorn<26",)
    assert any("dropped" in e.detail for e in facts.app.adds.evidence)


def test_the_cap_replaces_the_bare_server_the_plan_adds(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {"requirements.txt": "flask\neventlet\n", "app.py": APP}
    facts = detect_project(
        make_project({**files, "Procfile": "web: gunicorn -k eventlet app:app\n"}), python="3.13"
    )
    assert facts.app.adds.value == ("gunicorn<26",)


def test_other_worker_classes_add_nothing(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {"requirements.txt": "flask\ngevent\ngunicorn\n", "app.py": APP}
    facts = detect_project(
        make_project({**files, "Procfile": "web: gunicorn -k gevent app:app\n"}), python="3.13"
    )
    assert facts.app.adds.value == ()


@pytest.mark.parametrize(
    ("start", "config"),
    [
        ("gunicorn app:app", 'worker_class = "eventlet"\nworkers = 1\n'),
        ("gunicorn -c deploy/gun.py app:app", 'bind = "0.0.0.0:5000"\nworker_class: str = "eventlet"\n'),
        ("gunicorn -keventlet app:app", ""),
    ],
)
def test_the_eventlet_worker_a_config_file_or_a_joined_flag_names_keeps_gunicorn_before_26(
    make_project: MakeProject, start: str, config: str
) -> None:
    files: dict[str, str | bytes] = {"requirements.txt": "flask\neventlet\ngunicorn\n", "app.py": APP}
    if config:
        files["deploy/gun.py" if "deploy/" in start else "gunicorn.conf.py"] = config
    facts = detect_project(make_project({**files, "Procfile": f"web: {start}\n"}), python="3.13")
    assert facts.app.adds.value == ("gunicorn<26",)
