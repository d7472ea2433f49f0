"""django-environ reads without a default, in the settings module the image runs, are required."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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


def _site(package: str, settings: str) -> dict[str, str | bytes]:
    """Django project ``package`` whose ``settings.py`` is ``settings`` (and the line naming its WSGI
    application), run by a ``manage.py`` that names it."""
    return {
        f"{package}/__init__.py": "",
        f"{package}/settings.py": f"{settings}WSGI_APPLICATION = '{package}.wsgi.application'\n",
        f"{package}/wsgi.py": WSGI,
        "manage.py": MANAGE.format(settings=f"{package}.settings"),
    }


FILES = {
    "shop/__init__.py": "",
    "shop/env.py": "import environ\n\nenv = environ.Env(DEBUG=(bool, False))\n",
    "shop/settings/__init__.py": "",
    "shop/settings/base.py": (
        "from shop.env import env\n\n"
        "DEBUG = env('DEBUG')\n"
        "TIME_ZONE = env.str('TIME_ZONE', default='UTC')\n"
        "WSGI_APPLICATION = 'shop.wsgi.application'\n"
        "env.read_env('.env')\n"
    ),
    "shop/settings/live.py": (
        "from .base import *\nfrom shop.env import env\n\n"
        "SECRET_KEY = env('SHOP_SECRET_KEY')\n"
        "DATABASES = {'default': env.db('DATABASE_URL')}\n"
        "HOSTS = env.list('HOSTS', default=[])\n"
        "label = format('NOT_AN_ENV_READ')\n"
    ),
    "shop/settings/dev.py": "from .base import *\nfrom shop.env import env\n\nTOKEN = env('DEV_ONLY_TOKEN')\n",
    "shop/wsgi.py": WSGI,
}


def required(root: Path) -> list[tuple[str, str, int | None]]:
    deps = frozenset({"django", "gunicorn", "django-environ"})
    app = detect_app(ProjectTree(root), None, dependencies=deps)
    return [(f.value, f.evidence[0].file, f.evidence[0].line) for f in app.required_env]


def test_reads_of_the_chosen_settings_and_what_it_imports(make_project: MakeProject) -> None:
    root = make_project({**FILES, "manage.py": MANAGE.format(settings="shop.settings.live")})
    assert required(root) == [
        ("SHOP_SECRET_KEY", "shop/settings/live.py", 4),
        ("DATABASE_URL", "shop/settings/live.py", 5),
    ]


def test_another_settings_module_asks_nothing_of_this_image(make_project: MakeProject) -> None:
    root = make_project({**FILES, "manage.py": MANAGE.format(settings="shop.settings.base")})
    assert required(root) == []


POSITIONAL = _site(
    "portal",
    "import environ\n\nenv = environ.Env()\n\n"
    "DEBUG = env.bool('SITE_DEBUG', True)\n"
    "LABEL = env.str('SITE_LABEL', '')\n"
    "WORKERS = env('SITE_WORKERS', int, 2)\n"
    "CASTED = env('SITE_CASTED', int)\n"
    "HOSTS = env.list('SITE_HOSTS', str)\n"
    "ORIGINS = env.list('SITE_ORIGINS', str, [])\n"
    "DATABASES = {'default': env.db()}\n"
    "CACHES = {'default': env.cache_url()}\n"
    "EMAIL = env.email_url(default='consolemail://')\n",
)


def test_a_positional_default_is_a_default_and_url_readers_read_their_own_variable(
    make_project: MakeProject,
) -> None:
    root = make_project(POSITIONAL)
    assert required(root) == [
        ("SITE_CASTED", "portal/settings.py", 8),
        ("SITE_HOSTS", "portal/settings.py", 9),
        ("DATABASE_URL", "portal/settings.py", 11),
        ("CACHE_URL", "portal/settings.py", 12),
    ]


BRANCHED = _site(
    "depot",
    "import os\nimport environ\n\nenv = environ.Env()\n\n"
    "if os.getenv('DATABASE_URL', default=None):\n"
    "    DATABASES = {'default': env.db('DATABASE_URL')}\n"
    "else:\n"
    "    DATABASES = {'default': {'NAME': env.str('PGDATABASE'), 'HOST': env('PGHOST', default='db')}}\n"
    "if 'SENTRY_DSN' in os.environ:\n"
    "    SENTRY = env('SENTRY_DSN')\n",
)


def test_an_if_on_the_variable_makes_its_branches_conditional(make_project: MakeProject) -> None:
    # the else branch needs PGDATABASE unless DATABASE_URL is set: DATABASE_URL is the one to give;
    # SENTRY_DSN is read only when set
    assert required(make_project(BRANCHED)) == [("DATABASE_URL", "depot/settings.py", 6)]


def test_an_if_whose_body_does_not_read_the_variable_is_no_alternative_source(
    make_project: MakeProject,
) -> None:
    # the if chooses a mode, not where a setting comes from: giving DEPOT_DEBUG would turn debug on in
    # production; SECRET is what the production run needs
    settings = (
        "import os\nimport environ\n\nenv = environ.Env()\n\n"
        "if os.getenv('DEPOT_DEBUG'):\n"
        "    DEBUG = True\n"
        "else:\n"
        "    SECRET_KEY = env('DEPOT_SECRET')\n"
        "WSGI_APPLICATION = 'depot.wsgi.application'\n"
    )
    root = make_project({**BRANCHED, "depot/settings.py": settings})
    assert required(root) == [("DEPOT_SECRET", "depot/settings.py", 9)]
    # both branches set DATABASES: the if picks its source, even read by another library
    settings = (
        "import os\nimport environ\nimport dj_database_url\n\nenv = environ.Env()\n\n"
        "if os.getenv('DATABASE_URL'):\n"
        "    DATABASES = {'default': dj_database_url.config()}\n"
        "else:\n"
        "    DATABASES = {'default': {'NAME': env('PGDATABASE')}}\n"
        "WSGI_APPLICATION = 'depot.wsgi.application'\n"
    )
    root = make_project({**BRANCHED, "depot/settings.py": settings})
    assert required(root) == [("DATABASE_URL", "depot/settings.py", 7)]


KEYWORDS = _site(
    "yard",
    "import environ\n\nenv = environ.Env()\n\n"
    "DATABASES = {'default': env.db(engine='django.db.backends.postgresql')}\n"
    "CACHES = {'default': env.cache_url(var='YARD_CACHE', backend='django_redis.cache.RedisCache')}\n"
    "EMAIL = env.email_url(backend='x.Backend', default='consolemail://')\n"
    "SEARCH = env.search_url(var='YARD_SEARCH', default='simple://')\n"
    "SECRET_KEY = env(var='YARD_SECRET')\n",
)


def test_keyword_arguments_name_the_variable_and_only_a_default_makes_a_read_optional(
    make_project: MakeProject,
) -> None:
    # env.db(engine=...) reads DATABASE_URL (its var's default) and has none of its own; var= names
    # the variable as the first positional argument does
    root = make_project(KEYWORDS)
    assert sorted(required(root)) == [
        ("DATABASE_URL", "yard/settings.py", 5),
        ("YARD_CACHE", "yard/settings.py", 6),
        ("YARD_SECRET", "yard/settings.py", 9),
    ]


FACTORY = {
    "kiosk/__init__.py": "",
    "kiosk/helpers.py": (
        "import os\nimport environ\n\n\n"
        "def load_env():\n"
        "    env = environ.Env(DEBUG=(bool, False))\n"
        "    environ.Env.read_env(env_file=os.path.join(os.path.dirname(__file__), '.env'))\n"
        "    return env\n\n\n"
        "def fresh_env():\n"
        "    return environ.Env()\n\n\n"
        "def unrelated():\n"
        "    return dict()\n"
    ),
    "kiosk/settings/__init__.py": "",
    "kiosk/settings/base.py": (
        "from ..helpers import load_env\n\n"
        "env = load_env()\n"
        "DEBUG = env('DEBUG')\n"
        "SECRET_KEY = env('KIOSK_SECRET')\n"
        "WSGI_APPLICATION = 'kiosk.wsgi.application'\n"
    ),
    "kiosk/settings/live.py": (
        "from .base import *\nfrom kiosk import helpers\nfrom kiosk.helpers import fresh_env, unrelated\n\n"
        "env2 = fresh_env()\n"
        "HOSTS = env2.list('KIOSK_HOSTS')\n"
        "other = unrelated()\n"
        "NOT_ENV = other('NOT_A_VARIABLE')\n"
    ),
    "kiosk/wsgi.py": WSGI,
    "manage.py": MANAGE.format(settings="kiosk.settings.live"),
}


def test_an_env_made_by_a_project_function_is_an_env(make_project: MakeProject) -> None:
    # `env = load_env()` where load_env (this module's or an imported one) returns an environ.Env (made
    # in its body and returned, or returned at once): its reads count, with the schema's defaults
    root = make_project(FACTORY)
    assert sorted(required(root)) == [
        ("KIOSK_HOSTS", "kiosk/settings/live.py", 6),
        ("KIOSK_SECRET", "kiosk/settings/base.py", 5),
    ]


OPT_IN = _site(
    "harbor",
    "import environ\n\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=False)\n\n"
    "if DEBUG:\n"
    "    if env.bool('VALIDATE_HTML', default=False):\n"
    "        VALIDATOR = env.int('VALIDATOR_PORT')\n"
    "if env.bool('PROXY_ENABLED', False):\n"
    "    X_ACCEL = env('X_ACCEL_LOCATION')\n"
    "if env.bool('SECURE_COOKIES', default=True):\n"
    "    COOKIE_DOMAIN = env('COOKIE_DOMAIN')\n"
    "SECRET_KEY = env('HARBOR_SECRET')\n",
)


def test_reads_behind_a_switch_that_is_off_by_default_are_not_required(make_project: MakeProject) -> None:
    # `if DEBUG:` and `if env.bool("FLAG", default=False):` run their body only when the user turns the
    # switch on; a switch on by default (SECURE_COOKIES) does not make its reads optional
    root = make_project(OPT_IN)
    assert sorted(required(root)) == [
        ("COOKIE_DOMAIN", "harbor/settings.py", 12),
        ("HARBOR_SECRET", "harbor/settings.py", 13),
    ]


def test_a_switch_named_at_module_level_and_switches_joined_by_or_are_off_by_default(
    make_project: MakeProject,
) -> None:
    # `USE_CLOUD = env.bool("USE_CLOUD", False)` then `if USE_CLOUD or USE_CDN:`: off unless one is turned
    # on; `and` with one switch off is off too; a name bound to a switch on by default, or bound again
    # (turned on), keeps its reads
    settings = (
        "import environ\n\nenv = environ.Env()\n"
        "USE_CLOUD = env.bool('USE_CLOUD', False)\n"
        "USE_CDN = env.bool('USE_CDN', default=False)\n"
        "STRICT = env.bool('STRICT', default=True)\n"
        "if USE_CLOUD or USE_CDN:\n"
        "    BUCKET = env.str('BUCKET_NAME')\n"
        "if STRICT and USE_CDN:\n"
        "    CDN = env('CDN_HOST')\n"
        "if STRICT:\n"
        "    AUDIT = env('AUDIT_URL')\n"
        "if not USE_CLOUD:\n"
        "    LOCAL = env('LOCAL_DIR')\n"
        "USE_QUEUE = env.bool('USE_QUEUE', False)\n"
        "if STRICT:\n"
        "    USE_QUEUE = True\n"
        "if USE_QUEUE:\n"
        "    QUEUE = env('QUEUE_URL')\n"
        "WSGI_APPLICATION = 'depot.wsgi.application'\n"
    )
    root = make_project(
        {
            "depot/__init__.py": "",
            "depot/settings.py": settings,
            "depot/wsgi.py": OPT_IN["harbor/wsgi.py"],
            "manage.py": MANAGE.format(settings="depot.settings"),
        }
    )
    assert sorted(required(root)) == [
        ("AUDIT_URL", "depot/settings.py", 12),
        ("LOCAL_DIR", "depot/settings.py", 14),
        ("QUEUE_URL", "depot/settings.py", 19),  # turned on by a later binding
    ]


def test_environs_reads_without_a_default_are_required(make_project: MakeProject) -> None:
    settings = (
        "import os\nfrom environs import FileAwareEnv\n\nenv = FileAwareEnv()\nenv.read_env()\n"
        "DOMAIN = env('DOMAIN')\n"
        "STATIC_ROOT = os.path.join('/app', env('STATIC_ROOT', 'static'))\n"  # environs: default second
        "PAGE = env.int('PAGE_LENGTH', 15)\n"
        "HOSTS = env.list('ALLOWED_HOSTS', [])\n"
        "SECRET_KEY = env.str('SECRET_KEY')\n"
        "EMAIL_HOST = env('EMAIL_HOST', default='localhost')\n"
    )
    root = make_project(_site("books", settings))
    assert [name for name, _, _ in required(root)] == ["DOMAIN", "SECRET_KEY"]


def test_a_module_import_of_environs(make_project: MakeProject) -> None:
    settings = "import environs\n\nenv = environs.Env()\nSECRET_KEY = env('SECRET_KEY')\nX = env('X', 'y')\n"
    root = make_project(_site("books", settings))
    assert [name for name, _, _ in required(root)] == ["SECRET_KEY"]


@pytest.mark.parametrize(
    "settings",
    [
        "import environs\n\nenvirons.env.read_env()\nSECRET_KEY = environs.env.str('SECRET_KEY')\nX = environs.env('X', 'y')\n",
        "from environs import env\n\nenv.read_env()\nSECRET_KEY = env.str('SECRET_KEY')\nX = env.int('X', 1)\n",
    ],
)
def test_environs_ready_made_env_object(make_project: MakeProject, settings: str) -> None:
    root = make_project(_site("books", settings))
    assert [name for name, _, _ in required(root)] == ["SECRET_KEY"]


def test_a_secret_key_read_with_an_empty_default_is_required(make_project: MakeProject) -> None:
    # Django refuses an empty SECRET_KEY: None or "" as the default is no default
    settings = (
        "from environs import Env\n\nenv = Env()\n"
        "SECRET_KEY = env('SECRET_KEY', None)\n"
        "OTHER = env('OTHER', None)\n"  # any other setting: a None default is a default
    )
    root = make_project(_site("books", settings))
    assert [name for name, _, _ in required(root)] == ["SECRET_KEY"]
    settings = (
        "import environ\n\nenv = environ.Env()\nSECRET_KEY = env.str('DJANGO_SECRET_KEY', default='')\n"
    )
    root2 = make_project(_site("shop", settings))
    assert [name for name, _, _ in required(root2)] == ["DJANGO_SECRET_KEY"]


def test_a_read_whose_missing_error_is_caught_is_not_required(make_project: MakeProject) -> None:
    """``try: X = env("QUEUE") except EnvError: X = fallback``: the module falls back when it is unset
    (environs' EnvError, django-environ's ImproperlyConfigured); a handler of another error does not."""
    settings = (
        "from environs import Env, EnvError\n\nenv = Env()\n"
        "try:\n    QUEUE = env('QUEUE_URL')\nexcept EnvError:\n"
        "    try:\n        QUEUE = 'db+' + env('STORE_URL')\n    except EnvError:\n        QUEUE = 'memory://'\n"
        "try:\n    TOKEN = env('PAGER_TOKEN')\nexcept ValueError:\n    TOKEN = ''\n"
    )
    root = make_project(_site("ledger", settings))
    assert [name for name, _, _ in required(root)] == ["PAGER_TOKEN"]
    caught = (
        "import environ\nfrom django.core.exceptions import ImproperlyConfigured\n\nenv = environ.Env()\n"
        "try:\n    MAIL = env.email('MAIL_URL')\nexcept ImproperlyConfigured:\n    MAIL = {}\n"
        "SECRET_KEY = env('SECRET_KEY')\n"
    )
    assert [name for name, _, _ in required(make_project(_site("ledger", caught)))] == ["SECRET_KEY"]
