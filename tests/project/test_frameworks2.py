"""Shiny (core and Express), Solara, Robyn and BlackSheep apps: each started the way its framework
documents for a server, on every interface (our own small examples after the frameworks' patterns)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import StartUnknown
from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SHINY_CORE = (
    "from shiny import App, render, ui\n"
    "\n"
    "app_ui = ui.page_fluid(ui.input_slider('n', 'N', 1, 50, 10), ui.output_text('double'))\n"
    "\n"
    "\n"
    "def server(input, output, session):\n"
    "    @render.text\n"
    "    def double():\n"
    "        return str(input.n() * 2)\n"
    "\n"
    "\n"
    "app = App(app_ui, server)\n"
)

SHINY_EXPRESS = (
    "from shiny import render\n"
    "from shiny.express import input, ui\n"
    "\n"
    "ui.input_slider('count', 'Count', 1, 20, 5)\n"
    "\n"
    "\n"
    "@render.text\n"
    "def twice():\n"
    "    return str(input.count() * 2)\n"
)

SOLARA = (
    "import solara\n"
    "\n"
    "clicks = solara.reactive(0)\n"
    "\n"
    "\n"
    "@solara.component\n"
    "def Page():\n"
    "    solara.Button(f'{clicks.value}', on_click=lambda: clicks.set(clicks.value + 1))\n"
)

ROBYN = (
    "import os\n"
    "\n"
    "from robyn import Robyn\n"
    "\n"
    "app = Robyn(__file__)\n"
    "\n"
    "\n"
    "@app.get('/health')\n"
    "def health():\n"
    "    return 'ok'\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    app.start(host='127.0.0.1', port=int(os.getenv('NOTES_PORT', '8090')))\n"
)

BLACKSHEEP = (
    "from blacksheep import Application, get, json\n"
    "\n"
    "app = Application()\n"
    "\n"
    "\n"
    "@get('/health')\n"
    "async def health():\n"
    "    return json({'ok': True})\n"
)


def test_shiny_core_app_object_is_served_by_an_asgi_server(make_project: MakeProject) -> None:
    root = make_project({"dash/app.py": SHINY_CORE, "requirements.txt": "shiny\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"shiny", "uvicorn"}))
    assert app.kind.value == "web"
    assert app.framework.value == "shiny"
    assert app.command.value[:2] == ("uvicorn", "--app-dir") or app.command.value[0] == "uvicorn"
    assert "app:app" in " ".join(app.command.value)
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("dash/app.py", 12)
    assert app.port.value == 8000


def test_shiny_express_app_runs_with_shiny_run_on_all_interfaces(make_project: MakeProject) -> None:
    root = make_project({"app.py": SHINY_EXPRESS, "requirements.txt": "shiny\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"shiny"}))
    assert app.framework.value == "shiny-express"
    assert app.command.value == ("shiny", "run", "app.py", "--host", "0.0.0.0", "--port", "8000")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("app.py", 2)


def test_shiny_run_launch_line_names_the_express_file_and_port(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "ui/app.py": SHINY_EXPRESS,
        "ui/other.py": SHINY_EXPRESS,
        "run.sh": "#!/bin/sh\nshiny run --port 8100 ui/other.py\n",
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"shiny"}))
    assert app.command.value == ("shiny", "run", "ui/other.py", "--host", "0.0.0.0", "--port", "8100")
    assert app.port.value == 8100


def test_solara_page_module_runs_in_production_mode(make_project: MakeProject) -> None:
    root = make_project({"helpers.py": "import solara\nx = 1\n", "sol.py": SOLARA})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"solara"}))
    assert app.framework.value == "solara"
    assert app.command.value == (
        "solara", "run", "sol.py", "--host", "0.0.0.0", "--port", "8765", "--no-open",
    )  # fmt: skip
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("sol.py", 7)
    assert app.port.value == 8765
    assert app.health_path.value == "/readyz"
    env = {e.name: e.value for e in app.env}
    assert env["SOLARA_MODE"] == "production"  # 1.20's CLI has no --production flag; every release reads this


def test_solara_routes_module_counts_and_a_module_without_page_does_not(make_project: MakeProject) -> None:
    routes = "import solara\n\nroutes = [solara.Route(path='/', component=solara.Text)]\n"
    app = detect_app(ProjectTree(make_project({"site/pages.py": routes})), None, dependencies=frozenset())
    assert app.framework.value == "solara"
    assert app.command.value[:3] == ("solara", "run", "site/pages.py")
    plain = detect_app(ProjectTree(make_project({"tool.py": "import solara\nprint(solara)\n"})), None)
    assert plain.framework.value != "solara"


def test_robyn_script_is_its_own_server_with_host_and_port_from_robyn_variables(
    make_project: MakeProject,
) -> None:
    root = make_project({"notes/app.py": ROBYN, "requirements.txt": "robyn\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"robyn"}))
    assert app.kind.value == "web"
    assert app.framework.value == "robyn"
    assert app.command.value == ("python", "notes/app.py")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("notes/app.py", 14)
    assert app.port.value == 8090
    assert app.health_path.value == "/health"
    env = {e.name: e.value for e in app.env}
    assert env["ROBYN_HOST"] == "0.0.0.0"
    assert env["ROBYN_PORT"] == "8090"
    assert env["NOTES_PORT"] == "8090"


def test_robyn_start_inside_the_main_function_and_default_port(make_project: MakeProject) -> None:
    source = (
        "from robyn import Robyn\n\n\ndef main():\n    app = Robyn(__file__)\n\n"
        "    @app.get('/')\n    async def index(request):\n        return 'hi'\n\n"
        "    app.start()\n\n\nif __name__ == '__main__':\n    main()\n"
    )
    app = detect_app(
        ProjectTree(make_project({"server.py": source})), None, dependencies=frozenset({"robyn"})
    )
    assert app.framework.value == "robyn"
    assert app.command.value == ("python", "server.py")
    assert app.port.value == 8080
    assert {e.name: e.value for e in app.env}["ROBYN_PORT"] == "8080"


def test_blacksheep_application_is_served_by_uvicorn(make_project: MakeProject) -> None:
    root = make_project({"server.py": BLACKSHEEP, "requirements.txt": "blacksheep\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"blacksheep"}))
    assert app.framework.value == "blacksheep"
    assert app.command.value == ("uvicorn", "server:app", "--host", "0.0.0.0", "--port", "8000")
    assert app.health_path.value == "/health"
    assert "uvicorn" in app.adds.value


def test_blacksheep_one_x_import_path_counts(make_project: MakeProject) -> None:
    source = "from blacksheep.server import Application\n\napp = Application()\n"
    app = detect_app(
        ProjectTree(make_project({"api.py": source})), None, dependencies=frozenset({"blacksheep"})
    )
    assert app.framework.value == "blacksheep"
    assert "api:app" in app.command.value


def test_solara_pages_folder_is_served_whole(make_project: MakeProject) -> None:
    page = "import solara\n\n\n@solara.component\ndef Page():\n    solara.Text('{}')\n"
    files: dict[str, str | bytes] = {
        "pages/00_home.py": page.format("home"),
        "pages/01_map.py": page.format("map"),
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"solara"}))
    assert app.command.value[:3] == ("solara", "run", "pages")


def test_solara_run_launch_line_names_the_file(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "sol.py": SOLARA,
        "other.py": SOLARA,
        "Procfile": "web: solara run other.py --port 9000\n",
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"solara"}))
    assert app.command.value == ("solara", "run", "other.py", "--port", "9000")
    assert app.port.value == 9000
    assert {e.name: e.value for e in app.env}["SOLARA_HOST"] == "0.0.0.0"  # the CLI's default is localhost


def test_robyn_stop_behaviour_is_noted(make_project: MakeProject) -> None:
    found: list[str] = []
    detect_app(
        ProjectTree(make_project({"app.py": ROBYN})), None, dependencies=frozenset({"robyn"}), notes=found
    )
    assert any("Robyn finishes the requests in flight" in n for n in found)


def test_reflex_app_is_refused_with_the_reason_not_run_as_a_script(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "rxconfig.py": "import reflex as rx\n\nconfig = rx.Config(app_name='notes')\n",
        "notes/__init__.py": "",
        "notes/notes.py": "import reflex as rx\n\napp = rx.App()\n",
    }
    with pytest.raises(StartUnknown, match=r"Reflex app \(rxconfig.py:1\).*Node"):
        detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"reflex"}))
    started = detect_app(ProjectTree(make_project(files)), None, start="reflex run --env prod")
    assert started.command.value[:2] == ("reflex", "run")


def test_repository_shiny_run_without_host_gets_the_host_flag(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "app.py": SHINY_EXPRESS,
        "Procfile": "web: shiny run app.py --port 9000\n",
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"shiny"}))
    assert app.command.value == ("shiny", "run", "app.py", "--port", "9000", "--host", "0.0.0.0")
    assert app.port.value == 9000
