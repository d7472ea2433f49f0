"""A start that runs the ``flask`` command without ``--app`` gets ``FLASK_APP`` set to the target the server
runs, when flask's own discovery (wsgi.py, app.py) would not find it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.flask_cli_env import flask_app_env
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SITE = "from flask import Flask\n\nshop = Flask(__name__)\n"
PREPARE = '#!/bin/sh\nset -e\nflask db upgrade\nexec "$@"\n'
COMPOSE = "services:\n  web:\n    build: .\n    command: gunicorn storefront:shop\n"


def app_of(root: Path) -> AppFacts:
    deps = frozenset({"flask", "gunicorn", "flask-migrate"})
    return detect_app(ProjectTree(root), None, dependencies=deps, notes=[])


def _env(app: AppFacts) -> dict[str, str]:
    return {e.name: e.value for e in app.env}


def test_the_entry_scripts_flask_call_gets_the_served_target(make_project: MakeProject) -> None:
    root = make_project({"storefront.py": SITE, "docker-entrypoint.sh": PREPARE, "compose.yaml": COMPOSE})
    app = app_of(root)
    assert app.command.value[:2] == ("sh", "docker-entrypoint.sh")
    assert _env(app)["FLASK_APP"] == "storefront:shop"
    why = next(e.why for e in app.env if e.name == "FLASK_APP")
    assert why.startswith("docker-entrypoint.sh:3 runs `flask db upgrade` without --app")


def test_no_flask_app_when_the_project_names_it(make_project: MakeProject) -> None:
    named = PREPARE.replace("flask db upgrade", "flask --app storefront:shop db upgrade")
    root = make_project({"storefront.py": SITE, "docker-entrypoint.sh": named, "compose.yaml": COMPOSE})
    assert "FLASK_APP" not in _env(app_of(root))
    root = make_project(
        {
            "storefront.py": SITE,
            "docker-entrypoint.sh": PREPARE,
            "compose.yaml": COMPOSE,
            ".flaskenv": "FLASK_APP=storefront:shop\n",
        }
    )
    assert "FLASK_APP" not in _env(app_of(root))


def test_discovered_targets_and_factories(make_project: MakeProject) -> None:
    root = make_project({"run.sh": 'if ! flask db upgrade; then exit 1; fi\nexec "$@"\n'})
    tree = ProjectTree(root)
    command = ("sh", "run.sh", "gunicorn", "x")
    assert flask_app_env(tree, command, "flask", "wsgi:app", False) is None  # flask finds it itself
    assert flask_app_env(tree, command, "fastapi", "main:app", False) is None
    found = flask_app_env(tree, command, "flask", "shop:build", True)
    assert found is not None and found[1] == "shop:build()"
    assert found[2].startswith("run.sh:1 ")
    shell = ("/bin/sh", "-c", "flask seed && exec gunicorn shop:app")
    found = flask_app_env(tree, shell, "flask", "shop:app", False)
    assert found is not None and found[2].startswith("the start command runs `flask seed`")
