"""A repository command written as ``sh -c "..."`` is read as the quoted line itself: its steps, its last
program (a development server is still refused) and the ``exec`` the image adds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detectors.base import split_command
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETTINGS = "SECRET_KEY = 'x'\nROOT_URLCONF = 'shop.urls'\nWSGI_APPLICATION = 'shop.wsgi.application'\n"
MANAGE = (
    "import os, sys\n\nif __name__ == '__main__':\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
    "    from django.core.management import execute_from_command_line\n"
    "    execute_from_command_line(sys.argv)\n"
)
WSGI = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"


def test_sh_c_line_is_unwrapped() -> None:
    assert split_command('sh -c "alembic upgrade head && uvicorn api:app --host 0.0.0.0"') == (
        "/bin/sh",
        "-c",
        "alembic upgrade head && exec uvicorn api:app --host 0.0.0.0",
    )
    assert split_command("/bin/bash -c 'gunicorn api:app'") == ("gunicorn", "api:app")


def test_folded_lines_join_after_operators() -> None:
    line = 'sh -c "python manage.py migrate &&\n       gunicorn shop.wsgi"\n'
    assert split_command(line) == ("/bin/sh", "-c", "python manage.py migrate && exec gunicorn shop.wsgi")


def test_a_development_server_inside_sh_c_is_not_the_start(make_project: MakeProject) -> None:
    compose = (
        "services:\n  web:\n    build: .\n    ports:\n      - '8000:8000'\n    command: >\n"
        '      sh -c "python manage.py migrate &&\n'
        '             python manage.py runserver 0.0.0.0:8000"\n'
    )
    root = make_project(
        {
            "docker-compose.yml": compose,
            "manage.py": MANAGE,
            "shop/__init__.py": "",
            "shop/settings.py": SETTINGS,
            "shop/urls.py": "urlpatterns = []\n",
            "shop/wsgi.py": WSGI,
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"django", "gunicorn"}))
    assert app.command.value[0] == "gunicorn"
    assert app.command.value[-1] == "shop.wsgi:application"
