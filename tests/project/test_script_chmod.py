"""A start line that makes a project script executable before running it with its shell (``chmod +x
./entrypoint.sh && sh ./entrypoint.sh``): as the image's non-root user the chmod of the root-owned copy
fails and ``&&`` stops the start, while a script run by its shell needs no mode bit. The chmod leaves the
line; a script run as itself keeps it. Examples of our own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import plan_project
from dockwright.project.detectors.base import split_command

MakeProject = Callable[[dict[str, str | bytes]], Path]


def test_a_chmod_before_the_shell_run_of_the_script_leaves_the_line() -> None:
    assert split_command('sh -c "chmod +x ./entrypoint.sh && sh ./entrypoint.sh"') == (
        "sh",
        "./entrypoint.sh",
    )
    assert split_command("chmod 755 start.sh; bash start.sh --fast") == ("bash", "start.sh", "--fast")
    assert split_command('sh -c "chmod u+x run.sh && python seed.py && exec sh ./run.sh"') == (
        "/bin/sh",
        "-c",
        "python seed.py && exec sh ./run.sh",
    )


def test_a_chmod_of_a_script_run_as_itself_or_of_another_file_stays() -> None:
    assert split_command('sh -c "chmod +x ./entrypoint.sh && ./entrypoint.sh"') == (
        "/bin/sh",
        "-c",
        "chmod +x ./entrypoint.sh && exec ./entrypoint.sh",
    )
    assert split_command('sh -c "chmod +x tool && sh ./entrypoint.sh"') == (
        "/bin/sh",
        "-c",
        "chmod +x tool && exec sh ./entrypoint.sh",
    )


ENTRY = "python manage.py migrate --no-input\ngunicorn shop.wsgi --bind 0.0.0.0:8000\n"
MANAGE = (
    "import os, sys\n\nif __name__ == '__main__':\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
    "    from django.core.management import execute_from_command_line\n"
    "    execute_from_command_line(sys.argv)\n"
)


def test_the_compose_start_runs_the_script_and_the_script_is_not_called_unused(
    make_project: MakeProject,
) -> None:
    compose = (
        "services:\n  web:\n    build: .\n    ports:\n      - '8000:8000'\n"
        '    command: sh -c "chmod +x ./entrypoint.sh && sh ./entrypoint.sh"\n'
    )
    root = make_project(
        {
            "docker-compose.yml": compose,
            "Dockerfile": 'FROM python:3.12\nCOPY . .\nRUN chmod +x entrypoint.sh\nCMD ["./entrypoint.sh"]\n',
            "entrypoint.sh": ENTRY,
            "requirements.txt": "django\ngunicorn\n",
            "manage.py": MANAGE,
            "shop/__init__.py": "",
            "shop/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = 'shop.urls'\n",
            "shop/urls.py": "urlpatterns = []\n",
            "shop/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        }
    )
    plan = plan_project(root, {})
    # the script runs gunicorn without exec: its lines run inline, exec added (as a Procfile's would)
    assert plan.cmd == (
        "/bin/sh",
        "-c",
        "python manage.py migrate --no-input; exec gunicorn shop.wsgi --bind 0.0.0.0:8000",
    )
    assert not any("chmod" in word for word in plan.cmd)
    assert not any("entrypoint.sh" in w and "is not used" in w for w in plan.warnings)
