"""A console script whose function serves HTTP in-process (``uvicorn.run``, ``app.run(port=...)``) is the
web process: its port from the call or the option that fills it, its host option given 0.0.0.0, a literal
loopback host said in a note (project/script_server.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = (
    '[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["click", "uvicorn", "starlette"]\n\n[project.scripts]\nsvc = "svc.server:main"\n\n'
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
)
CLICK = """\
import click
import uvicorn
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware


@click.command()
@click.option("--port", default=3000, help="Port to listen on")
def main(port: int) -> None:
    app = CORSMiddleware(Starlette(debug=False), allow_origins=["*"])
    uvicorn.run(app, host="127.0.0.1", port=port)
"""
ARGPARSE = """\
import argparse

from svc.web import make_app


def serve(args):
    make_app().run(host=args.host, port=args.port)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5050)
    serve(parser.parse_args())
"""


def _project(make_project: MakeProject, server: str) -> Path:
    return make_project(
        {
            "pyproject.toml": PYPROJECT,
            "src/svc/__init__.py": "",
            "src/svc/server.py": server,
            "src/svc/web.py": "def make_app():\n    return None\n",
        }
    )


def test_a_click_script_running_uvicorn_is_the_web_process(make_project: MakeProject) -> None:
    app = detect_project(_project(make_project, CLICK), python="3.12").app
    assert (app.kind.value, app.command.value, app.port.value) == ("web", ("svc",), 3000)
    assert any(e.detail == "--port defaults to 3000" for e in app.port.evidence)
    facts = detect_project(_project(make_project, CLICK), python="3.12")
    assert any("binds 127.0.0.1, a loopback address" in n for n in facts.notes)


def test_a_host_option_is_given_every_interface(make_project: MakeProject) -> None:
    app = detect_project(_project(make_project, ARGPARSE), python="3.12").app
    assert app.kind.value == "web"
    assert app.command.value == ("svc", "--host", "0.0.0.0")
    assert app.port.value == 5050


def test_a_script_that_serves_nothing_stays_a_cli(make_project: MakeProject) -> None:
    plain = "import click\n\n\n@click.command()\ndef main():\n    click.echo('hi')\n"
    app = detect_project(_project(make_project, plain), python="3.12").app
    assert (app.kind.value, app.port.value) == ("cli", None)


def test_a_cli_whose_serve_is_a_subcommand_stays_a_cli(make_project: MakeProject) -> None:
    subcommands = """\
import argparse

from svc.web import make_app


def serve(args):
    make_app().run(host=args.host, port=args.port)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="cmd")
    served = commands.add_parser("serve")
    served.add_argument("--host", default="127.0.0.1")
    served.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if args.cmd == "serve":
        serve(args)
"""
    app = detect_project(_project(make_project, subcommands), python="3.12").app
    assert (app.kind.value, app.command.value) == ("cli", ("svc",))
