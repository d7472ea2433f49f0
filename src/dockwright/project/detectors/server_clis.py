"""Servers started by a tool's own command line (``data/server_clis.toml``): ``datasette serve``,
``thumbor``, ``mlflow server``, ``prefect server start``, ``jupyter lab`` ...

What it does: tells whether a start command runs such a server, the port it listens on (its port flag,
else the tool's documented default) and, when the tool binds the loopback interface by default and the
command does not say, the flag that makes it listen on all interfaces.

Why: without it a repository whose start is ``datasette serve data.db`` was planned as a command-line
tool - no port, no probe - and its container listened on 127.0.0.1 only, unreachable from outside.

Example: ``datasette serve data.db`` -> web, port 8001, command ``datasette serve data.db --host 0.0.0.0``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from dockwright.project.detectors.base import Candidate, port_of_command
from dockwright.project.facts import Evidence
from dockwright.project.tree import data_table

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class ServerCli:
    program: str
    package: str
    subcommand: tuple[str, ...]
    port: int
    port_flags: tuple[str, ...]
    host_flags: tuple[str, ...]
    host_default: str
    bind: tuple[str, ...]
    source: str
    implicit: bool = False
    health: str = ""  # a path the server answers without auth or data (the image's probe)
    needs: str = ""  # a server distribution the CLI imports that its package may not install
    group_options: tuple[str, ...] = ()  # the program's options before the sub-command, taking a value

    @property
    def start(self) -> tuple[str, ...]:
        """The bare start command, listening on all interfaces."""
        return (self.program, *self.subcommand, *self.bind_flags)

    @property
    def bind_flags(self) -> tuple[str, ...]:
        return self.bind if self.host_default in LOOPBACK else ()

    def runs(self, argv: tuple[str, ...]) -> bool:
        """True when ``argv`` starts this server (its program, then its sub-command's words)."""
        if not argv or argv[0].rsplit("/", 1)[-1] != self.program:
            return False
        at = 1
        while at < len(argv) and argv[at].split("=", 1)[0] in self.group_options:
            at += 1 if "=" in argv[at] else 2  # `litestar --app mod:app run`
        words = argv[at : at + len(self.subcommand)]
        if tuple(words) == self.subcommand:
            return True
        # the default command: no word, an option or a file where the sub-command would be
        first = argv[1] if len(argv) > 1 else ""
        return self.implicit and (not first or first.startswith("-") or "." in first or "/" in first)

    def port_of(self, argv: tuple[str, ...]) -> int:
        """The port the command asks for, else the tool's default."""
        return port_of_command(argv) or self.port

    def port_evidence(self, argv: tuple[str, ...], evidence: Evidence) -> Evidence:
        """Where the port comes from: the command's flag, else the tool's documented default."""
        if port_of_command(argv):
            return evidence
        name = " ".join((self.program, *self.subcommand))
        why = f"{name} listens on port {self.port} by default ({self.source})"
        return Evidence("server CLIs table", None, why)

    def listening(self, argv: tuple[str, ...]) -> tuple[str, ...]:
        """``argv`` with the bind-all flag added when the tool binds loopback and the command does not
        choose an address; unchanged otherwise."""
        chosen = any(a.split("=", 1)[0] in self.host_flags for a in argv[1:])
        return argv if chosen or not self.bind_flags else (*argv, *self.bind_flags)


@lru_cache(maxsize=1)
def table() -> tuple[ServerCli, ...]:
    out: list[ServerCli] = []
    for row in data_table("server_clis.toml")["cli"]:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
        out.append(ServerCli(**fields))
    return tuple(out)


def server_cli(argv: tuple[str, ...]) -> ServerCli | None:
    """The table's server a command starts, else None."""
    return next((row for row in table() if row.runs(argv)), None)


def own_server(program: str, project: str) -> ServerCli | None:
    """The table's server the project itself provides: its console script ``program`` is the tool's
    executable and the project is the tool's distribution (the thumbor or datasette repository)."""
    canonical = project.lower().replace("_", "-").replace(".", "-")
    return next((row for row in table() if row.program == program and row.package == canonical), None)


def as_server(c: Candidate, runs: tuple[str, ...]) -> Candidate:
    """A repository's start command (``runs`` = the program it ends by running) that starts a server of
    the table, as a web process on the server's port, listening on all interfaces; else ``c``."""
    row = server_cli(runs)
    if row is None or not c.command or (c.source == "procfile" and c.kind != "web"):
        return c  # a Procfile names its web process itself (`web:`); its others get no traffic
    port = c.port or row.port_of(runs)
    port_evidence = c.port_evidence or row.port_evidence(runs, c.evidence[0])
    command, notes = c.command, c.notes
    bound = row.listening(runs)
    if bound != runs:
        added = bound[len(runs) :]
        if command == runs:
            command = bound
        elif command[:2] == ("/bin/sh", "-c") and command[2].rstrip().endswith(shlex.join(runs[-1:])):
            command = (*command[:2], f"{command[2].rstrip()} {shlex.join(added)}")
        else:
            notes = (
                *notes,
                f"{row.program} listens on {row.host_default} unless told: add {' '.join(added)} to "
                f"the command {c.evidence[0]} runs, or the container is unreachable ({row.source})",
            )
    return replace(c, kind="web", command=command, port=port, port_evidence=port_evidence, notes=notes)
