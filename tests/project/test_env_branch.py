"""A start script whose production branch an environment variable picks runs that branch, inline
(project/env_branch.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.env_branch import production_branch

MakeProject = Callable[[dict[str, str | bytes]], Path]

SCRIPT = """#!/bin/sh
if [ "$MODE" != "prod" ]; then
    python manage.py migrate --noinput
    python manage.py runserver 0.0.0.0:8000
else
    python manage.py migrate --noinput
    gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers 2
fi
"""
INLINE = (
    "python manage.py migrate --noinput; exec gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers 2"
)


def test_the_production_branch_runs_inline_with_the_variable_that_picks_it() -> None:
    branch = production_branch(SCRIPT, {})
    assert branch is not None
    assert branch.command == ("/bin/sh", "-c", INLINE)
    assert (branch.variable, branch.value, branch.line) == ("MODE", "prod", 2)


@pytest.mark.parametrize(
    ("script", "value", "command"),
    [
        # `then` on its own line, errexit, an `exec` already there, the variable unset picks production
        (
            '#!/bin/bash\nset -e\nif [ "$ENV" = "dev" ]\nthen\n  exec flask run --debug\nelse\n'
            "  alembic upgrade head\n  exec gunicorn app:app -b :8000\nfi\n",
            None,
            ("bash", "-c", "alembic upgrade head && exec gunicorn app:app -b :8000"),
        ),
        # the production branch is the server alone: its own argv
        (
            'if [[ ${DEBUG} == "1" ]]; then\n  python manage.py runserver\nelse\n  gunicorn site.wsgi\nfi\n',
            None,
            ("gunicorn", "site.wsgi"),
        ),
    ],
)
def test_script_shapes(script: str, value: str | None, command: tuple[str, ...]) -> None:
    branch = production_branch(script, {})
    assert branch is not None and (branch.value, branch.command) == (value, command)


@pytest.mark.parametrize(
    "script",
    [
        SCRIPT.replace("runserver 0.0.0.0:8000", "check"),  # no development branch: not this case
        SCRIPT.replace("else\n", 'elif [ "$MODE" = "qa" ]; then\n    gunicorn qa.wsgi\nelse\n'),  # elif
        SCRIPT.replace("gunicorn shop.wsgi:application", "celery -A shop worker"),  # no web server
    ],
)
def test_other_scripts_are_left_alone(script: str) -> None:
    assert production_branch(script, {}) is None


def test_a_service_whose_environment_picks_the_development_branch_is_left_alone() -> None:
    assert production_branch(SCRIPT, {"MODE": "dev"}) is None
    assert production_branch(SCRIPT, {"MODE": "prod"}) is not None


def test_a_compose_service_running_the_script_serves_its_production_branch(make_project: MakeProject) -> None:
    root = make_project(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
            "from django.core.management import execute_from_command_line\n",
            "shop/__init__.py": "",
            "shop/settings.py": "INSTALLED_APPS = []\nWSGI_APPLICATION = 'shop.wsgi.application'\n",
            "shop/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
            "requirements.txt": "django\ngunicorn\n",
            "scripts/start.sh": SCRIPT,
            "compose.yaml": "services:\n  web:\n    build: .\n    command: [/bin/sh, scripts/start.sh]\n",
        }
    )
    facts = detect_project(root)
    assert facts.app.command.value == ("/bin/sh", "-c", INLINE)
    assert facts.app.kind.value == "web"
    assert {e.name: e.value for e in facts.app.env}["MODE"] == "prod"
