"""One manage.py for every reader (project/django_manage.py): the Django detector, the build steps and a
platform release step's migration name the same file. Before, the build steps took the first folder by
name (``app/`` before ``src/``) and the release migration any lone ``manage.py`` of a top-level folder
(Flask-Script's, one under tests/), or none when a test project sat beside the app's."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.project.buildsteps import detect_build_steps
from dockwright.project.compose_migrations import compose_migration, release_steps
from dockwright.project.django_manage import manage_py
from dockwright.project.facts import AppFacts, Fact
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import ProjectTree

DJANGO = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\nimport django\n'
FLASK_SCRIPT = "from flask_script import Manager\nfrom app import app\nManager(app).run()\n"
STATIC = 'INSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_URL = "static/"\nSTATIC_ROOT = "static"\n'
APP = AppFacts(
    kind=Fact("web"), framework=Fact(None), command=Fact(()), port=Fact(None), health_path=Fact(None)
)


def _tree(tmp_path: Path, files: dict[str, str]) -> ProjectTree:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return ProjectTree(tmp_path)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"manage.py": DJANGO, "src/manage.py": DJANGO}, "manage.py"),
        ({"app/manage.py": DJANGO, "src/manage.py": DJANGO}, "src/manage.py"),
        ({"web/manage.py": DJANGO, "api/manage.py": DJANGO}, "api/manage.py"),
        ({"manage.py": FLASK_SCRIPT, "web/manage.py": DJANGO}, "web/manage.py"),
        ({"tests/manage.py": DJANGO, "web/manage.py": DJANGO}, "web/manage.py"),
        ({"tests/manage.py": DJANGO}, None),
        ({".venv/manage.py": DJANGO}, None),
        ({"web/site/manage.py": DJANGO}, None),  # deeper than one folder
        ({"manage.py": FLASK_SCRIPT}, None),
    ],
)
def test_the_manage_py_taken(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    assert manage_py(_tree(tmp_path, files)) == expected


def test_the_build_steps_collect_with_the_detector_s_manage_py(tmp_path: Path) -> None:
    """``app/`` sorts before ``src/``; the detector prefers src/, and the build steps follow it."""
    files = {"app/manage.py": DJANGO, "src/manage.py": DJANGO, "src/shop/__init__.py": ""}
    tree = _tree(tmp_path, {**files, "src/shop/settings.py": STATIC})
    steps = {s.kind: s for s in detect_build_steps(tree, APP, frozenset({"django"}), "requirements.txt")}
    assert steps["collectstatic"].script == "src/manage.py"


def _release(tmp_path: Path, files: dict[str, str]) -> str | None:
    procfile = "release: python manage.py migrate\nweb: gunicorn shop.wsgi\n"
    tree = _tree(tmp_path, {"Procfile": procfile, **files})
    found = compose_migration(tree, frozenset({"django"}), release_steps(PlanFiles(tree)))
    return found[0] if found else None


def test_a_root_release_migration_uses_the_app_s_manage_py_beside_a_test_project(tmp_path: Path) -> None:
    files = {"backend/manage.py": DJANGO, "tests/manage.py": DJANGO}
    assert _release(tmp_path, files) == "python backend/manage.py migrate"


@pytest.mark.parametrize("folder", ["tests", "tools"])
def test_a_release_migration_never_runs_a_manage_py_that_is_not_the_app_s(
    tmp_path: Path, folder: str
) -> None:
    assert _release(tmp_path, {f"{folder}/manage.py": DJANGO}) is None
    assert _release(tmp_path, {f"{folder}/manage.py": "", "web/manage.py": FLASK_SCRIPT}) is None
