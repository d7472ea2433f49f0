"""A library's state folder named by an environment variable (project/state_dirs.py): prometheus-client's
multiprocess mode under gunicorn needs PROMETHEUS_MULTIPROC_DIR set, the folder the app user's and
emptied before each start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

WEB = """from flask import Flask
from prometheus_client import Counter

app = Flask(__name__)
HITS = Counter("ledger_hits", "requests")


@app.get("/")
def index() -> str:
    HITS.inc()
    return "ledger"
"""

CONF = """from prometheus_client import multiprocess

bind = "0.0.0.0:8000"
workers = 2


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)
"""


def _files(dockerfile: str | None = None, conf: str = CONF) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "ledger/__init__.py": "",
        "ledger/web.py": WEB,
        "gunicorn.conf.py": conf,
        "requirements.txt": "flask\ngunicorn\nprometheus-client\n",
        "Procfile": "web: gunicorn -c gunicorn.conf.py ledger.web:app\n",
    }
    if dockerfile is not None:
        files["Dockerfile"] = dockerfile
    return files


OWN = (
    "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 \\\n    PROMETHEUS_MULTIPROC_DIR=/var/tmp/ledger-metrics\n"
    "WORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\n"
    'CMD ["gunicorn", "-c", "gunicorn.conf.py", "ledger.web:app"]\n'
)


def test_the_own_image_s_folder_is_set_made_writable_and_emptied_at_start(make_project: MakeProject) -> None:
    app = detect_project(make_project(_files(OWN)), python="3.12").app
    env = {e.name: e for e in app.env}
    assert env["PROMETHEUS_MULTIPROC_DIR"].value == "/var/tmp/ledger-metrics"
    assert env["PROMETHEUS_MULTIPROC_DIR"].evidence[0].file == "Dockerfile"
    assert [f.value for f in app.writable] == ["/var/tmp/ledger-metrics"]
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "rm -rf /var/tmp/ledger-metrics/*; exec gunicorn -c gunicorn.conf.py ledger.web:app",
    )
    assert "emptied before each start" in app.command.evidence[-1].detail


def test_code_using_the_mode_without_the_variable_gets_the_table_s_folder(make_project: MakeProject) -> None:
    app = detect_project(make_project(_files()), python="3.12").app
    env = {e.name: e.value for e in app.env}
    assert env["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus-multiproc"
    assert app.command.value[-1].startswith("rm -rf /tmp/prometheus-multiproc/*; exec gunicorn")
    assert app.writable[0].evidence[0].file == "gunicorn.conf.py"


def test_a_shell_start_gets_the_wipe_before_its_line(make_project: MakeProject) -> None:
    line = "python -m ledger.check && gunicorn -c gunicorn.conf.py ledger.web:app"
    files = {**_files(OWN), "ledger/check.py": "print('ok')\n", "Procfile": f"web: sh -c '{line}'\n"}
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[1:] == (
        "-c",
        "rm -rf /var/tmp/ledger-metrics/*; python -m ledger.check && exec gunicorn -c gunicorn.conf.py "
        "ledger.web:app",
    )


@pytest.mark.parametrize(
    "files",
    [
        {**_files(), "requirements.txt": "flask\ngunicorn\n"},  # not a dependency: nothing of its own
        _files(conf="bind = '0.0.0.0:8000'\n"),  # the single-process registry: no folder
    ],
)
def test_without_the_package_or_the_mode_nothing_changes(
    make_project: MakeProject, files: dict[str, str | bytes]
) -> None:
    app = detect_project(make_project(files), python="3.12").app
    assert "PROMETHEUS_MULTIPROC_DIR" not in {e.name for e in app.env}
    assert app.command.value[0] == "gunicorn" and not app.writable


@pytest.mark.parametrize("value", ["metrics", "$HOME/metrics", "/tmp", "/usr/lib/metrics"])
def test_a_folder_the_image_cannot_own_is_only_noted(make_project: MakeProject, value: str) -> None:
    dockerfile = OWN.replace("/var/tmp/ledger-metrics", value)
    facts = detect_project(make_project(_files(dockerfile)), python="3.12")
    assert "PROMETHEUS_MULTIPROC_DIR" not in {e.name for e in facts.app.env}
    assert not facts.app.writable and facts.app.command.value[0] == "gunicorn"
    assert any(f"PROMETHEUS_MULTIPROC_DIR={value} is not an absolute folder" in n for n in facts.notes)


def test_the_plan_makes_the_folder_the_app_user_s(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    for rel, text in _files(OWN).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(str(text), encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    runs = [s.args for s in plan.runtime_steps if s.instruction == "RUN"]
    assert ("mkdir -p /var/tmp/ledger-metrics", "chown -R 10001:10001 /var/tmp/ledger-metrics") in runs
    assert ("PROMETHEUS_MULTIPROC_DIR", "/var/tmp/ledger-metrics") in [
        (e.name, e.value) for e in plan.app_env
    ]
    assert plan.cmd[-1].startswith("rm -rf /var/tmp/ledger-metrics/*; exec gunicorn")


@pytest.mark.parametrize("folder", ["/app", "/app/ledger", "/home/app", "/var/lib"])
def test_a_folder_of_the_app_s_copy_or_home_or_the_system_s_data_is_never_emptied(
    make_project: MakeProject, folder: str
) -> None:
    # the start would empty it at each start (rm -rf FOLDER/*) after the image gave it to the app user:
    # the project's own package (ledger/), the app user's home, dpkg's database
    dockerfile = OWN.replace("/var/tmp/ledger-metrics", folder).replace("WORKDIR /srv", "WORKDIR /app")
    facts = detect_project(make_project(_files(dockerfile)), python="3.12")
    assert "rm -rf" not in " ".join(facts.app.command.value)
    assert folder not in {f.value for f in facts.app.writable}
    assert any(f"PROMETHEUS_MULTIPROC_DIR={folder}" in n for n in facts.notes)


CLI = """import argparse

from prometheus_client import Counter

RUNS = Counter("ledger_runs", "runs")


def main() -> None:
    argparse.ArgumentParser(prog="ledger").parse_args()
    RUNS.inc()
"""
CLI_PYPROJECT = """[project]
name = "ledger"
version = "0.1.0"
dependencies = ["prometheus-client"]

[project.scripts]
ledger = "ledger.cli:main"

[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
"""


def test_a_cli_s_wiped_start_still_takes_the_arguments_of_docker_run(tmp_path: Path) -> None:
    # a CLI is the ENTRYPOINT: `docker run IMAGE --help` appends its words, which `sh -c SCRIPT` would
    # give the script as $0, $1 ... and `exec ledger` drop
    root = tmp_path / "ledger"
    files = {
        "pyproject.toml": CLI_PYPROJECT,
        "ledger/__init__.py": "",
        "ledger/cli.py": CLI,
        "Dockerfile": OWN.replace(
            'CMD ["gunicorn", "-c", "gunicorn.conf.py", "ledger.web:app"]', 'ENTRYPOINT ["ledger"]'
        ),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.facts.app.kind.value == "cli"
    assert plan.entrypoint[-4:] == (
        "/bin/sh",
        "-c",
        'rm -rf /var/tmp/ledger-metrics/*; exec ledger "$@"',
        "ledger",
    )
    assert not plan.cmd
