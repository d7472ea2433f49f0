"""A Django project whose manage.py and WSGI module name no settings module (the environment chooses it:
a dotenv file manage.py reads, the host's) runs its one settings module (detectors/django.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

FILES = {
    "manage.py": (
        "import sys\n\nfrom environ import Env\n\nif __name__ == '__main__':\n"
        "    Env.read_env('.env.local')\n"
        "    from django.core.management import execute_from_command_line\n\n"
        "    execute_from_command_line(sys.argv)\n"
    ),
    "requirements.txt": "django==5.1.4\ndjango-environ==0.11.2\ngunicorn==23.0.0\n",
    "quiz/__init__.py": "",
    "quiz/settings.py": (
        "from environ import Env\n\nenv = Env()\nSECRET_KEY = env('SECRET_KEY')\n"
        "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/static/'\nSTATIC_ROOT = 'static'\n"
        "ROOT_URLCONF = 'quiz.urls'\nWSGI_APPLICATION = 'quiz.wsgi.application'\n"
    ),
    "quiz/urls.py": "urlpatterns = []\n",
    "quiz/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
    "tests/settings.py": "from quiz.settings import *\n\nINSTALLED_APPS = []\n",
}


def test_the_only_settings_module_is_the_one_the_image_runs(make_project: MakeProject) -> None:
    facts = detect_project(make_project(FILES))
    env = {e.name: e for e in facts.app.env}
    assert env["DJANGO_SETTINGS_MODULE"].value == "quiz.settings"
    assert "quiz/settings.py:5 is the project's only one" in env["DJANGO_SETTINGS_MODULE"].why
    # its reads are the image's required environment, and collectstatic can import it
    assert [f.value for f in facts.app.required_env] == ["SECRET_KEY"]
    assert any(s.kind == "collectstatic" and s.ready for s in facts.build_steps)


def test_two_settings_modules_are_not_guessed(make_project: MakeProject) -> None:
    files = {**FILES, "other/__init__.py": "", "other/settings.py": "INSTALLED_APPS = []\n"}
    facts = detect_project(make_project(files))
    assert "DJANGO_SETTINGS_MODULE" not in {e.name for e in facts.app.env}
