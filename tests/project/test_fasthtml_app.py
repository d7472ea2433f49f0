"""A FastHTML app (``app, rt = fast_app()``) is an ASGI app uvicorn serves on FastHTML's port, 5001; its
session key file is a secret that stays out of the image, and the plan says how to give the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright import api
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree
from dockwright.render.render import render_dockerfile

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own example after the pattern: a star import, the (app, route) pair, serve() for `python main.py`
NOTES = (
    "from fasthtml.common import *\n\n"
    "app, rt = fast_app()\n\n\n"
    "@rt('/')\ndef get():\n    return Titled('Notes', P('none yet'))\n\n\n"
    "serve()\n"
)


def test_the_app_of_the_pair_is_served_by_uvicorn_on_5001(make_project: MakeProject) -> None:
    root = make_project({"main.py": NOTES, "requirements.txt": "python-fasthtml\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"python-fasthtml", "uvicorn"}))
    assert (app.kind.value, app.framework.value, app.port.value) == ("web", "fasthtml", 5001)
    assert app.command.value[:2] == ("uvicorn", "main:app")


def test_the_session_key_file_stays_out_and_the_plan_says_how_to_give_it(make_project: MakeProject) -> None:
    root = make_project({"main.py": NOTES, "requirements.txt": "python-fasthtml\n", ".sesskey": "dev-key"})
    plan = api.plan(root, syntax_directive=False)
    assert DockerIgnore.parse("\n".join(e.pattern for e in plan.dockerignore)).excluded(".sesskey")
    assert any("FastHTML's fast_app() reads the key" in w for w in plan.warnings), plan.warnings
    assert ".sesskey" not in render_dockerfile(plan)  # never an empty key file made for the app user


def test_a_key_given_in_the_code_needs_no_word(make_project: MakeProject) -> None:
    given = NOTES.replace("fast_app()", "fast_app(secret_key=os.environ['NOTES_SESSION_KEY'])")
    plan = api.plan(make_project({"main.py": "import os\n" + given, "requirements.txt": "python-fasthtml\n"}))
    assert not any("FastHTML's" in w for w in plan.warnings)
