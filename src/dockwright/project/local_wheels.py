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

A requirement line naming a wheel file by path (``./vendor/mylib-1.2.0-py3-none-any.whl``,
``wheels/x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl``, ``file:./vendor/x.whl``,
``mylib @ file:///${PROJECT_ROOT}/vendor/x.whl``) is a fact the same way (detail: the file,
project-relative): pip and uv read such a path from the working directory, the project root (uv
expands ``${PROJECT_ROOT}`` to it), whichever requirements file names it; the generated lock pins the
file by its sha256 under a ``./`` path both installers read (lock/generate.py local_wheel_lines), and
the builder bind-mounts the file for the install only. A path that leaves the project, relative or
absolute, and a file that is not there are refused with one line: no build could install them.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.managers import ReqLine, parse_requirements
from dockwright.project.tree import ProjectTree

_FIND_LINKS = re.compile(r"^\s*(?:-f|--find-links)(?:\s*=\s*|\s+)(?P<where>\S+)")
_NAMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@\s*")  # ``name[extra] @ ``
_PROJECT_ROOT = re.compile(r"^/?\$\{PROJECT_ROOT\}(?=/|$)")
WHEEL = ".whl"


def wheel_file(path: str) -> bool:
    """A local wheel entry (:attr:`LockPlan.local_wheels`) that is a wheel file, not a ``--find-links``
    folder."""
    return path.endswith(WHEEL)


def wheel_path(spec: str) -> str | None:
    """The wheel file a requirement installs by path, as pip and uv read it from the working directory
    (``file:`` and ``file://`` removed, ``${PROJECT_ROOT}`` as ``.``, a marker, ``#`` fragment or
    ``--hash`` left out); None for any other requirement (a name, an http(s) URL, a folder, an sdist,
    another environment variable)."""
    text = spec.strip()
    named = _NAMED.match(text)
    if named is not None:
        text = text[named.end() :]
    text = re.split(r"[\s;#]", text, maxsplit=1)[0]
    if text.lower().startswith("file:"):
        text = unquote(re.sub(r"^//(?:localhost)?(?=/)", "", text[len("file:") :]))
    elif named is not None and "://" in text:
        return None  # https://host/x.whl: a direct URL (project/direct_urls.py)
    text = _PROJECT_ROOT.sub(".", text)
    if not wheel_file(text) or "${" in text or "://" in text:
        return None
    return text


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


def _wheel_file(tree: ProjectTree, req: ReqLine) -> str | None:
    """The project-relative wheel file ``req`` installs by path, or None; ProjectError for a path outside
    the project or a file that is not there."""
    written = None if req.editable or req.source not in ("path", "url") else wheel_path(req.text)
    if written is None:
        return None
    path = Path(os.path.normpath(written if written.startswith("/") else tree.root / written))
    resolved = path.resolve()
    if resolved != tree.root and tree.root not in resolved.parents:
        raise ProjectError(
            f"{req.text} is a wheel outside the project, so no build context can hold it; move it into "
            "the project (./vendor/) and name it from there, or serve it from an index",
            file=req.file,
            line=req.line or None,
        )
    rel = (path if tree.root in path.parents else resolved).relative_to(tree.root).as_posix()
    if not tree.is_file(rel):
        raise ProjectError(
            f"{req.text}: no such wheel file in the project (pip and uv read the path from the project's "
            "root, where the install runs): build the wheel there or correct the path",
            file=req.file,
            line=req.line or None,
        )
    return rel


def _project_dependencies(tree: ProjectTree) -> list[ReqLine]:
    """``[project].dependencies`` of pyproject.toml as requirement lines (a wheel file there is PDM's
    ``name @ file:///${PROJECT_ROOT}/vendor/x.whl``, which uv reads too)."""
    project = tree.read_toml("pyproject.toml").get("project") if tree.is_file("pyproject.toml") else None
    declared = project.get("dependencies") if isinstance(project, dict) else None
    lines = []
    for text in declared if isinstance(declared, list) else []:
        if isinstance(text, str):
            line = tree.line_of("pyproject.toml", re.escape(text)) or 0
            lines.append(ReqLine("pyproject.toml", line, text, None, None, (), None, "url", editable=False))
    return lines


def detect_local_wheels(tree: ProjectTree, requirement_files: Iterable[str]) -> tuple[Evidence, ...]:
    """Each local ``--find-links`` folder and each wheel file a requirement names by path, in
    ``requirement_files``; ProjectError for a relative folder or any wheel path that leaves the project
    and for a wheel file that is not there."""
    found: dict[str, Evidence] = {}
    for rel in requirement_files:
        reqs = _project_dependencies(tree) if rel == "pyproject.toml" else []
        if rel.endswith((".txt", ".in", ".lock")) and tree.is_file(rel):
            try:  # an include's lines carry the include's name
                reqs = parse_requirements(tree, rel)[0]
            except ProjectError:
                reqs = []  # a manager's lock (uv.lock, poetry.lock): its own reader reads it
        for req in reqs:
            wheel = _wheel_file(tree, req)
            if wheel is not None:
                found.setdefault(wheel, Evidence(req.file, req.line or None, wheel))
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
