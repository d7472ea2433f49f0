"""The developer's local state in the project folder (databases, uploaded files): kept out of the image.

What it does
    Finds the files named as a local database or its journal (``db.sqlite3``, ``app.db``,
    ``data.sqlite-wal``: ``tree.DATABASE_SUFFIXES``, by name, never reading their rows) and the folders
    the code's upload settings name (Django's ``MEDIA_ROOT``, Flask's ``UPLOAD_FOLDER`` and the like:
    :data:`UPLOAD_SETTINGS`). In a git checkout, each database file git does not track is left out of
    the build context (a clone has none of it), and an upload folder is left out with the files git
    tracks in it re-included after it (a default avatar). Outside a checkout, where nothing tells a
    local file from a shipped one, a database file is left out when it is Django's default
    ``db.sqlite3`` or a journal, or when the code names it on a database line (``"NAME": BASE_DIR /
    "app.db"``, ``sqlite3.connect``), and an upload folder is left out whole. These lines come after the
    plan re-includes the files the code reads (plan/common.py): a settings module naming its database
    file is no reason to ship the rows in it.

Why is this bad?
    ``COPY . .`` copies the working copy: the developer's database (accounts and their password hashes,
    sessions, personal data from trying the app) and the files uploaded while trying it reached the
    image, where anyone who pulls it reads them, and the production app started on the developer's rows
    instead of its own migrated database. The settings name the database file, so the plan's "the code
    reads it" rule had re-included it even where the ``.gitignore`` listed it.

Example
    ``settings.py``: ``DATABASES = {"default": {..., "NAME": BASE_DIR / "db.sqlite3"}}`` and
    ``MEDIA_ROOT = BASE_DIR / "media"``, both in ``.gitignore`` -> ``db.sqlite3`` and ``media`` in the
    .dockerignore after the re-includes, each with the reason.

Use instead
    Nothing to change: the app makes its database at start (migrations) on a volume, and users' uploads
    belong on a volume or an object store. A database the app ships as data is committed to git.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable

from dockwright.project.data_files import resolve_read
from dockwright.project.detectors.scan import ModuleScan
from dockwright.project.facts import Evidence, Fact
from dockwright.project.tree import ProjectTree
from dockwright.safe_text import ignore_line

# Settings naming the folder of users' uploaded files: Django's (https://docs.djangoproject.com/en/stable/
# ref/settings/#media-root: "the directory that will hold user-uploaded files"), and the names Flask's
# upload pattern (https://flask.palletsprojects.com/en/stable/patterns/fileuploads/) and its extensions use.
UPLOAD_SETTINGS = (
    "MEDIA_ROOT",
    "UPLOAD_FOLDER",
    "UPLOADS_FOLDER",
    "UPLOAD_DIR",
    "UPLOADS_DIR",
    "UPLOAD_PATH",
)
MAX_TRACKED_UPLOADS = 20  # more tracked files in an upload folder: a folder of the app's own assets
DJANGO_DEFAULT_DATABASE = "db.sqlite3"  # `django-admin startproject`'s DATABASES NAME
_JOURNALS = ("-journal", "-wal", "-shm")
_UPLOAD_LINE = re.compile(rf"^\s*(?:[\w.]+\[\s*['\"])?({'|'.join(UPLOAD_SETTINGS)})\b")
# a database setting's line: Django's NAME key, a sqlite:/// URL, a connect call, dbm's or shelve's open
_DATABASE_LINE = re.compile(
    r"""['"]NAME['"]\s*:|\bNAME\s*=|\bsqlite(?:\+\w+)?:/|\.connect\(|\b(?:dbm|shelve)\.open\("""
)


def local_state(
    tree: ProjectTree, tracked: Callable[[], frozenset[str] | None], data_reads: Iterable[Evidence]
) -> tuple[Fact[str], ...]:
    """The .dockerignore lines that keep local state out, each with its evidence (``!path`` lines: tracked
    files re-included); ``tracked``: what answers the paths git tracks in the build context (None
    outside a checkout), asked only when there is a database file or an upload folder; ``data_reads``:
    the paths the code names (project/data_files.py)."""
    reads = tuple(data_reads)
    lines = _Lines(tree)
    out: list[Fact[str]] = []
    for path in tree.database_files:
        why = _database_reason(lines, path, tracked(), reads)
        if why:
            out.append(Fact(ignore_line(path), (Evidence(path, None, why),)))
    seen: set[str] = set()
    for read in reads:
        setting = _upload_setting(lines, read)
        folder = read.detail
        if not setting or folder in seen or not tree.is_dir(folder):
            continue
        seen.add(folder)
        kept = sorted(p for p in tracked() or () if p.startswith(folder + "/"))
        if len(kept) > MAX_TRACKED_UPLOADS:
            continue  # the app's own files, in git: not a folder of uploads
        why = f"{setting} names {folder}/, the folder of users' uploaded files: local uploads stay out"
        out.append(Fact(ignore_line(folder), (Evidence(read.file, read.line, why),)))
        said = f"tracked by git under {setting}: a clone has it"
        out += [Fact("!" + ignore_line(p), (Evidence(read.file, read.line, said),)) for p in kept]
    return tuple(out)


def _database_reason(
    lines: _Lines, path: str, tracked: frozenset[str] | None, reads: tuple[Evidence, ...]
) -> str | None:
    """Why the database file ``path`` stays out of the build context, or None when it is shipped."""
    journal = path.endswith(_JOURNALS)
    if tracked is not None:
        if path in tracked:
            return None
        what = "a journal of a local database" if journal else "a local database file"
        return f"{what} git does not track: the developer's rows; a clone has none of it"
    if journal:
        return "a journal of a local database: the developer's rows, mid-write"
    if posixpath.basename(path) == DJANGO_DEFAULT_DATABASE:
        return "Django's default local database (`runserver`'s): the developer's rows"
    for read in reads:
        if read.detail == path and _DATABASE_LINE.search(lines.of(read)):
            return f"the database {read.file}:{read.line} names: the developer's rows, made again at start"
    return None


def _upload_setting(lines: _Lines, read: Evidence) -> str | None:
    """The upload setting assigned on the line of ``read`` (``MEDIA_ROOT = BASE_DIR / "media"``,
    ``app.config["UPLOAD_FOLDER"] = ...``), or None."""
    line = lines.of(read)
    match = _UPLOAD_LINE.match(line)
    return match.group(1) if match and "=" in line[match.end() :] else None


class _Lines:
    """The line of a module each read evidence names ("" for none), each module split into lines once
    (a planning asks for every path read of every module)."""

    def __init__(self, tree: ProjectTree) -> None:
        self.tree = tree
        self._split: dict[str, list[str]] = {}

    def of(self, read: Evidence) -> str:
        if not read.line or not read.file.endswith(".py"):
            return ""
        lines = self._split.get(read.file)
        if lines is None:
            lines = self._split[read.file] = [line for _, line in self.tree.numbered_lines(read.file)]
        return lines[read.line - 1] if 0 < read.line <= len(lines) else ""


def upload_folders(tree: ProjectTree, scans: Iterable[ModuleScan]) -> tuple[Fact[str], ...]:
    """The folders the modules' upload settings name (:data:`UPLOAD_SETTINGS`), project-relative, as
    writable folders: the app saves users' files there at run time, and the build context leaves out
    the local ones (:func:`local_state`), so the image makes each, owned by the app user."""
    lines = _Lines(tree)
    out: dict[str, Fact[str]] = {}
    for scan in scans:
        for relative, line in scan.path_reads or ():
            setting = _upload_setting(lines, Evidence(scan.rel, line, relative))
            if not setting:
                continue
            folder = resolve_read(tree, scan.rel, relative) or posixpath.normpath(relative)
            if not folder.startswith(("..", "/")) and folder != ".":
                why = f"{setting} names it: the app saves users' uploaded files in {folder}/ at run time"
                out.setdefault(folder, Fact(folder, (Evidence(scan.rel, line, why),)))
    return tuple(out.values())
