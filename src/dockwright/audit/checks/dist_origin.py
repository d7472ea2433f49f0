"""Where an installed distribution came from, as far as the image (and, with ``--context``, the
project) shows: the secrets check warns about a key a *published* library ships unchanged and fails the
app's own keys, so it needs to tell a library from a package index from the project's own (or a
private) wheel.

The distribution's own ``.dist-info`` can only prove a *local* origin. pip and uv write PEP 610's
``direct_url.json`` for a direct reference (a wheel file, a folder, a URL, a VCS checkout: dockwright
installs the app's own wheel from ``/dist/*.whl``, so it has one) and never for a download by name;
but a wheel installed *by name* from a ``--find-links`` folder records nothing either (no
``direct_url.json``, and ``INSTALLER`` only names the tool), so "no ``direct_url.json``" is no proof of
a package index: a project's own wheel dropped in a folder would pass as published. What can show the
index is a lock: one the image holds (an app-tree image copies it), or, with ``--context``, the
project's own (a package project's image, dockwright's included, installs the app as a wheel and its
runtime keeps no lock). The context is the evidence rather than a record dockwright would write into
its images: it vouches for images dockwright did not build too, writes nothing more into the image
(a lock copied in can carry an index's credentials), and is what ``dockwright audit --context`` reads
for the other project checks (the ``lock`` check compares the same pins with the installed versions).

- ``file``: ``direct_url.json`` is there (whatever a lock pins).
- ``own``: a ``pyproject.toml`` of the image (outside site-packages) or of the context names the
  distribution.
- ``index``: a requirements file (``requirements*.txt``, ``requirements*.lock``) of the image or the
  context naming the distribution (pinned: at the installed version) with no
  ``--find-links``/``-f``/``--no-index`` in it; ``uv.lock`` with a ``registry`` source that is a URL (a
  local flat index, ``find-links`` or ``format = "flat"``, is a ``registry`` by a path);
  ``poetry.lock`` with no source (PyPI) or a ``legacy`` one; ``pylock.toml`` with an ``index``; and
  nothing shows an install from a folder: no step of the image's build history nor its environment
  (``--find-links``, ``--no-index``, ``PIP_FIND_LINKS``), and, with ``--context``, no Dockerfile
  (``Dockerfile*``, ``*.Dockerfile``, ``Containerfile*``: a builder stage is in no history of the
  runtime), ``pip.conf``/``pip.ini``, ``uv.toml`` or ``pyproject.toml`` of the context naming a
  ``find-links`` folder or a flat index. A context recipe's ``--no-index`` alone does not count:
  dockwright's own builds the app's wheel offline with it, and an install by name without an index
  needs one of the find-links sources read here.
- ``unknown``: anything else; judged as the project's own (the secure default).

Sources: https://packaging.python.org/en/latest/specifications/direct-url/ (written only for direct
references), https://pip.pypa.io/en/stable/cli/pip_install/#finding-packages (``--find-links``),
https://docs.astral.sh/uv/concepts/resolution/#lock-file (``source``),
https://docs.astral.sh/uv/concepts/indexes/#flat-indexes (a flat index in uv.lock),
https://packaging.python.org/en/latest/specifications/pylock-toml/ (``packages.index``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from dockwright.audit.checks.common import _in_site_packages, _memo
from dockwright.audit.image import LOCK_FILES, ImageFacts
from dockwright.dist_names import canonicalize_name
from dockwright.toml_reader import tomllib

Origin = Literal["index", "file", "own", "unknown"]

# a requirement line by name: pinned (`name==1.0`: that version) or not (`name>=1`: whichever the index
# gave; "" below)
_PIN = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*"
    r"(?:===?\s*([^\s;\\#,]+)(?=\s|;|#|$)|\s*(?=[;<>=!~#]|$))"
)
_FOLDER_OPTION = re.compile(r"^(?:--find-links|-f|--no-index)\b")
_FOLDER_INSTALL = re.compile(r"--find-links|--no-index|\s-f\s|PIP_FIND_LINKS|UV_FIND_LINKS|PIP_NO_INDEX")
# the context's recipes and installer configuration naming a folder of wheels: `--find-links`,
# `find-links = ...` (pip.conf, uv.toml, [tool.uv]), `PIP_FIND_LINKS`/`UV_FIND_LINKS`, a uv flat index,
# pip's or uv's `-f` (in the same command: `rm -f` is none)
_CONTEXT_FOLDER = re.compile(
    r"(?i:find[-_]links)|format\s*=\s*[\"']flat[\"']|\b(?:pip3?|uv)\b[^\n&|;]*\s-f\s"
)
# the context's files that say how it installs: Dockerfiles (any stage) and installer configuration
_RECIPES = re.compile(
    r"^(?:(?:Dockerfile|Containerfile)(?:\.[^/]+)?|[^/]+\.(?:Dockerfile|dockerfile|Containerfile)"
    r"|pip\.conf|pip\.ini|uv\.toml)$"
)
# folders of the context not its own: tools' environments, other projects' packages, caches
_SKIP = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache"}
    | {"site-packages", "dist-packages"}
)
_LARGEST = 8 << 20  # a lock larger than 8 MiB is not read (uv.lock of a large monorepo is ~2 MiB)


def origin(facts: ImageFacts, folder: str, context: Path | None = None) -> Origin:
    """Where the distribution of the ``.dist-info`` ``folder`` (a path in the image) came from;
    ``context``: the project's folder (``--context``), whose locks and recipes are read too."""
    if f"{folder}/direct_url.json" in facts.files:
        return "file"
    name, _, version = folder.rpartition("/")[2].removesuffix(".dist-info").partition("-")
    key = canonicalize_name(name)
    readings = _readings(facts, context)
    if key in readings[1]:
        return "own"
    pins = readings[0]
    return "index" if (key, version) in pins or (key, "") in pins else "unknown"


def published_owner(facts: ImageFacts, path: str, context: Path | None = None) -> str | None:
    """The distribution (``name-version``) whose import package (or module) holds ``path`` in
    site-packages, when a lock of the image shows it came from a package index (:func:`origin`). The
    package is matched to the distribution by name (``yt_dlp/`` to ``yt_dlp-2025.3.31.dist-info``);
    None for anything else."""
    marker = next((m for m in ("/site-packages/", "/dist-packages/") if m in path), None)
    if marker is None:
        return None
    head, _, rest = path.partition(marker)
    top = rest.split("/", 1)[0].removesuffix(".py")
    return _published(facts, context).get(f"{head}{marker}{canonicalize_name(top)}")


def _published(facts: ImageFacts, context: Path | None) -> dict[str, str]:
    def compute(facts: ImageFacts) -> dict[str, str]:
        out: dict[str, str] = {}
        for path in facts.files:
            if not path.endswith(".dist-info/METADATA") or not _in_site_packages(path):
                continue
            folder = path.removesuffix("/METADATA")
            if origin(facts, folder, context) != "index":
                continue
            parent, _, name = folder.rpartition("/")
            dist = name.removesuffix(".dist-info")
            out[f"{parent}/{canonicalize_name(dist.partition('-')[0])}"] = dist
        return out

    return _memo(facts, f"published {context}", compute)


def _readings(facts: ImageFacts, context: Path | None) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """(canonical name, version) pinned from an index by the image's locks (and the context's), and the
    names its own ``pyproject.toml`` files (and the context's) give; read once per image and context."""

    def compute(facts: ImageFacts) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
        pins: set[tuple[str, str]] = set()
        own: set[str] = set()
        from_folder = any(_FOLDER_INSTALL.search(step.created_by) for step in facts.history) or any(
            _FOLDER_INSTALL.search(name) for name, _ in facts.config.env
        )
        locks = [
            (path.rpartition("/")[2], data.decode("utf-8", "replace"))
            for path, data in facts.contents.items()
            if not _in_site_packages(path) and LOCK_FILES.search(path)  # a library's own vouches for nothing
        ]
        if context is not None:
            for base, text in _context_files(context):
                if _RECIPES.match(base) or base == "pyproject.toml":
                    from_folder = from_folder or bool(_CONTEXT_FOLDER.search(text.replace("\\\n", " ")))
                if LOCK_FILES.search(base):
                    locks.append((base, text))
        for base, text in locks:
            if base == "pyproject.toml":
                own.update(_project_names(text))
            elif not from_folder:
                pins.update(_index_pins(base, text))
        return frozenset(pins), frozenset(own)

    return _memo(facts, f"dist_origin {context}", compute)


def _context_files(context: Path) -> Iterator[tuple[str, str]]:
    """(file name, text) of each lock, ``pyproject.toml`` and install recipe of the build context, tool
    folders (environments, caches, ``node_modules``) left out; never a file through a link."""
    for folder, dirs, files in os.walk(context):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP)
        for base in sorted(files):
            if not (LOCK_FILES.search(base) or _RECIPES.match(base)):
                continue
            path = Path(folder) / base
            try:
                if path.is_symlink() or path.stat().st_size > _LARGEST:
                    continue
                yield base, path.read_bytes().decode("utf-8", "replace")
            except OSError:
                continue


def _index_pins(base: str, text: str) -> Iterator[tuple[str, str]]:
    if base.endswith(".toml") or base in ("uv.lock", "poetry.lock"):
        yield from _toml_pins(base, text)
        return
    lines = text.replace("\\\n", " ").splitlines()
    if any(_FOLDER_OPTION.match(line.strip()) for line in lines):
        return  # a folder of wheels beside the index: any name may have come from it
    for line in lines:
        match = _PIN.match(line.strip())
        if match:
            yield canonicalize_name(match[1]), match[2] or ""


def _toml_pins(base: str, text: str) -> Iterator[tuple[str, str]]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeError):
        return
    packages = data.get("packages" if base.startswith("pylock") else "package", [])
    for package in packages if isinstance(packages, list) else []:
        if not isinstance(package, dict) or not _from_index(base, package):
            continue
        name, version = package.get("name"), package.get("version")
        if isinstance(name, str) and isinstance(version, str):
            yield canonicalize_name(name), version


def _from_index(base: str, package: dict[str, Any]) -> bool:
    source = package.get("source")
    if base == "uv.lock":  # a local flat index (find-links, format = "flat") is a registry by a path
        return isinstance(source, dict) and _is_url(source.get("registry"))
    if base == "poetry.lock":
        return source is None or (isinstance(source, dict) and source.get("type") == "legacy")
    return isinstance(package.get("index"), str)  # pylock.toml


def _is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _project_names(text: str) -> Iterator[str]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeError):
        return
    tool = data.get("tool")
    for table in (data.get("project"), tool.get("poetry") if isinstance(tool, dict) else None):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            yield canonicalize_name(table["name"])
