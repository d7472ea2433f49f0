"""A start run through an APM agent's launcher (``data/agent_launchers.toml``).

What it finds
    A command that starts with ``newrelic-admin run-program``, ``ddtrace-run`` or
    ``opentelemetry-instrument [--option value]...``: the launcher loads the agent, then runs the command
    after it.

Decision
    The server, its port, options and workers are read from the wrapped command
    (:func:`dockwright.project.detectors.servers.last_command`). The launcher stays in the start when the
    project installs one of its distributions (the project runs its app instrumented); otherwise the
    image has no such program and the command is not the start (:func:`missing_agent`).

Why: ``web: newrelic-admin run-program gunicorn app.wsgi:application`` was refused as a program "neither
the interpreter, a server, the project nor its scripts provide", though the lock installs newrelic: the
plan fell back to a start of its own and lost the agent and the Procfile's options.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from packaging.utils import canonicalize_name

from dockwright.project.tree import data_table


@dataclass(frozen=True)
class Launcher:
    program: str
    subcommand: str
    valued: bool
    distributions: tuple[str, ...]
    source: str


@cache
def table() -> tuple[Launcher, ...]:
    return tuple(
        Launcher(
            str(r["program"]),
            str(r["subcommand"]),
            bool(r["valued"]),
            tuple(map(str, r["distributions"])),
            str(r["source"]),
        )
        for r in data_table("agent_launchers.toml")["launcher"]
    )


def split_launcher(argv: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], Launcher] | None:
    """(the launcher's words, the command it runs, its row) for a command starting with a launcher."""
    if not argv:
        return None
    name = argv[0].rsplit("/", 1)[-1]
    row = next((r for r in table() if r.program == name), None)
    if row is None:
        return None
    i = 1
    if row.subcommand:
        if len(argv) < 2 or argv[1] != row.subcommand:
            return None  # `newrelic-admin validate-config`: runs nothing of the app
        i = 2
    while i < len(argv) and argv[i].startswith("-"):
        end = argv[i] == "--"
        i += 1 if end or "=" in argv[i] or not row.valued else 2
        if end:
            break
    return (argv[:i], argv[i:], row) if i < len(argv) else None


def without_launcher(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The command a launcher runs, else ``argv``."""
    found = split_launcher(argv)
    return found[1] if found else argv


def missing_agent(argv: tuple[str, ...], installed: frozenset[str]) -> str | None:
    """Why ``argv``'s launcher cannot run in the image (none of its distributions is among ``installed``,
    canonical names), or None when it has no launcher or can run."""
    found = split_launcher(argv)
    if found is None:
        return None
    row = found[2]
    if any(canonicalize_name(d) in installed for d in row.distributions):
        return None
    return (
        f"it runs {row.program!r}, the launcher of {row.distributions[0]}, which the project does not "
        f"install (declare {row.distributions[0]}, or start the command after it) ({row.source})"
    )
