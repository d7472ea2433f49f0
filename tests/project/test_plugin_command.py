"""A command the project adds to a dependency's program (detectors/plugin_command.py): ``celery NAME``
is the start, not ``python -m pkg`` (whose ``__main__`` only runs the program's command line), on the
port its options or README say. The projects are our own small examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SETUP = """from setuptools import setup

setup(
    name="monitor",
    version="1.0",
    packages=["monitor"],
    install_requires=["celery", "tornado"],
    entry_points={
        "celery.commands": [
            "monitor = monitor.command:monitor",
        ],
    },
)
"""
MAIN = (
    "import sys\n\nfrom celery.bin.celery import celery, main\n\nfrom monitor.command import monitor\n\n"
    "celery.add_command(monitor)\nsys.exit(main())\n"
)
COMMAND = (
    "import click\n\n\n@click.command()\ndef monitor():\n    from monitor.web import serve\n\n    serve()\n"
)
OPTIONS = "from tornado.options import define\n\ndefine('port', default=5566, type=int)\n"
WEB = (
    "from tornado import web\n\n\nclass Health(web.RequestHandler):\n    def get(self):\n        self.write('ok')\n\n\n"
    "handlers = [(r'/healthz', Health)]\n\n\ndef serve():\n    web.Application(handlers).listen(5566)\n"
)


def _project(make_project: MakeProject, **files: str) -> Path:
    base: dict[str, str | bytes] = {
        "setup.py": SETUP,
        "monitor/__init__.py": "",
        "monitor/__main__.py": MAIN,
        "monitor/command.py": COMMAND,
        "monitor/web.py": WEB,
    }
    return make_project({**base, **files})


def test_the_program_s_command_on_the_option_default_port(make_project: MakeProject) -> None:
    app = detect_project(_project(make_project, **{"monitor/options.py": OPTIONS}), python="3.13").app
    assert app.command.value == ("celery", "monitor")
    assert (app.kind.value, app.port.value) == ("web", 5566)
    assert app.command.evidence[0].detail == "entry point celery.commands: monitor = monitor.command:monitor"
    assert (app.port.evidence[0].file, app.port.evidence[0].line) == ("monitor/options.py", 3)


def test_the_readme_s_docker_run_port(make_project: MakeProject) -> None:
    readme = "# monitor\n\nRun it:\n\n    docker run -p 8099:5577 monitor celery monitor\n"
    app = detect_project(_project(make_project, **{"README.md": readme}), python="3.13").app
    assert app.command.value == ("celery", "monitor") and app.port.value == 5577
    assert (app.port.evidence[0].file, app.port.evidence[0].line) == ("README.md", 5)


def test_without_a_port_anywhere_the_plan_says_so(make_project: MakeProject) -> None:
    facts = detect_project(_project(make_project), python="3.13")
    assert facts.app.command.value == ("celery", "monitor")
    assert any("nothing in the repository says its port" in n and "--port" in n for n in facts.notes)


def test_without_the_program_among_the_dependencies_nothing(make_project: MakeProject) -> None:
    setup = SETUP.replace('"celery", ', "")
    app = detect_project(_project(make_project, **{"setup.py": setup}), python="3.13").app
    assert app.command.value[:1] != ("celery",)
