"""The port the repository's own image EXPOSEs (project/exposed_port.py): the plan's web process takes
it when that image runs the same process and neither the code nor the server's options name a port."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = "from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run({run})\n"
JOB = "import time\n\nwhile True:\n    time.sleep(60)\n"
# our own console-script daemon (a program with its own web server, no framework app the scan finds)
TRACKER = {
    "pyproject.toml": (
        '[project]\nname = "tracker"\nversion = "1.0"\n[project.scripts]\ntracker = "tracker.cli:main"\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    ),
    "tracker/__init__.py": "",
    "tracker/cli.py": "import sys\n\ndef main():\n    print(sys.argv)\n",
}


def _project(make_project: MakeProject, dockerfile: str, run: str = 'host="0.0.0.0"') -> Path:
    return make_project(
        {
            "requirements.txt": "flask\n",
            "app.py": APP.format(run=run),
            "poller.py": JOB,
            "Dockerfile": dockerfile,
        }
    )


def test_the_exposed_port_of_the_image_running_the_app(make_project: MakeProject) -> None:
    dockerfile = (
        'FROM python:3.12-slim AS base\nEXPOSE 5000\n\nFROM base\nCOPY . .\nCMD ["python", "app.py"]\n'
    )
    facts = detect_project(_project(make_project, dockerfile), python="3.13")
    assert facts.app.kind.value == "web"
    assert facts.app.port.value == 5000
    evidence = facts.app.port.evidence[0]
    assert (evidence.file, evidence.line) == ("Dockerfile", 2)  # inherited from the stage it is built FROM
    assert evidence.detail.startswith("EXPOSE 5000")
    assert "5000" in " ".join(facts.app.command.value)  # the server is told the same port


def test_a_script_importing_the_app_runs_it_too(make_project: MakeProject) -> None:
    project = make_project(
        {
            "requirements.txt": "flask\n",
            "web/__init__.py": "",
            "web/app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "serve.py": "from web.app import app\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n",
            "Dockerfile": 'FROM python:3.12-slim\nEXPOSE 8080\nCMD ["python", "serve.py"]\n',
        }
    )
    facts = detect_project(project, python="3.13")
    assert (facts.app.port.value, facts.app.port.evidence[0].file) == (8080, "Dockerfile")


def test_the_code_outranks_the_exposed_port(make_project: MakeProject) -> None:
    dockerfile = 'FROM python:3.12-slim\nEXPOSE 5000\nCMD ["python", "app.py"]\n'
    facts = detect_project(_project(make_project, dockerfile, run='host="0.0.0.0", port=8081'), python="3.13")
    assert facts.app.port.value == 8081
    assert facts.app.port.evidence[0].file == "app.py"


@pytest.mark.parametrize(
    "dockerfile",
    [
        'FROM python:3.12-slim\nEXPOSE 5000\nCMD ["python", "poller.py"]\n',  # another process
        'FROM python:3.12-slim\nEXPOSE 5000 5001\nCMD ["python", "app.py"]\n',  # which one?
        'FROM python:3.12-slim\nEXPOSE 5000/udp\nCMD ["python", "app.py"]\n',  # not TCP
        'FROM python:3.12-slim AS other\nEXPOSE 5000\nFROM python:3.12-slim\nCMD ["python", "app.py"]\n',
    ],
)
def test_no_port_from_an_image_that_says_nothing_of_the_app(
    make_project: MakeProject, dockerfile: str
) -> None:
    facts = detect_project(_project(make_project, dockerfile), python="3.13")
    assert facts.app.port.evidence[0].file != "Dockerfile"
    assert facts.app.port.value == 8000  # the frameworks table's default, as without the Dockerfile


def test_a_worker_the_image_runs_gets_no_port(make_project: MakeProject) -> None:
    project = make_project(
        {
            "requirements.txt": "",
            "poller.py": JOB,
            "admin.py": "import argparse\n\nif __name__ == '__main__':\n    argparse.ArgumentParser().parse_args()\n",
            "Dockerfile": 'FROM python:3.12-slim\nEXPOSE 9000\nCMD ["python", "poller.py"]\n',
        }
    )
    facts = detect_project(project, python="3.13")
    assert facts.app.kind.value == "worker"
    assert facts.app.port.value is None


def test_a_console_script_told_the_exposed_port_is_a_web_process(make_project: MakeProject) -> None:
    """``CMD ["tracker", "--nolaunch", "--port", "8081"]`` beside ``EXPOSE 8081``: the program serves
    on the port the image exposes (a daemon with its own web server, no framework app the scan finds)."""
    project = make_project(
        {
            **TRACKER,
            "Dockerfile": 'FROM python:3.12-slim\nCOPY . .\nCMD ["tracker", "--nolaunch", "--port", "8081"]\nEXPOSE 8081\n',
        }
    )
    facts = detect_project(project, python="3.13")
    assert facts.app.kind.value == "web" and facts.app.port.value == 8081
    assert facts.app.command.value == ("tracker", "--nolaunch", "--port", "8081")


def test_a_data_folder_the_image_declared_a_volume_is_made_writable(make_project: MakeProject) -> None:
    """``tracker --datadir /data`` beside ``VOLUME /data``: the planned image makes /data the app user's
    (the non-root app cannot create it), and says to mount a volume there."""
    project = make_project(
        {
            **TRACKER,
            "Dockerfile": (
                "FROM python:3.12-slim\nCOPY . .\nVOLUME /data /downloads\n"
                'CMD ["tracker", "--datadir=/data", "--port", "8081", "--config", "/etc/tracker.ini"]\nEXPOSE 8081\n'
            ),
        }
    )
    facts = detect_project(project, python="3.13")
    written = {f.value: f.evidence[0] for f in facts.app.writable}
    assert list(written) == ["/data"] and (written["/data"].file, written["/data"].line) == ("Dockerfile", 3)
    assert any("docker run -v NAME:/data" in n for n in facts.notes)


def test_a_volume_over_the_image_s_own_folders_or_a_word_no_path_is_not_made_writable(
    make_project: MakeProject,
) -> None:
    """A start naming ``/opt`` (the venv's parent), ``/var`` or ``/`` beside a ``VOLUME`` of the same:
    ``chown -R`` there would hand the app user its own venv or the system's files."""
    project = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = "tracker"\nversion = "1.0"\n[project.scripts]\ntracker = "tracker.cli:main"\n'
                '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            ),
            "tracker/__init__.py": "",
            "tracker/cli.py": "import sys\n\ndef main():\n    print(sys.argv)\n",
            "Dockerfile": (
                'FROM python:3.12-slim\nCOPY . .\nVOLUME ["/opt", "/var", "/", "/srv/tracker"]\n'
                'CMD ["tracker", "--prefix=/opt", "--state", "/var", "--root", "/", '
                '"--datadir", "/srv/tracker", "--port", "8081"]\nEXPOSE 8081\n'
            ),
        }
    )
    facts = detect_project(project, python="3.13")
    assert [f.value for f in facts.app.writable] == ["/srv/tracker"]


def test_a_volume_path_reaches_the_run_line_quoted(tmp_path: Path) -> None:
    """The folder comes from the project's image (``VOLUME ["/srv/my data;x"]``): the RUN line that makes
    it the app user's quotes it for the shell."""
    from dockwright import api

    files = {
        **TRACKER,
        "Dockerfile": (
            'FROM python:3.12-slim\nCOPY . .\nVOLUME ["/srv/my data;x"]\n'
            'CMD ["tracker", "--datadir", "/srv/my data;x", "--port", "8081"]\nEXPOSE 8081\n'
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    plan = api.plan(tmp_path, syntax_directive=False)
    runs = [" ".join(step.args) for step in plan.runtime_steps if step.instruction == "RUN"]
    assert any(
        "mkdir -p '/srv/my data;x'" in r and "chown -R 10001:10001 '/srv/my data;x'" in r for r in runs
    )


FASTAPI = "from fastapi import FastAPI\n\napp = FastAPI()\n"


@pytest.mark.parametrize(
    "cmd",
    [
        'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "5000"]',
        "CMD uvicorn main:app --host 0.0.0.0 --port=5000",
        'CMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "-b", "0.0.0.0:5000", "main:app"]',
        'CMD ["hypercorn", "--bind", ":5000", "main:app"]',
        'CMD ["fastapi", "run", "main.py", "--port", "5000"]',
        'CMD ["sh", "-c", "exec uvicorn main:app --host 0.0.0.0 --port 5000"]',
    ],
)
@pytest.mark.parametrize("expose", ["", "EXPOSE 5000\n", "EXPOSE 8000\n"])
def test_the_port_the_own_images_server_binds_for_the_app(
    make_project: MakeProject, cmd: str, expose: str
) -> None:
    """The own image serves the app the plan serves on ``--port 5000``: the plan's server command (which
    held the table's default) binds 5000 too, whatever the ``EXPOSE`` says."""
    dockerfile = f"FROM python:3.12-slim\nCOPY . .\n{expose}{cmd}\n"
    project = make_project(
        {"requirements.txt": "fastapi\nuvicorn\n", "main.py": FASTAPI, "Dockerfile": dockerfile}
    )
    facts = detect_project(project, python="3.13")
    assert facts.app.port.value == 5000
    evidence = facts.app.port.evidence[0]
    assert (evidence.file, evidence.line) == ("Dockerfile", 3 + bool(expose))
    assert "5000" in " ".join(facts.app.command.value)  # the plan's server is told it


def test_flask_run_told_a_port_serves_the_app_on_it(make_project: MakeProject) -> None:
    dockerfile = 'FROM python:3.12-slim\nCOPY . .\nCMD ["flask", "run", "--host", "0.0.0.0", "-p", "5001"]\n'
    app = "from flask import Flask\n\napp = Flask(__name__)\n"
    project = make_project({"requirements.txt": "flask\n", "app.py": app, "Dockerfile": dockerfile})
    facts = detect_project(project, python="3.13")
    assert (facts.app.port.value, facts.app.port.evidence[0].line) == (5001, 3)


@pytest.mark.parametrize(
    "cmd",
    [
        'CMD ["uvicorn", "other:app", "--port", "5000"]',  # another app
        'CMD ["python", "poller.py", "--port", "5000"]',  # another process
    ],
)
def test_no_bound_port_from_an_image_serving_something_else(make_project: MakeProject, cmd: str) -> None:
    files = {"requirements.txt": "fastapi\nuvicorn\n", "main.py": FASTAPI, "poller.py": JOB}
    project = make_project({**files, "Dockerfile": f"FROM python:3.12-slim\nCOPY . .\n{cmd}\n"})
    facts = detect_project(project, python="3.13")
    assert facts.app.command.value[:2] == ("uvicorn", "main:app")
    assert (facts.app.port.value, facts.app.port.evidence[0].file) == (8000, "frameworks table")


def test_the_own_command_told_another_port_is_the_same_process(make_project: MakeProject) -> None:
    """``tracker --port 8081`` in the image beside ``EXPOSE 9000``: the port the program is told is where it
    listens."""
    dockerfile = (
        'FROM python:3.12-slim\nCOPY . .\nEXPOSE 9000\nCMD ["tracker", "--nolaunch", "--port", "8081"]\n'
    )
    facts = detect_project(make_project({**TRACKER, "Dockerfile": dockerfile}), python="3.13")
    assert facts.app.port.value == 8081
    assert (facts.app.port.evidence[0].file, facts.app.port.evidence[0].line) == ("Dockerfile", 4)
