"""Where an installed distribution came from, as far as the image itself shows: the secrets check warns
about a key a *published* library ships unchanged and fails the app's own keys, so it needs to tell a
library from a package index from the project's own (or a private) wheel.

An installed distribution records its origin only when it came from a direct reference: PEP 610's
``direct_url.json`` (a file, folder, URL or VCS checkout). A wheel installed *by name* from a
``--find-links`` folder records nothing (pip writes no ``direct_url.json`` for it, no more than for an
index download; ``INSTALLER`` only names the tool), so "no ``direct_url.json``" is no proof of a package
index. What can show it is a lock the image holds (the app's tree copies it, as dockwright's images do):

- ``index``: a requirements file (``requirements*.txt``, ``requirements*.lock``) naming the distribution
  (pinned: at the installed version) with no ``--find-links``/``-f``/``--no-index`` in it; ``uv.lock``
  with a ``registry`` source; ``poetry.lock`` with no source (PyPI) or a ``legacy`` one;
  ``pylock.toml`` with an ``index``; and no step of the image's build history nor its environment
  installs from a folder (``--find-links``, ``--no-index``, ``PIP_FIND_LINKS``).
- ``file``: ``direct_url.json`` is there.
- ``own``: a ``pyproject.toml`` of the image (outside site-packages) names the distribution.
- ``unknown``: anything else; judged as the project's own (the secure default).

Sources: https://packaging.python.org/en/latest/specifications/direct-url/ (written only for direct
references), https://pip.pypa.io/en/stable/cli/pip_install/#finding-packages (``--find-links``),
https://docs.astral.sh/uv/concepts/resolution/#lock-file (``source``),
https://packaging.python.org/en/latest/specifications/pylock-toml/ (``packages.index``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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


def origin(facts: ImageFacts, folder: str) -> Origin:
    """Where the distribution of the ``.dist-info`` ``folder`` (a path in the image) came from."""
    if f"{folder}/direct_url.json" in facts.files:
        return "file"
    name, _, version = folder.rpartition("/")[2].removesuffix(".dist-info").partition("-")
    key = canonicalize_name(name)
    readings = _readings(facts)
    if key in readings[1]:
        return "own"
    pins = readings[0]
    return "index" if (key, version) in pins or (key, "") in pins else "unknown"


def published_owner(facts: ImageFacts, path: str) -> str | None:
    """The distribution (``name-version``) whose import package (or module) holds ``path`` in
    site-packages, when a lock of the image shows it came from a package index (:func:`origin`). The
    package is matched to the distribution by name (``yt_dlp/`` to ``yt_dlp-2025.3.31.dist-info``);
    None for anything else."""
    marker = next((m for m in ("/site-packages/", "/dist-packages/") if m in path), None)
    if marker is None:
        return None
    head, _, rest = path.partition(marker)
    top = rest.split("/", 1)[0].removesuffix(".py")
    return _published(facts).get(f"{head}{marker}{canonicalize_name(top)}")


def _published(facts: ImageFacts) -> dict[str, str]:
    def compute(facts: ImageFacts) -> dict[str, str]:
        out: dict[str, str] = {}
        for path in facts.files:
            if not path.endswith(".dist-info/METADATA") or not _in_site_packages(path):
                continue
            folder = path.removesuffix("/METADATA")
            if origin(facts, folder) != "index":
                continue
            parent, _, name = folder.rpartition("/")
            dist = name.removesuffix(".dist-info")
            out[f"{parent}/{canonicalize_name(dist.partition('-')[0])}"] = dist
        return out

    return _memo(facts, "published", compute)


def _readings(facts: ImageFacts) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """(canonical name, version) pinned from an index by the image's locks, and the names its own
    ``pyproject.toml`` files give; read once per image."""

    def compute(facts: ImageFacts) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
        pins: set[tuple[str, str]] = set()
        own: set[str] = set()
        from_folder = any(_FOLDER_INSTALL.search(step.created_by) for step in facts.history) or any(
            _FOLDER_INSTALL.search(name) for name, _ in facts.config.env
        )
        for path, data in facts.contents.items():
            if _in_site_packages(path) or not LOCK_FILES.search(path):
                continue  # a library's own requirements file vouches for nothing
            text = data.decode("utf-8", "replace")
            base = path.rpartition("/")[2]
            if base == "pyproject.toml":
                own.update(_project_names(text))
            elif not from_folder:
                pins.update(_index_pins(base, text))
        return frozenset(pins), frozenset(own)

    return _memo(facts, "dist_origin", compute)


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
    if base == "uv.lock":
        return isinstance(source, dict) and "registry" in source
    if base == "poetry.lock":
        return source is None or (isinstance(source, dict) and source.get("type") == "legacy")
    return isinstance(package.get("index"), str)  # pylock.toml


def _project_names(text: str) -> Iterator[str]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeError):
        return
    tool = data.get("tool")
    for table in (data.get("project"), tool.get("poetry") if isinstance(tool, dict) else None):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            yield canonicalize_name(table["name"])
