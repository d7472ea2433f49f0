"""An entry script whose server line takes the caller's arguments (``exec gunicorn "$@"``) names no
start of its own; and a factory returning a tuple (``return site, sockets``) is served through the
module that unpacks it, never bare (gunicorn would get the tuple)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import StartUnknown
from dockwright.project.apps import detect_app
from dockwright.project.detectors.entry_script import exec_line
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

FACTORY = (
    "from flask import Flask\n\n\n"
    "class Hub:\n    pass\n\n\n"
    "def build_site(options=None):\n"
    "    site = Flask(__name__)\n"
    "    hub = Hub()\n"
    "    return site, hub\n"
)
WSGI = "from ledger import build_site\n\nsite, hub = build_site([])\n"
START = (
    "#!/bin/sh\nset -e\nflask --app wsgi:site db upgrade\n"
    'case "$1" in\n  gunicorn) shift; exec gunicorn "$@" ;;\nesac\nexec "$@"\n'
)


def app_of(root: Path, notes: list[str]) -> AppFacts:
    deps = frozenset({"flask", "gunicorn"})
    return detect_app(ProjectTree(root), None, dependencies=deps, notes=notes)


def test_exec_line_with_forwarded_arguments_is_not_a_start() -> None:
    assert exec_line('#!/bin/sh\nexec gunicorn "$@"\n') is None
    assert exec_line("#!/bin/sh\nexec uvicorn ${@}\n") is None
    assert exec_line("#!/bin/sh\nexec gunicorn $*\n") is None
    assert exec_line("#!/bin/sh\nexec gunicorn -b :9000 wsgi:site\n") == (
        2,
        ("gunicorn", "-b", ":9000", "wsgi:site"),
    )


def test_the_wrapping_script_gets_the_server_command(make_project: MakeProject) -> None:
    root = make_project({"ledger/__init__.py": FACTORY, "wsgi.py": WSGI, "entrypoint.sh": START})
    notes: list[str] = []
    app = app_of(root, notes)
    command = app.command.value
    assert command[:3] == ("sh", "entrypoint.sh", "gunicorn"), command
    assert command[-1] == "wsgi:site"


def test_tuple_factory_is_served_from_the_unpacking_module(make_project: MakeProject) -> None:
    root = make_project({"ledger/__init__.py": FACTORY, "wsgi.py": WSGI})
    app = app_of(root, [])
    assert app.command.value[0] == "gunicorn" and app.command.value[-1] == "wsgi:site"
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("wsgi.py", 3)


def test_tuple_factory_alone_is_not_served_bare(make_project: MakeProject) -> None:
    root = make_project({"ledger/__init__.py": FACTORY})
    with pytest.raises(StartUnknown):  # no start rather than one whose server gets a tuple
        app_of(root, [])


def test_the_app_position_in_the_tuple_counts(make_project: MakeProject) -> None:
    swapped = FACTORY.replace("return site, hub", "return hub, site")
    root = make_project(
        {
            "ledger/__init__.py": swapped,
            "wsgi.py": "from ledger import build_site\n\nhub, web = build_site()\n",
        }
    )
    app = app_of(root, [])
    assert app.command.value[-1] == "wsgi:web"
