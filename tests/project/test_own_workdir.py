"""The repository image's work directory kept when the project's files name paths under it
(project/own_workdir.py): ``/src/gunicorn/conf.py`` in an entry script names nothing in ``/app``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.api import plan
from dockwright.project.own_workdir import own_workdir
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

OWN = "FROM python:3.12-slim\nWORKDIR /src\nCOPY . .\nRUN pip install -r requirements.txt\nUSER app\n"
SCRIPT = (
    "#!/usr/bin/env bash\nset -e\nexport CONF=${CONF:-/src/deploy/gunicorn_conf.py}\n"
    'exec gunicorn -k uvicorn.workers.UvicornWorker -c "$CONF" notes.main:app\n'
)


def _files(**extra: str) -> dict[str, str | bytes]:
    return {
        "requirements.txt": "fastapi\nuvicorn\ngunicorn\n",
        "notes/__init__.py": "",
        "notes/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "deploy/gunicorn_conf.py": "bind = '0.0.0.0:8000'\nlogconfig = '/src/deploy/logging.ini'\n",
        "deploy/logging.ini": "[loggers]\nkeys=root\n",
        "deploy/start.sh": SCRIPT,
        "Dockerfile.prod": OWN,
        "docker-compose.prod.yml": (
            "services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.prod\n"
            "    ports: ['8000:8000']\n    command: deploy/start.sh\n"
        ),
        **extra,
    }


def test_the_script_s_folder_is_the_image_s_work_directory(make_project: MakeProject) -> None:
    root = make_project(_files())
    found = own_workdir(ProjectTree(root))
    assert found is not None and found.value == "/src"
    assert (found.evidence[0].file, found.evidence[0].line) == ("deploy/start.sh", 3)
    built = plan(root)
    assert built.workdir == "/src"
    decision = next(d for d in built.decisions if d.topic == "workdir")
    assert decision.choice == "/src" and "deploy/start.sh:3" in decision.reason


def test_paths_only_the_dockerfile_names_leave_app(make_project: MakeProject) -> None:
    files = _files(**{"deploy/start.sh": SCRIPT.replace("/src/deploy/", "deploy/")})
    files["deploy/gunicorn_conf.py"] = "bind = '0.0.0.0:8000'\n"
    assert own_workdir(ProjectTree(make_project(files))) is None


def test_a_path_under_the_folder_the_project_lacks_does_not_count(make_project: MakeProject) -> None:
    files = _files(**{"deploy/start.sh": SCRIPT.replace("/src/deploy/gunicorn_conf.py", "/src/static/x.css")})
    files["deploy/gunicorn_conf.py"] = "bind = '0.0.0.0:8000'\n"
    assert own_workdir(ProjectTree(make_project(files))) is None


def test_a_system_work_directory_is_never_taken(make_project: MakeProject) -> None:
    files = _files(**{"Dockerfile.prod": OWN.replace("WORKDIR /src", "WORKDIR /usr/src")})
    files["deploy/start.sh"] = SCRIPT.replace("/src/deploy", "/usr/src/deploy")
    assert own_workdir(ProjectTree(make_project(files))) is None


def test_a_work_directory_spelled_with_a_variable_or_a_space_is_not_kept(make_project: MakeProject) -> None:
    """``WORKDIR /srv/$APP`` is read as written (no variable is expanded): the plan would write that
    text, which Docker expands to another folder; a space or a quote is no folder the plan writes."""
    for workdir in ("/srv/$APP", "/srv/${APP}", '"/srv/my app"'):
        shown = workdir.strip('"')
        files = _files(
            **{
                "Dockerfile.prod": OWN.replace("WORKDIR /src", f"ENV APP=x\nWORKDIR {workdir}"),
                "deploy/start.sh": SCRIPT.replace("/src/deploy/", f"{shown}/deploy/"),
            }
        )
        files["deploy/gunicorn_conf.py"] = "bind = '0.0.0.0:8000'\n"
        assert own_workdir(ProjectTree(make_project(files))) is None, workdir
