"""A command the project adds to a dependency's program: ``celery flower``.

## What it detects
A project that declares an entry point in a group of ``data/plugin_commands.toml``
(``celery.commands: flower = flower.command:flower`` in setup.py or ``[project.entry-points]``), on a
program the project depends on (``celery``). Such a package is run through that program: its
``__main__`` often only hands ``sys.argv`` to the program's command line, so ``python -m flower``
with no arguments prints the program's usage and exits. The command is a web process when the
command's package serves one: it declares Tornado URL tables, or its options give a port default.

## Evidence
The entry point's line (``setup.py:65 (entry point celery.commands: flower = flower.command:flower)``);
for a web process, the port's source: the option's default in the package's code (Tornado's
``define("port", default=5555)``, argparse's ``add_argument("--port", default=N)``, click's
``option("--port", default=N)``), else a ``docker run -p H:C`` in the README. Neither: the plan says
the port is unknown.

## Example
```python
# setup.py
setup(name="monitor", entry_points={"celery.commands": ["monitor = monitor.command:monitor"]})
```
with ``define("port", default=5566)`` in ``monitor/options.py``.

## Start command
``PROGRAM COMMAND`` (``celery monitor`` above), on the option's default port. It ranks after the
repository's own Dockerfile (whose command, ``celery flower`` with its ``EXPOSE``, says the same more
strongly) and before the console scripts and a package ``__main__``.
"""

from __future__ import annotations

import ast
import re
from functools import cache

from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.console_scripts import plugin_commands
from dockwright.project.facts import Evidence
from dockwright.project.tree import data_table

_PORT_NAMES = frozenset({"port", "--port", "-p"})
_README = ("README.md", "README.rst", "README.txt", "README")
_DOCKER_RUN_PORT = re.compile(r"docker run\b[^\n]*?\s-p\s+(?:[\d.]+:)?\d{2,5}:(\d{2,5})\b")


@cache
def _groups() -> dict[str, tuple[str, str]]:
    rows = data_table("plugin_commands.toml")["group"]
    return {str(r["name"]): (str(r["program"]), str(r["distribution"])) for r in rows}


def _option_port(ctx: Context, package: str) -> tuple[int, Evidence] | None:
    """The port default of the package's own options: ``define("port", default=5555)``,
    ``add_argument("--port", default=N)``, ``option("--port", default=N)``."""
    for rel in sorted(s.rel for s in ctx.by_rel.values() if s.module.split(".")[0] == package):
        try:
            module = ast.parse(ctx.tree.read_text(rel))
        except (ProjectError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(module):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            names = {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
            if not names & _PORT_NAMES:
                continue
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            if isinstance(default, ast.Constant) and type(default.value) is int and 0 < default.value < 65536:
                why = f"port option default {default.value} (the program's own)"
                return default.value, Evidence(rel, node.lineno, why)
    return None


def _readme_port(ctx: Context) -> tuple[int, Evidence] | None:
    """The container port of a ``docker run -p H:C`` the README shows."""
    for name in _README:
        if not ctx.tree.is_file(name):
            continue
        text = ctx.tree.read_text(name)
        match = _DOCKER_RUN_PORT.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            why = f"docker run -p …:{match.group(1)} (the README's container port)"
            return int(match.group(1)), Evidence(name, line, why)
    return None


def _port(ctx: Context, package: str) -> tuple[int | None, Evidence | None]:
    found = _option_port(ctx, package) or _readme_port(ctx)
    return found if found is not None else (None, None)


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for name, (group, evidence) in plugin_commands(ctx).items():
        found = _groups().get(group)
        if found is None or canonicalize_name(found[1]) not in ctx.dependencies:
            continue
        program = found[0]
        target = evidence.detail.rsplit("= ", 1)[-1]
        package = target.split(":")[0].split(".")[0]
        serves = any(s.tornado_routes for s in ctx.by_rel.values() if s.module.split(".")[0] == package)
        port, port_evidence = _port(ctx, package)
        web = serves or port is not None
        notes: tuple[str, ...] = ()
        if web and port is None:
            notes = (
                f"{evidence}: {program} {name} serves a web app, and nothing in the repository says its "
                "port (no option default, no docker run -p in the README): pass --port",
            )
        out.append(
            Candidate(
                "plugin-command",
                name,
                "web" if web else "cli",
                (evidence,),
                command=(program, name),
                module=target.split(":")[0],
                port=port,
                port_evidence=port_evidence,
                notes=notes,
            )
        )
    return out
