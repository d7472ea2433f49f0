"""A repository's gunicorn.conf.py, which gunicorn loads from the image's working directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.gunicorn_config import config_notes
from dockwright.project.plan_files import PlanFiles
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# the shape of a real repository's file: settings per environment, daemonised with log files in
# production, an error when the variable is unset
CONFIG = """import os
ENV = os.environ.get("DEPLOY_ENV")
wsgi_app = "wsgi:app"
if ENV == "development":
    reload = True
elif ENV == "production":
    daemon = True
    accesslog = "/var/log/site/access.log"
    errorlog = "-"
else:
    raise ValueError("unknown environment")
"""


def test_daemon_log_paths_and_a_raise_are_reported_with_their_lines(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project({"gunicorn.conf.py": CONFIG, "wsgi.py": ""}))
    notes = config_notes(PlanFiles(tree), ("gunicorn", "--bind", "0.0.0.0:8000", "wsgi:app"))
    assert [n.split(":", 2)[1].split(" ")[0] for n in notes] == ["7", "8", "11"]
    assert "daemon = True" in notes[0] and "the container stops" in notes[0]
    assert "'/var/log/site/access.log'" in notes[1] and "errorlog" not in " ".join(notes)
    assert "raises" in notes[2] and "it reads DEPLOY_ENV" in notes[2]
    assert "if at line 6" in notes[0]


def test_only_gunicorn_without_its_own_config_flag_loads_the_file(make_project: MakeProject) -> None:
    tree = ProjectTree(make_project({"gunicorn.conf.py": CONFIG}))
    assert config_notes(PlanFiles(tree), ("uvicorn", "app:app")) == []
    assert config_notes(PlanFiles(tree), ("gunicorn", "-c", "deploy/gunicorn.py", "app:app")) == []
    assert config_notes(PlanFiles(tree), ("/venv/bin/gunicorn", "app:app"))  # a path still names gunicorn


def test_a_container_friendly_config_says_nothing(make_project: MakeProject) -> None:
    quiet = 'wsgi_app = "site.wsgi:application"\nworkers = 4\naccesslog = "-"\nerrorlog = "/tmp/err.log"\n'
    tree = ProjectTree(make_project({"gunicorn.conf.py": quiet}))
    assert config_notes(PlanFiles(tree), ("gunicorn", "site.wsgi:application")) == []


def test_plan_notes_name_the_file_for_a_source_app_only(make_project: MakeProject) -> None:
    from dockwright.project.detect import detect_project

    flask = "from flask import Flask\napp = Flask(__name__)\n"
    files: dict[str, str | bytes] = {
        "wsgi.py": flask,
        "gunicorn.conf.py": "daemon = True\n",
        "requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n",
    }
    notes = detect_project(make_project(files)).notes
    assert any(n.startswith("gunicorn.conf.py:1: daemon = True") for n in notes), notes
    # a wheel app runs from site-packages: the image's working directory holds no gunicorn.conf.py
    package = {
        "pyproject.toml": '[project]\nname = "shop"\nversion = "1"\ndependencies = ["flask", "gunicorn"]\n'
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
        "shop/__init__.py": flask,
        "gunicorn.conf.py": "daemon = True\n",
        "requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n",
    }
    notes = detect_project(make_project(package)).notes
    assert not any(n.startswith("gunicorn.conf.py") for n in notes), notes
