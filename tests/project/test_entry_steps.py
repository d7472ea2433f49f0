"""An entry script whose lines are a plain sequence, a build step among them, runs inline: the plan takes
the build step out and keeps the migrations and the server's own options (project/entry_steps.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.entry_steps import inline_line

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

STRAIGHT = """#!/bin/sh
# prepare, then serve
echo "preparing"
python manage.py migrate --noinput
python manage.py collectstatic --noinput
exec gunicorn mysite.wsgi:application \\
    --bind 0.0.0.0:8000 \\
    --workers 3 \\
    --timeout 90
"""


def test_plain_lines_become_one_shell_line_in_order() -> None:
    assert inline_line(STRAIGHT) == (
        "/bin/sh",
        "-c",
        "python manage.py migrate --noinput; python manage.py collectstatic --noinput; "
        "exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000 --workers 3 --timeout 90",
    )


@pytest.mark.parametrize("option", ["set -e", "set -eu", "set -euo pipefail", "set -o errexit"])
def test_a_script_that_stops_at_the_first_failure_joins_with_and(option: str) -> None:
    text = f"#!/bin/bash\n{option}\npython manage.py collectstatic --noinput\nexec gunicorn mysite.wsgi\n"
    assert inline_line(text) == (
        "bash",
        "-c",
        "python manage.py collectstatic --noinput && exec gunicorn mysite.wsgi",
    )


@pytest.mark.parametrize(
    "middle",
    [
        'if [ "$MIGRATE" = 1 ]; then\n  python manage.py migrate\nfi\n',
        "while ! nc -z db 5432; do sleep 1; done\n",
        "python manage.py migrate  # first\n",
        "python manage.py rqworker &\n",
        "wait_db() { sleep 1; }\n",
        "set -e\nchown -R app:app /srv/media\n",  # a chown the script stops at (set -e)
    ],
)
def test_structure_or_root_only_lines_keep_the_script_unused(middle: str) -> None:
    text = f"#!/bin/sh\n{middle}python manage.py collectstatic --noinput\nexec gunicorn mysite.wsgi\n"
    assert inline_line(text) is None


def test_without_a_build_step_or_an_exec_line_nothing_changes() -> None:
    assert inline_line("#!/bin/sh\npython manage.py migrate\nexec gunicorn mysite.wsgi\n") is None
    assert inline_line("#!/bin/sh\npython manage.py collectstatic --noinput\ngunicorn mysite.wsgi\n") is None


def test_the_plan_keeps_migrate_and_the_server_options_and_drops_collectstatic(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    (root / "entrypoint.sh").write_text(STRAIGHT, encoding="utf-8")
    plan = api.plan(root)
    assert plan.cmd == (
        "/bin/sh",
        "-c",
        "python manage.py migrate --noinput ; exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000 "
        "--workers 3 --timeout 90",
    )
    dropped = plan.decision("start-build-steps")
    assert dropped is not None
    assert dropped.choice == "dropped: python manage.py collectstatic --noinput"
    assert "entrypoint.sh:6" in dropped.reason
    assert not any("entrypoint.sh" in w and "not used" in w for w in plan.warnings)


WRAPPER = """#!/bin/bash
set -e
python manage.py migrate --noinput
python manage.py collectstatic --noinput
exec "$@"
"""


def test_a_wrapping_script_runs_its_steps_then_the_start_and_loses_collectstatic(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    (root / "docker-entrypoint.sh").write_text(WRAPPER, encoding="utf-8")
    plan = api.plan(root)
    assert plan.cmd[:2] == ("bash", "-c")
    assert plan.cmd[2].startswith("python manage.py migrate --noinput && exec gunicorn ")
    assert "mysite.wsgi" in plan.cmd[2]
    dropped = plan.decision("start-build-steps")
    assert dropped is not None and dropped.choice == "dropped: python manage.py collectstatic --noinput"
    assert not any("docker-entrypoint.sh" in w and "not used" in w for w in plan.warnings)


# The script of a repository whose own image made its venv at /srv/env: it activates it first, and runs
# the build step through the project's own console script (a wrapper of Django's management commands).
ACTIVATING = """#!/usr/bin/env bash
set -eo pipefail
source /srv/env/bin/activate
mysite-admin collectstatic --noinput
mysite-admin migrate
exec uvicorn mysite.asgi:application --host 0.0.0.0
"""


def test_a_foreign_venv_activation_runs_inline_without_it() -> None:
    """Run as itself the script stops on its first line (the planned image has no /srv/env); the image's
    own venv is already active (PATH, VIRTUAL_ENV), so the lines run inline without the activation."""
    assert inline_line(ACTIVATING) == (
        "bash",
        "-c",
        "mysite-admin collectstatic --noinput && mysite-admin migrate && "
        "exec uvicorn mysite.asgi:application --host 0.0.0.0",
    )
    dotted = ACTIVATING.replace("source /srv/env/bin/activate", ". /srv/env/bin/activate")
    assert inline_line(dotted) == inline_line(ACTIVATING)


def test_a_foreign_venv_activation_with_structure_is_a_foreign_line() -> None:
    from dockwright.project.detectors.entry_script import foreign_program

    assert foreign_program(ACTIVATING) == (3, "/srv/env/bin/activate")
    assert foreign_program(ACTIVATING.replace("/srv/env/", "/opt/venv/")) is None


def test_collectstatic_through_a_project_console_script_is_the_build_step(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    (root / "entrypoint.sh").write_text(
        ACTIVATING.replace("mysite-admin", "python manage.py"), encoding="utf-8"
    )
    plan = api.plan(root)
    assert plan.cmd == (
        "bash",
        "-c",
        "python manage.py migrate && exec uvicorn mysite.asgi:application --host 0.0.0.0",
    )
    (root / "entrypoint.sh").write_text(ACTIVATING, encoding="utf-8")
    dropped = api.plan(root).decision("start-build-steps")
    assert dropped is not None and dropped.choice == "dropped: mysite-admin collectstatic --noinput"


@pytest.mark.parametrize(
    ("line", "step"),
    [
        ("python manage.py collectstatic --noinput", True),
        ("mysite-admin collectstatic --noinput", True),
        ("uv run mysite-admin collectstatic", True),
        ("python -m django collectstatic", True),
        ("python manage.py migrate && mysite-admin collectstatic", True),
        ("echo Running collectstatic", False),
        ('echo "then collectstatic"', False),
    ],
)
def test_collectstatic_is_a_build_step_under_any_program_that_runs_it(line: str, step: bool) -> None:
    from dockwright.project.entry_wrapper import build_step_line

    assert (build_step_line(f"#!/bin/sh\n{line}\n") is not None) is step
