"""A write in ``if DEBUG:`` when DEBUG is off by default (project/debug_default.py): the image runs the
``else`` branch, so no SQLite warning and no writable folder for it. Examples of our own."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.initialize import plan_project
from dockwright.project.debug_default import debug_default

MakeProject = Callable[[dict[str, str | bytes]], Path]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('DEBUG = os.getenv("SITE_DEBUG", "False") == "True"', False),
        ('DEBUG = os.environ.get("SITE_DEBUG", "0") == "1"', False),
        ('DEBUG = os.environ.get("SITE_DEBUG", "false").lower() in ("1", "true")', False),
        ('DEBUG = env.bool("DEBUG", default=False)', False),
        ('DEBUG = config("DEBUG", default=False, cast=bool)', False),
        ('DEBUG = bool(int(os.getenv("DEBUG", 0)))', False),
        ('DEBUG = os.getenv("DEBUG")', False),
        ("DEBUG = False", False),
        ("DEBUG = True", True),
        ('DEBUG = os.getenv("SITE_DEBUG", "True") == "True"', True),
        ('DEBUG = env.bool("DEBUG")', None),
        ("DEBUG = settings_flag()", None),
    ],
)
def test_debug_s_default(line: str, expected: bool | None) -> None:
    assert debug_default(ast.parse("import os\n" + line + "\n")) is expected


SETTINGS = """import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "x"
DEBUG = {debug}
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

if DEBUG:
    DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}}}
else:
    DATABASES = {{
        "default": {{
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.getenv("POSTGRES_DB", "shop"),
        }}
    }}
"""
MANAGE = (
    "import os, sys\n\nif __name__ == '__main__':\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
    "    from django.core.management import execute_from_command_line\n"
    "    execute_from_command_line(sys.argv)\n"
)


def _shop(make_project: MakeProject, debug: str) -> Path:
    return make_project(
        {
            "requirements.txt": "django\ngunicorn\npsycopg2-binary\n",
            "manage.py": MANAGE,
            "shop/__init__.py": "",
            "shop/settings.py": SETTINGS.format(debug=debug),
            "shop/urls.py": "urlpatterns = []\n",
            "shop/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        }
    )


def test_a_sqlite_database_under_debug_off_by_default_is_not_warned(make_project: MakeProject) -> None:
    plan = plan_project(_shop(make_project, 'os.getenv("SHOP_DEBUG", "False") == "True"'), {})
    assert not any("SQLite" in w for w in plan.warnings)


def test_a_sqlite_database_under_debug_on_by_default_is_still_warned(make_project: MakeProject) -> None:
    plan = plan_project(_shop(make_project, 'os.getenv("SHOP_DEBUG", "True") == "True"'), {})
    assert any("shop/settings.py:11: a SQLite file" in w for w in plan.warnings)
