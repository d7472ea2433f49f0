"""Build steps in the plan (issue 12, class 4): where each runs, what reaches the runtime, and that a
step which cannot run is a stated decision and warning."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.plan.buildsteps import apply, dummy_value, node_image
from dockwright.plan.model import BuildPlan, Step
from dockwright.project.facts import BuildStepNeed, Evidence, RegistryEnv
from dockwright.render.render import render_dockerfile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(steps: tuple[Step, ...]) -> list[str]:
    return [" ".join(s.args) for s in steps if s.instruction == "RUN"]


def _index(steps: tuple[Step, ...], needle: str) -> int:
    return next(i for i, s in enumerate(steps) if needle in " ".join((*s.flags, *s.args)))


@pytest.fixture(scope="module")
def django_plan() -> BuildPlan:
    return api.plan(EXAMPLES / "django-static-i18n")


def test_compilemessages_runs_in_the_builder_with_gettext_there_only(django_plan: BuildPlan) -> None:
    plan = django_plan
    assert "gettext" in {a.name for a in plan.builder_apt}
    assert "gettext" not in {a.name for a in plan.runtime_apt}
    run = next(r for r in _run(plan.builder_steps) if "compilemessages" in r)
    assert run.startswith("DJANGO_SETTINGS_MODULE=mysite.settings DJANGO_SECRET_KEY=")
    assert "/opt/venv/bin/python manage.py compilemessages" in run
    runs = [s for s in plan.builder_steps if s.instruction == "RUN"]
    assert runs[0].args[1].endswith("gettext"), "one apt step, the first RUN (cached)"
    decision = plan.decision("compilemessages")
    assert decision is not None and "locale/fr/LC_MESSAGES/django.po" in decision.reason


def test_runtime_copies_the_prepared_tree_then_collects_static(django_plan: BuildPlan) -> None:
    steps = django_plan.runtime_steps
    tree = _index(steps, "/src/")
    assert steps[tree].flags == ("--from=builder",) and steps[tree].args == ("/src/", "./")
    assert not any(s.instruction == "COPY" and s.args == (".", ".") for s in steps)
    collect = _index(steps, "collectstatic")
    assert collect > tree
    assert " ".join(steps[collect].args).endswith(
        "python manage.py collectstatic --noinput && rm -rf /tmp/dockwright-build-home"
    )
    decision = django_plan.decision("collectstatic")
    assert decision is not None and "mysite/settings.py:33 (STATIC_ROOT = BASE_DIR / 'staticfiles')" in (
        decision.reason
    )


def test_the_dummy_secret_is_never_env_or_config(django_plan: BuildPlan) -> None:
    plan = django_plan
    names = {e.name for e in (*plan.runtime_env, *plan.app_env, *plan.builder_env)}
    assert "DJANGO_SECRET_KEY" not in names
    text = render_dockerfile(plan)
    for line in text.splitlines():
        if "DJANGO_SECRET_KEY=dockwright-build-time-dummy" in line:
            assert line.startswith("RUN "), line
    collect = next(s for s in plan.runtime_steps if "collectstatic" in " ".join(s.args))
    assert "given to this RUN only (never ENV, never the image config)" in collect.why


def test_babel_catalogs_compile_in_the_builder() -> None:
    plan = api.plan(EXAMPLES / "flask-babel")
    assert "/opt/venv/bin/pybabel compile -d app/translations" in _run(plan.builder_steps)
    assert "gettext" not in {a.name for a in plan.builder_apt}, "Babel compiles in pure Python"
    assert any(s.args == ("/src/", "./") for s in plan.runtime_steps)


def test_frontend_builds_in_a_node_stage_and_only_its_output_ships() -> None:
    plan = api.plan(EXAMPLES / "flask-frontend")
    stage = next(s for s in plan.side_stages if s.name == "frontend")
    assert stage.image == node_image() and stage.image.startswith("node:") and "-trixie-slim" in stage.image
    assert stage.workdir == "/frontend/frontend"
    assert stage.steps[0].args == ("frontend/package.json", "frontend/package-lock.json", "./")
    npm_ci = next(s for s in stage.steps if s.instruction == "RUN")
    assert npm_ci.flags == (
        "--mount=type=cache,target=/root/.npm",
        "--mount=type=secret,id=npmrc,target=/root/.npmrc,required=false",
    )
    assert npm_ci.args == ("npm ci --no-audit --no-fund",)
    assert stage.steps[-1].args == ("npm run build",)
    assert "rm -rf frontend" in _run(plan.builder_steps), "sources pruned from the app tree"
    out = next(s for s in plan.runtime_steps if s.flags == ("--from=frontend",))
    assert out.args == ("/frontend/frontend/dist", "/app/frontend/dist")
    assert "**/node_modules" in [e.pattern for e in plan.dockerignore]
    patterns = [e.pattern for e in plan.dockerignore]
    assert patterns.index("**/node_modules") < patterns.index("**/.env"), "secrets stay last"
    decision = plan.decision("frontend-build")
    assert decision is not None and "app.py:5" in decision.reason


def _with_steps(plan: BuildPlan, *needs: BuildStepNeed) -> BuildPlan:
    return dataclasses.replace(plan, facts=dataclasses.replace(plan.facts, build_steps=needs))


def test_a_step_that_cannot_run_is_a_decision_and_a_warning() -> None:
    plan = api.plan(EXAMPLES / "flask-requirements")
    blocked = BuildStepNeed("frontend", (Evidence("ui/package.json", 3),), ready=False, blocker="no lockfile")
    planned = apply(_with_steps(plan, blocked))
    decision = planned.decision("frontend-build")
    assert decision is not None and decision.choice == "not planned"
    assert "no lockfile (ui/package.json:3)" in decision.reason
    assert "build step frontend is not planned: no lockfile" in planned.warnings
    assert planned.runtime_steps == plan.runtime_steps and planned.side_stages == plan.side_stages


def test_a_package_app_states_its_steps_instead_of_dropping_them() -> None:
    plan = api.plan(EXAMPLES / "cli-setuptools")
    need = BuildStepNeed("pybabel-compile", (Evidence("x.po"),), outputs=("t",), domains=("messages",))
    planned = apply(_with_steps(plan, need))
    assert any("pybabel-compile is not planned: the app installs as a wheel" in w for w in planned.warnings)
    assert planned.builder_steps == plan.builder_steps


def test_another_strategy_states_its_steps() -> None:
    slim = api.plan(EXAMPLES / "flask-babel")
    plan = apply(dataclasses.replace(slim, strategy="pex", warnings=(), decisions=()))
    assert any("pybabel-compile is not planned: the pex strategy" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("lockfile", "installer", "install"),
    [
        ("package-lock.json", "", "npm ci"),
        ("pnpm-lock.yaml", "pnpm@9", "pnpm install"),
        ("yarn.lock", "yarn@1", "yarn install"),
        ("bun.lock", "bun@1", "bun install"),
    ],
)
def test_every_registry_download_mounts_the_npmrc_secret_where_the_manager_reads_it(
    lockfile: str, installer: str, install: str
) -> None:
    """npm, pnpm, Yarn 1 and bun all read the user config ~/.npmrc (frontend_managers.toml's sources): the
    installer's `npm install --global` and the frozen install mount secret npmrc there, optional; the
    build script, which downloads nothing, does not."""
    need = BuildStepNeed(
        "frontend",
        (Evidence("app.py", 5, "serves ui/dist"),),
        script="build",
        directory="ui",
        outputs=("ui/dist",),
        lockfile=f"ui/{lockfile}",
        installer=installer,
    )
    planned = apply(_with_steps(api.plan(EXAMPLES / "flask-requirements"), need))
    stage = next(s for s in planned.side_stages if s.name == "frontend")
    mount = "--mount=type=secret,id=npmrc,target=/root/.npmrc,required=false"
    runs = [s for s in stage.steps if s.instruction == "RUN"]
    downloads = [s for s in runs if s.args[0].startswith(("npm install --global", install))]
    assert len(downloads) == (2 if installer else 1)
    assert all(mount in s.flags and "never in a layer" in s.why for s in downloads)
    assert [mount in s.flags for s in runs if s not in downloads] == [False], "not the build script"
    text = render_dockerfile(planned)
    assert text.count(mount) == len(downloads) and "TOKEN" not in text
    decision = planned.decision("frontend-build")
    assert decision is not None and "BuildKit secret npmrc, mounted at /root/.npmrc" in decision.reason


def test_the_frontend_decision_says_whether_the_build_needs_the_network() -> None:
    plan = api.plan(EXAMPLES / "flask-frontend")
    decision = plan.decision("frontend-build")
    assert decision is not None and "the lockfile holds no package, so the build downloads nothing" in (
        decision.reason
    )
    need = dataclasses.replace(
        plan.facts.build_steps[0],
        evidence=(Evidence("frontend/package-lock.json", None, "npm lockfile for `npm ci`: 412 package(s)"),),
    )
    planned = apply(_with_steps(api.plan(EXAMPLES / "flask-requirements"), need))
    decision = planned.decision("frontend-build")
    assert decision is not None and "needs the network" in decision.reason


def test_a_step_the_wheel_build_runs_is_a_decision_without_a_warning() -> None:
    plan = api.plan(EXAMPLES / "cli-setuptools")
    hook = Evidence("hatch_build.py", 9, "the wheel build's hook compiles the message catalogs")
    need = BuildStepNeed(
        "pybabel-compile", (Evidence("x.po"),), outputs=("t",), domains=("messages",), done_by=hook
    )
    planned = apply(_with_steps(plan, need))
    decision = planned.decision("pybabel-compile")
    assert decision is not None and decision.choice == "in the wheel build"
    assert "hatch_build.py:9" in decision.reason
    assert not any("pybabel-compile" in w for w in planned.warnings)
    assert planned.builder_steps == plan.builder_steps


def test_a_source_app_plans_the_step_whatever_a_build_hook_says() -> None:
    plan = api.plan(EXAMPLES / "flask-babel")
    need = next(s for s in plan.facts.build_steps if s.kind == "pybabel-compile")
    hook = Evidence("hatch_build.py", 9, "the wheel build's hook compiles the message catalogs")
    planned = apply(_with_steps(plan, dataclasses.replace(need, done_by=hook)))
    assert any("pybabel compile" in r for r in _run(planned.builder_steps))


def test_a_port_dummy_parses_as_a_number() -> None:
    # settings that read REDIS_PORT once as text without a default and once as env.int(..., default)
    assert int(dummy_value("REDIS_PORT")[0]) == 1
    assert int(dummy_value("PORT")[0]) == 1
    assert int(dummy_value("X_PORT")[0]) == 1
    # a name that only ends in the letters is not a port (nor a URL): the generic value
    assert dummy_value("TRANSPORT")[0] == "dockwright-build-time-dummy-not-a-secret"
    assert dummy_value("MAIL_TRANSPORT")[0] == "dockwright-build-time-dummy-not-a-secret"
    assert dummy_value("SECRET_KEY")[0] == "dockwright-build-time-dummy-not-a-secret"
    assert dummy_value("DATABASE_URL")[0] == "sqlite:///:memory:"


def test_a_database_engine_dummy_is_a_backend_django_can_import() -> None:
    # `'ENGINE': env('SQL_ENGINE')`: Django imports the backend named there when collectstatic loads the
    # connections; sqlite3's needs no driver and no database file
    for name in ("ENGINE", "SQL_ENGINE", "DB_ENGINE", "DATABASE_ENGINE"):
        assert dummy_value(name)[0] == "django.db.backends.sqlite3", name
    assert dummy_value("ENGINES")[0] == "dockwright-build-time-dummy-not-a-secret"


def test_url_dummies_parse_as_their_kind() -> None:
    # env.cache() / env.email() / a redis client's from_url refuse a word: each gets a URL of its scheme
    assert dummy_value("CACHE_URL")[0].startswith(
        "redis://"
    )  # the scheme django-environ and django-cache-url share
    assert dummy_value("DJANGO_CACHE_URL")[0].startswith("redis://")
    assert dummy_value("EMAIL_URL")[0] == "consolemail://"
    assert dummy_value("REDIS_URL")[0].startswith("redis://")
    assert dummy_value("CELERY_BROKER_REDIS_URL")[0].startswith("redis://")


def test_a_wheel_installed_django_app_collects_with_django_admin(tmp_path: Path) -> None:
    # manage.py is not in the image when the wheel is installed; DJANGO_SETTINGS_MODULE names the
    # installed settings and the package's static files are in site-packages
    files = {
        "pyproject.toml": (
            '[project]\nname = "ledger"\nversion = "1.0"\ndependencies = ["django==5.1.4", "gunicorn==23.0.0"]\n'
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
            # the static files go into the wheel (without it setuptools leaves them out: setuptools_packages)
            '[tool.setuptools.package-data]\nledger = ["static/**/*"]\n'
        ),
        "manage.py": (
            "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ledger.settings')\n"
            "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n"
        ),
        "ledger/__init__.py": "",
        "ledger/settings.py": (
            "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent\nSECRET_KEY = 'x'\n"
            "INSTALLED_APPS = ['django.contrib.staticfiles', 'ledger']\nROOT_URLCONF = 'ledger.urls'\n"
            "WSGI_APPLICATION = 'ledger.wsgi.application'\nSTATIC_URL = '/static/'\n"
            "STATIC_ROOT = '/srv/static'\n"
            "STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n"
        ),
        "ledger/urls.py": "urlpatterns = []\n",
        "ledger/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
        "ledger/static/ledger/site.css": "body {}\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    plan = api.plan(tmp_path, syntax_directive=False)
    assert plan.app_install == "wheel"
    runs = [" ".join(s.args) for s in plan.runtime_steps if s.instruction == "RUN"]
    assert any("django-admin collectstatic --noinput &&" in r for r in runs), runs
    assert not [w for w in plan.warnings if "collectstatic is not planned" in w]


def test_a_manifest_storage_reads_static_root_at_run_time() -> None:
    from dockwright.project.static_root_env import served_by_app

    assert served_by_app({"django.contrib.staticfiles.storage.ManifestStaticFilesStorage"})
    assert served_by_app({"shop.storage.ManifestStorage"})
    assert not served_by_app({"django.contrib.staticfiles.storage.StaticFilesStorage", "Manifest file"})


@pytest.mark.parametrize(
    ("lock", "installer", "install", "cache"),
    [
        ("pnpm-lock.yaml", "pnpm@9", "pnpm install --frozen-lockfile", "/root/.local/share/pnpm/store"),
        (
            "yarn.lock",
            "yarn@1",
            "yarn install --frozen-lockfile --non-interactive",
            "/usr/local/share/.cache/yarn",
        ),
        ("bun.lock", "bun@1", "bun install --frozen-lockfile", "/root/.bun/install/cache"),
    ],
)
def test_another_package_manager_is_installed_with_npm_first(
    lock: str, installer: str, install: str, cache: str
) -> None:
    npm = next(n for n in api.plan(EXAMPLES / "flask-frontend").facts.build_steps if n.kind == "frontend")
    need = dataclasses.replace(npm, lockfile=f"frontend/{lock}", installer=installer)
    plan = apply(_with_steps(api.plan(EXAMPLES / "flask-requirements"), need))
    stage = next(s for s in plan.side_stages if s.name == "frontend")
    runs = [s for s in stage.steps if s.instruction == "RUN"]
    assert runs[0].args == (f"npm install --global --no-audit --no-fund {installer}",)
    secret = "--mount=type=secret,id=npmrc,target=/root/.npmrc,required=false"
    assert runs[0].flags == ("--mount=type=cache,target=/root/.npm", secret)
    assert stage.steps[1].args == ("frontend/package.json", f"frontend/{lock}", "./")
    assert runs[1].args == (install,) and runs[1].flags == (f"--mount=type=cache,target={cache}", secret)
    tool = installer.split("@")[0]
    assert runs[-1].args == (f"{tool} run build",)
    decision = plan.decision("frontend-build")
    assert decision is not None and decision.choice.startswith(
        f"{node_image()}: {tool} install && {tool} run build"
    )
    assert f"{installer} installed with npm" in decision.reason


def _berry(**changes: object) -> BuildPlan:
    npm = next(n for n in api.plan(EXAMPLES / "flask-frontend").facts.build_steps if n.kind == "frontend")
    need = dataclasses.replace(
        npm,
        lockfile="frontend/yarn.lock",
        manager="yarn-berry",
        installer="@yarnpkg/cli-dist@4.9.2",
        configs=("frontend/.yarnrc.yml",),
        registry_env=(
            RegistryEnv("NPM_TOKEN", True, Evidence("frontend/.yarnrc.yml", 2, "reads ${NPM_TOKEN}")),
            RegistryEnv("ACME_TOKEN", False, Evidence("frontend/.yarnrc.yml", 5, "reads ${ACME_TOKEN}")),
        ),
    )
    return apply(_with_steps(api.plan(EXAMPLES / "flask-requirements"), dataclasses.replace(need, **changes)))


def test_yarn_2_installs_with_its_yarnrc_and_each_variable_from_the_secret_of_its_name() -> None:
    """Yarn 2+ reads no .npmrc: the user's ~/.yarnrc.yml is secret yarnrc; the project's .yarnrc.yml is
    copied with the manifest, and the variables it reads come from secrets into the install RUN only;
    the build script gets an empty value (yarn stops at an unset one) and never the token."""
    plan = _berry()
    stage = next(s for s in plan.side_stages if s.name == "frontend")
    runs = [s for s in stage.steps if s.instruction == "RUN"]
    assert runs[0].args == ("npm install --global --no-audit --no-fund @yarnpkg/cli-dist@4.9.2",)
    assert stage.steps[1].args == (
        "frontend/package.json",
        "frontend/yarn.lock",
        "frontend/.yarnrc.yml",
        "./",
    )
    assert runs[1].flags == (
        "--mount=type=cache,target=/root/.yarn/berry/cache",
        "--mount=type=secret,id=yarnrc,target=/root/.yarnrc.yml,required=false",
        "--mount=type=secret,id=NPM_TOKEN",
        "--mount=type=secret,id=ACME_TOKEN,required=false",
    )
    assert runs[1].args == (
        'NPM_TOKEN="$(cat /run/secrets/NPM_TOKEN)" '
        'ACME_TOKEN="$(cat /run/secrets/ACME_TOKEN 2>/dev/null)" yarn install --immutable',
    )
    assert runs[-1].args == ("NPM_TOKEN='' yarn run build",) and runs[-1].flags == ()
    decision = plan.decision("frontend-build")
    assert decision is not None and "NPM_TOKEN (frontend/.yarnrc.yml:2)" in decision.reason
    assert "BuildKit secret yarnrc" in decision.reason


def test_a_checked_in_yarn_release_is_copied_to_its_place_and_run_with_node() -> None:
    """The node image need not ship any yarn: node runs the release (Yarn puts its own `yarn` on the
    PATH of the scripts it runs)."""
    plan = _berry(installer="", configs=("frontend/.yarnrc.yml", "frontend/.yarn/releases/yarn-4.9.2.cjs"))
    stage = next(s for s in plan.side_stages if s.name == "frontend")
    assert not any("npm install --global" in " ".join(s.args) for s in stage.steps)
    copies = [s.args for s in stage.steps if s.instruction == "COPY"]
    assert copies[:2] == [
        ("frontend/package.json", "frontend/yarn.lock", "frontend/.yarnrc.yml", "./"),
        ("frontend/.yarn/releases/yarn-4.9.2.cjs", "./.yarn/releases/"),
    ]
    runs = [s.args[0] for s in stage.steps if s.instruction == "RUN"]
    assert runs[0].endswith(" node ./.yarn/releases/yarn-4.9.2.cjs install --immutable"), "no yarn needed"
    assert runs[-1] == "NPM_TOKEN='' node ./.yarn/releases/yarn-4.9.2.cjs run build"


def test_bun_gets_the_variable_in_its_install_and_nothing_in_its_build() -> None:
    """An unset variable bunfig.toml reads is an empty value to bun, not a stop: the build RUN needs none."""
    plan = _berry(
        manager="bun", lockfile="frontend/bun.lock", installer="bun@1", configs=("frontend/bunfig.toml",)
    )
    stage = next(s for s in plan.side_stages if s.name == "frontend")
    runs = [s for s in stage.steps if s.instruction == "RUN"]
    assert runs[1].args[0].startswith('NPM_TOKEN="$(cat /run/secrets/NPM_TOKEN)" ')
    assert runs[-1].args == ("bun run build",) and runs[-1].why == ""


def test_compilemessages_builder_gets_the_libraries_the_settings_load(tmp_path: Path) -> None:
    """The builder's compilemessages imports the settings, so INSTALLED_APPS load: a driver that opens a
    system library at import (pure-Python psycopg and libpq) needs that library in the builder too."""
    shutil.copytree(EXAMPLES / "django-static-i18n", tmp_path / "site")
    project = tmp_path / "site"
    (project / "requirements.txt").write_text("django==5.2.17\ngunicorn==26.2.0\npsycopg==3.2.3\n")
    (project / "requirements.in").unlink()
    plan = api.plan(project)
    assert "libpq5" in {a.name for a in plan.runtime_apt}
    builder = {a.name: a.why for a in plan.builder_apt}
    assert "gettext" in builder and "libpq5" in builder, builder
    assert "compilemessages" in builder["libpq5"]
    runs = _run(plan.builder_steps)
    apt = next(i for i, r in enumerate(runs) if "apt-get" in r)
    assert "libpq5" in runs[apt] and apt < next(i for i, r in enumerate(runs) if "compilemessages" in r)


MIGRATING = """#!/bin/bash
set -e
python3 manage.py makemigrations && \\
python3 manage.py makemigrations pages && \\
python3 manage.py migrate
exec gunicorn mysite.wsgi --bind 0.0.0.0:8000
"""


def test_makemigrations_at_start_is_made_in_the_builder_so_the_start_writes_nothing(tmp_path: Path) -> None:
    """An entry script that writes the app's migration files at start (``makemigrations``) fails as the
    non-root user over the root-owned tree; made in the builder, the start's run finds no changes."""
    shutil.copytree(EXAMPLES / "django-static-i18n", tmp_path / "site")
    project = tmp_path / "site"
    (project / "entrypoint.sh").write_text(MIGRATING)
    plan = api.plan(project)
    runs = _run(plan.builder_steps)
    made = [r for r in runs if "makemigrations" in r]
    assert len(made) == 1, runs
    first, second = made[0].split(" && ")
    assert first.startswith("DJANGO_SETTINGS_MODULE=mysite.settings ") and second.startswith(
        "DJANGO_SETTINGS_MODULE=mysite.settings "
    ), "each command with the settings (an assignment prefix holds for one command only)"
    assert first.endswith("/opt/venv/bin/python manage.py makemigrations")
    assert second.endswith("/opt/venv/bin/python manage.py makemigrations pages")
    copy = next(
        i for i, s in enumerate(plan.builder_steps) if s.instruction == "COPY" and s.args == (".", ".")
    )
    assert copy < next(i for i, s in enumerate(plan.builder_steps) if "makemigrations" in " ".join(s.args))
    decision = plan.decision("makemigrations")
    assert decision is not None and "entrypoint.sh:3" in decision.reason
    assert "entrypoint.sh" in " ".join(plan.cmd), (
        "the script still starts the app, its makemigrations a no-op"
    )
    tree = next(s for s in plan.runtime_steps if s.instruction == "COPY" and s.args[-1] == "./")
    assert "(migrations made, catalogs compiled)" in tree.why  # each step said once, by what it did


def test_the_runtime_collectstatic_leaves_nothing_in_roots_home(django_plan: BuildPlan) -> None:
    """collectstatic imports the settings as root in the runtime stage; settings that make files under
    the user's home at import (a generated secret key, a config copy) would leave them in root's home in
    that layer. The RUN points HOME at a throwaway folder and removes it in the same RUN."""
    run = next(r for r in _run(django_plan.runtime_steps) if "collectstatic" in r)
    home = "/tmp/dockwright-build-home"
    assert run.startswith(f"HOME={home} ")
    assert run.endswith(f"collectstatic --noinput && rm -rf {home}")
