"""A repository command that runs one of the project's shell scripts alone (compose's ``command:
deploy/serve.sh``, a Procfile's ``web: ./serve.sh``) whose last command starts the server without
``exec``: the script's lines run inline with ``exec`` added, as an entry script's are, so the server
and not the shell gets tini's SIGTERM (project/script_inline.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SCRIPT = (
    "#!/usr/bin/env bash\nset -e\n\nAPP=${APP:-notes.main:app}\n"
    'gunicorn -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8000 "$APP"\n'
)
INLINE = (
    "bash",
    "-c",
    'APP=${APP:-notes.main:app} && exec gunicorn -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8000 "$APP"',
)


def _files(**extra: str) -> dict[str, str | bytes]:
    return {
        "requirements.txt": "fastapi\nuvicorn\ngunicorn\n",
        "notes/__init__.py": "",
        "notes/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "deploy/serve.sh": SCRIPT,
        **extra,
    }


@pytest.mark.parametrize(
    "source",
    [
        {
            "docker-compose.yml": "services:\n  api:\n    build: .\n    ports: ['8000:8000']\n    command: deploy/serve.sh\n"
        },
        {"Procfile": "web: ./deploy/serve.sh\n"},
        {"Procfile": "web: bash deploy/serve.sh\n"},
    ],
)
def test_the_script_runs_inline_with_exec(make_project: MakeProject, source: dict[str, str]) -> None:
    app = detect_project(make_project(_files(**source)), python="3.12").app
    assert app.command.value == INLINE
    assert app.command.evidence[-1].file == "deploy/serve.sh"
    assert "exec added" in app.command.evidence[-1].detail


def test_a_script_that_execs_its_server_is_kept(make_project: MakeProject) -> None:
    files = _files(**{"Procfile": "web: ./deploy/serve.sh\n"})
    files["deploy/serve.sh"] = SCRIPT.replace("gunicorn -k", "exec gunicorn -k")
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == ("bash", "deploy/serve.sh")


def test_a_script_that_finds_its_folder_is_kept(make_project: MakeProject) -> None:
    files = _files(**{"Procfile": "web: ./deploy/serve.sh\n"})
    files["deploy/serve.sh"] = SCRIPT.replace("set -e\n", 'set -e\ncd "$(dirname "$0")/.."\n')
    app = detect_project(make_project(files), python="3.12").app
    assert "exec" not in " ".join(app.command.value)  # under `bash -c` its $0 would be the shell
