"""A Django project laid out for a platform (a Procfile running a start script, a deploy descriptor
naming the settings, collected static files committed): the image runs it as the platform does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from dockwright import api
from dockwright.plan.model import BuildPlan
from dockwright.project import compose_migrations, deploy_env
from dockwright.project.deploy_env import DeployEnv
from dockwright.project.plan_files import PlanFiles
from dockwright.project.release_commands import release_commands
from dockwright.project.tree import ProjectTree

T = TypeVar("T")

# manage.py leaves DJANGO_SETTINGS_MODULE to the environment
MANAGE = """import sys
if __name__ == "__main__":
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""
SETTINGS = """import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECRET_KEY = os.environ.get("SECRET_KEY") or None
INSTALLED_APPS = ["django.contrib.staticfiles"]
ROOT_URLCONF = "nursery.urls"
DATABASES = {
    "default": {
        "ENGINE": os.getenv("DB_ENGINE") or "django.db.backends.sqlite3",
        "NAME": os.getenv("DB_NAME") or os.path.join(BASE_DIR, "var/db.sqlite3"),
    }
}
STATIC_URL = "/static/"
STATIC_ROOT = os.path.join(BASE_DIR, "static")
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
"""
DO_SPEC = """spec:
  name: nursery
  services:
    - name: app
      envs:
        - key: DJANGO_SETTINGS_MODULE
          scope: RUN_AND_BUILD_TIME
          value: "nursery.settings.base"
        - key: DATABASE_URL
          scope: RUN_TIME
          value: ${db.DATABASE_URL}
"""


def _project(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    layout = {
        "requirements.txt": "django==5.1.4\ngunicorn==23.0.0\n",
        "manage.py": MANAGE,
        "Procfile": "web: bash start.sh\n",
        "start.sh": "#!/bin/bash\n\npython manage.py migrate\n\ngunicorn nursery.wsgi:application --timeout 30\n",
        "nursery/__init__.py": "",
        "nursery/urls.py": "urlpatterns = []\n",
        "nursery/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "nursery/settings/__init__.py": "",
        "nursery/settings/base.py": SETTINGS,
        "nursery/settings/production.example.py": (
            "from .base import *\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
            "'NAME': os.path.join(BASE_DIR, 'db.sqlite3')}}\n"
        ),
        ".do/deploy.template.yaml": DO_SPEC,
        **(files or {}),
    }
    for rel, text in layout.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def _env(plan: BuildPlan) -> dict[str, str]:
    return {e.name: e.value for e in plan.facts.app.env}


def test_a_procfile_running_a_start_script_runs_its_server_inline_with_exec(tmp_path: Path) -> None:
    """``web: bash start.sh``: bash is the image's shell, and the script's server (no exec) runs inline
    with exec added, after its migrate line, so gunicorn gets SIGTERM."""
    plan = api.plan(_project(tmp_path))
    command = plan.facts.app.command
    assert command.value == (
        "bash",
        "-c",
        "python manage.py migrate; exec gunicorn nursery.wsgi:application --timeout 30",
    )
    assert [e.file for e in command.evidence] == ["Procfile", "start.sh"]
    assert not any("it runs 'bash'" in w for w in plan.warnings)


def test_the_settings_module_comes_from_the_deploy_descriptor(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path))
    assert _env(plan)["DJANGO_SETTINGS_MODULE"] == "nursery.settings.base"
    setting = next(e for e in plan.facts.app.env if e.name == "DJANGO_SETTINGS_MODULE")
    assert "manage.py names none; .do/deploy.template.yaml:8 sets it" in setting.why
    assert not any("names no settings module" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("app.json", '{"env": {"DJANGO_SETTINGS_MODULE": {"value": "nursery.settings.base"}}}'),
        ("app.json", '{"env": {"DJANGO_SETTINGS_MODULE": "nursery.settings.base"}}'),
        (
            "render.yaml",
            "services:\n  - envVars:\n      - key: DJANGO_SETTINGS_MODULE\n        value: nursery.settings.base\n",
        ),
        ("fly.toml", '[env]\nDJANGO_SETTINGS_MODULE = "nursery.settings.base"\n'),
        (".do/app.yaml", DO_SPEC.replace("spec:\n", "")),
    ],
)
def test_each_descriptor_sets_a_variable(tmp_path: Path, rel: str, text: str) -> None:
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_text(text)
    found = DeployEnv(PlanFiles(ProjectTree(tmp_path))).setting("DJANGO_SETTINGS_MODULE")
    assert found is not None and found[0] == "nursery.settings.base" and found[1].file == rel


def test_descriptor_values_that_do_not_reach_the_app_or_disagree_are_not_used(tmp_path: Path) -> None:
    tree = ProjectTree(_project(tmp_path))
    # substituted by the platform, build-time only
    assert DeployEnv(PlanFiles(tree)).setting("DATABASE_URL") is None
    build_only = DO_SPEC.replace("RUN_AND_BUILD_TIME", "BUILD_TIME")
    (tmp_path / ".do/deploy.template.yaml").write_text(build_only)
    assert DeployEnv(PlanFiles(ProjectTree(tmp_path))).setting("DJANGO_SETTINGS_MODULE") is None
    # two descriptors naming two modules: nothing decides
    (tmp_path / ".do/deploy.template.yaml").write_text(DO_SPEC)
    (tmp_path / "fly.toml").write_text('[env]\nDJANGO_SETTINGS_MODULE = "nursery.settings.fly"\n')
    assert DeployEnv(PlanFiles(ProjectTree(tmp_path))).setting("DJANGO_SETTINGS_MODULE") is None


def test_a_secret_key_with_an_empty_fallback_is_required(tmp_path: Path) -> None:
    """``os.environ.get("SECRET_KEY") or None``: Django refuses an empty key at the first request."""
    plan = api.plan(_project(tmp_path))
    assert "SECRET_KEY" in {f.value for f in plan.facts.app.required_env}
    settings = SETTINGS.replace('os.environ.get("SECRET_KEY") or None', 'os.getenv("SECRET_KEY", "")')
    plan = api.plan(_project(tmp_path, {"nursery/settings/base.py": settings}))
    assert "SECRET_KEY" in {f.value for f in plan.facts.app.required_env}
    settings = SETTINGS.replace('os.environ.get("SECRET_KEY") or None', 'os.getenv("SECRET_KEY", "dev-only")')
    plan = api.plan(_project(tmp_path, {"nursery/settings/base.py": settings}))
    assert "SECRET_KEY" not in {f.value for f in plan.facts.app.required_env}


def test_a_sqlite_path_the_environment_may_override_is_made_writable(tmp_path: Path) -> None:
    """The database sits in var/ unless DB_NAME says otherwise: var/ is the app user's; the template
    settings file (``production.example.py``) is never imported and says nothing."""
    plan = api.plan(_project(tmp_path))
    assert [f.value for f in plan.facts.app.writable] == ["var"]
    assert "nursery/settings/base.py" in str(plan.facts.app.writable[0].evidence[0])
    assert not any("production.example.py" in w for w in plan.warnings)


def test_committed_collected_static_files_are_not_collected_again(tmp_path: Path) -> None:
    """STATIC_ROOT committed with its manifest (a frontend tool's output): collecting again would
    rewrite the manifest from the app folders alone (HTTP 500 for files only static/ holds)."""
    plan = api.plan(_project(tmp_path, {"static/staticfiles.json": '{"paths": {}}', "static/app.css": ""}))
    decision = next(d for d in plan.decisions if d.topic == "collectstatic")
    assert decision.choice == "committed" and "static/staticfiles.json" in decision.reason
    assert not any("collectstatic" in " ".join(s.args) for s in plan.runtime_steps + plan.builder_steps)
    # without the manifest the step is planned as before
    plan = api.plan(_project(tmp_path / "other"))
    assert any("collectstatic" in " ".join(s.args) for s in plan.runtime_steps)


RUNNER_MANAGE = """import os, sys
DEFAULT_ENVS = {"DJANGO_SETTINGS_MODULE": "nursery.settings.base", "SUPER_PASSWORD": "admin"}
for key, value in DEFAULT_ENVS.items():
    os.environ.setdefault(key, value)


def run_debug():
    from django.core.management import call_command
    print(os.environ["SUPER_PASSWORD"])
    call_command("runserver", "0.0.0.0:8000")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run_debug()
"""


def test_a_command_that_wraps_runserver_is_a_development_start(tmp_path: Path) -> None:
    """compose's ``python manage.py run`` where manage.py's ``run`` calls ``runserver`` (or a project
    management command does): set aside as a development server; the settings come from manage.py's
    dict of defaults, and the variables it defaults itself are not required."""
    files = {
        "manage.py": RUNNER_MANAGE,
        "Procfile": "",
        "start.sh": "#!/bin/sh\n",
        ".do/deploy.template.yaml": "",
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [python, manage.py, run]\n    ports: ['8000:8000']\n",
    }
    plan = api.plan(_project(tmp_path, files))
    assert plan.facts.app.command.value[0] == "gunicorn"
    assert any(
        "manage.py run starts Django's development server (manage.py:10 calls runserver)" in w
        for w in plan.warnings
    )
    assert _env(plan)["DJANGO_SETTINGS_MODULE"] == "nursery.settings.base"
    assert "SUPER_PASSWORD" not in {f.value for f in plan.facts.app.required_env}
    # the same through a management command of the project's own
    files["manage.py"] = MANAGE.replace(
        "import sys",
        "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'nursery.settings.base')",
    )
    files["nursery/management/__init__.py"] = ""
    files["nursery/management/commands/__init__.py"] = ""
    files["nursery/management/commands/run.py"] = (
        "from django.core.management.commands.runserver import Command as RunServer\n\n"
        "class Command(RunServer):\n    pass\n"
    )
    plan = api.plan(_project(tmp_path / "command", files))
    assert any("nursery/management/commands/run.py:1 calls runserver" in w for w in plan.warnings)


def test_a_ci_mode_test_is_not_a_setting_to_give(tmp_path: Path) -> None:
    """``elif "CI" in os.environ: SECRET_KEY = <random> else: SECRET_KEY = env("SECRET_KEY")``: CI picks
    a mode, so production's SECRET_KEY is what the image needs, never CI."""
    settings = (
        "import os, secrets\nimport environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')\n"
        "ROOT_URLCONF = 'nursery.urls'\nif DEBUG:\n    SECRET_KEY = 'dev'\nelif 'CI' in os.environ:\n"
        "    SECRET_KEY = secrets.token_urlsafe(32)\nelse:\n    SECRET_KEY = env('SECRET_KEY')\n"
    )
    files = {
        "nursery/settings/base.py": settings,
        "requirements.txt": "django==5.1.4\ndjango-environ==0.11.2\ngunicorn==23.0.0\n",
    }
    required = {f.value for f in api.plan(_project(tmp_path, files)).facts.app.required_env}
    assert "SECRET_KEY" in required and "CI" not in required


RENDER = """services:
  - type: web
    name: nursery-web
    runtime: python
    buildCommand: pip install -r requirements.txt
    startCommand: gunicorn nursery.wsgi:application --workers 3 --timeout 90
    envVars:
      - key: DJANGO_SETTINGS_MODULE
        value: nursery.settings.base
  - type: worker
    name: nursery-mail
    runtime: python
    startCommand: python manage.py send_queued_mail --loop
  - type: web
    name: docs
    runtime: python
    rootDir: docs
    startCommand: mkdocs serve
"""
DO_RUN = """name: nursery
services:
  - name: api
    environment_slug: python
    run_command: gunicorn --worker-tmp-dir /dev/shm nursery.wsgi:application
    http_port: 8080
"""


@pytest.mark.parametrize(
    ("rel", "text", "command", "port"),
    [
        ("render.yaml", RENDER, "gunicorn nursery.wsgi:application --workers 3 --timeout 90", None),
        (".do/app.yaml", DO_RUN, "gunicorn --worker-tmp-dir /dev/shm nursery.wsgi:application", 8080),
    ],
)
def test_a_platform_blueprint_s_start_command_is_the_start(
    tmp_path: Path, rel: str, text: str, command: str, port: int | None
) -> None:
    """Render's ``startCommand`` / DigitalOcean's ``run_command`` is the web process as the platform runs
    it (another folder's service, or one built from a Dockerfile, is not this app's)."""
    files = {"Procfile": "", "start.sh": "#!/bin/sh\n", ".do/deploy.template.yaml": "", rel: text}
    plan = api.plan(_project(tmp_path, files))
    assert " ".join(plan.facts.app.command.value) == command
    assert plan.facts.app.command.evidence[0].file == rel
    if port:
        assert plan.facts.app.port.value == port
    if rel == "render.yaml":
        assert DeployEnv(PlanFiles(ProjectTree(tmp_path))).setting("DJANGO_SETTINGS_MODULE") is not None


def test_render_s_python_version_is_the_request(tmp_path: Path) -> None:
    """Render picks the interpreter from PYTHON_VERSION (https://render.com/docs/python-version); an
    unquoted ``3.10`` is 3.10, not YAML's float 3.1."""
    render = RENDER.replace(
        "      - key: DJANGO_SETTINGS_MODULE",
        "      - key: PYTHON_VERSION\n        value: 3.10\n      - key: DJANGO_SETTINGS_MODULE",
    )
    files = {"Procfile": "", "start.sh": "#!/bin/sh\n", ".do/deploy.template.yaml": "", "render.yaml": render}
    plan = api.plan(_project(tmp_path, files))
    assert plan.facts.python.requested.value == "3.10"
    assert plan.facts.python.requested.evidence[0].file == "render.yaml"


def test_a_plan_reads_the_descriptors_settings_and_the_release_steps_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python request and the Django detector both look a setting up (PYTHON_VERSION,
    DJANGO_SETTINGS_MODULE) in one DeployEnv; the release migration and the release step's other
    commands are read from one list."""
    reads: list[str] = []

    def counted(name: str, read: Callable[[ProjectTree], T]) -> Callable[[ProjectTree], T]:
        def wrapper(tree: ProjectTree) -> T:
            reads.append(name)
            return read(tree)

        return wrapper

    monkeypatch.setattr(deploy_env, "_values", counted("settings", deploy_env._values))
    monkeypatch.setattr(compose_migrations, "release_commands", counted("release", release_commands))
    render = RENDER.replace(
        "      - key: DJANGO_SETTINGS_MODULE",
        "      - key: PYTHON_VERSION\n        value: 3.12\n      - key: DJANGO_SETTINGS_MODULE",
    )
    procfile = (
        "release: python manage.py migrate && python manage.py seed\nweb: gunicorn nursery.wsgi:application\n"
    )
    files = {
        "Procfile": procfile,
        "start.sh": "#!/bin/sh\n",
        ".do/deploy.template.yaml": "",
        "render.yaml": render,
    }
    plan = api.plan(_project(tmp_path, files))
    assert plan.facts.python.requested.value == "3.12"
    assert ("DJANGO_SETTINGS_MODULE", "nursery.settings.base") in [
        (e.name, e.value) for e in plan.facts.app.env
    ]
    assert any("python manage.py seed" in w for w in plan.warnings)
    assert sorted(reads) == ["release", "settings"]


def test_a_blueprint_serving_a_module_the_project_lacks_is_set_aside(tmp_path: Path) -> None:
    """A render.yaml copied from another project (``gunicorn mysite.wsgi``): the Django detector's app."""
    render = RENDER.replace("gunicorn nursery.wsgi:application", "gunicorn mysite.wsgi:application")
    files = {"Procfile": "", "start.sh": "#!/bin/sh\n", ".do/deploy.template.yaml": "", "render.yaml": render}
    plan = api.plan(_project(tmp_path, files))
    assert plan.facts.app.command.value[-1] == "nursery.wsgi:application"
    assert any("no module 'mysite'" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        (
            "Procfile",
            "release: python manage.py migrate --noinput && python manage.py check\nweb: gunicorn nursery.wsgi:application\n",
        ),
        ("fly.toml", '[deploy]\nrelease_command = "python manage.py migrate --noinput"\n'),
        ("railway.json", '{"deploy": {"preDeployCommand": ["python manage.py migrate --noinput"]}}'),
        (
            "render.yaml",
            RENDER.replace(
                "    startCommand: gunicorn nursery",
                "    preDeployCommand: python manage.py migrate --noinput\n    startCommand: gunicorn nursery",
            ),
        ),
        (
            ".do/app.yaml",
            "jobs:\n  - name: migrate\n    kind: PRE_DEPLOY\n    run_command: python manage.py migrate --noinput\n",
        ),
    ],
)
def test_a_platform_release_step_that_migrates_runs_before_the_server(
    tmp_path: Path, rel: str, text: str
) -> None:
    """Heroku's release phase and its peers migrate once per deploy; one image on its own has no such
    phase, so the server starts after the migration (as for a compose one-shot migration service)."""
    files = {"Procfile": "", "start.sh": "#!/bin/sh\n", ".do/deploy.template.yaml": "", rel: text}
    plan = api.plan(_project(tmp_path, files))
    command = plan.facts.app.command
    assert command.value[:2] == ("/bin/sh", "-c")
    assert command.value[2].startswith("python manage.py migrate --noinput && exec gunicorn")
    assert command.evidence[-1].file == rel and "once per deploy" in command.evidence[-1].detail


@pytest.mark.parametrize(
    ("release", "runs"),
    [
        ("python web/manage.py migrate --noinput", "python web/manage.py migrate --noinput && exec gunicorn"),
        (
            "cd web && python manage.py migrate --noinput",
            "(cd web && python manage.py migrate --noinput) && exec",
        ),
    ],
)
def test_a_release_step_migrating_with_a_manage_py_in_a_folder_runs_too(
    tmp_path: Path, release: str, runs: str
) -> None:
    """A Django project in a folder of the repository (web/manage.py, served with --chdir web) migrates
    with the path (python web/manage.py migrate) or from the folder (cd web && ...): the release step is
    run before the server all the same, the folder change kept to the migration (a subshell) so the
    server starts where it did."""
    files = {
        "requirements.txt": "django==5.1.4\ngunicorn==23.0.0\n",
        "web/manage.py": MANAGE.replace(
            "import sys", "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'quiz.settings')"
        ),
        "web/quiz/__init__.py": "",
        "web/quiz/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = []\nROOT_URLCONF = 'quiz.urls'\n",
        "web/quiz/urls.py": "urlpatterns = []\n",
        "web/quiz/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "Procfile": f"release: {release}\nweb: gunicorn --chdir web quiz.wsgi\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    plan = api.plan(tmp_path)
    command = plan.facts.app.command
    assert command.value[:2] == ("/bin/sh", "-c") and command.value[2].startswith(runs)
    assert command.value[2].endswith("gunicorn --chdir web quiz.wsgi")
    assert not any("the release step also runs" in w for w in plan.warnings)  # `cd web` is no command


def test_the_release_step_s_other_commands_are_named(tmp_path: Path) -> None:
    """``release: migrate && populate_initial_data``: the image migrates before the server; the data
    step runs nowhere, which the plan says (collectstatic is the build's: not named)."""
    procfile = (
        "release: python manage.py migrate && python manage.py populate_initial_data"
        " && python manage.py collectstatic --noinput\nweb: gunicorn nursery.wsgi:application\n"
    )
    plan = api.plan(_project(tmp_path, {"Procfile": procfile, "start.sh": "#!/bin/sh\n"}))
    assert plan.facts.app.command.value[2].startswith("python manage.py migrate && exec gunicorn")
    said = [w for w in plan.warnings if "the release step also runs" in w]
    assert said == [
        "Procfile:1: the release step also runs python manage.py populate_initial_data, which the image runs "
        "nowhere; run it once per deploy (docker run IMAGE python manage.py populate_initial_data)"
    ]


def test_a_release_command_the_start_s_own_script_runs_is_not_named(tmp_path: Path) -> None:
    """The own image's entry script (``exec "$@"`` after its steps) already runs the release step's
    commands before the Procfile's server: the start runs them, so no "runs nowhere" note (was said for
    each command but the migration, though the planned start runs the script)."""
    procfile = (
        "release: python manage.py migrate --noinput && python manage.py populate_initial_data"
        " && python manage.py warm_cache --all\nweb: gunicorn nursery.wsgi:application\n"
    )
    boot = (
        "#!/bin/sh\npython manage.py migrate --noinput\npython manage.py populate_initial_data\n"
        'python3 manage.py warm_cache  --all\nexec "$@"\n'
    )
    dockerfile = 'FROM python:3.13-slim\nWORKDIR /srv\nCOPY . .\nENTRYPOINT ["/srv/deploy/boot.sh"]\n'
    files = {
        "Procfile": procfile,
        "start.sh": "#!/bin/sh\n",
        "deploy/boot.sh": boot,
        "deploy/Dockerfile": dockerfile,
    }
    plan = api.plan(_project(tmp_path, files))
    command = plan.facts.app.command.value
    assert "deploy/boot.sh" in command and command[-1] == "nursery.wsgi:application", command
    assert not [w for w in plan.warnings if "the release step also runs" in w], plan.warnings


def test_a_release_step_written_as_one_shell_line_is_read_command_by_command(tmp_path: Path) -> None:
    """``release: sh -c "python manage.py migrate --noinput && python manage.py check"``: the quoted line
    is the shell's, split at its own ``&&`` (was cut inside the quotes: nothing read, nothing said)."""
    procfile = (
        'release: sh -c "python manage.py migrate --noinput && python manage.py seed"\n'
        "web: gunicorn nursery.wsgi:application\n"
    )
    plan = api.plan(_project(tmp_path, {"Procfile": procfile, "start.sh": "#!/bin/sh\n"}))
    assert plan.facts.app.command.value[2].startswith("python manage.py migrate --noinput && exec gunicorn")
    said = [w for w in plan.warnings if "the release step also runs" in w]
    assert len(said) == 1 and "python manage.py seed" in said[0]


def test_a_release_migration_finds_manage_py_in_the_app_s_folder(tmp_path: Path) -> None:
    """A root Procfile whose Django app sits in backend/: the release's manage.py is that one."""
    root = tmp_path / "repo"
    app = _project(
        root / "backend", {"Procfile": "", "start.sh": "#!/bin/sh\n", ".do/deploy.template.yaml": ""}
    )
    (root / "requirements.txt").write_text((app / "requirements.txt").read_text())
    (app / "requirements.txt").unlink()
    (root / "Procfile").write_text(
        "release: python manage.py migrate\nweb: gunicorn nursery.wsgi:application\n"
    )
    plan = api.plan(root)
    assert plan.facts.app.command.value[2].startswith(
        "python backend/manage.py migrate && exec gunicorn --chdir backend"
    )


@pytest.mark.parametrize("feed", ['yes "yes" |', "echo yes |", "yes | yes |"])
def test_a_release_step_fed_answers_through_a_pipe_runs_its_command(tmp_path: Path, feed: str) -> None:
    """``release: yes "yes" | python manage.py migrate``: the pipe only answers the command's prompts, so
    the migration runs before the server (was: not understood, and the plan said it could not run it)."""
    procfile = f"release: {feed} python manage.py migrate\nweb: gunicorn nursery.wsgi:application\n"
    plan = api.plan(_project(tmp_path, {"Procfile": procfile, "start.sh": "#!/bin/sh\n"}))
    assert plan.facts.app.command.value[2].startswith("python manage.py migrate && exec gunicorn")
    assert not any("cannot run as written" in w for w in plan.warnings)
