"""A launcher script the repository runs (``python run.py``) that applies Alembic's migrations through
the library before it starts a development server: the plan starts the production server, and runs the
same migration first (project/launcher_migrations.py). The projects are our own small examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.launcher_migrations import flask_migrate_upgrade, script_migration

APP = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {}\n'
LAUNCHER = """import uvicorn
from alembic import command
from alembic.config import Config

if __name__ == "__main__":
    settings = Config("alembic.ini")
    command.upgrade(settings, "head")
    uvicorn.run("ledger.main:app", host="0.0.0.0", port=8000, reload=True)
"""
PYPROJECT = """[project]
name = "ledger"
version = "0.1.0"
dependencies = ["fastapi==0.115.0", "uvicorn==0.30.0", "alembic==1.13.2"]

[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[tool.setuptools]
packages = ["ledger"]
"""


def _project(tmp_path: Path, launcher: str = LAUNCHER) -> Path:
    root = tmp_path / "ledger-app"
    (root / "ledger").mkdir(parents=True)
    (root / "ledger" / "__init__.py").write_text("", encoding="utf-8")
    (root / "ledger" / "main.py").write_text(APP, encoding="utf-8")
    (root / "migrations").mkdir()
    (root / "migrations" / "env.py").write_text("from alembic import context\n", encoding="utf-8")
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n", encoding="utf-8")
    (root / "run.py").write_text(launcher, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "Dockerfile").write_text('FROM python:3.12-slim\nCOPY . .\nCMD ["python", "run.py"]\n')
    return root


@pytest.mark.parametrize(
    ("source", "found"),
    [
        (LAUNCHER, (7, "alembic.ini", "head")),
        (
            'import alembic.command\nfrom alembic.config import Config\nalembic.command.upgrade(Config("db.ini"), "heads")\n',
            (3, "db.ini", "heads"),
        ),
        (
            'from alembic import command as migrations\nmigrations.upgrade(Config("alembic.ini"), "head")\n',
            (2, "alembic.ini", "head"),
        ),
        ('import subprocess\nsubprocess.run(["alembic", "upgrade", "head"])\n', (2, "alembic.ini", "head")),
        ('import os\nos.system("alembic -c db/alembic.ini upgrade heads")\n', (2, "db/alembic.ini", "heads")),
        (
            'import subprocess\nsubprocess.check_call(["python", "-m", "alembic", "--config=x.ini", "upgrade", "head"])\n',
            (2, "x.ini", "head"),
        ),
        ('import subprocess\nsubprocess.run(["alembic", "downgrade", "base"])\n', None),
        ('import subprocess\nsubprocess.run(["alembic", "upgrade", "--sql"])\n', None),
        ('from alembic import command\ncommand.upgrade(make_config(), "head")\n', None),  # config unknown
        ('from alembic import command\ncommand.downgrade(Config("alembic.ini"), "base")\n', None),
        (  # the function itself imported, or the module under another name (ast_names.bound_names)
            'from alembic.command import upgrade\nupgrade(Config("alembic.ini"), "head")\n',
            (2, "alembic.ini", "head"),
        ),
        (
            'import alembic.command as ac\nac.upgrade(Config("alembic.ini"), "head")\n',
            (2, "alembic.ini", "head"),
        ),
        ('import alembic.command as ac\nalembic.command.upgrade(Config("a.ini"), "head")\n', None),
    ],
)
def test_the_upgrade_a_script_runs_through_the_api_is_found(
    source: str, found: tuple[int, str, str] | None
) -> None:
    assert script_migration(source) == found


def test_the_launchers_migration_runs_before_the_production_server(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path), syntax_directive=False)
    assert plan.cmd == (
        "/bin/sh",
        "-c",
        "alembic -c alembic.ini upgrade head && exec uvicorn ledger.main:app --host 0.0.0.0 --port 8000",
    )
    start = next(d for d in plan.decisions if d.topic == "start")
    assert "run.py:7" in start.reason and "applies the migrations" in start.reason
    assert plan.app_install == "source"  # alembic.ini and migrations/ are read from the work directory


def test_without_a_migration_the_server_starts_alone(tmp_path: Path) -> None:
    launcher = LAUNCHER.replace('    command.upgrade(settings, "head")\n', "")
    plan = api.plan(_project(tmp_path, launcher), syntax_directive=False)
    assert plan.cmd[0] == "uvicorn"
    # the root alembic.ini and its migrations/ still go into the image (plan/migration_files.py)
    assert plan.app_install == "wheel"
    assert any(d.topic == "migrations" for d in plan.decisions)
    assert any("docker run IMAGE alembic upgrade head" in w for w in plan.warnings)


SUBPROCESS_LAUNCHER = """import subprocess

import uvicorn

from ledger.main import app

if __name__ == "__main__":
    subprocess.run(["alembic", "upgrade", "head"], check=True)
    uvicorn.run(app, host="0.0.0.0", port=8000)
"""


def _lone(tmp_path: Path, launcher: str, name: str = "run.py") -> Path:
    root = _project(tmp_path, launcher)
    (root / "Dockerfile").unlink()  # nothing names the launcher
    if name != "run.py":
        (root / "run.py").rename(root / name)
    return root


@pytest.mark.parametrize(("launcher", "name"), [(LAUNCHER, "run.py"), (SUBPROCESS_LAUNCHER, "start.py")])
def test_a_lone_launcher_that_migrates_then_serves_the_app_keeps_its_migration(
    tmp_path: Path, launcher: str, name: str
) -> None:
    plan = api.plan(_lone(tmp_path, launcher, name), syntax_directive=False)
    assert plan.cmd[:2] == ("/bin/sh", "-c")
    assert plan.cmd[2].startswith("alembic -c alembic.ini upgrade head && exec uvicorn ledger.main:app")
    start = next(d for d in plan.decisions if d.topic == "start")
    assert f"python {name}, the repository's launcher, applies the migrations" in start.reason


@pytest.mark.parametrize(
    "launcher",
    [
        # migrates only: a maintenance script, not the start
        'from alembic import command\nfrom alembic.config import Config\n\ncommand.upgrade(Config("alembic.ini"), "head")\n',
        # migrates, then serves another app
        LAUNCHER.replace("ledger.main:app", "other.web:app"),
    ],
)
def test_a_lone_script_that_does_not_serve_the_app_is_not_read(tmp_path: Path, launcher: str) -> None:
    plan = api.plan(_lone(tmp_path, launcher), syntax_directive=False)
    assert plan.cmd[0] == "uvicorn"


def test_a_lone_launcher_serving_a_root_module_that_imports_the_app(tmp_path: Path) -> None:
    root = _lone(tmp_path, LAUNCHER.replace("ledger.main:app", "entry:app"))
    (root / "entry.py").write_text("from ledger.main import app\n", encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd[2].startswith("alembic -c alembic.ini upgrade head && exec uvicorn ledger.main:app")


def test_a_shell_start_keeps_its_line_and_the_migration_is_told(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "Procfile").write_text(
        "web: uvicorn ledger.main:app --host 0.0.0.0 --port $PORT\n", encoding="utf-8"
    )
    plan = api.plan(root, syntax_directive=False)
    assert "alembic" not in " ".join(plan.cmd) and "$PORT" in plan.cmd[-1]
    assert any(
        w.startswith("run.py:7: python run.py applies the migrations (alembic -c alembic.ini upgrade head)")
        and "docker run IMAGE alembic -c alembic.ini upgrade head" in w
        for w in plan.warnings
    )


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from flask_migrate import upgrade\n\nupgrade()\n", (3, "migrations", "head")),
        (
            'import flask_migrate\nflask_migrate.upgrade(directory="db/versions")\n',
            (2, "db/versions", "head"),
        ),
        (
            'from flask_migrate import upgrade as migrate\nmigrate("alembic", "ae10")\n',
            (2, "alembic", "ae10"),
        ),
        ("from flask_migrate import upgrade\nupgrade(directory=folder())\n", None),  # computed folder
        ("from flask_migrate import downgrade\ndowngrade()\n", None),
        ("def upgrade():\n    pass\n\nupgrade()\n", None),  # not Flask-Migrate's
        ("import flask_migrate as fm\nfm.upgrade()\n", (2, "migrations", "head")),
        ("import flask_migrate as fm\nflask_migrate.upgrade()\n", None),  # the name fm is bound, not this
    ],
)
def test_flask_migrates_upgrade_through_the_api_is_found(
    source: str, found: tuple[int, str, str] | None
) -> None:
    assert flask_migrate_upgrade(source) == found


FLASK_APP = """from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    Migrate(app, db)

    @app.route("/")
    def index():
        return "ok"

    return app
"""
FLASK_LAUNCHER = """from flask_migrate import upgrade

from ledger import create_app

app = create_app()

if __name__ == "__main__":
    with app.app_context():
        upgrade()
    app.run(host="0.0.0.0", port=5000, debug=True)
"""


def _flask_project(tmp_path: Path, launcher: str = FLASK_LAUNCHER) -> Path:
    root = tmp_path / "ledger-app"
    (root / "ledger").mkdir(parents=True)
    (root / "ledger" / "__init__.py").write_text(FLASK_APP, encoding="utf-8")
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text("from alembic import context\n", encoding="utf-8")
    (root / "run.py").write_text(launcher, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        PYPROJECT.replace(
            '"fastapi==0.115.0", "uvicorn==0.30.0", "alembic==1.13.2"',
            '"flask==3.0.3", "flask-sqlalchemy==3.1.1", "flask-migrate==4.0.7", "gunicorn==22.0.0"',
        ),
        encoding="utf-8",
    )
    (root / "Dockerfile").write_text('FROM python:3.12-slim\nCOPY . .\nCMD ["python", "run.py"]\n')
    return root


def test_a_launchers_flask_migrate_upgrade_runs_before_the_production_server(tmp_path: Path) -> None:
    plan = api.plan(_flask_project(tmp_path), syntax_directive=False)
    assert plan.cmd[:2] == ("/bin/sh", "-c")
    migrate, _, serve = plan.cmd[2].partition(" && exec ")
    # Flask's command line is given the app the production server serves (run.py's module-level app)
    assert migrate == "flask --app run:app db upgrade"
    assert serve.startswith("gunicorn") and serve.endswith(" run:app")
    start = next(d for d in plan.decisions if d.topic == "start")
    assert "run.py:9" in start.reason and "through Flask-Migrate" in start.reason
    assert plan.app_install == "source"  # migrations/ is read from the work directory


def test_without_flask_migrates_upgrade_the_server_starts_alone(tmp_path: Path) -> None:
    launcher = FLASK_LAUNCHER.replace("    with app.app_context():\n        upgrade()\n", "")
    plan = api.plan(_flask_project(tmp_path, launcher), syntax_directive=False)
    assert plan.cmd[0] == "gunicorn"


def test_a_launcher_that_migrates_at_import_and_is_served_is_left_as_it_is(tmp_path: Path) -> None:
    # `gunicorn run:app` imports run.py, whose module-level upgrade() already runs before it serves
    launcher = FLASK_LAUNCHER.replace(
        'if __name__ == "__main__":\n    with app.app_context():\n        upgrade()\n',
        'with app.app_context():\n    upgrade()\n\nif __name__ == "__main__":\n',
    )
    plan = api.plan(_flask_project(tmp_path, launcher), syntax_directive=False)
    assert plan.cmd[0] == "gunicorn" and plan.cmd[-1] == "run:app"


def test_flask_is_given_the_served_app_not_the_gunicorn_config_module(tmp_path: Path) -> None:
    # `-c python:ledger.conf` names gunicorn's config module: `flask --app python:ledger.conf` stops
    # the migration, and the `&&` after it keeps the server from starting
    root = _flask_project(tmp_path)
    (root / "Dockerfile").unlink()
    (root / "ledger" / "conf.py").write_text("workers = 2\n", encoding="utf-8")
    (root / "Procfile").write_text("web: gunicorn -c python:ledger.conf run:app\n", encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    migrate, _, serve = plan.cmd[2].partition(" && exec ")
    assert migrate == "flask --app run:app db upgrade"
    assert serve == "gunicorn -c python:ledger.conf run:app"


@pytest.mark.parametrize(
    "line",
    [
        "flask --app run:app db upgrade --directory db/versions",
        "flask --app run:app db upgrade --directory=db/versions",
        "flask db upgrade -d db/versions",
    ],
)
def test_the_migrations_folder_flask_db_upgrade_names_keeps_the_app_on_its_tree(
    tmp_path: Path, line: str
) -> None:
    from dockwright.project.launcher_migrations import migrations_outside_wheel
    from dockwright.project.tree import ProjectTree

    (tmp_path / "db" / "versions").mkdir(parents=True)
    found = migrations_outside_wheel(
        ProjectTree(tmp_path), ("/bin/sh", "-c", f"{line} && exec gunicorn run:app")
    )
    assert found is not None and found.file == "db/versions"
