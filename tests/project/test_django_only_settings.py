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


def test_the_only_settings_module_beside_a_nested_manage_py_is_named_from_its_folder(
    make_project: MakeProject,
) -> None:
    # web/manage.py: the server runs with --chdir web, so the module is quiz.settings, not web.quiz...
    files = {
        (k if k == "requirements.txt" else f"web/{k}"): v
        for k, v in FILES.items()
        if k != "tests/settings.py"
    }
    facts = detect_project(make_project(files))
    env = {e.name: e.value for e in facts.app.env}
    assert env["DJANGO_SETTINGS_MODULE"] == "quiz.settings"
    assert "--chdir" in facts.app.command.value and "web" in facts.app.command.value


def test_a_settings_module_outside_the_nested_manage_py_folder_is_not_taken(
    make_project: MakeProject,
) -> None:
    # web/manage.py with --chdir web cannot import other/settings.py
    files = {
        "web/manage.py": FILES["manage.py"],
        "web/shop/__init__.py": "",
        "web/shop/wsgi.py": FILES["quiz/wsgi.py"],
        "requirements.txt": FILES["requirements.txt"],
        "other/__init__.py": "",
        "other/settings.py": "INSTALLED_APPS = []\n",
    }
    facts = detect_project(make_project(files))
    assert "DJANGO_SETTINGS_MODULE" not in {e.name for e in facts.app.env}


def test_a_deploy_descriptor_naming_no_module_of_the_repository_gives_way_to_the_only_one(
    make_project: MakeProject,
) -> None:
    # app.json names a module the repository does not have (renamed since): the one settings module runs
    files = {**FILES, "app.json": '{"env": {"DJANGO_SETTINGS_MODULE": "survey.settings"}}'}
    del files["tests/settings.py"]
    facts = detect_project(make_project(files))
    env = {e.name: e for e in facts.app.env}
    assert env["DJANGO_SETTINGS_MODULE"].value == "quiz.settings"
    assert any("app.json" in n and "survey.settings" in n for n in facts.notes)


def test_a_deploy_descriptor_value_that_is_no_module_name_is_not_used(make_project: MakeProject) -> None:
    files = {**FILES, "app.json": '{"env": {"DJANGO_SETTINGS_MODULE": "quiz.settings $(id)"}}'}
    facts = detect_project(make_project(files))
    assert {e.name: e.value for e in facts.app.env}["DJANGO_SETTINGS_MODULE"] == "quiz.settings"


def test_a_deploy_descriptor_naming_a_module_of_the_repository_wins(make_project: MakeProject) -> None:
    files = {
        **FILES,
        "quiz/prod.py": "from quiz.settings import *\nDEBUG = False\n",
        "app.json": '{"env": {"DJANGO_SETTINGS_MODULE": "quiz.prod"}}',
    }
    facts = detect_project(make_project(files))
    assert {e.name: e.value for e in facts.app.env}["DJANGO_SETTINGS_MODULE"] == "quiz.prod"
