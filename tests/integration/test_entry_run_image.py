"""An entry script with shell structure runs as itself in the image (project/entry_run.py): our own
Django example with a wait-for-the-database loop (nc, installed as netcat-openbsd), a check of the
PostgreSQL client, a here-document probe, a guarded migrate and collectstatic as the app user into its
STATIC_ROOT, then ``exec gunicorn``. No database here: the loop waits on a loopback port the test opens
itself inside the container (``python -m http.server``)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from tests.integration.harness import PYPI, REPO, TAG_PREFIX, build, docker, git_commit

from dockwright import api

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

SCRIPT = """#!/bin/sh
set -e

wait_for() {
  until nc -z "$1" "$2"; do
    echo "waiting for $1:$2"
    sleep 0.5
  done
}

wait_for "${DB_HOST:-127.0.0.1}" "${DB_PORT:-5432}"
pg_isready --version
python - <<PY
import django
print("django", django.get_version())
PY
if [ -n "${DATABASE_URL:-}" ]; then
  python manage.py migrate --noinput
fi
python manage.py collectstatic --noinput
exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000 --workers 2
"""

PROBE = "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/static/{}', timeout=3).status)"


def _logs_until(name: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    logs = ""
    while time.monotonic() < deadline:
        done = docker("logs", name, check=False)
        logs = done.stdout + done.stderr
        if text in logs:
            return logs
        time.sleep(0.5)
    raise AssertionError(f"{text!r} not in the logs of {name}:\n{logs}")


def test_a_waiting_entry_script_runs_as_itself(workspace: Path, container_names: list[str]) -> None:
    path = workspace / "entry-run"
    shutil.copytree(REPO / "examples" / "django-static-i18n", path, ignore=shutil.ignore_patterns("golden"))
    (path / "entrypoint.sh").write_text(SCRIPT, encoding="utf-8")
    api.init(path, syntax_directive=False, index_url=PYPI)
    git_commit(path)
    plan = api.plan(path, syntax_directive=False)
    assert plan.cmd == ("sh", "entrypoint.sh")
    tag = f"{TAG_PREFIX}/entry-run:test"
    build(path, tag)
    name = "dw-it-entry-run"
    container_names.append(name)
    docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "none",
        "-e",
        "DJANGO_SECRET_KEY=test",
        "-e",
        "DB_PORT=54329",
        tag,
    )
    _logs_until(name, "waiting for 127.0.0.1:54329")  # nc is there, the port is not open yet
    docker("exec", "-d", name, "python", "-m", "http.server", "54329", "--bind", "127.0.0.1")
    logs = _logs_until(name, "Booting worker")
    assert "pg_isready (PostgreSQL)" in logs and "django 5." in logs
    assert "0 static files copied" in logs  # the build collected them; the app user owns STATIC_ROOT
    user = docker("exec", name, "id", "-u").stdout.strip()
    owner = docker("exec", name, "stat", "-c", "%u", "/app/staticfiles").stdout.strip()
    assert owner == user != "0"
    static = next(
        p.relative_to(path / "pages" / "static") for p in (path / "pages" / "static").rglob("*.css")
    )
    served = docker("exec", name, "python", "-c", PROBE.format(static))
    assert served.stdout.strip() == "200"
    top = docker("top", name, "-o", "pid,comm").stdout
    assert "gunicorn" in top and " sh" not in top  # the script exec'd the server
