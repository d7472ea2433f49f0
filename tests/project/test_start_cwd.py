"""A start that changes directory (gunicorn's --chdir, celery's --workdir, a shell's ``cd``) moves the
files the app writes by a relative path there; uvicorn's --app-dir and granian's --working-dir do not
(they only put the folder on sys.path). Paths built from ``__file__`` never move."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.start_cwd import start_folder
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


@pytest.mark.parametrize(
    ("command", "folder"),
    [
        ("gunicorn --chdir site main:app", "site"),
        ("gunicorn --chdir=./site/ main:app", "site"),
        ("gunicorn -b 0.0.0.0:8000 --chdir site/web main:app", "site/web"),
        ("celery --workdir jobs -A tasks worker", "jobs"),
        ("uvicorn --app-dir site main:app", ""),
        ("granian --interface asgi --working-dir site main:app", ""),
        ("dramatiq tasks --path jobs", ""),
        ("gunicorn --chdir /srv/site main:app", ""),
        ("gunicorn --chdir .. main:app", ""),
        ("gunicorn main:app", ""),
        ("env -C site gunicorn main:app", "site"),
        ("env --chdir=site PORT=1 gunicorn --chdir web main:app", "site/web"),
        ("env -u DEBUG -C /srv gunicorn main:app", ""),
    ],
)
def test_the_folder_a_server_runs_in(command: str, folder: str) -> None:
    assert start_folder(tuple(command.split())) == folder


@pytest.mark.parametrize(
    ("script", "folder"),
    [
        ("cd site && exec gunicorn main:app", "site"),
        ("cd site; python migrate.py; exec gunicorn --chdir web main:app", "site/web"),
        ("cd /app && exec gunicorn main:app", ""),
        ("python migrate.py && exec gunicorn main:app", ""),
        ("cd 'my site' && exec gunicorn --name 'a;cd b' main:app", "my site"),
        ("cd site || exit 1\ncd web; exec gunicorn main:app", "site/web"),
        ("echo 'x; cd elsewhere' && exec gunicorn main:app", ""),
        ("cd site && exec env -C web A=1 gunicorn main:app", "site/web"),
        # the start's program read as servers.last_words reads it: after `exec` and assignments
        ("cd site && LANG=C exec env -C web gunicorn main:app", "site/web"),
    ],
)
def test_a_shell_start_s_cd_counts(script: str, folder: str) -> None:
    assert start_folder(("sh", "-c", script)) == folder


SITE = """import logging
import os

from flask import Flask

app = Flask(__name__)
app.logger.addHandler(logging.FileHandler("ledger.log"))
os.makedirs("uploads", exist_ok=True)
HERE = os.path.dirname(__file__)
app.logger.addHandler(logging.FileHandler(os.path.join(HERE, "beside.log")))
"""


def _plan(make_project: MakeProject, procfile: str) -> tuple[list[str], list[str]]:
    root = make_project({"site/main.py": SITE, "requirements.txt": "flask\ngunicorn\n", "Procfile": procfile})
    app = detect_app(ProjectTree(root), None)
    return sorted(f.value for f in app.writable), sorted(f.value for f in app.writable_files)


def test_relative_writes_follow_gunicorn_s_chdir(make_project: MakeProject) -> None:
    folders, files = _plan(make_project, "web: gunicorn --chdir site main:app\n")
    # the bare log name and the made folder are in site/, where the worker runs; the file built from
    # __file__ is beside the module whatever the working directory
    assert folders == ["site/uploads"]
    assert files == ["site/beside.log", "site/ledger.log"]


def test_relative_writes_stay_at_the_root_under_uvicorn_s_app_dir(make_project: MakeProject) -> None:
    folders, files = _plan(make_project, "web: uvicorn --app-dir site main:app\n")
    assert folders == ["uploads"]
    assert files == ["ledger.log", "site/beside.log"]


def test_relative_writes_follow_env_s_chdir(make_project: MakeProject) -> None:
    folders, files = _plan(make_project, "web: env -C site gunicorn main:app\n")
    assert folders == ["site/uploads"]
    assert files == ["site/beside.log", "site/ledger.log"]


LAUNCHER = """import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(os.path.join(HERE, "site"))
sys.path.insert(0, os.getcwd())

from main import app  # noqa: E402

if __name__ == "__main__":
    app.config["LAUNCHED"] = True
    app.run(host="0.0.0.0", port=5000)
"""


@pytest.mark.parametrize(
    "chdir",
    [
        'os.chdir(os.path.join(HERE, "site"))',
        'os.chdir("site")',
        'os.chdir(Path(__file__).resolve().parent / "site")',
    ],
)
def test_relative_writes_follow_a_launcher_s_os_chdir(make_project: MakeProject, chdir: str) -> None:
    launcher = LAUNCHER.replace('os.chdir(os.path.join(HERE, "site"))', chdir)
    launcher = launcher.replace("import sys\n", "import sys\nfrom pathlib import Path\n")
    root = make_project(
        {
            "site/main.py": SITE,
            "run.py": launcher,
            "requirements.txt": "flask\ngunicorn\n",
            "Procfile": "web: python run.py\n",
        }
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, notes=notes)
    assert app.command.value == ("python", "run.py")
    assert sorted(f.value for f in app.writable) == ["site/uploads"]
    assert sorted(f.value for f in app.writable_files) == ["site/beside.log", "site/ledger.log"]


def test_a_launcher_s_os_chdir_to_a_variable_folder_is_not_followed(make_project: MakeProject) -> None:
    launcher = LAUNCHER.replace('os.chdir(os.path.join(HERE, "site"))', 'os.chdir(os.environ["HOME"])')
    root = make_project(
        {
            "site/main.py": SITE,
            "run.py": launcher,
            "requirements.txt": "flask\n",
            "Procfile": "web: python run.py\n",
        }
    )
    app = detect_app(ProjectTree(root), None)
    assert sorted(f.value for f in app.writable_files) == ["ledger.log", "site/beside.log"]


@pytest.mark.parametrize(
    "chdir",
    [
        'os.chdir(os.path.join(HERE, ".."))',  # above the project: the image's / or /app's parent
        'os.chdir(os.path.join(HERE, "/srv/data"))',  # an absolute part replaces the folder
        'os.chdir(Path(__file__).parent / ".." / "elsewhere")',
    ],
)
def test_a_launcher_s_os_chdir_out_of_the_tree_is_not_followed(make_project: MakeProject, chdir: str) -> None:
    launcher = LAUNCHER.replace('os.chdir(os.path.join(HERE, "site"))', chdir)
    launcher = launcher.replace("import sys\n", "import sys\nfrom pathlib import Path\n")
    root = make_project(
        {
            "site/main.py": SITE,
            "run.py": launcher,
            "requirements.txt": "flask\n",
            "Procfile": "web: python run.py\n",
        }
    )
    app = detect_app(ProjectTree(root), None)
    written = [f.value for f in (*app.writable, *app.writable_files)]
    assert not any(w.startswith(("/", "..")) or "/../" in w for w in written), written
    assert sorted(f.value for f in app.writable_files) == ["ledger.log", "site/beside.log"]
