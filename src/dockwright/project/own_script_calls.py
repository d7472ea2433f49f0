"""The project's own console scripts that its start calls by name (``ftcli db upgrade`` in an entry script).

What it does
    Reads the start command and the project script it runs (``sh docker-entrypoint.sh``, or its lines
    inline under ``sh -c``) for programs that are the project's own console scripts
    (``[project.scripts]``, ``[tool.poetry.scripts]``, ``[project.entry-points.console_scripts]``,
    setup.py's ``console_scripts``): each such name, with the line that runs it, is
    ``AppFacts.own_scripts``. A start that runs a file of the tree installs the project from its source
    tree (``app-install: source``), where no console script exists; the plan then also installs the
    project's wheel into the venv (plan/strategies/slim.py, decision ``app-scripts``), so the name is on
    ``PATH`` while the start still runs from the tree.

Why is this bad?
    Copying the tree installs no entry point: ``ftcli: command not found`` and, under ``set -e`` or
    ``|| exit 1``, the container stops before the server starts.

Example
    ``docker-entrypoint.sh``: ``ftcli db upgrade || exit 1`` then ``exec gunicorn "app:create_app()"``,
    with ``ftcli = "app.cli:cli"`` in ``[tool.poetry.scripts]`` -> the wheel is installed beside the
    copied tree, decision ``app-scripts`` naming ``docker-entrypoint.sh:6``.

Use instead
    Nothing to change in the repository.
"""

from __future__ import annotations

from typing import Any

from dockwright.project.detectors.console_scripts import declared_scripts, setup_py_entry_points
from dockwright.project.entry_run import _SEPARATORS, _stages, shell_lines, start_script
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.tree import ProjectTree


def console_names(tree: ProjectTree, pyproject: dict[str, Any] | None) -> set[str]:
    """The names of the project's console scripts (pyproject.toml's tables, setup.py's entry points)."""
    names = set(declared_scripts(pyproject))
    names |= {name for group, name, _, _ in setup_py_entry_points(tree) if group == "console_scripts"}
    return names


def _calls(lines: list[tuple[int, str]], names: set[str], rel: str, seen: dict[str, list[Evidence]]) -> None:
    for number, line in lines:
        for segment in _SEPARATORS.split(line):
            for argv in _stages(segment.split()):
                name = argv[0].strip("'\"").rsplit("/", 1)[-1]
                if name in names and all(e.line != number or e.file != rel for e in seen.get(name, [])):
                    why = f"runs {name}, a console script of the project (made when the project installs)"
                    seen.setdefault(name, []).append(Evidence(rel, number, why))


def own_script_calls(
    tree: ProjectTree, pyproject: dict[str, Any] | None, app: AppFacts
) -> Fact[tuple[str, ...]]:
    """The project's console scripts the start command or its script runs, with the lines."""
    command = app.command.value
    names = console_names(tree, pyproject)
    if not command or not names:
        return Fact(())
    seen: dict[str, list[Evidence]] = {}
    first = app.command.evidence[0] if app.command.evidence else Evidence("the start command")
    _calls([(first.line or 0, " ".join(command))], names, first.file, seen)
    rel = start_script(tree, command, app.command.evidence)
    if rel is not None and command[1:2] != ("-c",):
        _calls(shell_lines(tree.read_script(rel)), names, rel, seen)
    return Fact(tuple(seen), tuple(e for found in seen.values() for e in found))
