"""An entry script whose last ``exec`` runs the project's own program (``python -m pkg ...``,
``python app.py``), also through a privilege dropper (``su-exec``, ``gosu``, ``setpriv``, ``chroot
--userspec``), is followed: the start is that program, with the kind and port its detector reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.root_commands import dropped_command
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SERVER = (
    "import asyncio\n\nfrom aiohttp import web\n\n\nasync def serve():\n"
    "    runner = web.AppRunner(web.Application())\n    await runner.setup()\n"
    "    await web.TCPSite(runner, '0.0.0.0', 8095).start()\n    await asyncio.Event().wait()\n\n\n"
    "asyncio.run(serve())\n"
)
CLI = "import click\n\n\n@click.group()\ndef tools():\n    pass\n"
SETUP = (
    "from setuptools import setup\n"
    "setup(name='relay', packages=['relay'], entry_points={'console_scripts': ['relayctl = relay.cli:tools']})\n"
)


def _files(script: str) -> dict[str, str | bytes]:
    return {
        "setup.py": SETUP,
        "relay/__init__.py": "",
        "relay/__main__.py": SERVER,
        "relay/cli.py": CLI,
        "docker/run.sh": script,
    }


def test_a_dropper_is_passed_and_its_project_program_is_the_start(make_project: MakeProject) -> None:
    script = (
        "#!/bin/sh\nprepare() {\n\tmkdir -p /data\n\tchown -R $UID:$GID /data\n}\nprepare\n"
        "exec su-exec $UID:$GID python3 -m relay -c /data/relay.yaml\n"
    )
    notes: list[str] = []
    tree = ProjectTree(make_project(_files(script)))
    app = detect_app(tree, None, dependencies=frozenset({"aiohttp", "click"}), notes=notes)
    assert app.kind.value == "web"
    assert app.command.value == ("python3", "-m", "relay", "-c", "/data/relay.yaml")
    assert app.command.evidence[0].file == "docker/run.sh" and app.command.evidence[0].line == 7
    assert app.port.value == 8095
    assert any("through su-exec" in n and "non-root user" in n for n in notes)


def test_a_script_execing_the_program_runs_as_itself_as_the_web_process(make_project: MakeProject) -> None:
    script = "#!/bin/sh\nset -e\nalembic upgrade head\nexec python3 -m relay --verbose\n"
    tree = ProjectTree(make_project(_files(script)))
    app = detect_app(tree, None, dependencies=frozenset({"aiohttp", "click"}))
    assert app.kind.value == "web" and app.command.value[-1] == "docker/run.sh"
    assert app.port.value == 8095


def test_a_python_file_run_alone_through_gosu_is_its_detectors_start(make_project: MakeProject) -> None:
    run_app = "from aiohttp import web\n\nif __name__ == '__main__':\n    web.run_app(web.Application(), port=8096)\n"
    script = "#!/bin/sh\nexec gosu app python3 serve.py\n"
    tree = ProjectTree(make_project({"serve.py": run_app, "entrypoint.sh": script}))
    app = detect_app(tree, None, dependencies=frozenset({"aiohttp"}))
    assert app.kind.value == "web" and app.command.value == ("python", "serve.py")  # no arguments added
    assert app.port.value == 8096


def test_the_droppers_words_before_the_command() -> None:
    assert dropped_command(("su-exec", "app:app", "python", "-m", "relay")) == (
        "su-exec",
        ("python", "-m", "relay"),
    )
    assert dropped_command(("/usr/sbin/gosu", "app", "python", "a.py")) == ("gosu", ("python", "a.py"))
    setpriv = ("setpriv", "--reuid", "1000", "--regid=1000", "--init-groups", "python", "a.py")
    assert dropped_command(setpriv) == ("setpriv", ("python", "a.py"))
    chroot = ("chroot", "--userspec=app:app", "/", "python", "-m", "relay")
    assert dropped_command(chroot) == ("chroot", ("python", "-m", "relay"))
    assert dropped_command(("gosu", "app")) is None  # no command to run
    assert dropped_command(("chown", "-R", "app", "/data")) is None  # no dropper
