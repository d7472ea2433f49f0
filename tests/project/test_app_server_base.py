"""A repository whose own Dockerfile builds FROM an app-server base image and names no command
(detectors/app_server_base.py): the start is the base image's start script's module, port and pre-start
hook, with the folder the Dockerfile copies to /app as the image's /app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

API = "from fastapi import FastAPI\n\napi = FastAPI()\napp = FastAPI()\n"
REQS = "fastapi\nuvicorn\nalembic\n"
BASE = "FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11\nCOPY requirements.txt /app/requirements.txt\n"


def _notes(app_dir: Path) -> list[str]:
    return list(detect_project(app_dir, python="3.12").notes)


def test_the_app_folder_is_the_image_s_app_and_its_prestart_runs_first(make_project: MakeProject) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + "RUN pip install -r /app/requirements.txt\nCOPY ./app /app\n",
        "app/main.py": API,
        "app/prestart.sh": "#! /usr/bin/env bash\nalembic upgrade head\npython seed.py\n",
        "app/seed.py": "print('seeded')\n",
        "app/alembic.ini": "[alembic]\nscript_location = migrations\n",
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value == (
        "/bin/sh",
        "-c",
        "set -e; (cd app; . ./prestart.sh); exec uvicorn --app-dir app main:app --host 0.0.0.0 --port 8080",
    )
    assert facts.app.port.value == 8080  # the image's 80, unprivileged for the non-root app
    assert [(e.name, e.value) for e in facts.app.env if e.name == "PYTHONPATH"] == [
        ("PYTHONPATH", "/app/app")
    ]


def test_app_module_env_and_port_env_are_honoured(make_project: MakeProject) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + "ENV APP_MODULE=server.web:api PORT=9000\nCOPY . /app\n",
        "server/__init__.py": "",
        "server/web.py": API,
        "main.py": API,
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == ("uvicorn", "server.web:api", "--host", "0.0.0.0", "--port", "9000")
    assert app.port.value == 9000


def test_the_nested_app_package_is_the_default_module_when_copied_to_app_app(
    make_project: MakeProject,
) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + "COPY ./app /app/app\nCOPY ./prestart.sh /app/prestart.sh\nEXPOSE 8000\n",
        "app/__init__.py": "",
        "app/main.py": API,
        "main.py": "print('a script')\n",
        "prestart.sh": "alembic upgrade head\n",
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "set -e; (. ./prestart.sh); exec uvicorn app.main:app --host 0.0.0.0 --port 8000",
    )


def test_the_paths_under_app_a_hook_names_are_linked_where_this_image_has_them(
    make_project: MakeProject,
) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + "COPY ./app /app\n",
        "app/main.py": API,
        "app/prestart.sh": "python /app/tasks/seed.py\nalembic -c /app/alembic.ini upgrade head\n",
        "app/tasks/seed.py": "print('seeded')\n",
        "app/alembic.ini": "[alembic]\n",
        "tasks/__init__.py": "",
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value[2].startswith("set -e; (cd app; . ./prestart.sh); exec uvicorn")
    assert [f.value for f in facts.app.start_links] == [
        ("tasks/seed.py", "app/tasks/seed.py"),
        ("alembic.ini", "app/alembic.ini"),
    ]


def test_a_hook_path_that_cannot_be_linked_keeps_the_hook_out_with_one_note(
    make_project: MakeProject,
) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + "COPY ./app /app\n",
        "app/main.py": API,
        "app/prestart.sh": "python /app/seed.py\n",
        "app/seed.py": "print('seeded')\n",
        "seed.py": "print('another script')\n",  # the project's own seed.py is /app/seed.py here
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value[:3] == ("uvicorn", "--app-dir", "app")
    assert not facts.app.start_links
    said = [n for n in facts.notes if "pre-start hook" in n]
    assert len(said) == 1 and "/app/seed.py" in said[0] and "the project's own seed.py is there" in said[0]


def test_an_own_command_or_another_base_is_not_this_detector_s(make_project: MakeProject) -> None:
    for dockerfile in (
        BASE + 'COPY ./app /app\nCMD ["uvicorn", "main:app", "--app-dir", "/app"]\n',
        "FROM python:3.12-slim\nCOPY ./app /app\n",
    ):
        files = {
            "requirements.txt": REQS,
            "Dockerfile": dockerfile,
            "app/main.py": API,
            "app/prestart.sh": "true\n",
        }
        command = detect_project(make_project(files), python="3.12").app.command.value
        assert "prestart" not in " ".join(command)


def test_a_hook_copied_from_another_folder_runs_and_its_alembic_needs_no_migrate_note(
    make_project: MakeProject,
) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE.replace("/app/requirements.txt", "/app")
        + "COPY alembic.ini /app\nCOPY tools/prestart.sh /app\nCOPY ./migrations /app/migrations\n"
        "COPY ./main.py /app\n",
        "main.py": API,
        "tools/prestart.sh": "sleep 1\nalembic upgrade head\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": "",
        "migrations/versions/.keep": "",
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value == (
        "/bin/sh",
        "-c",
        "set -e; (. ./tools/prestart.sh); exec uvicorn main:app --host 0.0.0.0 --port 8080",
    )
    assert not [n for n in facts.notes if "does not apply them" in n]


def test_the_dockerfile_one_folder_up_that_copies_the_app_s_folder_to_app_is_read(
    make_project: MakeProject,
) -> None:
    files = {
        "svc.Dockerfile": "FROM tiangolo/uvicorn-gunicorn:python3.11\nCOPY ./svc/requirements.txt /tmp/\n"
        "COPY ./svc /app\n",
        "compose.yaml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: svc.Dockerfile\n"
        "    ports:\n      - 9100:9000\n",
        "svc/requirements.txt": REQS,
        "svc/main.py": API,
        "svc/prestart.sh": "python seed.py\n",
        "svc/seed.py": "print('seeded')\n",
    }
    facts = detect_project(make_project(files), python="3.12")
    assert facts.app.command.value == (
        "/bin/sh",
        "-c",
        "set -e; (. ./prestart.sh); exec uvicorn main:app --host 0.0.0.0 --port 9000",
    )
    assert "svc.Dockerfile" in str(facts.app.command.evidence[0])


def test_the_uwsgi_image_serves_uwsgi_ini_s_module_and_callable_on_listen_port(
    make_project: MakeProject,
) -> None:
    files = {
        "requirements.txt": "flask\ngunicorn\n",
        "Dockerfile": "FROM tiangolo/uwsgi-nginx-flask:python3.12\nENV LISTEN_PORT 8088\nCOPY ./web /app\n",
        "web/uwsgi.ini": "[uwsgi]\nmodule = site_app\ncallable = server\n",
        "web/site_app.py": "from flask import Flask\n\nserver = Flask(__name__)\n",
        "web/main.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[-1] == "site_app:server"
    assert app.port.value == 8088


def test_a_dockerfile_naming_the_base_image_s_start_script_again_runs_that_start(
    make_project: MakeProject,
) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + 'COPY ./app /app\nCMD ["/start.sh"]\n',
        "app/main.py": API,
        "app/prestart.sh": "alembic upgrade head\n",
    }
    command = detect_project(make_project(files), python="3.12").app.command.value
    assert command[2].startswith("set -e; (cd app; . ./prestart.sh); exec uvicorn --app-dir app main:app")


WORKERS_LINE = (
    "export WEB_CONCURRENCY=\"${WEB_CONCURRENCY:-$(python -c 'import os; n = max(int(float("
    'os.environ.get("WORKERS_PER_CORE") or 1) * (os.cpu_count() or 1)), 2); m = int(os.environ.get('
    '"MAX_WORKERS") or 0); print(min(n, m) if m else n)\')}"; exec gunicorn -k uvicorn.workers.UvicornWorker '
    "--bind 0.0.0.0:8080 main:app"
)


def test_the_image_s_worker_count_variables_start_its_gunicorn(make_project: MakeProject) -> None:
    """MAX_WORKERS / WORKERS_PER_CORE are read by the base image's gunicorn config: the start computes
    the same count (WEB_CONCURRENCY, which gunicorn reads) before running the image's gunicorn line."""
    files = {
        "requirements.txt": "fastapi\n",
        "Dockerfile": BASE + "ENV MAX_WORKERS=3 WORKERS_PER_CORE=0.5\nCOPY ./app /app\n",
        "app/main.py": API,
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == ("/bin/sh", "-c", WORKERS_LINE)
    assert app.port.value == 8080  # the image's 80, unprivileged for the non-root app
    env = {e.name: e.value for e in app.env}
    assert (env["MAX_WORKERS"], env["WORKERS_PER_CORE"], env["PYTHONPATH"]) == ("3", "0.5", "/app/app")
    assert set(app.adds.value) == {"gunicorn", "uvicorn"}  # the base image's, not the project's


def test_web_concurrency_alone_is_read_by_gunicorn_itself(make_project: MakeProject) -> None:
    files = {
        "requirements.txt": "fastapi\ngunicorn\nuvicorn\n",
        "Dockerfile": BASE + "ENV WEB_CONCURRENCY=4 PORT=9000\nCOPY ./app /app\n",
        "app/main.py": API,
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == (
        "gunicorn", "-k", "uvicorn.workers.UvicornWorker", "--bind", "0.0.0.0:9000", "main:app"
    )  # fmt: skip
    assert ("WEB_CONCURRENCY", "4") in [(e.name, e.value) for e in app.env]
    assert not app.adds.value


def test_the_project_s_gunicorn_conf_is_the_image_s_config(make_project: MakeProject) -> None:
    """``ENV GUNICORN_CONF`` naming a file the Dockerfile copies, or the project's ``gunicorn_conf.py``
    where the start script looks: gunicorn runs with it (the bind stays the plan's: the command line's
    option wins over the file's)."""
    conf = "import os\nworkers = int(os.environ.get('WEB_CONCURRENCY', '2'))\n"
    named = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + "ENV GUNICORN_CONF=/app/conf/web.py\nCOPY ./app /app\n",
        "app/main.py": API,
        "app/conf/web.py": conf,
    }
    found = {**named, "Dockerfile": BASE + "COPY ./app /app\n", "app/gunicorn_conf.py": conf}
    for files, rel in ((named, "app/conf/web.py"), (found, "app/gunicorn_conf.py")):
        app = detect_project(make_project(files), python="3.12").app
        assert app.command.value == (
            "gunicorn", "-k", "uvicorn.workers.UvicornWorker", "-c", rel, "--bind", "0.0.0.0:8080", "main:app"
        )  # fmt: skip


def test_without_the_variables_or_a_config_one_server_process_serves(make_project: MakeProject) -> None:
    files = {
        "requirements.txt": REQS,
        "Dockerfile": BASE + "ENV GUNICORN_CONF=/gunicorn_conf.py\nCOPY ./app /app\n",  # the image's own
        "app/main.py": API,
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[0] == "uvicorn"
