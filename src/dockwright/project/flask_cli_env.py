"""``FLASK_APP`` for a start that runs the ``flask`` command (``flask db upgrade`` in an entry script).

Without ``FLASK_APP`` or ``--app``, the ``flask`` command imports ``wsgi`` or else ``app`` from the working
directory and takes its ``app``/``application`` object, its one Flask instance, or calls its
``create_app``/``make_app`` factory (https://flask.palletsprojects.com/en/stable/cli/#application-discovery).
When the server serves another target (``run:app``, where an ``app`` package holds a factory that returns
``(app, socketio)``), the migration step loads the wrong object and the script stops before the server
starts. The repository's own image sets ``FLASK_APP``; the plan does the same, with the target the server
runs, unless the project names the app itself (``--app``/``-A``, ``FLASK_APP`` in the script or in
``.flaskenv``).
"""

from __future__ import annotations

import re

from dockwright.project.tree import ProjectTree

_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash"})
# `flask SUBCOMMAND` at a command position (line start, after ;, &&, ||, |, `if !`, `exec`, `then`)
_FLASK_CALL = re.compile(r"(?:^|[;&|]|\bthen\b|\bdo\b|\bexec\b|!)\s*flask\s+(?P<rest>[^\n;&|]*)", re.M)
_DISCOVERED = {("wsgi", "app"), ("wsgi", "application"), ("app", "app"), ("app", "application")}


def _texts(tree: ProjectTree, command: tuple[str, ...]) -> list[tuple[str, str]]:
    """(where, shell text) the start runs: a ``sh -c`` string, and the entry script it runs."""
    out: list[tuple[str, str]] = []
    if len(command) >= 3 and command[0] in _SHELLS and command[1] == "-c":
        out.append(("the start command", command[2]))
    elif len(command) >= 2 and command[0] in _SHELLS and tree.is_file(command[1]):
        out.append((command[1], tree.read_text(command[1])))
    return out


def flask_app_env(
    tree: ProjectTree, command: tuple[str, ...], framework: str | None, target: str, factory: bool
) -> tuple[str, str, str] | None:
    """(``FLASK_APP``, target, why) when the start runs ``flask`` without naming the app and the
    command's own discovery would not find the served target; else None."""
    if framework != "flask" or ":" not in target:
        return None
    module, attr = target.split(":", 1)
    if not factory and (module, attr) in _DISCOVERED:
        return None
    if tree.is_file(".flaskenv") and "FLASK_APP" in tree.read_text(".flaskenv"):
        return None
    for where, text in _texts(tree, command):
        if "FLASK_APP" in text:
            return None
        for match in _FLASK_CALL.finditer(text):
            words = match.group("rest").split()
            if not words or words[0] in ("--app", "-A") or words[0].startswith("--app="):
                continue
            line = text.count("\n", 0, match.start("rest")) + 1
            value = f"{module}:{attr}()" if factory else target
            where_line = f"{where}:{line}" if where != "the start command" else where
            why = (
                f"{where_line} runs `flask {' '.join(words[:3])}` without --app: flask would look for the "
                f"app in wsgi.py/app.py, and the server runs {value}"
            )
            return "FLASK_APP", value, why
    return None
