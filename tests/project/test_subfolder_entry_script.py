"""An entry script beside a Django project's ``manage.py`` in a sub-folder (``web/entrypoint.sh``, which
the repository's image copies with that folder as its work directory) is read, and runs from that folder
(detectors/entry_script.py). The projects are our own small examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SITE = {
    "requirements.txt": "Django==5.0.2\nchannels==4.0.0\ndaphne==4.1.0\ncelery==5.3.6\n",
    "web/manage.py": (
        "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hub.settings')\n"
        "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
    ),
    "web/hub/__init__.py": "",
    "web/hub/settings.py": (
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['daphne', 'channels']\nROOT_URLCONF = 'hub.urls'\n"
        "ASGI_APPLICATION = 'hub.asgi.application'\nSTATIC_URL = 'static/'\nSTATIC_ROOT = 'collected'\n"
    ),
    "web/hub/urls.py": "urlpatterns = []\n",
    "web/hub/asgi.py": "from django.core.asgi import get_asgi_application\n\napplication = get_asgi_application()\n",
    "web/Dockerfile": 'FROM python:3.11-slim\nWORKDIR /app\nCOPY ./web/ .\nENTRYPOINT ["./entrypoint.sh"]\n',
}


def test_a_plain_script_beside_manage_py_runs_inline_from_its_folder(make_project: MakeProject) -> None:
    script = (
        "#!/bin/sh\npython manage.py migrate\npython manage.py collectstatic\n"
        "python manage.py seed_defaults\ndaphne -b 0.0.0.0 -p 8000 hub.asgi:application"
    )
    app = detect_project(make_project({**SITE, "web/entrypoint.sh": script})).app
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "cd web && python manage.py migrate; python manage.py collectstatic; python manage.py seed_defaults; "
        "exec daphne -b 0.0.0.0 -p 8000 hub.asgi:application",
    )
    assert app.command.evidence[0].file == "web/entrypoint.sh"


def test_a_worker_script_beside_manage_py_runs_from_its_folder(make_project: MakeProject) -> None:
    script = "#!/bin/sh\nset -e\npython manage.py migrate\ncelery -A hub worker -l info\n"
    files = {**SITE, "web/hub/celery.py": "from celery import Celery\n\napp = Celery('hub')\n"}
    app = detect_project(make_project({**files, "web/start.sh": script})).app
    worker = ("/bin/sh", "-c", "cd web && python manage.py migrate && exec celery -A hub worker -l info")
    assert worker in app.other_commands


def test_a_script_in_a_folder_without_manage_py_is_not_read(make_project: MakeProject) -> None:
    script = "#!/bin/sh\npython manage.py migrate\ndaphne -b 0.0.0.0 -p 8000 hub.asgi:application"
    app = detect_project(make_project({**SITE, "tools/entrypoint.sh": script})).app
    assert "entrypoint.sh" not in " ".join(app.command.value)


def test_a_celery_app_of_a_django_project_in_a_sub_folder_runs_from_that_folder(
    make_project: MakeProject,
) -> None:
    # web/ is no package: its modules import as `hub.*` (the settings name hub.settings), so the worker
    # imports hub.celery from web/, as the repository's image does after `COPY ./web/ .`
    files = {
        **SITE,
        "web/hub/__init__.py": "from hub.celery import app as celery_app\n",
        "web/hub/celery.py": (
            "import os\n\nfrom celery import Celery\n\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hub.settings')\napp = Celery('hub')\n"
        ),
    }
    app = detect_project(make_project(files)).app
    assert (
        "celery",
        "--workdir",
        "web",
        "-A",
        "hub.celery",
        "worker",
        "--loglevel",
        "INFO",
    ) in app.other_commands


def test_a_celery_app_in_a_package_sub_folder_keeps_its_dotted_name(make_project: MakeProject) -> None:
    files = {
        **SITE,
        "web/__init__.py": "",
        "web/hub/celery.py": "from celery import Celery\n\napp = Celery('hub')\n",
    }
    app = detect_project(make_project(files)).app
    assert not any("--workdir" in c for c in app.other_commands)


def test_the_folder_s_name_is_one_shell_word(make_project: MakeProject) -> None:
    # a folder's name is project text: quoted in the `cd`, never run as shell syntax
    folder = "web $(touch owned)"
    script = "#!/bin/sh\npython manage.py migrate\ndaphne -b 0.0.0.0 -p 8000 hub.asgi:application"
    files = {k.replace("web/", f"{folder}/"): v for k, v in SITE.items()}
    app = detect_project(make_project({**files, f"{folder}/entrypoint.sh": script})).app
    assert app.command.value[:2] == ("/bin/sh", "-c"), app.command.value
    assert app.command.value[2].startswith("cd 'web $(touch owned)' && python manage.py migrate; exec daphne")
