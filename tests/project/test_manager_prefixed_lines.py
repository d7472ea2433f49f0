"""A repository's start line that runs its programs through a project manager (``poetry run``, ``uv
run``, ``pipenv run``): the Procfile, compose, a platform blueprint and the own image's shell line are read
as an entry script's lines are, the prefix left out of each step (the image's venv is on PATH)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.command_prefixes import unprefixed_steps
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

MAIN = "from fastapi import FastAPI\n\n\ndef build():\n    return FastAPI()\n\n\napp = build()\n"
PYPROJECT = (
    '[project]\nname = "notes"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["fastapi", "uvicorn", "alembic"]\n'
)


def _api(**extra: str) -> dict[str, str | bytes]:
    return {
        "pyproject.toml": PYPROJECT,
        "notes/__init__.py": "",
        "notes/main.py": MAIN,
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": "",
        **extra,
    }


MIGRATE_THEN_SERVE = ("/bin/sh", "-c", "alembic upgrade head && exec uvicorn --host=0.0.0.0 notes.main:app")


@pytest.mark.parametrize(
    "cmd",
    [
        "CMD poetry run alembic upgrade head && \\\n    poetry run uvicorn --host=0.0.0.0 notes.main:app",
        'CMD ["sh", "-c", "uv run alembic upgrade head && uv run uvicorn --host=0.0.0.0 notes.main:app"]',
        "CMD pipenv run alembic upgrade head && exec pipenv run uvicorn --host=0.0.0.0 notes.main:app",
    ],
)
def test_the_own_image_s_prefixed_steps_then_server(make_project: MakeProject, cmd: str) -> None:
    files = _api(Dockerfile=f"FROM python:3.11-slim\nWORKDIR /app\nCOPY . ./\nEXPOSE 8000\n{cmd}\n")
    app = detect_project(make_project(files), python="3.11").app
    assert app.command.value == MIGRATE_THEN_SERVE
    assert app.command.evidence[0].file == "Dockerfile"
    assert (app.kind.value, app.port.value) == ("web", 8000)


def test_a_procfile_line_through_poetry_run(make_project: MakeProject) -> None:
    files = _api(
        Procfile="web: poetry run alembic upgrade head && poetry run uvicorn --host=0.0.0.0 notes.main:app\n"
    )
    app = detect_project(make_project(files), python="3.11").app
    assert app.command.value == MIGRATE_THEN_SERVE
    assert app.command.evidence[0].file == "Procfile"


def test_a_single_procfile_command_through_uv_run(make_project: MakeProject) -> None:
    files = _api(Procfile="web: uv run --frozen uvicorn notes.main:app --host 0.0.0.0 --port $PORT\n")
    app = detect_project(make_project(files), python="3.11").app
    assert app.command.value[-1].startswith(
        "exec uvicorn notes.main:app --host 0.0.0.0 --port "
    )  # $PORT: a shell
    assert app.command.evidence[0].file == "Procfile"


def test_a_compose_command_through_poetry_run(make_project: MakeProject) -> None:
    compose = (
        "services:\n  api:\n    build: .\n    ports: ['8000:8000']\n"
        '    command: sh -c "poetry run alembic upgrade head && poetry run uvicorn --host=0.0.0.0 notes.main:app"\n'
    )
    app = detect_project(make_project(_api(**{"docker-compose.yml": compose})), python="3.11").app
    assert app.command.value == MIGRATE_THEN_SERVE


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("poetry run a && poetry run b", "a && b"),
        ("X=1 poetry run a; exec uv run --frozen b 'c;d'", "X=1 a; exec b 'c;d'"),
        ("timeout 30 sh -c 'x' && b", "timeout 30 sh -c 'x' && b"),  # not an environment runner: kept
        ("poetry install && poetry run b", "poetry install && b"),  # another sub-command: kept
    ],
)
def test_unprefixed_steps(line: str, expected: str) -> None:
    assert unprefixed_steps(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # an option of the runner's sub-command that takes a value: the value is the runner's, not the app
        ("uv run --env-file .env uvicorn app:app", "uvicorn app:app"),
        ("exec uv run --frozen --with gunicorn gunicorn app:app", "exec gunicorn app:app"),
        ("uv run --env-file=.env --package api uvicorn app:app", "uvicorn app:app"),
        ("poetry run -C backend uvicorn main:app", "uvicorn main:app"),
    ],
)
def test_a_runner_option_s_value_is_left_out_with_it(line: str, expected: str) -> None:
    assert unprefixed_steps(line) == expected


def test_a_procfile_command_through_uv_run_with_an_env_file(make_project: MakeProject) -> None:
    files = _api(Procfile="web: uv run --env-file .env uvicorn notes.main:app --host 0.0.0.0 --port 8000\n")
    app = detect_project(make_project(files), python="3.11").app
    assert app.command.value[:2] == ("uvicorn", "notes.main:app")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # `uv run FILE.py` runs the file with the project's interpreter: the interpreter stays
        ("uv run --no-dev serve.py", "python serve.py"),
        ("exec uv run tools/serve.py --port 9000", "exec python tools/serve.py --port 9000"),
        ("uv run python serve.py", "python serve.py"),
        ("uv run serve", "serve"),  # a program of the venv, not a file
    ],
)
def test_uv_run_of_a_python_file_keeps_the_interpreter(line: str, expected: str) -> None:
    assert unprefixed_steps(line) == expected


SERVE = (
    "import uvicorn\n\nif __name__ == '__main__':\n"
    "    uvicorn.run('notes.main:app', host='0.0.0.0', port=8000)\n"
)


@pytest.mark.parametrize(
    "compose",
    [
        "services:\n  api:\n    build: .\n    ports: ['8000:8000']\n    command: uv run --no-dev serve.py\n",
        "services:\n  api:\n    build: .\n    ports: ['8000:8000']\n    command: ['uv', 'run', 'serve.py']\n",
        # no command: the service runs its Dockerfile's exec-form CMD
        "services:\n  api:\n    build:\n      context: .\n      dockerfile: ./Dockerfile\n    ports: ['8000:8000']\n",
    ],
)
def test_a_compose_service_running_uv_run_of_a_script(make_project: MakeProject, compose: str) -> None:
    files = _api(
        **{
            "serve.py": SERVE,
            "docker-compose.yml": compose,
            "Dockerfile": 'FROM python:3.13\nCOPY . .\nCMD ["uv", "run", "--no-dev", "serve.py"]\n',
        }
    )
    app = detect_project(make_project(files), python="3.11").app
    assert app.command.value == ("python", "serve.py")
    assert app.command.evidence[0].file == "docker-compose.yml"


def test_a_compose_service_built_from_a_development_recipe_is_not_the_start(
    make_project: MakeProject,
) -> None:
    # its CMD runs the app under a debugger: the recipe is development's, whatever prefix it has
    compose = (
        "services:\n  app:\n    build:\n      context: .\n      dockerfile: development.dockerfile\n"
        "    ports: ['80:8080']\n"
    )
    recipe = 'FROM python:3.13\nCOPY . .\nCMD ["uv", "run", "python3", "-m", "debugpy", "--listen", "5678", "serve.py"]\n'
    files = _api(**{"serve.py": SERVE, "docker-compose.yml": compose, "development.dockerfile": recipe})
    app = detect_project(make_project(files), python="3.11").app
    assert "debugpy" not in app.command.value
    assert app.command.evidence[0].file != "docker-compose.yml"
    assert app.port.evidence[0].file != "docker-compose.yml"  # its port is the debug run's too
