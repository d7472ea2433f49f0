"""SQLite files placed in the code's tree through pathlib: Django's startproject default
(``"NAME": BASE_DIR / "db.sqlite3"``) and URLs built with ``/`` or ``joinpath``. The non-root user
cannot create them in the root-owned app tree: the plan says so (a folder of their own is made
writable), as it did for ``os.path.join``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.detectors.scan import scan_module

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETTINGS = """
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
"""

CONFIG = """
import os
from pathlib import Path

here = Path(__file__).resolve().parent
FILE = "notes.db"
URL = os.getenv("DATABASE_URL", f"sqlite:///{Path(here).joinpath(FILE)}")
CACHE = "sqlite:///" + str(here / "cache" / "c.db")
"""

ELSEWHERE = """
from pathlib import Path
import tempfile

HOME = f"sqlite:///{Path.home() / 'h.db'}"
TMP = f"sqlite:///{Path(tempfile.gettempdir()) / 't.db'}"
VOLUME = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/data/db.sqlite3"}
ABSOLUTE = f"sqlite:///{Path('/srv') / 'x.db'}"
MEMORY = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": BASE_DIR / "db"}
"""


def test_django_default_and_pathlib_urls_are_writes() -> None:
    django = scan_module("site/settings.py", SETTINGS)
    config = scan_module("config.py", CONFIG)
    assert django is not None and config is not None
    assert django.writes == [(".", 7)]
    assert sorted(config.writes) == [(".", 7), ("cache", 8)]


def test_home_temp_literal_and_other_engines_are_not() -> None:
    scan = scan_module("config.py", ELSEWHERE)
    assert scan is not None and scan.writes == []


def _site1(settings: str) -> dict[str, str | bytes]:
    """A Django project ``site1`` whose settings are ``settings`` (then its URLconf and WSGI lines)."""
    return {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
        "site1/__init__.py": "",
        "site1/settings.py": settings
        + 'ROOT_URLCONF = "site1.urls"\nWSGI_APPLICATION = "site1.wsgi.application"\n',
        "site1/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "site1/urls.py": "urlpatterns = []\n",
        "requirements.txt": "django==5.1.4\ngunicorn==23.0.0\n",
    }


def test_the_django_default_is_noted_in_the_plan(make_project: MakeProject) -> None:
    root = make_project(_site1(SETTINGS))
    notes = detect_project(root).notes
    assert any(n.startswith("site1/settings.py:7: a SQLite file in the app directory") for n in notes), notes


MOVED = """
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SHOP_DB_PATH", os.path.join(BASE_DIR, "db.sqlite3")),
    }
}
OTHER = os.getenv("NOTES_URL") or "sqlite:///notes.db"
PLAIN = "sqlite:///plain.db"
"""


def test_the_note_names_the_variable_that_moves_the_file(make_project: MakeProject) -> None:
    root = make_project(_site1(MOVED))
    notes = [n for n in detect_project(root).notes if "a SQLite file" in n]
    assert any(
        n.startswith("site1/settings.py:7:") and "set SHOP_DB_PATH to a file on a writable volume" in n
        for n in notes
    ), notes
    assert any(
        n.startswith("site1/settings.py:12:") and "set NOTES_URL to a sqlite:/// URL" in n for n in notes
    ), notes
    plain = [n for n in notes if n.startswith("site1/settings.py:13:")]
    assert plain and "point its path or URL at a writable volume" in plain[0]
