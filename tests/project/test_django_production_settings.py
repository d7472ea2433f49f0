"""A manage.py naming development settings beside a production module: the image runs the production one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

MANAGE = (
    "import os\nimport sys\n\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{settings}')\n"
    "from django.core.management import execute_from_command_line\n"
    "execute_from_command_line(sys.argv)\n"
)
WSGI = "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"


def files(settings: str, production: str | None = "production") -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {
        "manage.py": MANAGE.format(settings=settings),
        "bakery/__init__.py": "",
        "bakery/wsgi.py": WSGI,
        "bakery/conf/__init__.py": "",
        "bakery/conf/common.py": (
            "import environ\n\nenv = environ.Env()\nDEBUG = False\nWSGI_APPLICATION = 'bakery.wsgi.application'\n"
        ),
        "bakery/conf/local.py": "from .common import *\n\nDEBUG = True\nINSTALLED_APPS = ['debug_toolbar']\n",
    }
    if production:
        out[f"bakery/conf/{production}.py"] = (
            "from .common import *\nfrom .common import env\n\nSECRET_KEY = env('BAKERY_SECRET_KEY')\n"
        )
    return out


def detect(root: Path) -> tuple[dict[str, str], list[str], list[str]]:
    deps = frozenset({"django", "gunicorn", "django-environ"})
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=deps, notes=notes)
    env = {e.name: e.value for e in app.env}
    return env, [f.value for f in app.required_env], notes


def test_development_settings_beside_production_ones_run_the_production_ones(
    make_project: MakeProject,
) -> None:
    env, required, notes = detect(make_project(files("bakery.conf.local")))
    assert env["DJANGO_SETTINGS_MODULE"] == "bakery.conf.production"
    # the production module's reads are the ones the image needs
    assert required == ["BAKERY_SECRET_KEY"]
    assert any("manage.py names the development settings bakery.conf.local" in n for n in notes)
    assert any("-e DJANGO_SETTINGS_MODULE=bakery.conf.local" in n for n in notes)


def test_the_note_comes_with_a_procfile_start_too(make_project: MakeProject) -> None:
    procfile = {"Procfile": "web: gunicorn bakery.wsgi:application --workers 2\n"}
    env, _, notes = detect(make_project({**files("bakery.conf.local"), **procfile}))
    assert env["DJANGO_SETTINGS_MODULE"] == "bakery.conf.production"
    assert sum("development settings" in n for n in notes) == 1


def test_a_prod_module_counts_too(make_project: MakeProject) -> None:
    env, _, _ = detect(make_project(files("bakery.conf.dev", production="prod")))
    assert env["DJANGO_SETTINGS_MODULE"] == "bakery.conf.prod"


def test_without_a_production_sibling_manage_pys_module_stays(make_project: MakeProject) -> None:
    env, required, notes = detect(make_project(files("bakery.conf.local", production=None)))
    assert env["DJANGO_SETTINGS_MODULE"] == "bakery.conf.local"
    assert required == [] and not any("development settings" in n for n in notes)


def test_settings_that_are_not_a_development_module_stay(make_project: MakeProject) -> None:
    env, _, _ = detect(make_project(files("bakery.conf.common")))
    assert env["DJANGO_SETTINGS_MODULE"] == "bakery.conf.common"


def test_settings_named_by_an_environment_read_in_an_f_string(make_project: MakeProject) -> None:
    # `f"bakery.conf.{stage}"` with `stage = os.getenv("STAGE", "local")`: the default names the
    # development module; the production sibling runs, as for a literal
    manage = MANAGE.replace("'{settings}'", 'f"bakery.conf.{{stage}}"').replace(
        "import sys\n", "import sys\n\nstage = os.getenv('STAGE', 'local')\n"
    )
    project = {**files("unused"), "manage.py": manage.format()}
    env, _, _ = detect(make_project(project))
    assert env["DJANGO_SETTINGS_MODULE"] == "bakery.conf.production"
    inline = MANAGE.replace("'{settings}'", "f\"bakery.conf.{{os.environ.get('STAGE', 'local')}}\"")
    env, _, _ = detect(make_project({**files("unused"), "manage.py": inline.format()}))
    assert env["DJANGO_SETTINGS_MODULE"] == "bakery.conf.production"
