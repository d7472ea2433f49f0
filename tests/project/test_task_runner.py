"""A task runner's start task (PDM/Hatch/Poe scripts, justfile, Taskfile, Makefile) that runs a server is
the start, without the runner's prefix; development tasks are not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors.task_runner import server_argv
from dockwright.project.foreign import source_builds
from dockwright.project.tree import ProjectTree, parse_toml

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own app: a FastAPI app made by a class of another package (the web scan does not know it)
APP = "from fastapi_extras import ShopApp\n\napp = ShopApp(title='shop')\n"
PACKAGE = {"shop/__init__.py": "", "shop/main.py": APP}


def _app(make_project: MakeProject, files: dict[str, str], pyproject: str = "") -> object:
    root = make_project({**PACKAGE, **files, **({"pyproject.toml": pyproject} if pyproject else {})})
    return detect_app(
        ProjectTree(root), parse_toml(pyproject) if pyproject else None, dependencies=frozenset({"uvicorn"})
    )


def test_justfile_run_recipe_without_its_runner_prefix(make_project: MakeProject) -> None:
    justfile = (
        "set dotenv-load := true\n\n"
        "default:\n    just --list\n\n"
        "run:\n    uv run uvicorn shop.main:app --no-access-log\n\n"
        "run-dev:\n    uv run uvicorn shop.main:app --reload\n"
    )
    app = _app(make_project, {"justfile": justfile})
    assert app.command.value == ("uvicorn", "shop.main:app", "--no-access-log")  # type: ignore[attr-defined]
    ev = app.command.evidence[0]  # type: ignore[attr-defined]
    assert (ev.file, ev.line) == ("justfile", 7)
    assert app.kind.value == "web"  # type: ignore[attr-defined]
    env = {e.name: e.value for e in app.env}  # type: ignore[attr-defined]
    assert env["UVICORN_HOST"] == "0.0.0.0"


def test_pdm_start_script_wins_over_dev(make_project: MakeProject) -> None:
    pyproject = (
        '[project]\nname = "shop"\nversion = "1"\ndependencies = ["uvicorn"]\n\n'
        "[tool.pdm.scripts]\n"
        '_.env_file = ".env"\n'
        'dev = "uvicorn shop.main:app --reload"\n'
        'start = {cmd = "uvicorn shop.main:app --workers 2 --port 8100"}\n'
    )
    app = _app(make_project, {}, pyproject)
    assert app.command.value == ("uvicorn", "shop.main:app", "--workers", "2", "--port", "8100")  # type: ignore[attr-defined]
    assert app.port.value == 8100  # type: ignore[attr-defined]
    assert "[tool.pdm.scripts] start" in app.command.evidence[0].detail  # type: ignore[attr-defined]


def test_evidence_is_the_task_line_not_a_dev_task_with_the_same_start(make_project: MakeProject) -> None:
    pyproject = (
        '[project]\nname = "shop"\nversion = "1"\n\n'
        "[tool.pdm.scripts]\n"
        'dev = "uvicorn shop.main:app --reload"\n'
        'start = "uvicorn shop.main:app"\n'
    )
    app = _app(make_project, {}, pyproject)
    assert app.command.evidence[0].line == 7  # type: ignore[attr-defined]


def test_hatch_and_poe_tasks(make_project: MakeProject) -> None:
    hatch = (
        '[project]\nname = "shop"\nversion = "1"\n\n'
        "[tool.hatch.envs.default.scripts]\n"
        'test = "pytest"\n'
        'serve = ["alembic upgrade head", "gunicorn -k uvicorn.workers.UvicornWorker shop.main:app"]\n'
    )
    app = _app(make_project, {}, hatch)
    assert app.command.value[:2] == ("gunicorn", "-k")  # type: ignore[attr-defined]
    poe = '[project]\nname = "shop"\nversion = "1"\n\n[tool.poe.tasks]\nprod = {shell = "hypercorn shop.main:app"}\n'
    # hypercorn reads no variable for its bind (127.0.0.1 by default): the option is added
    assert _app(make_project, {}, poe).command.value == (
        "hypercorn",
        "--bind",
        "0.0.0.0:8000",
        "shop.main:app",
    )  # type: ignore[attr-defined]


def test_makefile_start_with_its_variable_and_python_m(make_project: MakeProject) -> None:
    makefile = (
        "PORT ?= 8200\n\n"
        "install:\n\tpoetry install\n\n"
        "dev:\n\tpython manage.py runserver\n\n"
        "start:\n\tpoetry run python -m gunicorn -w 3 -b 0.0.0.0:$(PORT) shop.main:app\n"
    )
    app = _app(make_project, {"Makefile": makefile})
    assert app.command.value == ("gunicorn", "-w", "3", "-b", "0.0.0.0:8200", "shop.main:app")  # type: ignore[attr-defined]
    assert app.port.value == 8200  # type: ignore[attr-defined]


@pytest.mark.parametrize("variable", ["$(PORT)", "${PORT}", "$$PORT"])
def test_makefile_port_with_no_value_reads_the_planned_port(make_project: MakeProject, variable: str) -> None:
    makefile = f"start:\n\tgunicorn -w 2 -b 0.0.0.0:{variable} shop.main:app\n"
    app = _app(make_project, {"Makefile": makefile})
    assert app.command.value == ("/bin/sh", "-c", "exec gunicorn -w 2 -b 0.0.0.0:$PORT shop.main:app")  # type: ignore[attr-defined]
    env = {e.name: e.value for e in app.env}  # type: ignore[attr-defined]
    assert env["PORT"] == str(app.port.value) == "8000"  # type: ignore[attr-defined]


def test_makefile_port_with_no_value_takes_the_own_images_port(make_project: MakeProject) -> None:
    files = {
        "Makefile": "run:\n\tuvicorn shop.main:app --host 0.0.0.0 --port $(PORT)\n",
        "Dockerfile": "FROM python:3.12-slim\nENV PORT=8090\nCMD uvicorn shop.main:app --port $PORT\n",
    }
    app = _app(make_project, files)
    assert app.command.value[-1].endswith("--port $PORT")  # type: ignore[attr-defined]
    assert app.port.value == 8090  # type: ignore[attr-defined]
    assert {e.name: e.value for e in app.env}["PORT"] == "8090"  # type: ignore[attr-defined]


def test_taskfile_serve_task(make_project: MakeProject) -> None:
    taskfile = (
        "version: '3'\ntasks:\n  lint:\n    cmds:\n      - ruff check .\n"
        "  serve:\n    cmds:\n      - uv run granian --interface asgi shop.main:app\n"
    )
    app = _app(make_project, {"Taskfile.yml": taskfile})
    assert app.command.value[:3] == ("granian", "--interface", "asgi")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "makefile",
    [
        "run:\n\tuvicorn shop.main:app --reload\n",  # a development server
        "start:\n\tgunicorn -b 0.0.0.0:$(HOST_PORT) shop.main:app\n",  # a variable with no value, not PORT
        "dev-start:\n\tgunicorn shop.main:app\n",  # a development task by its name
        "start:\n\tuvicorn other.main:app\n",  # a module the project does not have
        "start:\n\tpython shop/main.py\n",  # no server
    ],
)
def test_tasks_that_are_not_the_start(make_project: MakeProject, makefile: str) -> None:
    root = make_project({**PACKAGE, "Makefile": makefile, "wsgi.py": "print('x')\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"uvicorn"}))
    assert app.command.evidence[0].file != "Makefile"


def test_runner_prefixes() -> None:
    assert server_argv(["uv", "run", "--frozen", "uvicorn", "a:b"]) == ("uvicorn", "a:b")
    assert server_argv(["pdm", "run", "python3", "-m", "uvicorn", "a:b"]) == ("uvicorn", "a:b")
    assert server_argv(["hatch", "run", "prod:serve"]) is None
    assert server_argv(["pytest", "-q"]) is None


def test_make_install_of_the_projects_own_makefile_is_no_library_build(make_project: MakeProject) -> None:
    build = "#!/usr/bin/env bash\nset -e\nmake install\nmake migrate\n"
    root = make_project({"Makefile": "install:\n\tuv sync\n", "build.sh": build})
    assert source_builds(ProjectTree(root)) == ()
    library = "#!/bin/sh\ncd /tmp/lib-1.0 && ./configure && make install\nmake install\n"
    root = make_project({"Makefile": "install:\n\tuv sync\n", "build.sh": library})
    assert [e.line for e in source_builds(ProjectTree(root))] == [2]
    root = make_project({"build.sh": build})  # no Makefile of its own: a library's make install
    assert [e.line for e in source_builds(ProjectTree(root))] == [3]


def test_runner_tables_that_are_not_tables_are_skipped(make_project: MakeProject) -> None:
    # `[tool] poe = "..."` and a Hatch env that is no table are not task tables: the PDM task still counts
    pyproject = (
        '[project]\nname = "shop"\nversion = "1"\n\n'
        '[tool]\npoe = "tasks.toml"\nrye = [1]\n'
        'pdm = {scripts = {start = "uvicorn shop.main:app"}}\n'
        'hatch = {envs = {default = "x", prod = 5}}\n'
    )
    app = _app(make_project, {}, pyproject)
    assert app.command.value == ("uvicorn", "shop.main:app")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("prefix", "said"),
    [
        ("nice -n 19", "nice -n 19 (a host's CPU priority"),
        ("nice -10", "nice -10 (a host's CPU priority"),
        ("ionice -c 3", "ionice -c 3 (a host's I/O priority"),
        ("chrt -b 0", "chrt -b 0 (a host's scheduling policy"),
        ("taskset -c 0,1", "taskset -c 0,1 (a host's CPU list"),
        ("stdbuf -oL", "stdbuf -oL (stdout buffering"),
        ("timeout -s INT 3600", "timeout -s INT 3600 (a time limit"),
        ("nice -n 19 ionice -c2 -n7 uv run --frozen", "nice -n 19 (a host's CPU priority"),
    ],
)
def test_host_tuning_prefixes_of_a_make_target_are_left_out_and_said(
    make_project: MakeProject, prefix: str, said: str
) -> None:
    makefile = f"serve:\n\t{prefix} gunicorn -w 2 -b 0.0.0.0:8300 shop.main:app\n"
    notes: list[str] = []
    root = make_project({**PACKAGE, "Makefile": makefile})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"uvicorn"}), notes=notes)
    assert app.command.value == ("gunicorn", "-w", "2", "-b", "0.0.0.0:8300", "shop.main:app")
    assert app.port.value == 8300
    note = next(n for n in notes if "left out of the start" in n)
    assert note.startswith("Makefile:2 (target serve: ") and said in note
    assert (
        "uv run" not in note.split("left out of the start: ")[1]
    )  # the runner's own prefix is the image's job, not said


def test_a_prefix_with_nothing_after_it_is_no_start() -> None:
    assert server_argv(["nice", "-n", "19"]) is None
    assert server_argv(["timeout", "60"]) is None
    assert server_argv(["taskset", "-c", "0", "pytest"]) is None


@pytest.mark.parametrize(
    "line", ["celery worker -A proj -B", "celery -A proj worker", "rq worker high", "dramatiq proj.tasks"]
)
def test_a_run_task_starting_a_worker_is_no_start_task(line: str) -> None:
    """rw41 zinc: a Makefile's ``run-celery`` target (``celery worker -A ...``) was taken as the web start."""
    assert server_argv(line.split()) is None
    assert server_argv(["uv", "run", "gunicorn", "proj.wsgi"]) == ("gunicorn", "proj.wsgi")
