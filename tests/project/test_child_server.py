"""A web server an entry script starts on its last line without ``exec`` (``alembic upgrade head`` then
``uvicorn ...``): a plain script runs inline with ``exec`` added, so its earlier steps run and the server,
not the shell, gets tini's SIGTERM; a structured one stays unused with the plan's note
(project/entry_steps.py, detectors/entry_script.py). The app is our own example (examples/fastapi-factory)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.entry_steps import child_server, server_inline

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _site(tmp_path: Path, script: str, name: str = "start.sh") -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "fastapi-factory", root, ignore=shutil.ignore_patterns("golden"))
    (root / name).write_text(script, encoding="utf-8")
    main = root / "service" / "main.py"  # the scripts serve `service.main:app`
    main.write_text(main.read_text(encoding="utf-8") + "\n\napp = create_app()\n", encoding="utf-8")
    (root / "Dockerfile").write_text(f'FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nCMD ["./{name}"]\n')
    return root


@pytest.mark.parametrize(
    ("script", "line"),
    [
        ("#!/bin/sh\nalembic upgrade head\nuvicorn service.main:app --host 0.0.0.0\n", 3),
        ("set -e\npython seed.py\ngunicorn -w 4 -b 0.0.0.0:9000 wsgi:app\necho bye\n", 3),
        ("python -m uvicorn --workers ${WORKERS:-2} main:app $@\n", 1),
        ("streamlit run app.py --server.port 8501\n", 1),
        ("#!/usr/bin/env sh\npython3 manage.py migrate --noinput\nuwsgi --ini uwsgi.ini", 3),
    ],
)
def test_a_server_run_as_a_child_is_found(script: str, line: int) -> None:
    found = child_server(script)
    assert found is not None and found[0] == line


@pytest.mark.parametrize(
    "script",
    [
        "exec uvicorn main:app\n",
        "uvicorn main:app &\nexec celery -A tasks worker\n",
        "alembic upgrade head\n",
        "celery -A tasks worker\n",
    ],
)
def test_exec_background_and_other_programs_are_not(script: str) -> None:
    assert child_server(script) is None


def test_a_plain_script_runs_inline_with_exec_added(tmp_path: Path) -> None:
    script = (
        "#!/bin/sh\n\nalembic upgrade head\npython -m service.seed\n"
        'uvicorn --workers ${NUM_WORKERS:-1} --host 0.0.0.0 --port 8080 --root-path "/api" service.main:app $@\n'
    )
    line = (
        "alembic upgrade head; python -m service.seed; exec uvicorn --workers ${NUM_WORKERS:-1} "
        '--host 0.0.0.0 --port 8080 --root-path "/api" service.main:app $@'
    )
    assert server_inline(script) == ("/bin/sh", "-c", line)
    plan = api.plan(_site(tmp_path, script), syntax_directive=False)
    assert plan.cmd == ("/bin/sh", "-c", line)
    assert plan.expose == 8080
    start = next(d for d in plan.decisions if d.topic == "start")
    assert "start.sh:5" in start.reason and "exec added" in start.reason
    assert not [w for w in plan.warnings if "is not used" in w]


def test_set_e_joins_the_lines_with_and(tmp_path: Path) -> None:
    script = "#!/bin/bash\nset -euo pipefail\nalembic upgrade head\ngunicorn -b 0.0.0.0:8000 wsgi:app\n"
    assert server_inline(script) == (
        "bash",
        "-c",
        "alembic upgrade head && exec gunicorn -b 0.0.0.0:8000 wsgi:app",
    )


def test_a_structured_script_stays_unused_with_the_note(tmp_path: Path) -> None:
    script = (
        "#!/bin/sh\nuntil alembic upgrade head; do sleep 1; done\nuvicorn service.main:app --host 0.0.0.0\n"
    )
    assert server_inline(script) is None
    plan = api.plan(_site(tmp_path, script), syntax_directive=False)
    assert plan.cmd[0] != "/bin/sh"
    assert [w for w in plan.warnings if w.startswith("start.sh, the script the repository's Dockerfile runs")]


def test_a_script_that_is_the_server_line_alone_is_left_to_the_framework() -> None:
    assert server_inline("#!/bin/sh\nstreamlit run ui/home.py --server.port 8600\n") is None


def test_assignments_before_the_server_stay_before_the_exec() -> None:
    # `exec NAME=value prog` would look for a program called "NAME=value"; `NAME=value exec prog` gives
    # the variable to the program (POSIX: assignments before a special built-in; dash and bash export
    # them to what exec runs)
    script = (
        "python manage.py migrate\n"
        "DJANGO_SETTINGS_MODULE=site.settings.live PYTHONUNBUFFERED=1 gunicorn site.wsgi --bind 0.0.0.0:8000\n"
    )
    assert server_inline(script) == (
        "/bin/sh",
        "-c",
        "python manage.py migrate; DJANGO_SETTINGS_MODULE=site.settings.live PYTHONUNBUFFERED=1 "
        "exec gunicorn site.wsgi --bind 0.0.0.0:8000",
    )


def test_a_production_script_in_a_services_entrypoints_folder_is_an_entry_script(tmp_path: Path) -> None:
    # docker/<service>/entrypoints/{production,development}.sh: the production one is the start; the
    # development one (runserver) is not read
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "fastapi-factory", root, ignore=shutil.ignore_patterns("golden"))
    folder = root / "docker" / "api" / "entrypoints"
    folder.mkdir(parents=True)
    (folder / "production.sh").write_text(
        "alembic upgrade head\nAPP_MODE=live uvicorn service.main:app --host 0.0.0.0 --port 8000\n"
    )
    (folder / "development.sh").write_text("alembic upgrade head\nuvicorn service.main:app --reload\n")
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd == (
        "/bin/sh",
        "-c",
        "alembic upgrade head; APP_MODE=live exec uvicorn service.main:app --host 0.0.0.0 --port 8000",
    )
    start = next(d for d in plan.decisions if d.topic == "start")
    assert "docker/api/entrypoints/production.sh:2" in start.reason


def test_a_server_run_through_a_project_manager_runs_inline_without_it() -> None:
    """rw41 Zoom-Developer: ``poetry run alembic upgrade head`` then ``poetry run gunicorn ...`` (no
    ``exec``) left the script unused, and with it the migration and the server's options."""
    script = (
        "poetry run alembic upgrade head\n"
        "poetry run gunicorn service.main:app -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:80\n"
    )
    assert child_server(script) == (2, script.splitlines()[1])
    assert server_inline(script) == (
        "/bin/sh",
        "-c",
        "alembic upgrade head; exec gunicorn service.main:app -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:80",
    )
