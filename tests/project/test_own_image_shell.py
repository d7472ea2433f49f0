"""The repository's own image starting its server at the end of a shell line (detectors/own_image_shell.py):
its steps run before the server, which gets exec, as a Procfile's line does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
SETTINGS = "WSGI_APPLICATION = 'shop.wsgi.application'\nASGI_APPLICATION = 'shop.asgi.application'\n"
WSGI = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"


def _django(folder: str = "") -> dict[str, str | bytes]:
    at = f"{folder}/" if folder else ""
    return {
        f"{at}manage.py": MANAGE,
        f"{at}shop/__init__.py": "",
        f"{at}shop/settings.py": SETTINGS,
        f"{at}shop/wsgi.py": WSGI,
        f"{at}shop/asgi.py": "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n",
        "requirements.txt": "django\ngunicorn\ndaphne\n",
    }


@pytest.mark.parametrize(
    "cmd",
    [
        "CMD python manage.py migrate --noinput && gunicorn shop.wsgi -b 0.0.0.0:8000",
        'CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn shop.wsgi -b 0.0.0.0:8000"]',
    ],
)
def test_the_own_image_s_steps_then_server_are_the_start(make_project: MakeProject, cmd: str) -> None:
    files = {**_django(), "Dockerfile": f"FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n{cmd}\n"}
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "python manage.py migrate --noinput && exec gunicorn shop.wsgi -b 0.0.0.0:8000",
    )
    assert (app.kind.value, app.port.value) == ("web", 8000)
    assert app.command.evidence[0].file == "Dockerfile"


def test_a_variable_set_for_the_server_is_no_program(make_project: MakeProject) -> None:
    """The last step is read as every start's is (servers.last_words): ``A=1 gunicorn`` runs gunicorn."""
    cmd = "CMD python manage.py migrate --noinput && DJANGO_DEBUG=0 gunicorn shop.wsgi -b 0.0.0.0:8000"
    files = {**_django(), "Dockerfile": f"FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n{cmd}\n"}
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[-1] == (
        "python manage.py migrate --noinput && DJANGO_DEBUG=0 exec gunicorn shop.wsgi -b 0.0.0.0:8000"
    )
    assert (app.kind.value, app.port.value, app.command.evidence[0].file) == ("web", 8000, "Dockerfile")


def test_a_production_variant_behind_a_wait_in_a_work_folder(make_project: MakeProject) -> None:
    prod = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY backend backend\nWORKDIR /app/backend\nEXPOSE 8000\n"
        'CMD ["wait-for-it.sh", "db:5432", "--", "sh", "-c", '
        '"python manage.py migrate --noinput && daphne -b 0.0.0.0 -p 8000 shop.asgi:application"]\n'
    )
    dev = 'FROM python:3.11-slim\nCOPY . .\nCMD ["python", "backend/manage.py", "runserver"]\n'
    files = {**_django("backend"), "Dockerfile": dev, "Dockerfile.prod": prod}
    facts = detect_project(make_project(files), python="3.11")
    assert facts.app.command.value == (
        "/bin/sh",
        "-c",
        "cd backend && python manage.py migrate --noinput && exec daphne -b 0.0.0.0 -p 8000 shop.asgi:application",
    )
    assert any("waits with wait-for-it.sh db:5432" in n for n in facts.notes)


@pytest.mark.parametrize(
    "cmd",
    [
        "CMD python manage.py migrate && python manage.py runserver 0.0.0.0:8000",  # a development server
        "CMD python manage.py migrate && python tools/report.py",  # no server at the end
        'CMD ["gunicorn", "shop.wsgi"]',  # one command: the other own-image detectors'
    ],
)
def test_other_lines_are_not_read(make_project: MakeProject, cmd: str) -> None:
    files = {
        **_django(),
        "tools/report.py": "print(1)\n",
        "Dockerfile": f"FROM python:3.12-slim\nCOPY . .\n{cmd}\n",
    }
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[0] != "/bin/sh"
    assert all(e.file != "Dockerfile" or "own image runs it" not in e.detail for e in app.command.evidence)


@pytest.mark.parametrize(("expose", "port"), [("EXPOSE 8010", 8010), ("EXPOSE 8010 9000", 8000)])
def test_a_line_without_a_port_takes_the_one_port_the_stage_exposes(
    make_project: MakeProject, expose: str, port: int
) -> None:
    cmd = "CMD python manage.py migrate --noinput && gunicorn shop.wsgi"
    files = {**_django(), "Dockerfile": f"FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n{expose}\n{cmd}\n"}
    app = detect_project(make_project(files), python="3.12").app
    assert (app.kind.value, app.port.value) == ("web", port)
    if port == 8010:  # the own image's EXPOSE rule (own_dockerfile.exposed_port): its line and text
        assert [(e.file, e.line, e.detail) for e in app.port.evidence] == [
            ("Dockerfile", 4, "EXPOSE 8010 (the repository's own image)")
        ]
