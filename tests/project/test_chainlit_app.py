"""A Chainlit script (``@cl.on_message`` handlers) is a web app its own program serves: ``chainlit run``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own example after the pattern: handlers registered with decorators, no app object, no run()
DESK = (
    "import chainlit as cl\n"
    "\n"
    "\n"
    "@cl.on_chat_start\n"
    "async def start() -> None:\n"
    "    await cl.Message(content='Ask about the inventory').send()\n"
    "\n"
    "\n"
    "@cl.on_message\n"
    "async def reply(message: cl.Message) -> None:\n"
    "    await cl.Message(content=message.content.upper()).send()\n"
)


def test_a_script_importing_chainlit_is_run_by_chainlit(make_project: MakeProject) -> None:
    """Before: ``python desk.py`` (the only top-level script), which registers its handlers and exits."""
    root = make_project({"desk.py": DESK, "helpers.py": "X = 1\n", "requirements.txt": "chainlit\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"chainlit"}))
    assert app.kind.value == "web"
    assert app.framework.value == "chainlit"
    assert app.command.value == (
        "chainlit", "run", "desk.py", "--host", "0.0.0.0", "--port", "8000", "--headless"
    )  # fmt: skip
    assert app.port.value == 8000
    # chainlit makes .files/ at import and .chainlit/ (config, translations) at start in its working
    # directory, the root-owned app directory: both are the app user's
    assert {f.value for f in app.writable} >= {".files", ".chainlit"}


def test_the_launch_line_names_the_file_and_its_port(make_project: MakeProject) -> None:
    root = make_project(
        {
            "ui/desk.py": DESK,
            "ui/other.py": "import chainlit as cl\n",
            "Makefile": "run:\n\tchainlit run ui/desk.py --port 7861 -h\n",
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"chainlit"}))
    assert app.command.value[:3] == ("chainlit", "run", "ui/desk.py")
    assert app.port.value == 7861
    assert app.command.evidence[0].file == "Makefile"


def test_a_module_using_chainlit_only_as_a_library_helper_is_not_the_app(make_project: MakeProject) -> None:
    """A FastAPI app mounting Chainlit (``mount_chainlit``) is served by the FastAPI start."""
    api = (
        "from fastapi import FastAPI\nfrom chainlit.utils import mount_chainlit\n\napp = FastAPI()\n"
        "mount_chainlit(app=app, target='desk.py', path='/chat')\n"
    )
    root = make_project({"main.py": api, "desk.py": DESK})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"chainlit", "fastapi"}))
    assert app.framework.value == "fastapi"


def test_chainlit_md_is_made_the_app_users_only_when_the_project_lacks_it(make_project: MakeProject) -> None:
    """``chainlit run`` writes chainlit.md (the welcome page) into its working directory when it is
    missing: in a root-owned app directory that is a ``PermissionError`` at start."""
    root = make_project({"desk.py": DESK})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"chainlit"}))
    assert [f.value for f in app.writable_files] == ["chainlit.md"]
    (root / "chainlit.md").write_text("# Desk\n")
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"chainlit"}))
    assert app.writable_files == ()


OWN_IMAGE = (
    "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nEXPOSE 7000\n"
    'CMD ["chainlit", "run", "/srv/desk.py", "--host", "0.0.0.0", "--port", "7000"]\n'
)


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"Dockerfile": OWN_IMAGE}, ("Dockerfile", 5)),
        (
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . .\nCMD chainlit run desk.py --port=7000\n"},
            ("Dockerfile", 3),
        ),
        (
            {
                "compose.yaml": "services:\n  web:\n    build: .\n    command: chainlit run desk.py --port 7000\n"
            },
            ("compose.yaml", 2),
        ),
    ],
)
def test_the_repository_s_own_start_with_its_port_flag_gives_the_port(
    make_project: MakeProject, files: dict[str, str | bytes], where: tuple[str, int]
) -> None:
    """Before: the own image's ``chainlit run desk.py --port 7000`` was not read (port 8000, the
    default), and compose's was dropped: chainlit was no program the start may name."""
    root = make_project({"desk.py": DESK, "requirements.txt": "chainlit\n", **files})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"chainlit"}))
    assert app.command.value[:3] == ("chainlit", "run", "desk.py")
    assert (
        "--port" in app.command.value and app.command.value[app.command.value.index("--port") + 1] == "7000"
    )
    assert app.port.value == 7000
    assert (app.port.evidence[0].file, app.port.evidence[0].line) == where
