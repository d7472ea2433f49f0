"""What an image really contains: Python distributions and Debian packages, read from ImageFacts.

Python distributions come from ``*.dist-info`` folders in site-packages/dist-packages: the name and
version from METADATA (or, without captured contents, from the folder name), the licence from
``License-Expression``, else ``License``, else the ``License ::`` classifiers; a fingerprint of the
installed files from RECORD (its sha256 and row count); the wheel's file name from ``direct_url.json``.
Debian packages come from ``/var/lib/dpkg/status`` and distroless' ``/var/lib/dpkg/status.d/*``, their
licences from the machine-readable ``/usr/share/doc/<package>/copyright`` (DEP-5 ``License:`` fields).
Every item keeps the path (and layer) it was read from. The lock cross-check compares each
distribution with the project's hash-locked pins.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from email.parser import HeaderParser
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from dockwright.audit.image import ImageFacts
from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies, LockedPackage

_SITE = ("/site-packages/", "/dist-packages/")


@dataclass(frozen=True)
class LockCheck:
    """One distribution against the lock: "matches", "differs" (another version) or "unlocked"."""

    state: str
    locked_version: str = ""
    hashes: tuple[str, ...] = ()  # the lock's "sha256:..." of the artifacts pip was allowed to install
    lock_file: str = ""


@dataclass(frozen=True)
class PythonDist:
    name: str  # as METADATA spells it
    version: str
    path: str  # "/usr/local/lib/python3.11/site-packages/flask-3.0.3.dist-info"
    layer: int | None
    licence: str = ""
    summary: str = ""
    homepage: str = ""
    record_sha256: str = ""  # sha256 of RECORD: a fingerprint of the installed files and their hashes
    record_files: int = 0
    wheel: str = ""  # the installed archive's file name (direct_url.json), when installed from a file
    lock: LockCheck | None = None

    @property
    def key(self) -> str:
        return canonicalize_name(self.name)


@dataclass(frozen=True)
class DebPackage:
    name: str
    version: str
    architecture: str
    path: str  # the status file it was read from
    layer: int | None
    source: str = ""
    licence: str = ""  # DEP-5 License: names, as Debian writes them (not always SPDX ids)


@dataclass(frozen=True)
class Inventory:
    ref: str
    image_id: str
    architecture: str
    os_release: str
    created: str
    python: tuple[PythonDist, ...]
    debian: tuple[DebPackage, ...]
    lock_file: str = ""
    notes: tuple[str, ...] = ()

    def drift(self) -> tuple[PythonDist, ...]:
        """Distributions whose installed version differs from the lock."""
        return tuple(d for d in self.python if d.lock is not None and d.lock.state == "differs")


def _dist_dirs(facts: ImageFacts) -> dict[str, int]:
    """Every ``*.dist-info`` folder under a site-packages/dist-packages tree -> its layer."""
    found: dict[str, int] = {}
    for path, entry in facts.files.items():
        if not any(marker in "/" + path for marker in _SITE):
            continue
        head, _, _ = path.partition(".dist-info/")
        if head != path:
            found.setdefault(head + ".dist-info", entry.layer)
        elif path.endswith(".dist-info") and entry.kind == "dir":
            found.setdefault(path, entry.layer)
    return found


def _from_folder_name(path: str) -> tuple[str, str]:
    name, _, version = posixpath.basename(path)[: -len(".dist-info")].partition("-")
    return name, version


def _licence(headers: Iterable[tuple[str, str]]) -> str:
    fields: dict[str, list[str]] = {}
    for key, value in headers:
        fields.setdefault(key.lower(), []).append(value.strip())
    expression = (fields.get("license-expression") or [""])[0]
    if expression:
        return expression
    declared = (fields.get("license") or [""])[0]
    if declared and "\n" not in declared and len(declared) <= 80:
        return declared
    classifiers = [
        c.split("::")[-1].strip() for c in fields.get("classifier", []) if c.startswith("License ::")
    ]
    return " OR ".join(c for c in classifiers if c and c != "OSI Approved")


def python_dists(facts: ImageFacts) -> tuple[PythonDist, ...]:
    """Every installed distribution; with captured contents (``read_image(inventory=True)``) its metadata."""
    dists = []
    for folder, layer in sorted(_dist_dirs(facts).items()):
        name, version = _from_folder_name(folder)
        dist = PythonDist(name=name, version=version, path="/" + folder, layer=layer)
        metadata = facts.contents.get(folder + "/METADATA")
        if metadata is not None:
            head = metadata.decode("utf-8", "replace").split("\n\n", 1)[0]
            message = HeaderParser().parsestr(head)
            urls = {
                label.strip().lower(): url.strip()
                for label, _, url in (u.partition(",") for u in message.get_all("Project-URL") or ())
            }
            home = next((urls[k] for k in ("homepage", "home", "source", "source code") if k in urls), "")
            dist = replace(
                dist,
                name=str(message.get("Name") or name),
                version=str(message.get("Version") or version),
                licence=_licence(message.items()),
                summary=str(message.get("Summary") or ""),
                homepage=str(message.get("Home-page") or home or next(iter(urls.values()), "")),
            )
        record = facts.contents.get(folder + "/RECORD")
        if record is not None:
            rows = [line for line in record.decode("utf-8", "replace").splitlines() if line.strip()]
            dist = replace(dist, record_sha256=hashlib.sha256(record).hexdigest(), record_files=len(rows))
        direct = facts.contents.get(folder + "/direct_url.json")
        if direct is not None:
            try:
                url = str(json.loads(direct).get("url") or "")
            except (ValueError, AttributeError):
                url = ""
            dist = replace(dist, wheel=posixpath.basename(url) if url.endswith((".whl", ".tar.gz")) else "")
        dists.append(dist)
    return tuple(dists)


def _stanzas(text: str) -> Iterable[dict[str, str]]:
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for match in re.finditer(r"^([A-Za-z0-9-]+):[ \t]*(.*)$", block, re.M):
            fields.setdefault(match[1].lower(), match[2].strip())
        if fields.get("package"):
            yield fields


def _copyright_licences(text: str) -> str:
    names: list[str] = []
    for match in re.finditer(r"^License:[ \t]*(\S.*)$", text, re.M):
        name = match[1].strip()
        if name not in names:
            names.append(name)
    return " AND ".join(names)


def debian_packages(facts: ImageFacts) -> tuple[DebPackage, ...]:
    """Installed Debian packages (dpkg status, or distroless' status.d), each with its source file."""
    packages: dict[str, DebPackage] = {}
    sources = sorted(
        path
        for path in facts.contents
        if path == "var/lib/dpkg/status" or path.startswith("var/lib/dpkg/status.d/")
    )
    for path in sources:
        entry = facts.files.get(path)
        for fields in _stanzas(facts.contents[path].decode("utf-8", "replace")):
            status = fields.get("status", "install ok installed")
            if not status.endswith(" installed"):
                continue
            name = fields["package"]
            copyright_text = facts.contents.get(f"usr/share/doc/{name}/copyright", b"")
            packages[name] = DebPackage(
                name=name,
                version=fields.get("version", ""),
                architecture=fields.get("architecture", ""),
                path="/" + path,
                layer=entry.layer if entry else None,
                source=fields.get("source", "").split(" ")[0],
                licence=_copyright_licences(copyright_text.decode("utf-8", "replace")),
            )
    return tuple(sorted(packages.values(), key=lambda p: p.name))


def _same_version(installed: str, locked: str) -> bool:
    if not locked:
        # a git or folder pin (``# built from git: pkg @ git+URL@COMMIT``, a path entry): the lock names
        # a commit or a folder, not a version, so any version the build made from it is the locked one
        return True
    try:
        return Version(installed) == Version(locked)
    except InvalidVersion:
        return installed == locked


def project_lock(root: Path, python: str | None = None) -> tuple[tuple[LockedPackage, ...], str]:
    """The project's locked packages and the lock file that pins them ("" when nothing is locked).

    ``python`` (X.Y): the interpreter the image runs, so that a project whose own files name a
    Python dockwright would not build for (Heroku's ``runtime.txt`` of an old release) is still read
    for its pins, with markers evaluated for the Python that installed them."""
    from dockwright.lock.header import read_header
    from dockwright.project.detect import detect_project
    from dockwright.project.managers import GENERATED_LOCK, generated_lock_packages
    from dockwright.project.rye_lock import own_lock_name
    from dockwright.project.tree import ProjectTree

    try:
        dependencies = detect_project(root, python=python).dependencies
    except ProjectError:
        if python is None:
            raise
        # what stops a plan (no start found: a library or a CLI; a Python dockwright does not
        # build) does not hide the pins: read the dependencies alone, for the image's Python
        dependencies = _dependencies_alone(root, python)
    # the part of a manager's lock the image installs: a dev group's pins (pip in uv.lock) are no
    # drift of the base image's own copy
    tree = ProjectTree(root)
    # dockwright's lock, under another name beside Rye's requirements.lock (project/rye_lock.py)
    rye = dependencies.lock_file if dependencies.manager.value == "rye" else None
    own = own_lock_name(GENERATED_LOCK, rye)
    header = read_header(tree.read_text(own)) if tree.is_file(own) else None
    if header is not None and dependencies.lock_file and header.source == dependencies.lock_file:
        converted = generated_lock_packages(tree, own)
        if converted:
            return converted, f"{own} (from {dependencies.lock_file})"
    if header is not None and not dependencies.lock_file and header.source in dependencies.input_files:
        # resolved by init from unpinned requirements: the generated lock is what the image installs
        # (the requirements' own lines pin nothing, or only a git/folder line)
        resolved = generated_lock_packages(tree, own)
        if resolved:
            return resolved, own
    # a generated lock (requirements.lock, which `init` wrote from the project's declaration) is the
    # locked set too: detection reads it, so name it
    generated = GENERATED_LOCK if dependencies.locked else ""
    # requirements pinned with == and no hashes are the locked set too: name that file
    pinned = (
        next((f for f in reversed(dependencies.input_files) if not f.endswith(".in")), "")
        if dependencies.manager.value in ("requirements", "pip-tools")
        else ""
    )
    lock_file = dependencies.hashed_requirements or dependencies.lock_file or pinned or generated
    return (dependencies.locked, lock_file) if dependencies.locked else ((), "")


def _dependencies_alone(root: Path, python: str) -> Dependencies:
    from dockwright.project.managers import read_dependencies
    from dockwright.project.tree import ProjectTree

    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    project = (pyproject or {}).get("project") or {}
    name = project.get("name") if isinstance(project, dict) else None
    return read_dependencies(
        tree,
        pyproject,
        python=python,
        project_name=canonicalize_name(name) if isinstance(name, str) else None,
    )


def check_against_lock(
    dists: Sequence[PythonDist], locked: Sequence[LockedPackage], lock_file: str
) -> tuple[PythonDist, ...]:
    """Each distribution with its LockCheck. A name installed twice (a system copy beside the app's)
    matches when any copy has the locked version; only the copies that differ are marked "differs"."""
    pins: dict[str, LockedPackage] = {canonicalize_name(p.name): p for p in locked}
    matching = {d.key for d in dists if d.key in pins and _same_version(d.version, pins[d.key].version)}
    checked = []
    for dist in dists:
        pin = pins.get(dist.key)
        if pin is None:
            check = LockCheck("unlocked", lock_file=lock_file)
        elif _same_version(dist.version, pin.version):
            check = LockCheck("matches", pin.version, pin.hashes, lock_file)
        elif dist.key in matching:
            check = LockCheck("unlocked", pin.version, (), lock_file)  # another copy is the locked one
        else:
            check = LockCheck("differs", pin.version, pin.hashes, lock_file)
        checked.append(replace(dist, lock=check))
    return tuple(checked)


def inventory(facts: ImageFacts, locked: Sequence[LockedPackage] = (), lock_file: str = "") -> Inventory:
    dists = python_dists(facts)
    notes = []
    if lock_file:
        dists = check_against_lock(dists, locked, lock_file)
        installed = {d.key for d in dists}
        missing = sorted(
            p.name for p in locked if canonicalize_name(p.name) not in installed and not p.markers
        )
        if missing:
            notes.append(f"locked in {lock_file} but not installed: {', '.join(missing)}")
    return Inventory(
        ref=facts.ref,
        image_id=facts.image_id,
        architecture=facts.architecture,
        os_release=facts.os_release,
        created=facts.created,
        python=dists,
        debian=debian_packages(facts),
        lock_file=lock_file,
        notes=tuple(notes),
    )
