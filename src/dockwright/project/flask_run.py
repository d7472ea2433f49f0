"""A start that runs Flask's development server: ``flask [--app X] run [--host H] [--port P]``.

What it does: reads the start's last command (``sh -c "... && exec ..."`` too), past a tool manager's
prefix (``uv run``, ``poetry run``: project/command_prefixes.py): ``flask ... run`` or ``python -m flask
... run``, and the run command's ``--host``/``-h`` and ``--port``/``-p`` (``--port=5001``, ``-p5001``).
Without them ``flask run`` listens on ``127.0.0.1:5000`` (click's defaults, which ``FLASK_RUN_HOST`` and
``FLASK_RUN_PORT`` replace). A value spelled through a variable (``$PORT``) is not read.

Decision: a start given with ``--start`` that runs ``flask run`` is a web process on that port (apps.py:
``EXPOSE``, a probe), with a warning that it is Flask's development server and what serves the app
instead, and a note when it listens on a loopback address (the default), which nothing outside the
container reaches.

Why: ``--start "flask run --host 0.0.0.0"`` was planned as a command-line tool: no port, no probe, and
``python -m flask`` as the ENTRYPOINT with ``run`` as the CMD.

Source: https://flask.palletsprojects.com/en/stable/cli/#run-the-development-server and
https://flask.palletsprojects.com/en/stable/deploying/
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from dockwright.project.command_prefixes import without_prefixes
from dockwright.project.detectors.servers import last_command
from dockwright.project.django_runserver import LOOPBACK
from dockwright.project.own_image import python_args

SOURCE = "https://flask.palletsprojects.com/en/stable/deploying/"
DEFAULT_PORT = 5000  # flask.cli.run_command: --port default
DEFAULT_HOST = "127.0.0.1"  # flask.cli.run_command: --host default
_HOST = ("--host", "-h")
_PORT = ("--port", "-p")
# the options before `run` that take a value (flask's group: `--app`, `-A`, `--env-file`, `-e`)
_GROUP_VALUED = frozenset({"--app", "-A", "--env-file", "-e"})


@dataclass(frozen=True)
class FlaskRun:
    """What a ``flask run`` start listens on."""

    port: int | None  # None: the value is spelled so it cannot be read (``--port $PORT``)
    host: str
    given_port: bool  # the command names a port

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK

    @property
    def port_detail(self) -> str:
        """Where the port comes from, for its evidence."""
        if self.given_port and self.port is None:
            return f"flask run's --port is no number: {DEFAULT_PORT} assumed"
        if self.given_port:
            return f"flask run --port {self.port}"
        return f"flask run listens on port {DEFAULT_PORT} without --port"


def flask_run(argv: tuple[str, ...]) -> FlaskRun | None:
    """The development server ``argv`` starts (module docstring), or None when it runs no ``flask run``."""
    words = without_prefixes(list(last_command(argv)))[0]
    rest = python_args(words)
    if rest is not None and rest[:2] == ["-m", "flask"]:
        group = rest[2:]
    elif words and posixpath.basename(words[0]) == "flask":
        group = words[1:]
    else:
        return None
    i = 0
    while i < len(group) and group[i] != "run":
        if not group[i].startswith("-"):
            return None  # another command (`flask db upgrade`, `flask routes`)
        i += 2 if group[i] in _GROUP_VALUED else 1
    if i >= len(group):
        return None
    host, port, given = DEFAULT_HOST, str(DEFAULT_PORT), False
    options = group[i + 1 :]
    for index, word in enumerate(options):
        value = options[index + 1] if index + 1 < len(options) else ""
        for names, attached in ((_HOST, "-h"), (_PORT, "-p")):
            if word in names:
                found = value
            elif word.startswith(f"{names[0]}="):
                found = word.split("=", 1)[1]
            elif word.startswith(attached) and len(word) > 2 and not word.startswith("--"):
                found = word[2:]
            else:
                continue
            if names is _HOST:
                host = found
            else:
                port, given = found, True
    return FlaskRun(int(port) if re.fullmatch(r"\d{1,5}", port) else None, host, given)


def flask_run_notes(served: FlaskRun, port: int | None, target: str, has_gunicorn: bool) -> list[str]:
    """What the plan says of a ``--start`` running ``flask run``: that it is the development server (and
    what serves ``target``, the app the framework detector found, instead: gunicorn, added first unless
    ``has_gunicorn``), where it listens when nothing outside the container reaches it, and a port it
    cannot read."""
    listen = port or served.port or DEFAULT_PORT
    first = "" if has_gunicorn else "gunicorn added to the project's dependencies, then "
    instead = f' ({first}--start "gunicorn --bind 0.0.0.0:{listen} {target}")' if target else ""
    notes = [
        "--start runs Flask's development server (flask run), which Flask's documentation says not to use "
        f"in production; serve the app with a production WSGI server instead{instead} ({SOURCE})"
    ]
    if served.port is None:
        notes.append(
            f"--start: flask run's port is no number the plan reads ({listen} assumed; --port names another)"
        )
    if served.loopback:
        notes.append(
            f"--start: flask run listens on {served.host}, a loopback address: nothing outside the container "
            "reaches it (the health check, run inside, passes); give it --host 0.0.0.0"
        )
    return notes
