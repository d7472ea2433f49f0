"""Local ``--find-links`` folders: wheels (or sdists) the requirements files install from a folder.

A line ``--find-links ./wheels`` (or ``-f wheels``, ``--find-links=file://…``) in a requirements file
names a folder; pip reads it relative to that requirements file when it exists there, else relative
to the current directory (pip's ``req_file.handle_option_line``), here the project root. Each folder
inside the project becomes a fact (evidence: file and line; detail: the folder, project-relative):
the builder bind-mounts it for the install and the runtime never carries it. A relative path that
leaves the project (``../wheels``) is outside every build context: refused with one line. An
absolute path outside the project is the compiling machine's (pip-compile writes ``PIP_FIND_LINKS``
into its output), so it is left alone, as is a folder that does not exist (pip ignores both with a
warning; whatever the lock pins must then come from an index). http(s) locations are indexes
(:mod:`dockwright.project.indexes`), not folders.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree

_FIND_LINKS = re.compile(r"^\s*(?:-f|--find-links)(?:\s*=\s*|\s+)(?P<where>\S+)")


def _folder(tree: ProjectTree, requirements: str, where: str) -> str | None:
    """The project-relative folder ``where`` names (pip's lookup), None when it is outside the project."""
    raw = where.removeprefix("file://")
    if raw.startswith("/"):
        path = Path(raw)
    else:
        beside = tree.root / posixpath.dirname(requirements) / raw
        path = beside if beside.exists() else tree.root / raw
    resolved = path.resolve()
    if resolved != tree.root and tree.root not in resolved.parents:
        return None
    return resolved.relative_to(tree.root).as_posix()


def detect_local_wheels(tree: ProjectTree, requirement_files: Iterable[str]) -> tuple[Evidence, ...]:
    """Each local ``--find-links`` folder of ``requirement_files``; ProjectError for a relative path that
    leaves the project."""
    found: dict[str, Evidence] = {}
    for rel in requirement_files:
        if not rel.endswith((".txt", ".in", ".lock")) or not tree.is_file(rel):
            continue
        for number, line in enumerate(tree.read_text(rel).splitlines(), start=1):
            match = _FIND_LINKS.match(line)
            if match is None or re.match(r"^https?://", match.group("where")):
                continue
            where = match.group("where")
            folder = _folder(tree, rel, where)
            if folder is not None and (folder == "." or not tree.is_dir(folder)):
                continue  # no such folder here: pip ignores it too ("Location ... is ignored")
            if folder is None:
                if where.removeprefix("file://").startswith("/"):
                    continue  # a path of the machine that compiled the file (PIP_FIND_LINKS): not the app's
                raise ProjectError(
                    f"--find-links {where} is outside the project, so no build context can hold it; "
                    "move the wheels into the project or serve them from an index",
                    file=rel,
                    line=number,
                )
            raw = where.removeprefix("file://")
            base = posixpath.dirname(rel)
            if base and not raw.startswith("/") and not (tree.root / base / raw).exists():
                # pip falls back to the working directory; uv, which locks the file, reads the path from
                # the file's folder only ("relative URL without a base")
                beside = posixpath.relpath(folder, base)
                raise ProjectError(
                    f"--find-links {where} names {folder}/ from the project's root (pip falls back to the "
                    f"working directory), but uv, which locks the file, reads it from {base}/: write "
                    f"--find-links {beside} (pip reads that path first too)",
                    file=rel,
                    line=number,
                )
            found.setdefault(folder, Evidence(rel, number, folder))
    return tuple(found.values())
