"""A Django management command that runs a production server (``manage.py pyuwsgi``: django-webserver,
django-pyuwsgi) is read as that server's command line (project/manage_servers.py): a web start, its port
and uWSGI's handling, and the package that adds the command in the lock. The projects are our own small
examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project
from dockwright.project.manage_servers import as_server

MakeProject = Callable[[dict[str, str | bytes]], Path]

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'notes.settings')\n"
SETTINGS = "WSGI_APPLICATION = 'notes.wsgi.application'\nSTATIC_URL = '/static/'\nSTATIC_ROOT = 'collected'\n"
WSGI = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
SETUP_CFG = (
    "[metadata]\nname = notes\nversion = 1.0\n\n[options]\npackages = find:\ninstall_requires =\n"
    "    django\n\n[options.extras_require]\nproduction =\n    django-webserver[pyuwsgi]==1.1.0\n"
)
OWN = (
    "FROM python:3.12-slim\nENV PORT=8000\nWORKDIR /app\nCOPY . .\nRUN pip install .[production]\n"
    "CMD ./manage.py migrate --noinput && ./manage.py pyuwsgi --http=:${PORT} --logger file:/var/log/notes.log\n"
)


def _django(**more: str) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "manage.py": MANAGE,
        "notes/__init__.py": "",
        "notes/settings.py": SETTINGS,
        "notes/wsgi.py": WSGI,
    }
    files.update(more)
    return files


def test_the_command_reads_as_the_servers() -> None:
    assert as_server(("python", "manage.py", "pyuwsgi", "--http=:8000")) == ("uwsgi", "--http=:8000")
    assert as_server(("./manage.py", "pyuwsgi")) == ("uwsgi",)
    assert as_server(("python3", "src/manage.py", "waitress", "--port=8000")) == (
        "waitress-serve",
        "--port=8000",
    )
    assert as_server(("python", "manage.py", "runserver")) == ("python", "manage.py", "runserver")
    assert as_server(("pyuwsgi", "--http=:8000")) == ("pyuwsgi", "--http=:8000")


def test_the_own_images_pyuwsgi_line_is_the_start_with_uwsgis_handling(make_project: MakeProject) -> None:
    root = make_project(_django(**{"setup.cfg": SETUP_CFG, "setup.py": "", "Dockerfile": OWN}))
    facts = detect_project(root, python="3.12")
    app = facts.app
    assert app.command.value == (
        "/bin/sh",
        "-c",
        "./manage.py migrate --noinput && exec ./manage.py pyuwsgi --http=:${PORT} "
        "--logger file:/var/log/notes.log",
    )
    assert (app.kind.value, app.port.value) == ("web", 8000)
    assert {e.name: e.value for e in app.env}["UWSGI_DIE_ON_TERM"] == "1"
    # the command exists only with django-webserver, which the project keeps in the extra its own
    # image installs: installed as that image does (project/optional_extras.py), nothing added
    assert facts.dependencies.declared == ("django", "django-webserver[pyuwsgi]==1.1.0")
    assert app.adds.value == ()
    # an image that does not install the extra: the command's package is added from the extra's line
    own = OWN.replace("RUN pip install .[production]\n", "")
    other = detect_project(
        make_project(_django(**{"setup.cfg": SETUP_CFG, "setup.py": "", "Dockerfile": own}))
    )
    assert other.app.adds.value == ("django-webserver[pyuwsgi]==1.1.0",)
    assert (other.app.adds.evidence[0].file, other.app.adds.evidence[0].line) == ("setup.cfg", 12)
    assert "/var/log/notes.log" in {f.value for f in app.writable_files}
    plan = make_plan(facts)
    assert "gunicorn" not in " ".join(plan.cmd)
    assert any("touch /var/log/notes.log" in " ".join(s.args) for s in plan.runtime_steps)


def test_a_procfile_pyuwsgi_with_its_package_declared_adds_nothing(make_project: MakeProject) -> None:
    files = _django(
        **{
            "requirements.txt": "django\ndjango-pyuwsgi\n",
            "Procfile": "web: python manage.py pyuwsgi --http :5000\n",
        }
    )
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.value[-3:] == ("pyuwsgi", "--http", ":5000")
    assert (app.kind.value, app.port.value) == ("web", 5000)
    assert app.adds.value == ()
    assert app.writable_files == ()


def test_without_the_package_anywhere_the_tables_default_is_added(make_project: MakeProject) -> None:
    files = _django(
        **{"requirements.txt": "django\n", "Procfile": "web: python manage.py pyuwsgi --http=:8000\n"}
    )
    app = detect_project(make_project(files), python="3.12").app
    assert app.adds.value == ("django-webserver[pyuwsgi]",)
    assert "manage_servers table" in app.adds.evidence[-1].file


def test_uwsgis_own_log_file_is_made_the_app_users(make_project: MakeProject) -> None:
    files = _django(
        **{
            "requirements.txt": "django\nuwsgi\n",
            "Procfile": "web: uwsgi --http :8000 --module notes.wsgi --logto /var/log/u.log\n",
        }
    )
    app = detect_project(make_project(files), python="3.12").app
    assert [f.value for f in app.writable_files] == ["/var/log/u.log"]


def test_a_package_whose_shell_start_runs_manage_py_installs_from_source(make_project: MakeProject) -> None:
    root = make_project(_django(**{"setup.cfg": SETUP_CFG, "setup.py": "", "Dockerfile": OWN}))
    plan = make_plan(detect_project(root, python="3.12"))
    assert plan.app_install == "source"
    decision = plan.decision("app-install")
    assert decision is not None and "./manage.py" in decision.reason
