"""A project's own environment helper that raises when a variable is unset makes its reads required."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.env_wrappers import required_wrapper_reads
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETTINGS = """import os

def env(key, fallback=None):
    found = os.getenv(key, fallback)
    if found is None:
        raise RuntimeError(f"set {key}")
    return found

def strict(key):
    return os.environ[key]

def lenient(key):
    try:
        return os.environ[key]
    except KeyError:
        return ""

def label(key, fallback=None):
    return os.getenv(key, fallback)

SECRET_KEY = env("LEDGER_SECRET", "insecure-dev-key")
DB_NAME = env("LEDGER_DB")
DB_HOST = env("LEDGER_DB_HOST", fallback="localhost")
TOKEN = strict("LEDGER_TOKEN")
OPTIONAL = lenient("LEDGER_OPTIONAL")
TITLE = label("LEDGER_TITLE")
"""


def test_calls_of_raising_helpers_without_a_default_are_required() -> None:
    reads = required_wrapper_reads(ast.parse(SETTINGS))
    assert [(name, line) for name, line, _ in reads] == [("LEDGER_DB", 22), ("LEDGER_TOKEN", 24)]
    assert "env() (line 3) raises when it is unset" in reads[0][2]


def test_a_src_django_project_lists_them(make_project: MakeProject) -> None:
    manage = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ledger.settings')\nimport django\n"
    root = make_project(
        {
            "src/manage.py": manage,
            "src/ledger/__init__.py": "",
            "src/ledger/settings.py": SETTINGS + "WSGI_APPLICATION = 'ledger.wsgi.application'\n",
            "src/ledger/wsgi.py": "application = None\n",
        }
    )
    app = detect_app(ProjectTree(root / "src"), None, dependencies=frozenset({"django", "gunicorn"}))
    assert [(f.value, f.evidence[0].file, f.evidence[0].line) for f in app.required_env] == [
        ("LEDGER_DB", "ledger/settings.py", 22),
        ("LEDGER_TOKEN", "ledger/settings.py", 24),
    ]


GUARDED_HELPER = """import os


def setting(key, default=None):
    if key in os.environ:
        return os.environ[key].strip()
    return default


def flag(key):
    return key in os.environ and os.environ[key].lower() in ("1", "true")


EXTRA = setting("EXTRA_NOTE")
VERBOSE = flag("VERBOSE")
"""


def test_a_read_guarded_by_a_membership_test_is_optional() -> None:
    assert required_wrapper_reads(ast.parse(GUARDED_HELPER)) == []


ASSERTING_HELPER = """import os


def need(key, default=None):
    if not default:
        assert key in os.environ and os.environ[key].strip(), f"missing {key}"
    if key in os.environ and os.environ[key].strip():
        return os.environ[key].strip()
    return default


TOKEN = need("SERVICE_TOKEN")
MODEL = need("SERVICE_MODEL", "small")
"""


def test_an_assertion_on_the_variable_makes_it_required() -> None:
    found = required_wrapper_reads(ast.parse(ASSERTING_HELPER))
    assert [(name, line) for name, line, _ in found] == [("SERVICE_TOKEN", 12)]
    assert "need() (line 4) raises when it is unset" in found[0][2]


FILE_OR_ENV_HELPER = """import os
from pathlib import Path


def secret(name, default=None):
    if path := os.getenv(name + "_FILE"):
        if not Path(path).is_file():
            raise RuntimeError(f"{name}_FILE names no readable file")
        return Path(path).read_text().strip()
    return os.getenv(name, default)


def token(name):
    value = os.environ.get(name)
    if value:
        return value
    raise RuntimeError(f"set {name}")


MAIL_PASSWORD = secret("MAIL_PASSWORD")
API_TOKEN = token("API_TOKEN")
"""


def test_a_raise_about_another_variable_leaves_the_read_optional() -> None:
    """``secret`` raises only when ``NAME_FILE`` names a missing file; unset, it returns the default:
    not required. ``token`` raises after the read when nothing was returned: required."""
    found = required_wrapper_reads(ast.parse(FILE_OR_ENV_HELPER))
    assert [(name, line) for name, line, _ in found] == [("API_TOKEN", 21)]
