"""Issue 11: start detectors, their ranking, the server table and the start facts, evidence asserted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from detected_app import DetectFiles
from dockwright.errors import ProjectError
from dockwright.project.apps import detect_app
from dockwright.project.detectors import DETECTORS
from dockwright.project.detectors.base import port_of_command, shell_argv, split_command
from dockwright.project.detectors.entry_script import foreign_program
from dockwright.project.detectors.servers import choose, table
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

FLASK = (
    "from flask import Flask\n\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef h():\n    return 'ok'\n"
)
CELERY = "from celery import Celery\ncelery = Celery('t', broker='memory://')\n"


def app_of(root: Path, deps: tuple[str, ...] = (), **kw: object) -> AppFacts:
    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    return detect_app(tree, pyproject, dependencies=frozenset(deps), **kw)  # type: ignore[arg-type]


def test_every_detector_module_documents_what_it_recognises() -> None:
    import importlib

    for name, detector in DETECTORS:
        module = importlib.import_module(detector.__module__)
        assert module.__doc__ and len(module.__doc__) > 40, name


def test_every_server_row_names_a_source_and_fits_an_interface() -> None:
    for server in table().servers:
        assert server.source.startswith("https://")
        assert set(server.interfaces) <= {"wsgi", "asgi", "aiohttp-gunicorn"}
        assert "{target}" in server.command and "{port}" in " ".join(server.command)


def test_server_choice_prefers_what_the_project_depends_on() -> None:
    assert choose("wsgi", frozenset({"waitress"}), False) == (table().servers[4], False)
    server, add = choose("wsgi", frozenset({"flask"}), False)
    assert (server.name, add) == ("gunicorn", True)
    server, add = choose("asgi", frozenset({"hypercorn"}), True)
    assert (server.name, add) == ("hypercorn", False)


def test_flask_with_only_flask_locked_adds_gunicorn(make_project: MakeProject) -> None:
    app = app_of(make_project({"app.py": FLASK}), deps=("flask",))
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")
    assert app.adds.value == ("gunicorn",)
    assert "no production WSGI server" in app.adds.evidence[0].detail
    assert app.adds.evidence[0].file == "app.py"


def test_waitress_dependency_is_used_instead_of_adding_gunicorn(make_project: MakeProject) -> None:
    app = app_of(make_project({"app.py": FLASK}), deps=("flask", "waitress"))
    assert app.command.value == ("waitress-serve", "--listen=0.0.0.0:8000", "app:app")
    assert app.adds.value == ()


def test_fastapi_factory_uses_the_factory_flag(make_project: MakeProject) -> None:
    src = "from fastapi import FastAPI\n\ndef get_application():\n    app = FastAPI()\n    return app\n"
    app = app_of(make_project({"svc/__init__.py": "", "svc/main.py": src}), deps=("fastapi", "uvicorn"))
    assert app.command.value == (
        "uvicorn",
        "--factory",
        "svc.main:get_application",
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
    )
    assert app.command.evidence[0].detail == "fastapi app factory `get_application()`"


def test_litestar_app_from_a_factory_is_served_by_the_asgi_server(make_project: MakeProject) -> None:
    # real repositories: a Litestar factory with `app = create_app()` was missed, and a dev launcher
    # console script (`uvicorn.run(..., reload=True)`) was packaged as a CLI instead
    src = (
        "from litestar import Litestar, get\n\n@get('/healthz')\nasync def h() -> str:\n    return 'ok'\n\n"
        "def create_app() -> Litestar:\n    return Litestar(route_handlers=[h])\n\napp = create_app()\n"
    )
    pyproject = (
        '[project]\nname = "svc"\nversion = "1"\ndependencies = ["litestar", "uvicorn"]\n'
        '[project.scripts]\nrun = "svc.cli:start"\n'
    )
    cli = "import uvicorn\n\ndef start():\n    uvicorn.run('svc.app:app', reload=True)\n"
    root = make_project(
        {"pyproject.toml": pyproject, "src/svc/__init__.py": "", "src/svc/app.py": src, "src/svc/cli.py": cli}
    )
    app = app_of(root, deps=("litestar", "uvicorn"))
    assert (app.kind.value, app.framework.value) == ("web", "litestar")
    assert app.command.value == ("uvicorn", "svc.app:app", "--host", "0.0.0.0", "--port", "8000")
    assert app.command.evidence[0].detail == "litestar app `app` = create_app()"
    assert app.health_path.value == "/healthz"


def test_quart_factory_is_served_with_the_factory_flag(make_project: MakeProject) -> None:
    src = "from quart import Quart\n\ndef create_app():\n    app = Quart(__name__)\n    return app\n"
    app = app_of(make_project({"web/__init__.py": "", "web/main.py": src}), deps=("quart", "hypercorn"))
    assert app.framework.value == "quart"
    assert app.command.value[0] == "hypercorn"
    assert app.command.evidence[0].detail == "quart app factory `create_app()`"


def test_module_level_factory_call_is_served_as_the_object(make_project: MakeProject) -> None:
    factory = "from fastapi import FastAPI\n\ndef get_application():\n    return FastAPI()\n"
    root = make_project(
        {
            "core/__init__.py": "",
            "core/factory.py": factory,
            "core/main.py": "from core.factory import get_application\napp = get_application()\n",
        }
    )
    app = app_of(root, deps=("fastapi", "uvicorn"))
    assert app.command.value[:2] == ("uvicorn", "core.main:app")
    assert app.command.evidence[0].file == "core/main.py"


def test_flask_with_flask_script_manage_py_is_not_django(make_project: MakeProject) -> None:
    manage = "from flask_script import Manager\nfrom app import app\nmanager = Manager(app)\n"
    app = app_of(make_project({"manage.py": manage, "app.py": FLASK}), deps=("flask", "gunicorn"))
    assert app.framework.value == "flask"
    assert app.command.value[-1] == "app:app"


def test_asgi_only_django(make_project: MakeProject) -> None:
    root = make_project(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
            "proj/__init__.py": "",
            "proj/settings.py": "ASGI_APPLICATION = 'proj.asgi.application'\n",
            "proj/asgi.py": "application = None\n",
        }
    )
    app = app_of(root, deps=("django", "uvicorn"))
    assert app.command.value == ("uvicorn", "proj.asgi:application", "--host", "0.0.0.0", "--port", "8000")
    assert app.command.evidence[0].detail == "Django ASGI application proj.asgi:application"
    assert [(e.name, e.value) for e in app.env] == [("DJANGO_SETTINGS_MODULE", "proj.settings")]


def test_streamlit_script_in_a_subpackage(make_project: MakeProject) -> None:
    root = make_project(
        {"dashboard/__init__.py": "", "dashboard/home.py": "import streamlit as st\nst.write(1)\n"}
    )
    app = app_of(root, deps=("streamlit",))
    assert app.command.value[:3] == ("streamlit", "run", "dashboard/home.py")


def test_examples_and_tests_are_never_the_app(make_project: MakeProject) -> None:
    root = make_project(
        {
            "examples/demo.py": FLASK,
            "tests/test_app.py": FLASK,
            "pyproject.toml": '[project]\nname = "tool"\n[project.scripts]\ntool = "tool.cli:main"\n',
            "tool/__init__.py": "",
            "tool/cli.py": "def main():\n    pass\n",
        }
    )
    app = app_of(root)
    assert (app.kind.value, app.command.value) == ("cli", ("tool",))


def test_tool_named_console_scripts_are_skipped(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "svc"\n[project.scripts]\nbuild = "svc.dev:build"\n'
            'svc = "svc.cli:main"\n',
            "svc/__init__.py": "",
        }
    )
    assert app_of(root).command.value == ("svc",)


def test_setup_py_entry_points(make_project: MakeProject) -> None:
    setup = (
        "from setuptools import setup\nsetup(name='x', entry_points={'console_scripts': "
        "['xtool = x.main:run']})\n"
    )
    app = app_of(make_project({"setup.py": setup, "x/__init__.py": ""}))
    assert app.command.value == ("xtool",)
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("setup.py", 2)


TICKER_SETUP = (
    "from setuptools import setup, find_packages\n\nsetup(\n    name='ticker-tool',\n"
    "    packages=find_packages(),\n    scripts=['ticker-run'],\n)\n"
)
TICKER_STUB = (
    "#!/usr/bin/env python3\nfrom ticker.cli import main\n\nif __name__ == '__main__':\n    main()\n"
)
TICKER_CLI = "import time\n\n\ndef main():\n    while True:\n        time.sleep(60)\n"


def _ticker(**files: str) -> dict[str, str | bytes]:
    base: dict[str, str | bytes] = {
        "setup.py": TICKER_SETUP,
        "ticker-run": TICKER_STUB,
        "ticker/__init__.py": "",
        "ticker/cli.py": TICKER_CLI,
    }
    return {**base, **files}


def test_a_setup_py_script_file_is_the_start_judged_by_the_function_it_runs(
    make_project: MakeProject,
) -> None:
    # rw40 entrypoint-only-script: `scripts=["ticker-run"]`, a #! stub calling ticker.cli:main, was no start
    app = app_of(make_project(_ticker()))
    assert (app.kind.value, app.command.value, app.module.value) == ("cli", ("ticker-run",), "ticker.cli")
    ev = app.command.evidence[0]
    assert (ev.file, ev.line) == ("setup.py", 6)
    assert ev.detail == "script file ticker-run (setup.py scripts=), installed as ticker-run"


@pytest.mark.parametrize(
    "dockerfile",
    [
        'FROM python:3.13-slim\nCOPY . /app\nRUN pip install /app\nENTRYPOINT ["ticker-run"]\n',
        'FROM python:3.13-slim\nCOPY . /app\nRUN pip install /app\nCMD ["/usr/local/bin/ticker-run"]\n',
        'FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\nCMD ["python", "ticker-run"]\n',
        'FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\nCMD ["python3", "/app/ticker-run"]\n',
    ],
)
def test_the_own_images_start_naming_a_script_file_is_its_evidence(
    make_project: MakeProject, dockerfile: str
) -> None:
    app = app_of(make_project(_ticker(Dockerfile=dockerfile)))
    assert app.command.value == ("ticker-run",)
    last = dockerfile.rstrip("\n").rsplit("\n", 1)[-1]
    assert [(e.file, e.line) for e in app.command.evidence] == [
        ("setup.py", 6),
        ("Dockerfile", 4 + ("WORKDIR" in dockerfile)),
    ]
    assert app.command.evidence[1].detail == f"{last} (the repository's own image runs ticker-run)"


def test_the_script_the_own_image_runs_wins_over_the_one_named_after_the_project(
    make_project: MakeProject,
) -> None:
    setup = TICKER_SETUP.replace("scripts=['ticker-run']", "scripts=['ticker-tool', 'ticker-run']")
    root = make_project(
        _ticker(
            **{"setup.py": setup, "ticker-tool": TICKER_STUB, "Dockerfile": 'FROM x\nCMD ["ticker-run"]\n'}
        )
    )
    assert app_of(root).command.value == ("ticker-run",)
    plain = make_project(_ticker(**{"setup.py": setup, "ticker-tool": TICKER_STUB}))
    assert app_of(plain).command.value == ("ticker-tool",)  # the project's name, without an own image


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        (
            {
                "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\nbuild-backend = '
                '"setuptools.build_meta"\n[project]\nname = "ticker-tool"\nversion = "1"\n'
                '[tool.setuptools]\npackages = ["ticker"]\nscript-files = ["bin/ticker-run"]\n'
            },
            (
                "pyproject.toml",
                9,
                "script file bin/ticker-run ([tool.setuptools] script-files), installed as ticker-run",
            ),
        ),
        (
            {
                "setup.py": "from setuptools import setup\nsetup()\n",
                "setup.cfg": "[metadata]\nname = ticker-tool\n\n[options]\npackages = ticker\nscripts =\n"
                "    bin/ticker-run\n",
            },
            ("setup.cfg", 7, "script file bin/ticker-run (setup.cfg scripts), installed as ticker-run"),
        ),
    ],
)
def test_script_files_of_pyproject_and_setup_cfg(
    make_project: MakeProject, files: dict[str, str], evidence: tuple[str, int, str]
) -> None:
    project = {**_ticker(), **files, "bin/ticker-run": TICKER_STUB}
    del project["ticker-run"]
    if "setup.py" not in files:
        del project["setup.py"]
    app = app_of(make_project(project))
    assert app.command.value == ("ticker-run",)
    ev = app.command.evidence[0]
    assert (ev.file, ev.line, ev.detail) == evidence


def test_a_script_file_with_code_of_its_own_is_a_cli_without_a_module(make_project: MakeProject) -> None:
    script = "#!/usr/bin/python3\nimport time\nwhile True:\n    time.sleep(5)\n"
    app = app_of(make_project(_ticker(**{"ticker-run": script})))
    assert (app.kind.value, app.command.value, app.module.value) == ("cli", ("ticker-run",), None)


def test_a_script_file_whose_function_serves_http_is_the_web_process(make_project: MakeProject) -> None:
    cli = "import uvicorn\n\nfrom ticker.web import app\n\n\ndef main():\n    uvicorn.run(app, host='0.0.0.0', port=8100)\n"
    stub = "#!/usr/bin/env python\nimport sys\nfrom ticker.cli import main as run\nsys.exit(run())\n"
    root = make_project(
        _ticker(**{"ticker-run": stub, "ticker/cli.py": cli, "ticker/web.py": "app = None\n"})
    )
    app = app_of(root, deps=("uvicorn",))
    assert (app.kind.value, app.command.value, app.port.value) == ("web", ("ticker-run",), 8100)


@pytest.mark.parametrize(
    "files",
    [
        {"ticker-run": "#!/bin/sh\nexec python -m ticker.cli\n"},  # a shell script: not a Python program
        {"ticker-run": "from ticker.cli import main\nmain()\n"},  # no #!: installed, but not runnable
        {"ticker-run": ""},  # an empty file
        {"setup.py": TICKER_SETUP.replace("'ticker-run'", "'missing-run'")},  # no such file
        {"setup.py": TICKER_SETUP.replace("'ticker-run'", "'../ticker-run'")},  # outside the project
        {"setup.py": TICKER_SETUP.replace("scripts=['ticker-run']", "data_files=['ticker-run']")},
        {"setup.py": TICKER_SETUP.replace("ticker-run", "build"), "build": TICKER_STUB},  # a tool's name
    ],
)
def test_script_files_the_image_cannot_start_are_no_start(
    make_project: MakeProject, files: dict[str, str]
) -> None:
    with pytest.raises(ProjectError, match="cannot tell how the app starts"):
        app_of(make_project(_ticker(**files)))


def test_web_beats_worker_and_the_worker_is_listed(make_project: MakeProject) -> None:
    root = make_project({"app.py": FLASK, "proj/__init__.py": "", "proj/tasks.py": CELERY})
    app = app_of(root, deps=("flask", "gunicorn", "celery"))
    assert app.framework.value == "flask"
    assert app.process == "web"
    assert any(o.startswith("worker: celery -A proj.tasks worker") for o in app.other_processes)
    worker = app_of(root, deps=("flask", "gunicorn", "celery"), process="worker")
    assert worker.command.value == ("celery", "-A", "proj.tasks", "worker", "--loglevel", "INFO")
    assert worker.kind.value == "worker"
    with pytest.raises(ProjectError, match="--process beat: no such process"):
        app_of(root, process="beat")


def test_a_process_named_so_wins_over_one_of_that_kind(make_project: MakeProject) -> None:
    """``--process worker`` is the process named worker, before another process whose kind is worker
    (a compose file's one-shot service listed first)."""
    compose = (
        "services:\n  migrate:\n    build: .\n    command: python seed.py\n"
        "  web:\n    build: .\n    ports: ['8000:8000']\n    command: gunicorn -b 0.0.0.0:8000 app:app\n"
        "  worker:\n    build: .\n    command: celery -A proj.tasks worker\n"
    )
    files = {"app.py": FLASK, "proj/__init__.py": "", "proj/tasks.py": CELERY, "seed.py": "print(1)\n"}
    root = make_project({**files, "compose.yaml": compose})
    deps = ("flask", "gunicorn", "celery")
    assert app_of(root, deps=deps, process="worker").command.value[:3] == ("celery", "-A", "proj.tasks")
    assert app_of(root, deps=deps, process="migrate").command.value == ("python", "seed.py")


def test_procfile_shell_syntax_becomes_sh_c_with_exec(make_project: MakeProject) -> None:
    root = make_project(
        {"app.py": FLASK, "Procfile": "web: flask db upgrade && gunicorn -b 0.0.0.0:$PORT app:app\n"}
    )
    app = app_of(root, deps=("flask", "gunicorn"))
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "flask db upgrade && exec gunicorn -b 0.0.0.0:$PORT app:app",
    )
    assert [(e.name, e.value) for e in app.env] == [("PORT", "8000")]


def test_entry_script_is_followed(make_project: MakeProject) -> None:
    script = "#!/bin/bash\nset -e\nflask db upgrade\nexec gunicorn -b :5000 --access-logfile - app:app\n"
    root = make_project({"app.py": FLASK, "boot.sh": script})
    app = app_of(root, deps=("flask", "gunicorn"))
    assert app.command.value == ("bash", "boot.sh")
    assert app.port.value == 5000
    assert (app.port.evidence[0].file, app.port.evidence[0].line) == ("boot.sh", 4)


def test_entry_script_of_the_repositorys_own_image_layout_is_not_run(make_project: MakeProject) -> None:
    # a real repository's start.sh ran `/venv/*/bin/python manage.py migrate` then `exec /venv/*/bin/gunicorn`:
    # paths its own Dockerfile made; the planned image has /opt/venv, so `sh start.sh` would fail at once
    script = "#!/bin/sh\ncd /app\n/venv/*/bin/python ./manage.py migrate\nexec /venv/*/bin/gunicorn\n"
    notes: list[str] = []
    app = app_of(make_project({"app.py": FLASK, "start.sh": script}), deps=("flask", "gunicorn"), notes=notes)
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "app:app")
    assert any(n.startswith("start.sh:4 ") and "line 3 runs /venv/*/bin/python" in n for n in notes), notes


def test_entry_script_with_image_paths_and_env_prefixes_is_followed(make_project: MakeProject) -> None:
    script = (
        "#!/bin/sh\nset -e\nFLASK_APP=app.py /usr/local/bin/python -m flask db upgrade\n"
        "exec /opt/venv/bin/gunicorn -b 0.0.0.0:8000 app:app\n"
    )
    app = app_of(make_project({"app.py": FLASK, "entrypoint.sh": script}), deps=("flask", "gunicorn"))
    assert app.command.value == ("sh", "entrypoint.sh")


def test_an_absolute_path_read_inside_a_command_substitution_is_no_program_the_script_runs(
    make_project: MakeProject,
) -> None:
    # a real repository's entrypoint read a mounted secret into a variable (`X="$(cat /run/secrets/x)"`):
    # the path is `cat`'s argument, not a program of the repository's own image
    script = (
        "#!/bin/sh\nset -eu\n"
        'if [ -z "${ADMIN_PASSWORD:-}" ] && [ -f /run/secrets/admin_password ]; then\n'
        '    ADMIN_PASSWORD="$(cat /run/secrets/admin_password)"\n'
        "    export ADMIN_PASSWORD\nfi\n"
        "exec gunicorn --bind 0.0.0.0:8000 app:app\n"
    )
    app = app_of(make_project({"app.py": FLASK, "entrypoint.sh": script}), deps=("flask", "gunicorn"))
    assert app.command.value == ("sh", "entrypoint.sh")


@pytest.mark.parametrize(
    "message",
    [
        # an error message kept in an array, one quoted element a line, names a path
        'MSG=(\n    "Cannot start:"\n    "/srv/state does not exist and"\n    "the app user cannot make it"\n)\n',
        # the same as one string continued over lines
        'MSG="Cannot start:\n/srv/state does not exist"\n',
        # a here-document's body (an apostrophe in it opens no quote)
        "cat <<EOF >/dev/null\nCan't start:\n/srv/state does not exist\nEOF\n",
    ],
)
def test_a_path_in_quoted_text_of_a_script_is_no_program_it_runs(
    make_project: MakeProject, message: str
) -> None:
    # a real repository's entrypoint kept its failure message in a bash array, one quoted line an element;
    # read as shell words, the line `"/srv/state does not exist and"` is one word starting with `/`
    script = (
        "#!/bin/bash\nset -euo pipefail\n"
        + message
        + 'if [ ! -d /srv/state ]; then echo "${MSG[@]}" >&2; exit 1; fi\n'
        "exec gunicorn --bind 0.0.0.0:8000 app:app\n"
    )
    notes: list[str] = []
    root = make_project({"app.py": FLASK, "entrypoint.sh": script})
    app = app_of(root, deps=("flask", "gunicorn"), notes=notes)
    assert app.command.value == ("bash", "entrypoint.sh")
    assert not any("/srv/state" in n for n in notes), notes


def test_project_template_commands_are_not_run_and_the_error_says_why(make_project: MakeProject) -> None:
    # a real Django starter template: `web: gunicorn {{ project_name }}.wsgi` in its Procfile and an
    # entry script serving a module of the project it was made from
    root = make_project(
        {
            "Procfile": "web: gunicorn {{ project_name }}.wsgi --log-file -\n",
            "docker/entrypoint.sh": "#!/bin/sh\nexec gunicorn shop.wsgi:application --bind=0.0.0.0:8000\n",
            "manage.py": "import {{ project_name }}\n",
        }
    )
    with pytest.raises(ProjectError) as caught:
        app_of(root, deps=("django", "gunicorn"))
    message = str(caught.value)
    assert "Procfile:1 not used: it holds the template placeholder '{{ project_name }}'" in message
    assert (
        "docker/entrypoint.sh:2 not used: it serves shop.wsgi:application, but the project has no " in message
    )
    assert message.endswith("pass --start") and "\n" not in message


def test_entry_script_target_found_under_its_chdir(make_project: MakeProject) -> None:
    script = "#!/bin/sh\nexec gunicorn --chdir web site.wsgi:application -b 0.0.0.0:8000\n"
    wsgi = "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"
    root = make_project({"web/site/__init__.py": "", "web/site/wsgi.py": wsgi, "start.sh": script})
    app = app_of(root, deps=("django", "gunicorn"))
    assert app.command.value == ("sh", "start.sh")


def test_entry_script_target_found_in_the_folder_it_enters(make_project: MakeProject) -> None:
    script = "#!/bin/sh\nset -e\ncd backend && python manage.py migrate\nexec gunicorn site.wsgi:application -b :8000\n"
    root = make_project({"backend/site/__init__.py": "", "backend/site/wsgi.py": "", "entrypoint.sh": script})
    app = app_of(root, deps=("django", "gunicorn"))
    assert app.command.value == ("sh", "entrypoint.sh")


def test_entry_script_server_missing_is_added(make_project: MakeProject) -> None:
    script = "#!/bin/sh\nexec gunicorn -b 0.0.0.0:8000 app:app\n"
    app = app_of(make_project({"app.py": FLASK, "docker-entrypoint.sh": script}), deps=("flask",))
    assert app.adds.value == ("gunicorn",)


def test_compose_port_and_settings(make_project: MakeProject) -> None:
    compose = "services:\n  web:\n    build: .\n    ports:\n      - '8081:9000'\n    environment:\n      DJANGO_SETTINGS_MODULE: s.prod\n  db:\n    image: postgres\n    ports: ['5432:5432']\n"
    root = make_project(
        {
            "app.py": FLASK + "\nif __name__ == '__main__':\n    app.run(port=5432)\n",
            "docker-compose.yml": compose,
        }
    )
    app = app_of(root, deps=("flask", "gunicorn"))
    assert app.port.value == 9000
    assert app.port.evidence[0].file == "docker-compose.yml"
    assert app.command.value[-1] == "app:app"


def test_port_literal_only_when_passed_to_a_server(make_project: MakeProject) -> None:
    src = FLASK + "\nDB = dict(port=5432)\n\nif __name__ == '__main__':\n    app.run(port=5005)\n"
    app = app_of(make_project({"app.py": src}), deps=("flask", "gunicorn"))
    assert app.port.value == 5005


def test_privileged_port_is_moved_to_8080(make_project: MakeProject) -> None:
    src = FLASK + "\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=80)\n"
    app = app_of(make_project({"app.py": src}), deps=("flask", "gunicorn"))
    assert app.port.value == 8080
    assert "privileged" in app.port.evidence[-1].detail
    assert app.command.value[2] == "0.0.0.0:8080"


def test_start_skips_detection_errors(make_project: MakeProject) -> None:
    root = make_project({"manage.py": "import django\n", "x.py": ""})
    with pytest.raises(ProjectError, match="without a WSGI or ASGI module"):
        app_of(root)
    notes: list[str] = []
    app = app_of(root, start="gunicorn x:app", notes=notes)
    assert app.command.value == ("gunicorn", "x:app")
    assert app.adds.value == ("gunicorn",)


def test_required_env_and_writable_dirs(make_project: MakeProject) -> None:
    src = (
        FLASK
        + "import os\napp.secret_key = os.environ['SECRET_KEY']\nos.makedirs('data/uploads', exist_ok=True)\n"
        "DB = 'sqlite:///var/app.db'\nHOME = os.environ.get('HOME')\n"
    )
    app = app_of(make_project({"app.py": src}), deps=("flask", "gunicorn"))
    assert [f.value for f in app.required_env] == ["SECRET_KEY"]
    assert app.required_env[0].evidence[0].line == 9
    assert [f.value for f in app.writable] == ["data/uploads", "var"]


def test_django_health_route_keeps_its_slash_and_unrelated_strings_do_not_count(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "app.py": FLASK.replace("/healthz", "/items"),
            "util.py": "import requests\nrequests.get('/status')\n",
        }
    )
    assert app_of(root, deps=("flask", "gunicorn")).health_path.value is None


@pytest.mark.parametrize(
    ("argv", "port"),
    [
        (("gunicorn", "-b", ":5000", "a:b"), 5000),
        (("gunicorn", "--bind=0.0.0.0:8001"), 8001),
        (("waitress-serve", "--listen=*:8080", "a:b"), 8080),
        (("/bin/sh", "-c", "exec gunicorn -b 0.0.0.0:${PORT:-7000} a:b"), 7000),
        (("celery", "-A", "x", "worker"), None),
    ],
)
def test_port_of_command(argv: tuple[str, ...], port: int | None) -> None:
    assert port_of_command(argv) == port


def test_split_command() -> None:
    assert split_command("gunicorn app:app") == ("gunicorn", "app:app")
    assert split_command("python manage.py migrate; gunicorn x") == (
        "/bin/sh",
        "-c",
        "python manage.py migrate; exec gunicorn x",
    )
    assert shell_argv("a && exec b") == ("/bin/sh", "-c", "a && exec b")


# --- rules learnt on real repositories (docs/realworld.md, "Start detection (#11)") -----------------


def test_procfile_program_the_image_lacks_is_not_chosen(make_project: MakeProject) -> None:
    notes: list[str] = []
    root = make_project({"app.py": FLASK, "Procfile": "web: make run\n"})
    app = app_of(root, deps=("flask", "gunicorn"), notes=notes)
    assert app.command.value[0] == "gunicorn"
    assert any("Procfile:1" in n and "'make'" in n for n in notes)


def test_compose_development_server_is_not_the_production_start(make_project: MakeProject) -> None:
    compose = "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
    root = make_project(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 's.settings')\n",
            "s/__init__.py": "",
            "s/settings.py": "WSGI_APPLICATION = 's.wsgi.application'\n",
            "s/wsgi.py": "application = None\n",
            "compose.yaml": compose,
        }
    )
    assert app_of(root, deps=("django", "gunicorn")).command.value[0] == "gunicorn"


def test_django_in_a_subdirectory_is_served_from_there(make_project: MakeProject) -> None:
    root = make_project(
        {
            "web/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
            "web/site/__init__.py": "",
            "web/site/settings.py": "WSGI_APPLICATION = 'site.wsgi.application'\n",
            "web/site/wsgi.py": "application = None\n",
        }
    )
    app = app_of(root, deps=("django", "gunicorn"))
    assert app.command.value == (
        "gunicorn",
        "--chdir",
        "web",
        "--bind",
        "0.0.0.0:8000",
        "site.wsgi:application",
    )
    assert app.command.evidence[0].file == "web/site/settings.py"


def test_framework_outside_the_dependencies_ranks_after_the_cli(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pretty"\n[project.scripts]\npretty = "pretty.cli:main"\n',
            "pretty/__init__.py": "",
            "pretty/cli.py": "def main():\n    pass\n",
            "prettyd/__init__.py": "from aiohttp import web\n\ndef make_app(argv):\n    app = web.Application()\n    return app\n",
        }
    )
    app = app_of(root, deps=("click",))
    assert app.command.value == ("pretty",)
    assert any(o.startswith("web: aiohttp prettyd:make_app") for o in app.other_processes)


def test_app_built_by_a_framework_subclass(make_project: MakeProject) -> None:
    src = "from flask import Flask\n\nclass MyFlask(Flask):\n    pass\n\napp = MyFlask(__name__)\n"
    assert app_of(make_project({"web.py": src}), deps=("flask", "gunicorn")).command.value[-1] == "web:app"


def test_repository_server_without_bind_is_told_by_environment(make_project: MakeProject) -> None:
    app = app_of(
        make_project({"app.py": FLASK, "Procfile": "web: gunicorn app:app\n"}), deps=("flask", "gunicorn")
    )
    assert [(e.name, e.value) for e in app.env] == [("PORT", "8000")]
    uv = app_of(
        make_project({"app.py": FLASK, "Procfile": "web: uvicorn app:app\n"}), deps=("flask", "uvicorn")
    )
    assert ("UVICORN_HOST", "0.0.0.0") in [(e.name, e.value) for e in uv.env]


def test_guarded_environment_reads_are_not_required(make_project: MakeProject) -> None:
    src = FLASK + (
        "import os\ntry:\n    A = os.environ['OPTIONAL_A']\nexcept KeyError:\n    A = None\n"
        "if 'OPTIONAL_B' in os.environ:\n    B = os.environ['OPTIONAL_B']\n"
        "def wsgi(environ):\n    return environ['PATH_INFO']\nC = os.environ['NEEDED_C']\n"
    )
    app = app_of(make_project({"app.py": src}), deps=("flask", "gunicorn"))
    assert [f.value for f in app.required_env] == ["NEEDED_C"]


def test_reads_behind_another_variable_s_presence_are_not_required(make_project: MakeProject) -> None:
    """``if "TOKEN" in os.environ or "BEARER" in os.environ: ZONE = os.environ["ZONE"]``: the zone is
    read only when the user sets a token; a comparison of a value (which holds when unset) still
    counts."""
    src = FLASK + (
        "import os\n"
        "if 'CDN_TOKEN' in os.environ or 'CDN_BEARER' in os.environ:\n    ZONE = os.environ['CDN_ZONE']\n"
        "if os.getenv('USE_S3'):\n    BUCKET = os.environ['S3_BUCKET']\n"
        "if os.environ.get('STAGE') != 'dev':\n    KEY = os.environ['API_KEY']\n"
    )
    app = app_of(make_project({"app.py": src}), deps=("flask", "gunicorn"))
    assert [f.value for f in app.required_env] == ["API_KEY"]


def test_variables_only_windows_sets_are_not_required(make_project: MakeProject) -> None:
    """``Path(os.getenv("APPDATA"))`` in a function for Windows: a Linux image never runs it."""
    src = FLASK + (
        "import os\nfrom pathlib import Path\n"
        "def shortcuts():\n    return Path(os.getenv('APPDATA')) / 'Microsoft'\n"
        "TOKEN = os.environ['API_TOKEN']\n"
    )
    app = app_of(make_project({"app.py": src}), deps=("flask", "gunicorn"))
    assert [f.value for f in app.required_env] == ["API_TOKEN"]


def test_env_get_without_default_used_at_once_or_as_secret_key_is_required(make_project: MakeProject) -> None:
    settings = (
        "import os\nSECRET_KEY = os.environ.get('SECRET_KEY')\n"
        "ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS').split(' ')\n"
        "DEBUG = os.environ.get('DEBUG')\nNAME = os.getenv('DB_NAME', 'app')\n"
    )
    app = app_of(make_project({"app.py": FLASK + settings}), deps=("flask", "gunicorn"))
    assert [(f.value, f.evidence[0].line) for f in app.required_env] == [
        ("SECRET_KEY", 9),
        ("DJANGO_ALLOWED_HOSTS", 10),
    ]


def test_an_alembic_environment_that_builds_the_app_is_not_the_app(make_project: MakeProject) -> None:
    # alembic.ini's script_location may name any folder (db/ here), and its env.py calls the factory
    env = "from alembic import context\n\nfrom hello.app import create_app\n\napp = create_app()\n"
    factory = "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n"
    root = make_project({"hello/__init__.py": "", "hello/app.py": factory, "db/env.py": env})
    app = app_of(root, deps=("flask", "gunicorn", "alembic"))
    assert app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "hello.app:create_app()")
    assert app.command.evidence[0].file == "hello/app.py"


def test_a_compose_service_whose_entrypoint_script_runs_a_dev_server_lends_no_port(
    make_project: MakeProject,
) -> None:
    factory = "from fastapi import FastAPI\n\n\ndef create_app():\n    app = FastAPI()\n    return app\n"
    dev = "#!/bin/bash\nset -e\n# dev only\nexec uvicorn --factory app.main:create_app --port 8009 --reload\n"
    compose = (
        "services:\n  app:\n    build: .\n    ports:\n      - '8009:8009'\n"
        "    entrypoint: ['scripts/start.dev.sh']\n"
    )
    root = make_project(
        {
            "app/__init__.py": "",
            "app/main.py": factory,
            "scripts/start.dev.sh": dev,
            "docker-compose.yaml": compose,
        }
    )
    notes: list[str] = []
    app = app_of(root, deps=("fastapi", "uvicorn"), notes=notes)
    assert app.command.value == (
        "uvicorn", "--factory", "app.main:create_app", "--host", "0.0.0.0", "--port", "8000",
    )  # fmt: skip
    assert app.port.value == 8000
    assert any(
        "service app: scripts/start.dev.sh): not used, it runs scripts/start.dev.sh, whose line 4 starts "
        "a development server" in n
        for n in notes
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("railway.json", '{"deploy": {"startCommand": "hypercorn main:app --bind \\"[::]:$PORT\\""}}'),
        ("railway.toml", '[deploy]\nstartCommand = "hypercorn main:app --bind \\"[::]:$PORT\\""\n'),
    ],
)
def test_railway_start_command_is_the_web_process(make_project: MakeProject, name: str, text: str) -> None:
    fastapi = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    app = app_of(make_project({"main.py": fastapi, name: text}), deps=("fastapi", "hypercorn"))
    assert app.command.value == ("/bin/sh", "-c", 'exec hypercorn main:app --bind "[::]:$PORT"')
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == (
        name,
        1 if name.endswith("json") else 2,
    )
    assert {e.name: e.value for e in app.env}["PORT"] == "8000"


def test_asgi_application_without_channels_is_served_as_wsgi(make_project: MakeProject) -> None:
    """Django never reads ASGI_APPLICATION: with no Channels in sight it is a leftover setting."""
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'desk.settings')\n",
        "desk/__init__.py": "",
        "desk/settings.py": "WSGI_APPLICATION = 'desk.wsgi.application'\nASGI_APPLICATION = 'desk.asgi.application'\n",
        "desk/wsgi.py": "application = None\n",
        "desk/asgi.py": "from django.core.asgi import get_asgi_application\n\napplication = get_asgi_application()\n",
    }
    app = app_of(make_project(files), deps=("django", "gunicorn"))
    assert app.command.value[0] == "gunicorn" and app.command.value[-1] == "desk.wsgi:application"
    # the router importing channels (no declared dependency: a lock or a transitive one) is still Channels
    files["desk/asgi.py"] = (
        "from channels.routing import ProtocolTypeRouter\n\napplication = ProtocolTypeRouter({})\n"
    )
    app = app_of(make_project(files), deps=("django", "daphne"))
    assert app.command.value[0] == "daphne"


def test_django_channels_is_served_as_asgi_through_its_asgi_module(make_project: MakeProject) -> None:
    """ASGI_APPLICATION is Channels' router: a WSGI server would drop its websockets; the project's
    asgi.py sets Django up before building the router, so it is what the server imports."""
    root = make_project(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chat.settings')\n",
            "chat/__init__.py": "",
            "chat/settings.py": (
                "WSGI_APPLICATION = 'chat.wsgi.application'\nASGI_APPLICATION = 'chat.routing.application'\n"
            ),
            "chat/wsgi.py": "application = None\n",
            "chat/routing.py": "application = None\n",
            "chat/asgi.py": "import django\ndjango.setup()\napplication = None\n",
        }
    )
    notes: list[str] = []
    app = detect_app(
        ProjectTree(root), None, dependencies=frozenset({"django", "channels", "daphne"}), notes=notes
    )
    assert app.command.value == ("daphne", "-b", "0.0.0.0", "-p", "8000", "chat.asgi:application")
    assert [e.file for e in app.command.evidence] == ["chat/asgi.py", "chat/settings.py"]
    # daphne is declared and serves websockets: nothing to say
    assert not any("websocket" in n for n in notes)
    for deps, said in (({"uvicorn"}, True), ({"uvicorn", "websockets"}, False), (set(), True)):
        notes = []
        detect_app(
            ProjectTree(root), None, dependencies=frozenset({"django", "channels", *deps}), notes=notes
        )
        assert any("websocket routes need a server" in n for n in notes) is said, deps


def test_reads_in_a_branch_of_a_test_that_looked_at_the_variable_are_not_required(
    make_project: MakeProject,
) -> None:
    src = FLASK + (
        "import os\n"
        "if not os.environ.get('THREADS', '').isnumeric():\n    N = 1\nelse:\n    N = int(os.environ['THREADS'])\n"
        "W = os.environ['WORKERS'] if os.getenv('WORKERS') else '2'\n"
        "if os.environ.get('MODE').lower() == 'x':\n    M = os.environ['MODE']\n"
        "C = os.environ['NEEDED_C']\n"
    )
    app = app_of(make_project({"app.py": src}), deps=("flask", "gunicorn"))
    # MODE's test itself calls .lower() on a value that may be None: still required
    assert sorted(f.value for f in app.required_env) == ["MODE", "NEEDED_C"]


def test_django_asgi_module_building_another_framework_app_is_served_as_asgi(
    make_project: MakeProject,
) -> None:
    """An asgi.py that builds a FastAPI app (its own routes, Django mounted under it) serves routes the
    WSGI application lacks: the ASGI application is served, even through a project module's factory."""
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sync.settings')\n",
        "sync/__init__.py": "",
        "sync/settings.py": "WSGI_APPLICATION = 'sync.wsgi.application'\n",
        "sync/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "sync/api.py": "from fastapi import FastAPI\n\ndef build():\n    return FastAPI()\n",
        "sync/asgi.py": (
            "from django.core.asgi import get_asgi_application\n\ndjango_app = get_asgi_application()\n\n"
            "def make():\n    from sync.api import build\n    app = build()\n    app.mount('/', django_app)\n"
            "    return app\n\napplication = make()\n"
        ),
    }
    app = app_of(make_project(files), deps=("django", "fastapi", "uvicorn"))
    assert app.command.value == ("uvicorn", "sync.asgi:application", "--host", "0.0.0.0", "--port", "8000")
    assert "builds a fastapi app around Django" in app.command.evidence[0].detail
    # a plain asgi.py (Django alone) changes nothing: WSGI as before
    files["sync/asgi.py"] = (
        "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n"
    )
    app = app_of(make_project(files), deps=("django", "fastapi", "gunicorn"))
    assert app.command.value[0] == "gunicorn" and app.command.value[-1] == "sync.wsgi:application"


DJANGO_MANAGE = (
    "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
    "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
)


def test_an_asgi_package_is_the_django_projects_asgi_module(make_project: MakeProject) -> None:
    # shop/asgi/__init__.py defining `application` (helpers beside it in the package) is what
    # `uvicorn shop.asgi:application` serves, as shop/asgi.py would be
    files = {
        "manage.py": DJANGO_MANAGE,
        "shop/__init__.py": "",
        "shop/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = []\nROOT_URLCONF = 'shop.urls'\n",
        "shop/urls.py": "urlpatterns = []\n",
        "shop/asgi/__init__.py": (
            "from django.core.asgi import get_asgi_application\n\napplication = get_asgi_application()\n"
        ),
        "shop/asgi/cors.py": "def wrap(app):\n    return app\n",
    }
    app = app_of(make_project(files), deps=("django", "uvicorn"))
    assert "shop.asgi:application" in app.command.value
    assert app.command.evidence[0].file == "shop/asgi/__init__.py"
    # a package of that name that makes no `application` is not one
    other = {**files, "shop/asgi/__init__.py": "from .cors import wrap\n"}
    with pytest.raises(ProjectError, match="without a WSGI or ASGI module"):
        app_of(make_project(other), deps=("django", "uvicorn"))


def test_a_compose_service_built_into_a_web_server_image_is_not_the_app(make_project: MakeProject) -> None:
    # `proxy` is built from the project too, but its recipe's stage is nginx (a Python stage before it
    # only collects static files): its published port is the proxy's, not the app's
    proxy = (
        "FROM python:3.12-slim AS assets\nCOPY . /src\nRUN python -m compileall /src\n"
        "FROM nginx:1.27-alpine AS release\nCOPY --from=assets /src/static /usr/share/nginx/html\n"
    )
    compose = (
        "services:\n"
        "  proxy:\n    build:\n      context: ./\n      dockerfile: Dockerfile.proxy\n"
        "    ports:\n      - target: 8080\n        published: 8080\n"
        "  web:\n    build:\n      context: ./\n      dockerfile: Dockerfile.app\n      target: release\n"
    )
    app_recipe = "FROM python:3.12-slim AS release\nCOPY . /app\n"
    files = {
        "app.py": FLASK,
        "Dockerfile.proxy": proxy,
        "Dockerfile.app": app_recipe,
        "docker-compose.yml": compose,
    }
    app = app_of(make_project(files), deps=("flask", "gunicorn"))
    assert app.port.value != 8080
    assert all("proxy" not in e.detail for e in app.port.evidence)
    # the stage a service targets decides: `target: assets` is the Python stage
    targeted = compose.replace(
        "dockerfile: Dockerfile.proxy\n", "dockerfile: Dockerfile.proxy\n      target: assets\n"
    )
    app = app_of(make_project({**files, "docker-compose.yml": targeted}), deps=("flask", "gunicorn"))
    assert app.port.value == 8080


def test_shell_argv_splits_only_outside_quotes() -> None:
    # a `;` or `&&` inside a quoted word is the word's: exec goes before the line's last command
    assert shell_argv("gunicorn --bind :$PORT --name 'a;b' app:app") == (
        "/bin/sh",
        "-c",
        "exec gunicorn --bind :$PORT --name 'a;b' app:app",
    )
    assert shell_argv('migrate && gunicorn --name "x && y" app:app') == (
        "/bin/sh",
        "-c",
        'migrate && exec gunicorn --name "x && y" app:app',
    )
    assert shell_argv("a; b --opt 'c; d' || e") == ("/bin/sh", "-c", "a; b --opt 'c; d' || exec e")


# --- the own image's command runs a project script of another name ------------------------------------

_MIGRATE_THEN_SERVE = (
    "#!/bin/bash\nset -o errexit\necho Migrating\nalembic upgrade head\necho Serving\nuvicorn app.main:app\n"
)


@pytest.mark.parametrize(
    "dockerfile",
    [
        'FROM python:3.12\nWORKDIR /app\nCOPY . ./\nENTRYPOINT ["/bin/sh", "-c"]\nCMD ["./scripts/entry"]\n',
        'FROM python:3.12\nWORKDIR /app\nCOPY . ./\nCMD ["./scripts/entry"]\n',
        'FROM python:3.12\nWORKDIR /srv\nCOPY . ./\nCMD ["/srv/scripts/entry"]\n',
        'FROM python:3.12\nWORKDIR /app\nCOPY . ./\nCMD ["bash", "scripts/entry"]\n',
    ],
)
def test_the_own_images_script_of_any_name_is_read(detect_files: DetectFiles, dockerfile: str) -> None:
    app = detect_files(
        {
            "requirements.txt": "litestar==2.12.1\nuvicorn==0.32.0\nalembic==1.14.0\n",
            "app/__init__.py": "",
            "app/main.py": "from litestar import Litestar\n\napp = Litestar([])\n",
            "scripts/entry": _MIGRATE_THEN_SERVE,
            "Dockerfile": dockerfile,
        }
    )
    assert app.command.value[-1] == "alembic upgrade head && exec uvicorn app.main:app"
    assert app.command.evidence[0].file == "scripts/entry"


def test_an_own_image_command_that_is_no_shell_script_is_not_read(detect_files: DetectFiles) -> None:
    app = detect_files(
        {
            "requirements.txt": "litestar==2.12.1\nuvicorn==0.32.0\n",
            "app/__init__.py": "",
            "app/main.py": "from litestar import Litestar\n\napp = Litestar([])\n",
            "scripts/entry": "#!/usr/bin/env python3\nprint('hello')\n",
            "Dockerfile": 'FROM python:3.12\nWORKDIR /app\nCOPY . ./\nCMD ["./scripts/entry"]\n',
        }
    )
    assert app.command.value[0] == "uvicorn"


@pytest.mark.parametrize(
    ("line", "program"),
    [
        ("(cd /srv/tool && /srv/tool/prepare)", "/srv/tool/prepare"),
        ("(/srv/tool/prepare --once)", "/srv/tool/prepare"),
        ("( /srv/tool/prepare )", "/srv/tool/prepare"),
    ],
)
def test_a_program_run_in_a_subshell_is_read_without_its_parentheses(line: str, program: str) -> None:
    assert foreign_program(f"#!/bin/sh\n{line}\nexec gunicorn app:app\n") == (2, program)


@pytest.mark.parametrize(
    "line",
    [
        "BOARD=$(cat /proc/cpuinfo)",
        "SEEN=$(ls -l /srv/data | wc -l)",
        "export WHEN=$(date -r /etc/hostname +%s) NEXT=1",
        "STAMP=`stat -c %Y /srv/data/flag`",
    ],
)
def test_a_path_read_in_an_unquoted_command_substitution_is_no_program(line: str) -> None:
    """``X=$(cat /proc/cpuinfo)`` splits into ``X=$(cat`` and ``/proc/cpuinfo)``: the path is cat's
    argument inside the substitution, not a program the own image made (was: the entry script refused)."""
    assert foreign_program(f"#!/bin/sh\n{line}\nexec gunicorn app:app\n") is None


def test_a_program_run_by_path_after_a_closed_substitution_is_still_read() -> None:
    assert foreign_program("#!/bin/sh\nX=$(hostname) /srv/tool/prepare\n") == (2, "/srv/tool/prepare")


def test_a_form_fields_get_is_no_route_and_the_url_table_gives_the_probe(make_project: MakeProject) -> None:
    """``self.cleaned_data.get("up")`` in a Django form names a field, not the ``/up`` health route;
    the URL table's ``path("api/status/", ...)`` is not named like one: TCP, where the field made
    the probe a 404."""
    files = {
        "manage.py": DJANGO_MANAGE,
        "shop/__init__.py": "",
        "shop/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = []\nROOT_URLCONF = 'shop.urls'\n",
        "shop/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "shop/forms.py": (
            "from django import forms\n\n\nclass Filter(forms.Form):\n    up = forms.BooleanField()\n\n"
            "    def wanted(self):\n        return self.cleaned_data.get('up')\n"
        ),
        "shop/urls.py": (
            "from django.urls import path\nfrom django.http import HttpResponse\n\n"
            "urlpatterns = [path('api/status/', lambda r: HttpResponse('ok'))]\n"
        ),
    }
    assert app_of(make_project(files), deps=("django", "gunicorn")).health_path.value is None
    files["shop/urls.py"] = files["shop/urls.py"].replace("api/status/", "up/")
    assert app_of(make_project(files), deps=("django", "gunicorn")).health_path.value == "/up/"
