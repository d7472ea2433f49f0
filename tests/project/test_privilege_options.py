"""A start whose server changes user (gunicorn --user/--group, uWSGI --uid/--gid) cannot run as the
image's non-root user: the options are left out (project/privilege_options.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.privilege_options import without_user_options

MakeProject = Callable[[dict[str, str | bytes]], Path]
SETTINGS = "INSTALLED_APPS = ['django.contrib.staticfiles']\nSECRET_KEY = 'x'\nSTATIC_URL = '/static/'\n"
WSGI = "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n"


def test_gunicorn_user_and_group_forms_are_left_out() -> None:
    argv = ("gunicorn", "site1.wsgi", "-b", "0.0.0.0:8000", "--user", "www-data", "-g=www-data", "-w", "4")
    kept, dropped = without_user_options(argv)
    assert kept == ("gunicorn", "site1.wsgi", "-b", "0.0.0.0:8000", "-w", "4")
    assert dropped == ("--user www-data", "-g=www-data")


def test_uwsgi_uid_gid_after_a_carrier_script() -> None:
    argv = ("bash", "entry.sh", "uwsgi", "--http", ":8000", "--uid", "app", "--gid=app")
    kept, dropped = without_user_options(argv)
    assert kept == ("bash", "entry.sh", "uwsgi", "--http", ":8000")
    assert dropped == ("--uid app", "--gid=app")


def test_another_program_keeps_its_options() -> None:
    argv = ("celery", "-A", "proj", "worker", "-u", "x")
    assert without_user_options(argv) == (argv, ())


def test_a_makefile_serve_target_with_a_host_user(make_project: MakeProject) -> None:
    makefile = "serve:\n\tgunicorn site1.wsgi -b 0.0.0.0:8000 --user www-data --group www-data\n"
    root = make_project(
        {
            "requirements.txt": "django==5.2.1\ngunicorn==23.0.0\n",
            "manage.py": MANAGE,
            "site1/__init__.py": "",
            "site1/settings.py": SETTINGS,
            "site1/wsgi.py": WSGI,
            "Makefile": makefile,
        }
    )
    facts = detect_project(root)
    assert facts.app.command.value == ("gunicorn", "site1.wsgi", "-b", "0.0.0.0:8000")
    note = next(n for n in facts.notes if "--user www-data" in n)
    assert "--group www-data" in note and "non-root" in note


def test_a_start_given_on_the_command_line_is_run_as_given(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "gunicorn==23.0.0\n", "app.py": "def app(e, s):\n    return []\n"}
    )
    facts = detect_project(root, start="gunicorn app:app --user nobody")
    assert facts.app.command.value == ("gunicorn", "app:app", "--user", "nobody")
