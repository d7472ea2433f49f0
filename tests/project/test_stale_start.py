"""A start whose app module cannot be imported any more is not used (project/stale_start.py), and the
names a module binds (project/module_bindings.py)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.import_sites import import_statements
from dockwright.project.module_bindings import bound_names, from_sites

MakeProject = Callable[[dict[str, str | bytes]], Path]
HASH = " --hash=sha256:" + "a" * 64
API = (
    "from fastapi import FastAPI\n\n\ndef get_application():\n    api = FastAPI()\n\n"
    "    @api.get('/health')\n    def health():\n        return {}\n\n    return api\n\n\n"
    "api = get_application()\n"
)
# our own FastAPI project, and a unit file and manage.py left from its Flask era
PROJECT = {
    "app/__init__.py": "",
    "app/main.py": API,
    "pyproject.toml": '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["fastapi", "uvicorn"]\n',
    "svc.service": "[Service]\nExecStart=/srv/svc/__pypackages__/3.7/bin/gunicorn -b 0.0.0.0:8000 manage:application\n",
    "manage.py": "from app import create_app, db\n\napplication = create_app()\n",
}


def _start(root: Path) -> tuple[tuple[str, ...], list[str]]:
    facts = detect_project(root)
    return facts.app.command.value, [n for n in facts.notes if "not used" in n]


def test_a_unit_whose_module_imports_a_name_its_package_lost_is_not_used(make_project: MakeProject) -> None:
    command, notes = _start(make_project(PROJECT))
    assert "app.main:api" in command
    assert notes == [
        "svc.service:2 (ExecStart=/srv/svc/__pypackages__/3.7/bin/gunicorn -b 0.0.0.0:8000 manage:application): "
        "not used, manage.py:1 imports create_app from app, which app/__init__.py does not define: the start "
        "is left from an earlier layout of the project"
    ]


@pytest.mark.parametrize(
    "package",
    [
        "from .factory import create_app\ndb = None\n",  # re-exported
        "def create_app():\n    pass\n\ndb = None\n",
        "from .models import *\n",  # a star import may bind it
        "def __getattr__(name):\n    return name\n",  # PEP 562
        "try:\n    from ._c import create_app, db\nexcept ImportError:\n    create_app = db = None\n",
    ],
)
def test_a_name_the_package_binds_or_may_bind_keeps_the_start(
    make_project: MakeProject, package: str
) -> None:
    files = {**PROJECT, "app/__init__.py": package, "app/factory.py": "def create_app():\n    pass\n"}
    command, notes = _start(make_project(files))
    assert "manage:application" in command and notes == []


def test_a_submodule_of_the_package_is_importable(make_project: MakeProject) -> None:
    files = {
        **PROJECT,
        "manage.py": "from app import main, ext\n\napplication = main.api\n",
        "app/ext.cpython-313-x86_64-linux-gnu.so": b"\x7fELF",
    }
    command, notes = _start(make_project(files))
    assert "manage:application" in command and notes == []


def test_a_served_attribute_the_module_does_not_define(make_project: MakeProject) -> None:
    files = {**PROJECT, "manage.py": "from app.main import api\n", "Procfile": "web: gunicorn manage:app\n"}
    _, notes = _start(make_project(files))
    assert any("not used, it serves manage:app, but manage.py does not define app" in n for n in notes)


def test_with_a_whole_lock_a_left_unit_importing_what_nothing_installs_is_not_used(
    make_project: MakeProject,
) -> None:
    files = {
        **PROJECT,
        "requirements.txt": f"fastapi==0.115.0{HASH}\nuvicorn==0.30.0{HASH}\ngunicorn==23.0.0{HASH}\n",
        "manage.py": "from flask_migrate import Migrate\nfrom app.main import api as application\n",
    }
    command, notes = _start(make_project(files))
    assert "manage:application" not in command
    assert any(
        "not used, manage.py:1 imports flask_migrate, which no distribution requirements.txt installs provides"
        in n
        for n in notes
    )
    # the repository's own image is how it runs now: its start is judged by its own names only
    own = {
        **files,
        "Dockerfile": 'FROM python:3.13-slim\nCMD ["gunicorn", "-b", ":8000", "manage:application"]\n',
    }
    own.pop("svc.service")
    _, notes = _start(make_project(own))
    assert notes == []


def test_bound_names_count_every_top_level_binding() -> None:
    source = """\
import os.path as p, sys
from a import b as c
x = y = 1
if flag:
    def f():
        global G
try:
    import k
except ImportError as e:
    k = None
for i, (j, l) in []:
    pass
with open(x) as fh:
    pass
(w := 3)
class C:
    inner = 1
"""
    assert bound_names(ast.parse(source)) == frozenset(
        {"p", "sys", "c", "x", "y", "f", "G", "k", "e", "i", "j", "l", "fh", "w", "C"}
    )
    for dynamic in (
        "from x import *",
        "def __getattr__(n):\n    pass\n",
        "globals()['x'] = 1",
        "import sys\nsys.modules",
    ):
        assert bound_names(ast.parse(dynamic)) is None


def test_from_sites_are_the_import_time_from_imports() -> None:
    source = "from a import b\nfrom . import c\ndef f():\n    from d import e\ntry:\n    from g import h\nexcept ImportError:\n    pass\n"
    statements = import_statements(ast.parse(source))
    sites = from_sites(statements, lambda module, level: module if level == 0 else "pkg")
    assert sites == (("a", "b", 1), ("pkg", "c", 2))


FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    ("files", "procfile"),
    [
        # the folder the start enters is looked in first (a root main.py of another app beside it)
        (
            {"backend/main.py": FLASK, "main.py": "print('a tool')\n"},
            "web: gunicorn --chdir backend main:app",
        ),
        ({"backend/main.py": FLASK, "main.py": "x = 1\n"}, "web: cd backend && gunicorn main:app"),
        # imports only the module's own program runs, an optional import, another Python's import
        (
            {"app.py": FLASK + "\nif __name__ == '__main__':\n    from livereload import Server\n"},
            "web: gunicorn app:app",
        ),
        (
            {
                "app.py": "import contextlib\n"
                + FLASK
                + "with contextlib.suppress(ImportError):\n    import sentry_sdk\n"
            },
            "web: gunicorn app:app",
        ),
        (
            {
                "app.py": "import sys\nif sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli as tomllib\n"
                + FLASK
            },
            "web: gunicorn app:app",
        ),
        # an import name its distribution does not spell, in the module that builds the app itself
        (
            {"app.py": "from bson import ObjectId\nfrom gridfs import GridFS\nimport telebot\n" + FLASK},
            "web: gunicorn app:app",
        ),
    ],
)
def test_a_current_start_is_kept(
    make_project: MakeProject, files: dict[str, str | bytes], procfile: str
) -> None:
    lock = "".join(f"{name}==1.0{HASH}\n" for name in ("flask", "gunicorn", "pymongo", "pytelegrambotapi"))
    root = make_project({**files, "Procfile": procfile + " --workers 3\n", "requirements.txt": lock})
    command, notes = _start(root)
    assert "--workers" in " ".join(command) and notes == []
