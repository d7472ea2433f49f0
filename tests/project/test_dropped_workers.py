"""A worker class the server dropped (project/dropped_workers.py): a start naming gunicorn's eventlet
worker keeps a gunicorn before 26 in the lock, whatever source the start comes from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.dropped_workers import worker_package

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
    files: dict[str, str | bytes] = {"requirements.txt": "flask\ngunicorn\n", "app.py": APP}
    facts = detect_project(
        make_project({**files, "Procfile": "web: gunicorn -k gthread --threads 4 app:app\n"}), python="3.13"
    )
    assert facts.app.adds.value == ()


@pytest.mark.parametrize(
    ("requirements", "start"),
    [
        ("flask\ngevent\ngunicorn\n", "gunicorn -k gevent app:app"),
        ("flask\ngevent\n", "gunicorn --worker-class gunicorn.workers.ggevent.GeventWorker app:app"),
    ],
)
def test_the_gevent_worker_gets_gunicorns_gevent_extra(
    make_project: MakeProject, requirements: str, start: str
) -> None:
    # gunicorn's gevent worker imports `packaging`, which only its `gevent` extra requires: without it the
    # worker stopped at start ("No module named 'packaging'")
    files: dict[str, str | bytes] = {"requirements.txt": requirements, "app.py": APP}
    facts = detect_project(make_project({**files, "Procfile": f"web: {start}\n"}), python="3.13")
    assert facts.app.adds.value == ("gunicorn[gevent]",)
    assert any("only gunicorn[gevent] requires" in e.detail for e in facts.app.adds.evidence)


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


@pytest.mark.parametrize(
    ("argv", "package"),
    [
        (("gunicorn", "-k", "uvicorn.workers.UvicornWorker", "main:app"), "uvicorn"),
        (("/opt/venv/bin/gunicorn", "--worker-class=uvicorn.workers.UvicornWorker", "main:app"), "uvicorn"),
        (("gunicorn", "-k", "gevent", "main:app"), None),  # an entry name: gunicorn's extra, not a module
        (("gunicorn", "-k", "nowhere.Worker", "main:app"), None),  # no package the table knows
        (("uvicorn", "main:app"), None),
    ],
)
def test_a_worker_class_by_its_import_path_names_its_package(
    argv: tuple[str, ...], package: str | None
) -> None:
    found = worker_package(argv)
    assert (found[0] if found else None) == package
