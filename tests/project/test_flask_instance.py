"""A Flask app that keeps files in its instance folder (``instance_relative_config=True``,
``app.instance_path``) gets that folder made, owned by the app user: ``instance/`` beside the package
when the app runs from its source, the venv's ``var/<package>-instance`` when it is installed as a
wheel (where Flask looks for an installed package)."""

from __future__ import annotations

from pathlib import Path

from dockwright.initialize import plan_project
from dockwright.plan.model import BuildPlan

FACTORY = """import os

from flask import Flask


def create_app():
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(NOTES_DB=os.path.join(app.instance_path, "notes.sqlite"))
    try:
        os.makedirs(app.instance_path)
    except OSError:
        pass

    @app.route("/ping")
    def ping():
        return "pong"

    return app
"""

PACKAGE = """[project]
name = "notebook"
version = "0.3.0"
dependencies = ["flask"]

[build-system]
requires = ["flit_core<4"]
build-backend = "flit_core.buildapi"
"""


def _owned(plan: BuildPlan) -> list[str]:
    decision = plan.decision("writable")
    return decision.choice.split() if decision else []


def test_an_installed_package_gets_the_venvs_instance_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PACKAGE, encoding="utf-8")
    (tmp_path / "notebook").mkdir()
    (tmp_path / "notebook" / "__init__.py").write_text(FACTORY, encoding="utf-8")
    plan = plan_project(tmp_path, env={})
    assert plan.app_install == "wheel"
    assert _owned(plan) == ["/opt/venv/var/notebook-instance"]
    run = [
        s for s in plan.runtime_steps if s.instruction == "RUN" and "notebook-instance" in " ".join(s.args)
    ]
    assert run and "chown -R 10001:10001 /opt/venv/var/notebook-instance" in run[0].args
    writes = plan.facts.app.writable
    assert str(writes[0].evidence[0]).startswith("notebook/__init__.py:7")


def test_an_app_run_from_its_source_gets_instance_beside_it(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(FACTORY + "\napp = create_app()\n", encoding="utf-8")
    plan = plan_project(tmp_path, env={})
    assert plan.app_install == "source"
    assert _owned(plan) == ["/app/instance"]


def test_a_src_layout_package_run_from_source_gets_instance_beside_the_package(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n", encoding="utf-8")
    (tmp_path / "src" / "notebook").mkdir(parents=True)
    (tmp_path / "src" / "notebook" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "notebook" / "web.py").write_text(FACTORY, encoding="utf-8")
    plan = plan_project(tmp_path, {"start": "gunicorn --chdir src 'notebook.web:create_app()'"}, env={})
    assert "/app/src/instance" in _owned(plan)


def test_an_app_without_an_instance_folder_gets_none(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n", encoding="utf-8")
    plain = FACTORY.replace(", instance_relative_config=True", "").replace("app.instance_path", '"/tmp"')
    (tmp_path / "app.py").write_text(plain + "\napp = create_app()\n", encoding="utf-8")
    assert _owned(plan_project(tmp_path, env={})) == []


def test_an_app_imported_from_its_folder_gets_instance_in_that_folder(tmp_path: Path) -> None:
    """app/app.py run as a script (its neighbours by bare name) is served from its folder (``--chdir app
    app:app``): Flask's import name is then ``app``, a module in app/, so its instance folder is
    app/instance, not instance/ at the root."""
    files = {
        "app/__init__.py": "",
        "app/app.py": (
            "import os\n\nfrom flask import Flask\n\nfrom pages.home import ping\n\n"
            "app = Flask(__name__, instance_relative_config=True)\n"
            "app.config.from_mapping(DB=os.path.join(app.instance_path, 'notes.sqlite'))\n"
            "app.add_url_rule('/ping', view_func=ping)\n"
        ),
        "app/pages/__init__.py": "",
        "app/pages/home.py": "def ping():\n    return 'pong'\n",
        "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    plan = plan_project(tmp_path, env={})
    assert plan.cmd[:3] == ("gunicorn", "--chdir", "app")
    assert _owned(plan) == ["/app/app/instance"]
