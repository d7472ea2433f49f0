"""A NiceGUI script (``ui.run()``) is a web app that serves itself, on 0.0.0.0:8080 unless told."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors import nicegui_app
from dockwright.project.detectors.scan import Invocation, ModuleScan
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own example after the pattern: the app in a subfolder, a page, ui.run at module level with the
# port from the environment
BOARD = (
    "import os\n"
    "from nicegui import ui\n"
    "\n"
    "\n"
    "@ui.page('/')\n"
    "def index() -> None:\n"
    "    ui.label('Tasks')\n"
    "\n"
    "\n"
    "ui.run(port=int(os.environ.get('BOARD_PORT', '8080')), show=False, title='Board')\n"
)


def test_script_calling_ui_run_is_served_by_python(make_project: MakeProject) -> None:
    root = make_project({"web/board.py": BOARD, "requirements.txt": "nicegui\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"nicegui"}))
    assert app.kind.value == "web"
    assert app.framework.value == "nicegui"
    assert app.command.value == ("python", "web/board.py")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("web/board.py", 10)
    assert app.port.value == 8080
    assert app.adds.value == ()


def test_literal_port_host_and_the_reload_default_are_reported(make_project: MakeProject) -> None:
    source = (
        "from nicegui import ui\n\nui.label('hi')\n\n"
        "if __name__ in {'__main__', '__mp_main__'}:\n"
        "    ui.run(host='127.0.0.1', port=9010)\n"
    )
    root = make_project({"panel_app/__init__.py": "", "panel_app/main.py": source})
    found: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"nicegui"}), notes=found)
    assert app.command.value == ("python", "-m", "panel_app.main")
    assert app.port.value == 9010
    notes = " ".join(found)
    assert "ui.run(host='127.0.0.1') listens only there" in notes
    assert "reload left at its default, True" in notes


def test_reload_false_is_not_reported_and_run_with_is_not_a_script(make_project: MakeProject) -> None:
    quiet = "from nicegui import ui\nui.label('x')\nui.run(reload=False)\n"
    root = make_project({"quiet.py": quiet})
    found: list[str] = []
    detect_app(ProjectTree(root), None, dependencies=frozenset({"nicegui"}), notes=found)
    assert not any("reload" in n for n in found)
    mounted = (
        "from fastapi import FastAPI\nfrom nicegui import ui\n\n"
        "api = FastAPI()\nui.label('x')\nui.run_with(api)\n"
    )
    root = make_project({"site.py": mounted})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"nicegui", "fastapi"}))
    assert app.framework.value == "fastapi"


# our own example: a page counting visits in app.storage.general (a JSON file under .nicegui/)
COUNTER = (
    "from nicegui import app, ui\n"
    "\n"
    "\n"
    "@ui.page('/')\n"
    "def index() -> None:\n"
    "    app.storage.general['visits'] = app.storage.general.get('visits', 0) + 1\n"
    "\n"
    "\n"
    "ui.run(reload=False, show=False)\n"
)


def test_the_storage_folder_in_the_working_directory_is_made_writable(make_project: MakeProject) -> None:
    root = make_project({"counter.py": COUNTER, "requirements.txt": "nicegui\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"nicegui"}))
    assert [(f.value, f.evidence[0].file, f.evidence[0].line) for f in app.writable] == [
        (".nicegui", "counter.py", 6)
    ]
    assert "NICEGUI_STORAGE_PATH unset" in app.writable[0].evidence[0].detail

    # no storage call in sight: still its folder (a page elsewhere may use it), the import as evidence
    root = make_project({"board.py": BOARD, "requirements.txt": "nicegui\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"nicegui"}))
    assert [(f.value, f.evidence[0].line) for f in app.writable] == [(".nicegui", 2)]


def test_a_storage_path_the_project_sets_is_left_to_it(make_project: MakeProject) -> None:
    moved = "import os\nos.environ['NICEGUI_STORAGE_PATH'] = '/data/sessions'\n" + COUNTER
    root = make_project({"counter.py": moved, "requirements.txt": "nicegui\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"nicegui"}))
    assert app.writable == ()


@pytest.mark.parametrize("launch", [{}, {"run.sh": "#!/bin/sh\nexec python web/board.py\n"}])
def test_each_module_s_run_call_is_looked_for_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, launch: dict[str, str | bytes]
) -> None:
    looked: Counter[str] = Counter()
    run_call = nicegui_app._run_call

    def counted(scan: ModuleScan) -> Invocation | None:
        looked[scan.rel] += 1
        return run_call(scan)

    monkeypatch.setattr(nicegui_app, "_run_call", counted)
    files = {
        "web/board.py": BOARD,
        "web/parts.py": "from nicegui import ui\n",
        "requirements.txt": "nicegui\n",
    }
    app = detect_app(
        ProjectTree(make_project({**files, **launch})), None, dependencies=frozenset({"nicegui"})
    )
    assert app.command.value == ("python", "web/board.py")
    assert looked["web/board.py"] == 1 and max(looked.values()) == 1
