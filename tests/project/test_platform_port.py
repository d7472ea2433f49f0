"""A project whose own (set-aside) Dockerfile serves on the platform's $PORT gets a gunicorn that reads
PORT itself: no --bind, ENV PORT=<planned port> (project.platform_port)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.facts import AppFacts

MakeProject = Callable[[dict[str, str | bytes]], Path]

FLASK = {
    "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    "requirements.txt": "flask\ngunicorn\n",
}
BASE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"


def _app(make_project: MakeProject, dockerfile: str | None, **more: str) -> AppFacts:
    files = {**FLASK, **more, **({"Dockerfile": BASE + dockerfile} if dockerfile else {})}
    return detect_project(make_project(files)).app


def test_a_cmd_on_port_keeps_port_at_run_time(make_project: MakeProject) -> None:
    app = _app(make_project, "CMD exec gunicorn --bind :$PORT --workers 1 app:app\n")
    assert app.command.value == ("gunicorn", "app:app")
    env = {e.name: e for e in app.env}
    assert env["PORT"].value == "8000" and "no bind is given" in env["PORT"].why
    assert (env["PORT"].evidence[0].file, env["PORT"].evidence[0].line) == ("Dockerfile", 5)


def test_env_port_with_a_bindless_gunicorn_counts(make_project: MakeProject) -> None:
    app = _app(make_project, 'ENV PORT=8080\nCMD ["gunicorn", "app:app"]\n')
    assert app.command.value == ("gunicorn", "app:app") and "PORT" in {e.name for e in app.env}


def test_env_port_among_other_assignments_counts(make_project: MakeProject) -> None:
    # `ENV A=1 PORT=8080` sets PORT as surely as `ENV PORT=8080` (the parsed ENV, not its first word)
    app = _app(make_project, 'ENV PYTHONUNBUFFERED=1 PORT=8080\nCMD ["gunicorn", "app:app"]\n')
    assert app.command.value == ("gunicorn", "app:app") and "PORT" in {e.name for e in app.env}


def test_env_port_of_another_stage_does_not_count(make_project: MakeProject) -> None:
    # a builder stage's ENV is not in the final image's environment
    builder = "FROM python:3.12-slim AS build\nENV PORT=9000\nRUN true\n"
    files = {**FLASK, "Dockerfile": builder + BASE + 'CMD ["gunicorn", "app:app"]\n'}
    app = detect_project(make_project(files)).app
    assert "--bind" in app.command.value and "PORT" not in {e.name for e in app.env}


def test_an_image_on_a_fixed_port_keeps_the_bind(make_project: MakeProject) -> None:
    app = _app(make_project, 'CMD ["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]\n')
    assert "--bind" in app.command.value and "PORT" not in {e.name for e in app.env}


def test_no_dockerfile_keeps_the_bind(make_project: MakeProject) -> None:
    assert _app(make_project, None).command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")


def test_a_gunicorn_config_that_binds_is_left_alone(make_project: MakeProject) -> None:
    app = _app(
        make_project,
        "CMD exec gunicorn --bind :$PORT app:app\n",
        **{"gunicorn.conf.py": "bind = '0.0.0.0:7000'\n"},
    )
    assert "PORT" not in {e.name for e in app.env} and app.port.value == 7000  # the config's bind


def test_uvicorn_is_not_touched(make_project: MakeProject) -> None:
    files = {"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n", "requirements.txt": "fastapi\n"}
    app = detect_project(
        make_project({**files, "Dockerfile": BASE + "CMD uvicorn main:app --port $PORT\n"})
    ).app
    assert app.command.value[0] == "uvicorn" and "--port" in app.command.value


# --- the port the own image gives $PORT is the planned port (platform_port.own_port_value) -----------


def _env(app: AppFacts) -> dict[str, str]:
    return {e.name: e.value for e in app.env}


def test_env_port_of_the_own_image_is_the_planned_port(make_project: MakeProject) -> None:
    app = _app(make_project, "ENV PORT=8080\nCMD exec gunicorn --bind :$PORT --workers 1 app:app\n")
    assert app.port.value == 8080 and _env(app)["PORT"] == "8080"
    evidence = app.port.evidence[0]
    assert (evidence.file, evidence.line) == ("Dockerfile", 5) and evidence.detail.startswith("ENV PORT=8080")


def test_arg_default_and_env_from_it(make_project: MakeProject) -> None:
    app = _app(make_project, "ARG PORT=8081\nENV PORT=${PORT}\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n")
    assert app.port.value == 8081 and app.port.evidence[0].detail.startswith("ENV PORT=${PORT}")
    app = _app(make_project, "ARG PORT=8082\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n")
    assert app.port.value == 8082 and app.port.evidence[0].detail.startswith("ARG PORT=8082")


def test_a_default_in_the_command_and_a_lone_expose(make_project: MakeProject) -> None:
    app = _app(make_project, "ENV PORT=9000\nCMD gunicorn -b 0.0.0.0:${PORT:-8083} app:app\n")
    assert app.port.value == 8083  # the command's own default is what it binds when PORT is unset
    app = _app(make_project, "EXPOSE 8084\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n")
    assert app.port.value == 8084 and app.port.evidence[0].detail.startswith("EXPOSE 8084")


def test_uvicorn_on_port_takes_the_value_too(make_project: MakeProject) -> None:
    files = {"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n", "requirements.txt": "fastapi\n"}
    dockerfile = BASE + "ENV PORT=8080\nCMD uvicorn main:app --host 0.0.0.0 --port $PORT\n"
    app = detect_project(make_project({**files, "Dockerfile": dockerfile})).app
    assert app.port.value == 8080 and "8080" in app.command.value


def test_an_image_running_another_module_says_nothing(make_project: MakeProject) -> None:
    app = _app(
        make_project, "ENV PORT=8080\nCMD gunicorn -b :$PORT other:server\n", **{"other.py": "x = 1\n"}
    )
    assert app.port.value == 5000 or app.port.value == 8000
    assert app.port.evidence[0].file != "Dockerfile"


def test_the_code_port_outranks_the_image(make_project: MakeProject) -> None:
    code = "from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(port=7001)\n"
    app = _app(make_project, "ENV PORT=8080\nCMD exec gunicorn --bind :$PORT app:app\n", **{"app.py": code})
    assert app.port.value == 7001
