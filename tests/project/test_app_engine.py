"""Google App Engine's app.yaml: the entrypoint of a Python runtime is the web start (on the $PORT the
platform sets, 8080), and ``runtime: python3XX`` is the Python asked for."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.python_version import app_engine_python
from dockwright.project.tree import ProjectTree

SHOP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "ok"\n'


def _tree(tmp_path: Path, app_yaml: str) -> ProjectTree:
    (tmp_path / "shop.py").write_text(SHOP, encoding="utf-8")
    (tmp_path / "app.yaml").write_text(app_yaml, encoding="utf-8")
    return ProjectTree(tmp_path)


def test_the_entrypoint_is_the_web_start_on_port_8080(tmp_path: Path) -> None:
    tree = _tree(tmp_path, "runtime: python312\nentrypoint: gunicorn -b :$PORT --threads 4 shop:app\n")
    app = detect_app(tree, None, dependencies=frozenset({"flask", "gunicorn"}))
    assert app.command.value == ("/bin/sh", "-c", "exec gunicorn -b :$PORT --threads 4 shop:app")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("app.yaml", 2)
    assert app.port.value == 8080
    assert {e.name: e.value for e in app.env}["PORT"] == "8080"


def test_an_entrypoint_with_its_own_port_and_other_runtimes(tmp_path: Path) -> None:
    tree = _tree(tmp_path, "runtime: python\nenv: flex\nentrypoint: gunicorn --bind 0.0.0.0:9000 shop:app\n")
    app = detect_app(tree, None, dependencies=frozenset({"flask", "gunicorn"}))
    assert app.command.value[:2] == ("gunicorn", "--bind") and app.port.value == 9000
    assert app.command.evidence[0].file == "app.yaml"
    # a Go or Node service's app.yaml is not this app's start
    (tmp_path / "app.yaml").write_text("runtime: go122\nentrypoint: ./server\n", encoding="utf-8")
    app = detect_app(ProjectTree(tmp_path), None, dependencies=frozenset({"flask", "gunicorn"}))
    assert app.command.evidence[0].file == "shop.py"


def test_the_runtime_names_the_python(tmp_path: Path) -> None:
    found = app_engine_python(_tree(tmp_path, "# App Engine\nruntime: python311\n"))
    assert found is not None and found[0] == "3.11"
    assert (found[1].file, found[1].line) == ("app.yaml", 2)
    assert app_engine_python(_tree(tmp_path, "runtime: python\nenv: flex\n")) is None
