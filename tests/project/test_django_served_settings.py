"""The settings module the served WSGI module names (its ``setdefault``) is the one the image runs when
manage.py names development ones beside it; development settings left in the image are said."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]


def _manage(module: str) -> str:
    return f"import os\nimport django\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{module}')\n"


def _wsgi(module: str) -> str:
    return (
        "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        f"os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{module}')\napplication = get_wsgi_application()\n"
    )


SETTINGS = "INSTALLED_APPS = []\nWSGI_APPLICATION = 'core.wsgi.application'\n"


def _project(make_project: MakeProject, manage: str, wsgi: str, *settings: str) -> Path:
    files: dict[str, str | bytes] = {
        "requirements.txt": "django==5.1.4\ngunicorn==23.0.0\n",
        "manage.py": _manage(manage),
        "core/__init__.py": "",
        "core/wsgi.py": _wsgi(wsgi),
    }
    for module in settings:
        files[module.replace(".", "/") + ".py"] = SETTINGS + "DEBUG = True\n" * module.endswith("debug")
    return make_project(files)


def _settings_env(root: Path) -> tuple[str | None, tuple[str, ...]]:
    facts = detect_project(root, python="3.12")
    value = next((e.value for e in facts.app.env if e.name == "DJANGO_SETTINGS_MODULE"), None)
    return value, facts.notes


def test_the_served_modules_settings_win_over_manage_pys_debug_ones(make_project: MakeProject) -> None:
    root = _project(make_project, "core.debug", "core.settings", "core.settings", "core.debug")
    value, notes = _settings_env(root)
    assert value == "core.settings"
    assert any(
        "the served module core/wsgi.py:3 names core.settings: the image runs core.settings" in n
        for n in notes
    )


def test_development_settings_the_image_is_left_with_are_said(make_project: MakeProject) -> None:
    root = _project(make_project, "core.local", "deploy_conf", "core.local")  # deploy_conf: made at deploy
    value, notes = _settings_env(root)
    assert value == "core.local"
    assert any("names deploy_conf, which the repository does not have" in n for n in notes)


def test_matching_production_settings_say_nothing(make_project: MakeProject) -> None:
    root = _project(make_project, "core.settings", "core.settings", "core.settings")
    value, notes = _settings_env(root)
    assert value == "core.settings"
    assert not [n for n in notes if "DJANGO_SETTINGS_MODULE" in n or "settings manage.py names" in n]
