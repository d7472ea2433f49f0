"""A variable read with no default and handed, at import, to a call that cannot take None
(``redis.from_url(os.environ.get("REDIS_URL"))``) is required: unset, the module fails at import, and
so do the build's collectstatic and the container (project/none_refusing_calls.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.none_refusing_calls import none_refusing_reads

_IMPORTS = {"from_url": "redis.from_url", "Redis": "redis.Redis", "create_engine": "sqlalchemy.create_engine"}


def _names(text: str) -> list[str]:
    return [read.variable for read in none_refusing_reads(ast.parse(text), _IMPORTS)]


@pytest.mark.parametrize(
    "text",
    [
        'import os\nimport redis\n\nREDIS_URL = os.environ.get("CACHE_REDIS")\nclient = redis.from_url(REDIS_URL)\n',
        'import os\nimport redis\n\nclient = redis.Redis.from_url(os.getenv("CACHE_REDIS"))\n',
        'import os\nfrom redis import Redis\n\nclient = Redis.from_url(url=os.getenv("CACHE_REDIS"))\n',
        'import os\n\nSOCKET = os.path.join(os.getenv("CACHE_REDIS"), "redis.sock")\n',
    ],
)
def test_a_read_passed_at_import_to_a_call_refusing_none_is_required(text: str) -> None:
    assert _names(text) == ["CACHE_REDIS"]


@pytest.mark.parametrize(
    "text",
    [
        # a default: never None
        'import os\nimport redis\n\nclient = redis.from_url(os.getenv("CACHE_REDIS", "redis://cache"))\n',
        # in a function: not run at import
        'import os\nimport redis\n\ndef client():\n    return redis.from_url(os.getenv("CACHE_REDIS"))\n',
        # in a lambda: called later, if ever
        'import os\nimport redis\n\nclient = lambda: redis.from_url(os.getenv("CACHE_REDIS"))\n',
        # tested first: the module chooses what to do when unset
        'import os\nimport redis\n\nURL = os.getenv("CACHE_REDIS")\nif URL:\n    client = redis.from_url(URL)\n',
        # given a value again before the call
        'import os\nimport redis\n\nURL = os.getenv("CACHE_REDIS")\nURL = URL or "redis://cache"\nclient = redis.from_url(URL)\n',
        # calls that take None (urlparse(None) parses as empty bytes)
        'import os\n\nvalue = str(os.getenv("CACHE_REDIS"))\n',
        'import os\nfrom urllib.parse import urlparse\n\nparts = urlparse(os.getenv("CACHE_REDIS"))\n',
    ],
)
def test_a_read_that_may_be_none_safely_is_not_required(text: str) -> None:
    assert _names(text) == []


def _collectstatic_line(tmp_path: Path, requirements: str, settings_tail: str) -> tuple[set[str], str]:
    """The required variables and the collectstatic RUN of a small Django project whose settings end
    with ``settings_tail``."""
    files = {
        "requirements.txt": requirements,
        "manage.py": (
            "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shelf.settings')\n"
            "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
        ),
        "shelf/__init__.py": "",
        "shelf/settings.py": (
            "import os\nfrom pathlib import Path\n\nimport redis\nimport sqlalchemy\n\nBASE_DIR = Path(__file__).resolve().parent\n"
            "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.staticfiles']\nROOT_URLCONF = 'shelf.urls'\n"
            "WSGI_APPLICATION = 'shelf.wsgi.application'\nSTATIC_URL = '/static/'\n"
            "STATIC_ROOT = BASE_DIR / 'staticfiles'\n" + settings_tail
        ),
        "shelf/urls.py": "urlpatterns = []\n",
        "shelf/wsgi.py": (
            "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shelf.settings')\napplication = get_wsgi_application()\n"
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    plan = api.plan(tmp_path)
    collect = next(
        " ".join(s.args)
        for s in (*plan.builder_steps, *plan.runtime_steps)
        if "collectstatic" in " ".join(s.args)
    )
    return {f.value for f in plan.facts.app.required_env}, collect


def test_a_django_settings_client_gets_the_build_steps_dummy(tmp_path: Path) -> None:
    required, collect = _collectstatic_line(
        tmp_path,
        "django==5.1.4\ngunicorn==23.0.0\nredis==5.2.1\n",
        "SHELF_REDIS_URL = os.environ.get('SHELF_REDIS_URL')\nQUEUE = redis.from_url(SHELF_REDIS_URL)\n",
    )
    assert "SHELF_REDIS_URL" in required
    assert "SHELF_REDIS_URL=redis://localhost:6379/0" in collect


def test_the_dummy_follows_the_call_that_parses_the_variable_whatever_its_name(tmp_path: Path) -> None:
    """``BROKER`` handed to create_engine is a database URL, ``CACHE_HOST`` handed to redis a Redis URL:
    the generic dummy word would stop the settings' import (create_engine raises ArgumentError on it)."""
    required, collect = _collectstatic_line(
        tmp_path,
        "django==5.1.4\ngunicorn==23.0.0\nredis==5.2.1\nsqlalchemy==2.0.36\n",
        "BROKER = os.environ.get('BROKER')\nENGINE = sqlalchemy.create_engine(BROKER)\n"
        "QUEUE = redis.from_url(os.environ.get('CACHE_HOST'))\n",
    )
    assert {"BROKER", "CACHE_HOST"} <= required
    assert "BROKER=sqlite:///:memory:" in collect
    assert "CACHE_HOST=redis://localhost:6379/0" in collect


def test_the_database_dummy_is_a_url_every_parser_takes() -> None:
    """Three slashes: SQLAlchemy reads ``sqlite://:memory:`` as a host with the port "memory:" and
    refuses it; dj-database-url, django-environ and environs read both as the in-memory database."""
    from dockwright.plan.buildsteps import dummy_value

    assert dummy_value("DATABASE_URL")[0] == "sqlite:///:memory:"
    assert dummy_value("BROKER", {"BROKER": "DATABASE_URL"})[0] == "sqlite:///:memory:"
    assert dummy_value("BROKER")[0] == "dockwright-build-time-dummy-not-a-secret"
    assert dummy_value("BROKER", {"BROKER": "NO_SUCH_ROW"}) == dummy_value("BROKER")
