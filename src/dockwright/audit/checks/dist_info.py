"""What the installed distributions say about themselves, read from their ``.dist-info`` folders as the
audit streamed them (:data:`dockwright.audit.image.ImageFacts.contents`): which distribution's
``RECORD`` lists a file and with which hash, and what each one requires at run time (``Requires-Dist``
of its ``METADATA``). Each reading is computed once per image, and only by the checks that need it."""

from __future__ import annotations

import base64
import csv
import posixpath
from dataclasses import dataclass
from email.parser import HeaderParser

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.audit.checks.common import _memo, image_python
from dockwright.audit.image import ImageFacts

_MARKERS = ("/site-packages/", "/dist-packages/")


@dataclass(frozen=True)
class Owner:
    """The distribution whose ``RECORD`` lists a file."""

    dist: str  # name-version, as its .dist-info folder is named
    sha256: str  # the digest RECORD gives (hex), "" when it gives none
    published: bool  # installed from an index: no PEP 610 direct_url.json (a file, folder, URL or VCS)


def site_root(path: str) -> str | None:
    """The site-packages (or dist-packages) folder ``path`` is in, else None."""
    for marker in _MARKERS:
        at = path.find(marker)
        if at >= 0:
            return path[: at + len(marker) - 1]
    return None


def record_owner(facts: ImageFacts, path: str) -> Owner | None:
    """The distribution whose RECORD lists ``path`` (a file in a site-packages folder), else None."""
    root = site_root(path)
    if root is None:
        return None
    return _records(facts).get(root, {}).get(path)


def _records(facts: ImageFacts) -> dict[str, dict[str, Owner]]:
    return _memo(facts, "dist_records", _read_records)


def _read_records(facts: ImageFacts) -> dict[str, dict[str, Owner]]:
    """site root -> file path -> its owner, from every visible RECORD (the paths in a RECORD are
    relative to the site root; ``../../../bin/x`` ones lead out of it and are resolved too)."""
    out: dict[str, dict[str, Owner]] = {}
    for path, data in facts.contents.items():
        if not path.endswith(".dist-info/RECORD"):
            continue
        folder = path.removesuffix("/RECORD")
        root, _, name = folder.rpartition("/")
        published = f"{folder}/direct_url.json" not in facts.files
        dist = name.removesuffix(".dist-info")
        owned = out.setdefault(root, {})
        for row in csv.reader(data.decode("utf-8", "replace").splitlines()):
            if not row or not row[0]:
                continue
            file = posixpath.normpath(posixpath.join(root, row[0])).lstrip("/")
            owned[file] = Owner(dist, _hex(row[1] if len(row) > 1 else ""), published)
    return out


def _hex(hash_field: str) -> str:
    """RECORD's ``sha256=<urlsafe base64, unpadded>`` as hex; "" for another algorithm or none."""
    algorithm, _, value = hash_field.partition("=")
    if algorithm != "sha256" or not value:
        return ""
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).hex()
    except ValueError:
        return ""


@dataclass(frozen=True)
class Requirer:
    """An installed distribution that requires another at run time."""

    dist: str  # name-version
    requirement: str  # the Requires-Dist line, as written


def runtime_requirers(facts: ImageFacts, root: str) -> dict[str, tuple[Requirer, ...]]:
    """Canonical name -> the distributions installed in ``root`` (a site-packages folder) whose
    METADATA requires it at run time: ``Requires-Dist`` lines without an ``extra`` marker, whose other
    markers hold for the image's Linux CPython (a marker that cannot be evaluated counts as holding)."""
    return _memo(facts, "dist_requirers", _read_requirers).get(root, {})


def _read_requirers(facts: ImageFacts) -> dict[str, dict[str, tuple[Requirer, ...]]]:
    environment = _environment(facts)
    found: dict[str, dict[str, list[Requirer]]] = {}
    for path, data in facts.contents.items():
        if not path.endswith(".dist-info/METADATA"):
            continue
        folder = path.removesuffix("/METADATA")
        root, _, name = folder.rpartition("/")
        dist = name.removesuffix(".dist-info")
        headers = HeaderParser().parsestr(data.decode("utf-8", "replace").split("\n\n", 1)[0])
        for line in headers.get_all("Requires-Dist") or ():
            try:
                requirement = Requirement(str(line))
            except InvalidRequirement:
                continue
            if requirement.marker is not None and not _holds(requirement, environment):
                continue
            needed = found.setdefault(root, {}).setdefault(canonicalize_name(requirement.name), [])
            needed.append(Requirer(dist, str(line).strip()))
    return {root: {name: tuple(rows) for name, rows in names.items()} for root, names in found.items()}


def _holds(requirement: Requirement, environment: dict[str, str]) -> bool:
    marker = requirement.marker
    assert marker is not None
    if "extra" in str(marker):
        return False  # an optional feature: installed only when asked for, never required by the dist
    try:
        return marker.evaluate(environment)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True


def _environment(facts: ImageFacts) -> dict[str, str]:
    """PEP 508 marker values of the image's interpreter (Linux CPython; the version when known)."""
    python = image_python(facts) or ""
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(facts.architecture, facts.architecture)
    environment = {
        "os_name": "posix",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": machine,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    if python:
        environment |= {"python_version": python, "python_full_version": f"{python}.0"}
    return environment
