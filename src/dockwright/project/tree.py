"""A read-only view of a project directory: the only module in ``project`` that reads project files.

Every path handed in or out is project-relative with ``/`` separators. Reads are capped in size
(:data:`MAX_FILE_BYTES`), text is decoded as UTF-8, and any failure becomes a
:class:`~dockwright.errors.ProjectError` that names the file — never a traceback.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import threading
import unicodedata
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from dockwright.errors import ProjectError
from dockwright.readset import memo, memo_active, note_size, outside_project
from dockwright.toml_reader import tomllib

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest file detection will read (lock files of big projects stay well below this)."""

MAX_SOURCE_FILES = 2000
"""Most Python files scanned for app detection; bigger trees are cut (and a note says so)."""

# Directories never scanned for source: VCS data, caches, build output, dependencies.
_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "node_modules",
        "build",
        "dist",
        "site-packages",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
    }
)
_TOML_LINE = re.compile(r"line (\d+)")
# Names of a local database file (SQLite's usual ones, dbm/shelve's ``.db``) and of the journals SQLite
# keeps beside one (https://www.sqlite.org/tempfiles.html): project/local_state.py
DATABASE_SUFFIXES = (
    ".sqlite3",
    ".sqlite",
    ".db",
    ".db3",
    ".sqlite3-journal",
    ".sqlite-journal",
    ".db-journal",
    ".sqlite3-wal",
    ".sqlite-wal",
    ".db-wal",
    ".sqlite3-shm",
    ".sqlite-shm",
    ".db-shm",
)
MAX_DATABASE_FILES = 200

# The shape of every pyproject.toml key a detector reads (PEP 517/518/621, Poetry, PDM, uv): checked
# once by ``read_pyproject`` so detectors can trust ``.get`` chains. "str[]" = a list of strings.
PYPROJECT_SHAPE: tuple[tuple[str, str], ...] = (
    ("build-system", "table"),
    ("build-system.requires", "str[]"),
    ("build-system.build-backend", "str"),
    ("project", "table"),
    ("project.name", "str"),
    ("project.version", "str"),
    ("project.description", "str"),
    ("project.requires-python", "str"),
    ("project.dependencies", "str[]"),
    ("project.optional-dependencies", "table"),
    ("project.dynamic", "str[]"),
    ("project.urls", "table"),
    ("project.scripts", "table"),
    ("project.gui-scripts", "table"),
    ("project.entry-points", "table"),
    ("project.readme", "str|table"),
    ("project.license", "str|table"),
    ("project.license-files", "str[]"),
    ("dependency-groups", "table"),
    ("tool", "table"),
    ("tool.dockwright", "table"),
    ("tool.poetry", "table"),
    ("tool.poetry.name", "str"),
    ("tool.poetry.version", "str"),
    ("tool.poetry.dependencies", "table"),
    ("tool.poetry.dev-dependencies", "table"),
    ("tool.poetry.group", "table"),
    ("tool.poetry.scripts", "table"),
    ("tool.poetry.readme", "str|str[]"),
    ("tool.pdm", "table"),
    ("tool.pdm.dev-dependencies", "table"),
    ("tool.uv", "table"),
    ("tool.uv.workspace", "table"),
    ("tool.uv.sources", "table"),
    ("tool.setuptools", "table"),
    ("tool.hatch", "table"),
)

# The shape of each dependency file a manager reader walks, by file name (same notation; "*" = every key).
FILE_SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "pyproject.toml": PYPROJECT_SHAPE,
    "poetry.lock": (("package", "table[]"),),
    "pdm.lock": (("package", "table[]"),),
    "uv.lock": (("package", "table[]"),),
    "Pipfile": (
        ("packages", "table"),
        ("dev-packages", "table"),
        ("requires", "table"),
        ("source", "table[]"),
    ),
    "Pipfile.lock": (
        ("_meta", "table"),
        ("default", "table"),
        ("develop", "table"),
        ("default.*", "table"),
        ("develop.*", "table"),
    ),
}


def _shape_ok(value: Any, shape: str) -> bool:
    for kind in shape.split("|"):
        if kind == "table" and isinstance(value, dict):
            return True
        if kind == "str" and isinstance(value, str):
            return True
        if kind == "str[]" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return True
        if kind == "table[]" and isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return True
    return False


def _values(data: Any, dotted: str) -> list[tuple[str, Any]]:
    """(path, value) of every value at a dotted path (``*`` = each key of a table)."""
    found: list[tuple[str, Any]] = [("", data)]
    for key in dotted.split("."):
        step: list[tuple[str, Any]] = []
        for path, value in found:
            if not isinstance(value, dict):
                continue
            keys = list(value) if key == "*" else [key] if key in value else []
            step += [(f"{path}.{k}" if path else str(k), value[k]) for k in keys]
        found = step
    return found


def _got(value: Any, shape: str) -> str:
    """What a value of the wrong shape is: its type, or for a list meant to hold strings the first item
    that is not one ("got list" said nothing)."""
    if isinstance(value, list) and "str[]" in shape.split("|"):
        off = next(((i, v) for i, v in enumerate(value) if not isinstance(v, str)), None)
        if off is not None:
            return f"a list with {repr(off[1])[:40]} ({type(off[1]).__name__}) at [{off[0]}]"
    return type(value).__name__


def _toml_copy(value: Any) -> Any:
    """A parsed TOML value copied for one caller: its tables and arrays new, its leaves (str, int,
    float, bool, the date and time types: all immutable) shared. A fifth of ``copy.deepcopy``'s time,
    which tracks every object's identity (fastapi-uv's uv.lock, read 32 times by one planning: 22 ms)."""
    if isinstance(value, dict):
        return {key: _toml_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_toml_copy(item) for item in value]
    return value


def check_shape(data: Any, rel: str) -> None:
    """Raise ProjectError naming the first key of the file's :data:`FILE_SHAPES` with the wrong type."""
    shapes = FILE_SHAPES.get(rel.rsplit("/", 1)[-1])
    if shapes is None:
        return
    if not isinstance(data, dict):
        raise ProjectError(f"must hold a table/object at the top, got {type(data).__name__}", file=rel)
    wanted = {
        "table": "a table",
        "str": "a string",
        "str[]": "a list of strings",
        "table[]": "a list of tables",
    }
    for dotted, shape in shapes:
        for path, value in _values(data, dotted):
            if value is not None and not _shape_ok(value, shape):
                expected = " or ".join(wanted[k] for k in shape.split("|"))
                raise ProjectError(f"{path} must be {expected}, got {_got(value, shape)}", file=rel)


_PARSED_TOML: dict[tuple[str, str], dict[str, Any]] = {}  # (file name, TOML text) -> its table (checked)
_PARSED_TOML_MAX = 64
_PARSED_TOML_LOCK = threading.Lock()


def kept_toml(name: str, text: str) -> dict[str, Any] | None:
    """A copy of the table :meth:`ProjectTree.read_toml` parsed from ``text`` in a file ``name``d so in
    this process, else None: the lock's conversion reads uv.lock and pyproject.toml again after
    detection read them (each parse of fastapi-uv's 39 KB uv.lock took 3.7 ms of a 38 ms planning)."""
    with _PARSED_TOML_LOCK:
        kept = _PARSED_TOML.get((name, text))
    if kept is None:
        return None
    copied: dict[str, Any] = _toml_copy(kept)
    return copied


def _checked_toml(rel: str, text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        raise ProjectError(f"invalid TOML: {exc}", file=rel, line=line) from exc
    check_shape(data, rel)
    return data


class ProjectTree:
    """Read-only access to the files of one project directory."""

    def __init__(self, root: Path, skip: frozenset[str] = frozenset()) -> None:
        """``skip``: folders (relative to ``root``) whose sources belong to another project, such as
        the members of a uv workspace nested in this member's folder: :attr:`python_files` leaves
        them out."""
        self.skip = skip
        root = Path(root)
        if not root.exists():
            raise ProjectError(f"no such directory: {root}")
        if not root.is_dir():
            raise ProjectError(f"not a directory: {root}")
        self.root = root.resolve()
        # scripts read by :meth:`read_script` that were not UTF-8: path -> the first byte that is not
        self.lossy_scripts: dict[str, int] = {}
        # recipes dockwright's Dockerfile replaced, as git holds them (project/committed_recipe.py)
        self.committed_recipes: dict[str, str | None] = {}
        # folder -> its entries (name -> kind) and their names case-folded, listed once: see :meth:`_listed`
        self._listings: dict[str, tuple[dict[str, str], frozenset[str]] | None] = {}
        self._modules: dict[str, str] = {}  # module path -> its text, read once (:meth:`read_text`)

    def _listed(self, rel: str) -> str | None:
        """What the listings of a plain relative path's folders (no ``.``/``..``/empty part; each folder
        listed once per tree) say it is: "missing", "dir" or "file" (a regular file), with no link on the
        way; None means "ask the filesystem" (a link, a special file, a folder that cannot be listed, a
        name that differs only in case). Most paths a detection asks about do not exist (a template name
        beside each read path: 79 k of them on a large checkout) and the folder walks ask about every
        entry: each answer was a resolve of the whole path."""
        parts = _plain_parts(rel)
        if parts is None:
            return None
        folder = "."
        for depth, part in enumerate(parts):
            listing = self._listing(folder)
            if listing is None:
                return None
            kinds, folded = listing
            kind = kinds.get(part)
            if kind is None:  # a case-insensitive filesystem may still find it: asked as before
                return "missing" if _folded(part) not in folded else None
            if depth == len(parts) - 1:
                return _LISTED_KINDS.get(kind)
            if kind != "d":
                return None
            folder = part if folder == "." else f"{folder}/{part}"
        return None

    def _listing(self, folder: str) -> tuple[dict[str, str], frozenset[str]] | None:
        """A project folder's entries (name -> "d" folder, "f" regular file, "l" link, "o" other) and
        their names case-folded, or None when it cannot be listed."""
        if folder in self._listings:
            return self._listings[folder]
        if outside_project(str(self.root / folder)):  # a kept plan depends on the names asked there only
            self._listings[folder] = None
            return None
        kinds: dict[str, str] = {}
        try:
            with os.scandir(self.root / folder) as entries:
                for entry in entries:
                    kinds[entry.name] = _entry_kind(entry)
            listing: tuple[dict[str, str], frozenset[str]] | None = (
                kinds,
                frozenset(_folded(name) for name in kinds),
            )
        except (OSError, ValueError):
            listing = None
        self._listings[folder] = listing
        return listing

    def _path(self, rel: str) -> Path:
        """The path of ``rel`` resolved now (a read is never answered from the listings: a folder swapped
        for a link after it was listed must not lead a read out of the project)."""
        plain = self._plain(rel)
        if plain is not None:
            return plain
        try:
            path = (self.root / rel).resolve()
        except RecursionError:
            raise
        except (OSError, RuntimeError) as error:  # a symlink loop
            raise ProjectError(f"cannot resolve the path: {error}", file=rel) from error
        except ValueError as error:  # a NUL character, from a path the project's code spells
            raise ProjectError(f"not a path: {error}", file=rel) from error
        if path != self.root and self.root not in path.parents:
            raise ProjectError("path leaves the project directory", file=rel)
        return path

    def _plain(self, rel: str) -> Path | None:
        """``root/rel`` as it is spelled when none of its parts is a link (each one's ``lstat``), nor
        ``.``, ``..`` or empty: the root is resolved, so that is what ``resolve`` answers, without
        ``realpath``'s ``lstat`` of every folder from ``/`` down (~130 paths a planning). A part that
        is missing ends the check, as it ends ``resolve``'s. None: ``resolve`` decides."""
        parts = _plain_parts(rel)
        if parts is None:
            return None
        path = str(self.root).rstrip("/")  # "" for the root folder itself
        for part in parts:
            path = f"{path}/{part}"
            try:
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    return None
            except OSError:
                break
        return self.root.joinpath(*parts)

    def exists(self, rel: str) -> bool:
        listed = self._listed(rel)
        if listed is not None:
            return listed != "missing"
        try:
            return self._path(rel).exists()
        except (OSError, ProjectError):
            return False

    def is_file(self, rel: str) -> bool:
        listed = self._listed(rel)
        if listed is not None:
            return listed == "file"
        try:
            return self._path(rel).is_file()
        except (OSError, ProjectError):
            return False

    def is_dir(self, rel: str) -> bool:
        listed = self._listed(rel)
        if listed is not None:
            return listed == "dir"
        try:
            return self._path(rel).is_dir()
        except (OSError, ProjectError):
            return False

    def read_bytes(self, rel: str) -> bytes:
        path = self._path(rel)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ProjectError(f"file is too large to read ({size} bytes > {MAX_FILE_BYTES})", file=rel)
            return path.read_bytes()
        except OSError as exc:
            raise ProjectError(f"cannot read file: {exc.strerror or exc}", file=rel) from exc

    def size(self, rel: str) -> int:
        """Bytes of a file (0 when it cannot be read or leaves the project), without reading it."""
        try:
            path = self._path(rel)
            size = path.stat().st_size
        except (OSError, ProjectError):
            return 0
        note_size(str(path), size)  # a kept plan is planned again when it changes (dockwright.readset)
        return size

    def read_text(self, rel: str) -> str:
        """UTF-8 text; a file that starts with a UTF-16/32 byte order mark (``pip freeze >`` in Windows
        PowerShell writes UTF-16) is decoded by its mark, as pip decodes requirements files. A module's
        text is read once per tree (the scan, the detectors and the later steps each ask for it: 3.6
        reads a module on a large checkout), so every step of a planning sees the same text."""
        if not rel.endswith(".py"):
            return self._decoded(rel, lossy=False)
        text = self._modules.get(rel)
        if text is None:
            text = self._modules[rel] = self._decoded(rel, lossy=False)
        return text

    def read_script(self, rel: str) -> str:
        """A shell script's text: as :meth:`read_text`, but a script that does not decode (a Latin-1
        comment) is read with each undecodable byte replaced (U+FFFD) and noted in
        :attr:`lossy_scripts`; its commands, which the shell reads as bytes, stay as written."""
        return self._decoded(rel, lossy=True)

    def _decoded(self, rel: str, *, lossy: bool) -> str:
        data = self.read_bytes(rel)
        encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8-sig")
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if not lossy:
                label = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
                raise ProjectError(f"not {label} text (byte {exc.start})", file=rel) from exc
            self.lossy_scripts.setdefault(rel, exc.start)
            text = data.decode(encoding, errors="replace")
        return text.replace("\r\n", "\n")

    def read_toml(self, rel: str) -> dict[str, Any]:
        """The file's table, a copy of its own for each caller: the same text is parsed once per
        process (a detection parsed uv.lock 11 times, its pyproject.toml 25: docs/lean.md "Session
        25: buildspeed25"), and a planning that keeps a memo takes the table an earlier planning parsed
        from the same text (:func:`dockwright.readset.memo`; unpickled in 0.07 ms where fastapi-uv's
        uv.lock parses in 3.7)."""
        text = self.read_text(rel)
        named = (rel.rsplit("/", 1)[-1], text)  # the checked shapes depend on the file's name
        copied = kept_toml(*named)
        if copied is not None:
            return copied
        if memo_active():
            import pickle

            def parsed() -> bytes:
                return pickle.dumps(_checked_toml(rel, text), protocol=pickle.HIGHEST_PROTOCOL)

            blob = memo("toml-table", list(named), parsed)
            assert blob is not None  # parsed() never answers None
            data: dict[str, Any] = pickle.loads(blob)  # the kept plan's store, under the user's MAC
            kept: dict[str, Any] = pickle.loads(blob)
        else:
            data = _checked_toml(rel, text)
            kept = _toml_copy(data)
        with _PARSED_TOML_LOCK:
            if len(_PARSED_TOML) >= _PARSED_TOML_MAX:
                _PARSED_TOML.pop(next(iter(_PARSED_TOML)))
            _PARSED_TOML[named] = kept
        return data

    def numbered_lines(self, rel: str) -> list[tuple[int, str]]:
        """``(line number, line)`` of a text file, 1-based; none for a missing or unreadable file."""
        if not self.is_file(rel):
            return []
        try:
            text = self.read_text(rel)
        except ProjectError:
            return []
        return list(enumerate(text.splitlines(), start=1))

    def line_of(self, rel: str, pattern: str) -> int | None:
        """1-based line of the first match of regex ``pattern`` in a text file (for evidence), else None."""
        try:
            text = self.read_text(rel)
        except ProjectError:
            return None
        regex = re.compile(pattern, re.MULTILINE)
        match = regex.search(text)
        return text.count("\n", 0, match.start()) + 1 if match else None

    def read_json(self, rel: str) -> Any:
        text = self.read_text(rel)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProjectError(f"invalid JSON: {exc.msg}", file=rel, line=exc.lineno) from exc
        except RecursionError as exc:
            raise ProjectError("JSON nested too deeply", file=rel) from exc
        check_shape(data, rel)
        return data

    def listdir(self, rel: str = ".") -> list[str]:
        """Names in a directory (sorted), or [] when it is not one (or leaves the project)."""
        try:
            path = self._path(rel)
        except ProjectError:
            return []
        try:
            return sorted(p.name for p in path.iterdir())
        except OSError:
            return []

    def special_files(self) -> list[str]:
        """Top-level names that are neither regular files nor folders (FIFO, socket, device): never read."""
        out = []
        for name in self.listdir():
            try:
                path = self._path(name)
                if path.exists() and not path.is_file() and not path.is_dir():
                    out.append(name)
            except (OSError, ProjectError):
                continue
        return out

    def top_files(self) -> list[str]:
        return [n for n in self.listdir() if self.is_file(n)]

    def top_dirs(self) -> list[str]:
        return [n for n in self.listdir() if self.is_dir(n)]

    @cached_property
    def venv_dirs(self) -> tuple[str, ...]:
        """Directories (top level or one below) that are virtualenvs: they contain ``pyvenv.cfg``."""
        found: list[str] = []
        for name in self.top_dirs():
            if self.is_file(f"{name}/pyvenv.cfg"):
                found.append(name)
        return tuple(found)

    @cached_property
    def python_files(self) -> tuple[str, ...]:
        """Project-relative ``.py`` files, skipping virtualenvs, hidden and build/cache directories."""
        return self._source_walk[0]

    @cached_property
    def database_files(self) -> tuple[str, ...]:
        """Project-relative files named as a local database or its journal (:data:`DATABASE_SUFFIXES`)
        in the folders :attr:`python_files` walks: names only, never their bytes."""
        return self._source_walk[1]

    @cached_property
    def _source_walk(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        out: list[str] = []
        databases: list[str] = []
        skip_venvs = set(self.venv_dirs)

        def walk(rel: str, depth: int) -> None:
            if len(out) >= MAX_SOURCE_FILES or depth > 8:
                return
            for name in self.listdir(rel):
                child = name if rel == "." else f"{rel}/{name}"
                if self.is_dir(child):
                    if (
                        name in _SKIP_DIRS
                        or name.startswith(".")
                        or child in skip_venvs
                        or child in self.skip
                    ):
                        continue
                    if self.is_file(f"{child}/pyvenv.cfg"):
                        continue
                    walk(child, depth + 1)
                elif name.endswith(".py") and self.is_file(child):
                    out.append(child)
                    if len(out) >= MAX_SOURCE_FILES:
                        return
                elif (
                    name.endswith(DATABASE_SUFFIXES)
                    and len(databases) < MAX_DATABASE_FILES
                    and self.is_file(child)
                ):
                    databases.append(child)

        walk(".", 0)
        return tuple(out), tuple(databases)


# Project paths are "/"-separated and a listed name is the name a path spells (Windows would also open
# "config.py." or a short "CONFIG~1.PY" as "config.py"): elsewhere every path is asked of the filesystem.
_PLAIN_RELATIVE = os.name == "posix"


def _plain_parts(rel: str) -> list[str] | None:
    """``rel``'s parts when it is a plain relative path on POSIX (another system has other
    separators): no empty, ``.`` or ``..`` part (so not absolute, not empty) and no NUL (which
    ``resolve`` reports); else None."""
    if not _PLAIN_RELATIVE or "\0" in rel:
        return None
    parts = rel.split("/")
    return None if any(part in ("", ".", "..") for part in parts) else parts


_LISTED_KINDS = {"d": "dir", "f": "file"}  # a link or a special file: the filesystem is asked


def _entry_kind(entry: os.DirEntry[str]) -> str:
    try:
        if entry.is_symlink():
            return "l"
        if entry.is_dir(follow_symlinks=False):
            return "d"
        return "f" if entry.is_file(follow_symlinks=False) else "o"
    except OSError:
        return "o"


def _folded(name: str) -> str:
    """A name as a case-insensitive filesystem (macOS) compares it, or more loosely."""
    return unicodedata.normalize("NFC", name).casefold()


# Byte order marks besides UTF-8's (utf-8-sig strips it), longest first: UTF-32 LE starts like UTF-16 LE.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def inside(path: Path, root: Path) -> bool:
    """Does ``path`` (after following every symlink) stay within ``root``?"""
    try:
        resolved = path.resolve()
        base = root.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return resolved == base or base in resolved.parents


def read_inside(path: Path, root: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file that stays inside ``root`` and is at most ``limit`` bytes.

    For readers outside a ProjectTree (lint reads the folder of a Dockerfile): a symlink out of
    ``root``, a FIFO or device, a loop or an oversized file is a ProjectError naming the file."""
    if not inside(path, root):
        raise ProjectError("is a symlink that leaves the folder; not read", file=str(path))
    try:
        if not path.is_file():
            raise ProjectError("is not a regular file; not read", file=str(path))
        size = path.stat().st_size
        if size > limit:
            raise ProjectError(f"is too large to read ({size} bytes > {limit})", file=str(path))
        return path.read_bytes()
    except OSError as error:
        raise ProjectError(f"cannot read file: {error.strerror or error}", file=str(path)) from error


def lossy_script_notes(tree: ProjectTree) -> list[str]:
    """One line per script :meth:`ProjectTree.read_script` read with undecodable bytes replaced."""
    return [
        f"{rel}: not UTF-8 text (byte {byte}); read with its undecodable bytes replaced, so a command "
        "holding one is not read as written: save the script as UTF-8"
        for rel, byte in sorted(tree.lossy_scripts.items())
    ]


def parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML text shipped with dockwright (its data tables); project files go through ``read_toml``."""
    return tomllib.loads(text)


_PARSED_TABLES: dict[str, bytes] = {}  # name -> the parsed table, pickled (parse_all_tables)


def data_table(name: str) -> dict[str, Any]:
    """One of the knowledge tables in ``dockwright/project/data`` (``"programs.toml"``), parsed; each
    caller builds (and caches) its own rows from it. A table :func:`parse_all_tables` parsed comes
    back as a fresh copy of that parse (unpickled: ~1/20 of parsing its TOML)."""
    parsed = _PARSED_TABLES.get(name)
    if parsed is not None:
        import pickle

        loaded: dict[str, Any] = pickle.loads(parsed)  # bytes this process pickled
        return loaded
    return parse_toml(resources.files("dockwright.project").joinpath(f"data/{name}").read_text("utf-8"))


def parse_all_tables() -> None:
    """Parse every table once, for the daemon's commands (dockwright/daemon/server.py)."""
    import pickle

    for entry in resources.files("dockwright.project").joinpath("data").iterdir():
        if entry.name.endswith(".toml"):
            _PARSED_TABLES[entry.name] = pickle.dumps(parse_toml(entry.read_text("utf-8")))


def committed_recipe_notes(tree: ProjectTree) -> list[str]:
    """One line per recipe dockwright's Dockerfile replaced that the plan read from git in its place."""
    return [
        f"{rel}: dockwright's (an earlier `init --force` replaced the repository's own); the repository's "
        "recipe was read as git holds it, so init plans as it did the first time"
        for rel, text in sorted(tree.committed_recipes.items())
        if text is not None
    ]
