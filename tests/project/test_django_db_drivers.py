"""A Django project whose DATABASES engine (or the URL scheme dj-database-url / django-environ turn into
one) needs a driver the project does not install: one warning naming the line and the distribution
(project/db_drivers.py, data/db_drivers.toml [[django_engine]])."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.db_drivers import django_engines, django_urls
from dockwright.project.detect import detect_project
from dockwright.project.facts import ProjectFacts

MakeProject = Callable[[dict[str, str | bytes]], Path]

MANAGE = """import os, sys
if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""

SETTINGS_HEAD = """import os
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only")
INSTALLED_APPS = ["django.contrib.contenttypes"]
ROOT_URLCONF = "shopsite.urls"
"""


def _facts(make_project: MakeProject, requirements: str, databases: str) -> ProjectFacts:
    """The facts of a Django site of our own with ``databases`` in its settings."""
    files: dict[str, str | bytes] = {
        "requirements.txt": "gunicorn==23.0.0\n" + requirements,
        "manage.py": MANAGE,
        "shopsite/__init__.py": "",
        "shopsite/urls.py": "urlpatterns = []\n",
        "shopsite/wsgi.py": "from django.core.wsgi import get_wsgi_application\n"
        "application = get_wsgi_application()\n",
        "shopsite/settings.py": SETTINGS_HEAD + databases,
    }
    return detect_project(make_project(files), python="3.13")


def _notes(make_project: MakeProject, requirements: str, databases: str) -> list[str]:
    facts = _facts(make_project, requirements, databases)
    return [n for n in facts.notes if "database engine" in n or "database URL" in n]


ENGINE = 'DATABASES = {{"default": {{"ENGINE": "{engine}", "NAME": "shop"}}}}\n'


@pytest.mark.parametrize(
    ("requirements", "databases", "said"),
    [
        (
            "django==5.1.4\n",
            ENGINE.format(engine="django.db.backends.postgresql"),
            "shopsite/settings.py:5: the database engine django.db.backends.postgresql needs psycopg or "
            "psycopg2, which the project does not install (add psycopg;",
        ),
        (
            "django==4.1.13\npsycopg==3.2.3\n",
            ENGINE.format(engine="django.db.backends.postgresql"),
            "needs psycopg2, which the project does not install (add psycopg2;",
        ),
        (
            "django==5.1.4\n",
            ENGINE.format(engine="django.contrib.gis.db.backends.postgis"),
            "the database engine django.contrib.gis.db.backends.postgis needs psycopg or psycopg2",
        ),
        (
            "django==5.1.4\n",
            'DATABASES = {"default": {"ENGINE": os.getenv("DB_ENGINE", "django.db.backends.mysql")}}\n',
            "needs mysqlclient, which the project does not install (add mysqlclient;",
        ),
        (
            "django==5.1.4\ndj-database-url==2.3.0\n",
            "import dj_database_url\n"
            'DATABASES = {"default": dj_database_url.config(default="postgres://shop:pw@db/shop")}\n',
            "shopsite/settings.py:6: the database URL postgres:// (Django's django.db.backends.postgresql) "
            "needs psycopg or psycopg2",
        ),
        (
            "django==5.1.4\ndjango-environ==0.11.2\n",
            "import environ\nenv = environ.Env()\n"
            'DATABASES = {"default": env.db("DATABASE_URL", default="mysql://root:pw@db/shop")}\n',
            "the database URL mysql:// (Django's django.db.backends.mysql) needs mysqlclient",
        ),
    ],
)
def test_a_driver_the_django_project_lacks_is_said(
    make_project: MakeProject, requirements: str, databases: str, said: str
) -> None:
    notes = _notes(make_project, requirements, databases)
    assert len(notes) == 1 and said in notes[0], notes
    assert "pw@" not in notes[0] and "ImproperlyConfigured" in notes[0]


@pytest.mark.parametrize(
    ("requirements", "databases"),
    [
        ("django==5.1.4\npsycopg2-binary==2.9.10\n", ENGINE.format(engine="django.db.backends.postgresql")),
        ("django==5.1.4\npsycopg[binary]==3.2.3\n", ENGINE.format(engine="django.db.backends.postgresql")),
        ("django==5.1.4\nPyMySQL==1.1.1\n", ENGINE.format(engine="django.db.backends.mysql")),
        ("django==5.1.4\n", ENGINE.format(engine="django.db.backends.sqlite3")),
        (
            "django==5.1.4\ndj-database-url==2.3.0\npsycopg2==2.9.10\n",
            "import dj_database_url\n"
            'DATABASES = {"default": dj_database_url.config(default="postgres://db/shop")}\n',
        ),
    ],
)
def test_an_installed_django_driver_is_not_said(
    make_project: MakeProject, requirements: str, databases: str
) -> None:
    assert _notes(make_project, requirements, databases) == []


def test_the_url_and_the_engine_of_one_database_are_said_once(make_project: MakeProject) -> None:
    databases = (
        "import dj_database_url\n"
        'DATABASES = {"default": dj_database_url.config(default="postgresql://db/shop")}\n'
        'GIS = {"ENGINE": "django.db.backends.postgresql"}\n'
    )
    notes = _notes(make_project, "django==5.1.4\ndj-database-url==2.3.0\n", databases)
    assert len(notes) == 1


def test_every_django_row_cites_its_documentation() -> None:
    rows = [r for each in django_engines().values() for r in each]
    assert all(
        r.source.startswith(("https://docs.djangoproject.com/", "https://dev.mysql.com/")) for r in rows
    )
    assert set(django_urls().values()) <= set(django_engines())


@pytest.mark.parametrize(
    ("databases", "variable"),
    [
        (
            'import dj_database_url\nDATABASES = {"default": dj_database_url.config('
            'default="mysql://root@localhost/shop")}\n',
            "DATABASE_URL",
        ),
        (
            'import dj_database_url\nDATABASES = {"default": dj_database_url.config('
            'env="SHOP_DB", default="mysql://root@localhost/shop", conn_max_age=60)}\n',
            "SHOP_DB",
        ),
        (
            'import environ\nenv = environ.Env()\nDATABASES = {"default": env.db('
            'default="mysql://root@localhost/shop")}\n',
            "DATABASE_URL",
        ),
        (
            'import environ\nenv = environ.Env()\nDATABASES = {"default": env.db_url('
            '"SHOP_DB", default="mysql://root@localhost/shop")}\n',
            "SHOP_DB",
        ),
    ],
)
def test_a_url_variable_whose_default_needs_a_missing_driver_is_required(
    make_project: MakeProject, databases: str, variable: str
) -> None:
    """``dj_database_url.config(default="mysql://...")`` without mysqlclient: unset, the variable's
    default loads a backend the image cannot import, at start and at the build's collectstatic (models
    that reach the backend at import): the variable is required (the build step gets its dummy)."""
    facts = _facts(make_project, "django==5.1.4\ndj-database-url==2.3.0\ndjango-environ==0.11.2\n", databases)
    required = {f.value: f for f in facts.app.required_env}
    assert variable in required, required
    assert "mysqlclient" in required[variable].evidence[0].detail


def test_a_url_default_whose_driver_is_installed_is_not_required(make_project: MakeProject) -> None:
    databases = (
        'import dj_database_url\nDATABASES = {"default": dj_database_url.config('
        'default="mysql://root@localhost/shop")}\n'
    )
    facts = _facts(make_project, "django==5.1.4\ndj-database-url==2.3.0\nmysqlclient==2.2.6\n", databases)
    assert "DATABASE_URL" not in {f.value for f in facts.app.required_env}
    sqlite = databases.replace("mysql://root@localhost/shop", "sqlite:///db.sqlite3")
    facts = _facts(make_project, "django==5.1.4\ndj-database-url==2.3.0\n", sqlite)
    assert "DATABASE_URL" not in {f.value for f in facts.app.required_env}


def test_a_variable_name_no_shell_sets_is_never_required(make_project: MakeProject) -> None:
    """The name a URL reader is given is a string of the project's code: it is written into the build
    step's RUN line and the header's `docker run -e`, so a name that is no shell word (a command
    substitution, a space) is no required variable (review28 F1: it ran in the build's shell)."""
    hostile = "DB_URL$(id)`touch /tmp/pwn`"
    databases = (
        f'import dj_database_url\nDATABASES = {{"default": dj_database_url.config({hostile!r}, '
        'default="mysql://root@localhost/shop")}\n'
    )
    facts = _facts(make_project, "django==5.1.4\ndj-database-url==2.3.0\n", databases)
    assert [f.value for f in facts.app.required_env if "$" in f.value or "`" in f.value] == []
    from dockwright.project.apps import _required_env
    from dockwright.project.facts import Evidence, Fact

    start: Fact[tuple[str, ...]] = Fact(("gunicorn", "shopsite.wsgi"), (Evidence("Procfile", 1, "web"),))
    made = _required_env((), [], [("BAD NAME;id", Evidence("settings.py", 3, "x"))], start)
    assert made == ()
