"""The script the repository's own image runs is one server line without ``exec`` (``panel serve views
reports --port 5006 ...``): a server that listens on every interface unless told (Bokeh and Panel, on
Tornado) is started as that line, with its apps and options, not the framework's one-file start; a
variable in it is expanded by the image's shell (detectors/entry_script.py, data/servers.toml
``all_interfaces``). Examples of our own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

VIEW = "import panel as pn\n\npn.panel('{name}').servable()\n"
RECIPE = (
    "FROM python:3.12\nWORKDIR /app\nCOPY views ./views\nCOPY reports ./reports\nRUN pip install panel\n"
    'COPY serve.sh /opt/\nEXPOSE 5006\nCMD ["/opt/serve.sh"]\n'
)


def _files(line: str) -> dict[str, str | bytes]:
    return {
        "requirements.txt": "panel\n",
        "views/main.py": VIEW.format(name="views"),
        "reports/main.py": VIEW.format(name="reports"),
        "serve.sh": f"#!/bin/bash -e\nset -x\n\n{line}\n\n#EOF\n",
        "Dockerfile": RECIPE,
    }


def test_the_image_s_server_line_serves_every_app_it_names(make_project: MakeProject) -> None:
    line = 'panel serve views reports \\\n    --port 5006 \\\n    --allow-websocket-origin "*" --use-xheaders'
    app = detect_project(make_project(_files(line)), python="3.12").app
    assert app.command.value == (
        "panel", "serve", "views", "reports", "--port", "5006", "--allow-websocket-origin", "*", "--use-xheaders",
    )  # fmt: skip
    assert (app.kind.value, app.port.value) == ("web", 5006)
    assert app.command.evidence[0].file == "serve.sh"


def test_a_variable_in_the_line_is_the_shell_s(make_project: MakeProject) -> None:
    line = 'panel serve views reports --port 5006 --prefix "$APP_PREFIX"'
    app = detect_project(make_project(_files(line)), python="3.12").app
    assert app.command.value[:2] == ("bash", "-c")
    assert app.command.value[2] == 'exec panel serve views reports --port 5006 --prefix "$APP_PREFIX"'


def test_a_server_that_binds_loopback_unless_told_is_left_to_the_framework(make_project: MakeProject) -> None:
    files = _files("uvicorn reports.main:app --port 5006")
    files["requirements.txt"] = "panel\nuvicorn\n"
    app = detect_project(make_project(files), python="3.12").app
    assert app.command.evidence[0].file != "serve.sh"
