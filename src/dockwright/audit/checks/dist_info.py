"""What the installed distributions say about themselves, read from their ``.dist-info`` folders as the
audit streamed them (:data:`dockwright.audit.image.ImageFacts.contents`): which distribution's
``RECORD`` lists a file and with which hash, and what each one requires at run time (``Requires-Dist``
of its ``METADATA``). Each reading is computed once per image, and only by the checks that need it."""

from __future__ import annotations

import base64
import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dockwright.audit.checks.common import _memo, image_python
from dockwright.audit.checks.dist_origin import Origin, origin
from dockwright.audit.image import ImageFacts
from dockwright.dist_names import canonicalize_name

if TYPE_CHECKING:  # packaging loads only to parse a Requires-Dist line (see runtime_requirers)
    from packaging.requirements import Requirement

_MARKERS = ("/site-packages/", "/dist-packages/")


@dataclass(frozen=True)
class Owner:
    """The distribution whose ``RECORD`` lists a file."""

    dist: str  # name-version, as its .dist-info folder is named
    sha256: str  # the digest RECORD gives (hex), "" when it gives none
    origin: Origin  # where it came from, as the image (and the context) show it (checks/dist_origin.py)

    @property
    def published(self) -> bool:
        """A lock of the image (or of the context) shows it came from a package index."""
        return self.origin == "index"


def site_root(path: str) -> str | None:
    """The site-packages (or dist-packages) folder ``path`` is in, else None."""
    for marker in _MARKERS:
        at = path.find(marker)
        if at >= 0:
            return path[: at + len(marker) - 1]
    return None


def record_owner(facts: ImageFacts, path: str, context: Path | None = None) -> Owner | None:
    """The distribution whose RECORD lists ``path`` (a file in a site-packages folder), else None;
    ``context`` (``--context``): the project whose locks show where it came from too (dist_origin).

    Called for the few files a check asks about (the secret scan's hits): each RECORD of the same
    site-packages is searched for the path's line, rather than every RECORD parsed (~16,000 lines
    on a Streamlit image)."""
    root = site_root(path)
    if root is None:
        return None
    needle = ("\n" + path[len(root) + 1 :] + ",").encode()
    for record, data in _records(facts).get(root, ()):
        at = (b"\n" + data).find(needle)
        if at < 0:
            continue
        end = data.find(b"\n", at)  # ``at`` is where the path starts in ``data`` (the needle's \n is ahead)
        line = data[at : end if end >= 0 else len(data)]
        row = next(csv.reader([line.decode("utf-8", "replace")]), [])
        folder = record.removesuffix("/RECORD")
        return Owner(
            folder.rpartition("/")[2].removesuffix(".dist-info"),
            _hex(row[1] if len(row) > 1 else ""),
            origin(facts, folder, context),
        )
    return None


def _records(facts: ImageFacts) -> dict[str, list[tuple[str, bytes]]]:
    """site root -> the (path, content) of every visible RECORD in it."""

    def compute(facts: ImageFacts) -> dict[str, list[tuple[str, bytes]]]:
        out: dict[str, list[tuple[str, bytes]]] = {}
        for path, data in facts.contents.items():
            if path.endswith(".dist-info/RECORD"):
                out.setdefault(path.rsplit("/", 2)[0], []).append((path, data))
        return out

    return _memo(facts, "dist_records", compute)


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


def runtime_requirers(facts: ImageFacts, root: str, name: str) -> tuple[Requirer, ...]:
    """The distributions installed in ``root`` (a site-packages folder) whose METADATA requires
    ``name`` at run time: ``Requires-Dist`` lines without an ``extra`` marker, whose other markers
    hold for the image's Linux CPython (a marker that cannot be evaluated counts as holding)."""
    wanted = canonicalize_name(name)
    environment = _environment(facts)
    found = []
    for dist, line, required in _requires_lines(facts).get(root, ()):
        if required != wanted:
            continue
        from packaging.requirements import InvalidRequirement, Requirement  # here: see dockwright.dist_names

        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if requirement.marker is None or _holds(requirement, environment):
            found.append(Requirer(dist, line))
    return tuple(found)


# a Requires-Dist header and the name it starts with (a METADATA's headers, as captured)
_REQUIRES = re.compile(rb"^Requires-Dist:[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)(.*)$", re.M)


def _requires_lines(facts: ImageFacts) -> dict[str, list[tuple[str, str, str]]]:
    """site root -> (distribution, Requires-Dist line, canonical name it requires) of every METADATA."""

    def compute(facts: ImageFacts) -> dict[str, list[tuple[str, str, str]]]:
        out: dict[str, list[tuple[str, str, str]]] = {}
        for path, data in facts.contents.items():
            if not path.endswith(".dist-info/METADATA"):
                continue
            root, name, _ = path.rsplit("/", 2)
            dist = name.removesuffix(".dist-info")
            for match in _REQUIRES.finditer(data):
                line = (match[1] + match[2]).decode("utf-8", "replace").strip()
                required = canonicalize_name(match[1].decode("ascii"))
                out.setdefault(root, []).append((dist, line, required))
        return out

    return _memo(facts, "dist_requires", compute)


def _holds(requirement: Requirement, environment: dict[str, str]) -> bool:
    from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName

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


def installed(facts: ImageFacts, root: str) -> tuple[tuple[str, str], ...]:
    """(canonical name, version) of every distribution with a visible METADATA in ``root``."""
    out = []
    for path in _metadata_paths(facts).get(root, ()):
        name, _, version = path.rsplit("/", 2)[1].removesuffix(".dist-info").partition("-")
        out.append((canonicalize_name(name), version))
    return tuple(out)


def _metadata_paths(facts: ImageFacts) -> dict[str, list[str]]:
    def compute(facts: ImageFacts) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for path in facts.contents:
            if path.endswith(".dist-info/METADATA"):
                out.setdefault(path.rsplit("/", 2)[0], []).append(path)
        return out

    return _memo(facts, "dist_metadata", compute)
