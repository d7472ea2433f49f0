"""Frameworks that run a project from its folder (``data/project_folders.toml``): Kedro's ``kedro run``
reads ``conf/`` and ``pyproject.toml`` from the working directory and writes its datasets under
``data/``. A wheel carries none of them, so such a project runs from its copied tree, with those
folders the app user's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree, data_table


@dataclass(frozen=True)
class FolderRunner:
    name: str
    table: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    source: str


@cache
def _runners() -> tuple[FolderRunner, ...]:
    return tuple(
        FolderRunner(
            str(r["name"]),
            str(r["table"]),
            tuple(map(str, r["reads"])),
            tuple(map(str, r["writes"])),
            str(r["source"]),
        )
        for r in data_table("project_folders.toml")["runner"]
    )


def _marked(pyproject: dict[str, Any] | None, table: str) -> bool:
    node: Any = pyproject
    for part in table.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return isinstance(node, dict)


def folder_runner(
    tree: ProjectTree, pyproject: dict[str, Any] | None
) -> tuple[FolderRunner, Evidence] | None:
    """The framework that runs this project from its folder, with the table's line as evidence."""
    for row in _runners():
        if _marked(pyproject, row.table):
            line = tree.line_of("pyproject.toml", r"^\[" + re.escape(row.table) + r"\]")
            return row, Evidence("pyproject.toml", line, f"[{row.table}]: a {row.name} project")
    return None


def runs_from_its_folder(tree: ProjectTree, pyproject: dict[str, Any] | None) -> Evidence | None:
    """Why the package runs from its tree, not as a wheel alone, when a framework of the table runs it."""
    found = folder_runner(tree, pyproject)
    if found is None:
        return None
    row, ev = found
    present = [p for p in row.reads if tree.is_dir(p) or tree.is_file(p)]
    if not present:
        return None
    return Evidence(
        ev.file,
        ev.line,
        f"{ev.detail}: its runs read {', '.join(present)} from the working directory, which no wheel carries "
        f"({row.source.split(' ', 1)[0]}): the app runs from its source tree",
    )


def folder_writes(tree: ProjectTree, pyproject: dict[str, Any] | None) -> tuple[Fact[str], ...]:
    """The folders a framework of the table writes its outputs to, made the app user's."""
    found = folder_runner(tree, pyproject)
    if found is None:
        return ()
    row, ev = found
    why = f"{ev.detail}: its runs write their datasets under the folder (a volume in production)"
    return tuple(Fact(folder, (Evidence(ev.file, ev.line, why),)) for folder in row.writes)
