"""Direct-URL requirements (``name @ https://host/path/file``), checked when the plan is made.

What it does: reads the direct-URL lines of the project's requirements files and ``[project]``
dependencies (VCS URLs are project/gitdeps.py's, local paths project/pathdeps.py's) and stops the plan
(ProjectError, one line naming the file, the line and the requirement) on what the build's download
would refuse later:
- a scheme neither pip nor uv fetches (``htps://``, ``ftp://``): https, http and file are;
- an http(s) URL without a host (``https:///foo.tar.gz``);
- a hash fragment pip cannot check (``#sha256=zz``: not the algorithm's hex digest; ``#sha257=``:
  no such algorithm; pip's are md5, sha1, sha224, sha256, sha384, sha512);
- a ``.whl`` whose file name is not a wheel's (``name-version[-build]-python-abi-platform.whl``) or
  names another distribution than the requirement (pip refuses the install).

Said in one line (a note, the plan goes on):
- an ``http://`` URL without a hash fragment: downloaded without TLS and checked against nothing (the
  generated lock's hash is the digest of whatever the first download got);
- a wheel URL no tag of the target interpreter takes (``cp311-win_amd64`` for CPython 3.12 on Linux):
  the install stops with "is not a supported wheel on this platform";
- a requirement without ``--hash`` in a requirements file whose other requirements carry theirs: the
  file is then no hash-locked install (every line needs a hash under ``--require-hashes``), so it is
  resolved again instead of installed as written.

Why: such lines were found only when ``docker build`` ran the install, minutes later, in uv's or
pip's words.

Sources: PEP 440 direct references and the direct URL data structure
(https://packaging.python.org/en/latest/specifications/direct-url-data-structure/); pip's hash-checking
mode (https://pip.pypa.io/en/stable/topics/secure-installs/#hash-checking-mode); the wheel file name
(https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

from dockwright.errors import ProjectError
from dockwright.project.facts import Dependencies
from dockwright.project.managers import ReqLine, parse_requirements
from dockwright.project.tree import ProjectTree
from dockwright.project.wheels import ARCH, target_tags

SCHEMES = ("https", "http", "file")
HASH_LENGTHS = {"md5": 32, "sha1": 40, "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128}
"""pip's hash algorithms and their hex digest lengths (pip's ``STRONG_HASHES`` plus the weak ones it
still reads in a URL fragment)."""

_VCS = ("git+", "hg+", "svn+", "bzr+")
_FRAGMENT_KEYS = ("egg", "subdirectory")
_SHOWN = 80


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def url_problem(name: str, url: str) -> str | None:
    """Why pip or uv would refuse the direct URL ``url`` of requirement ``name``, or None."""
    if url.startswith(_VCS):
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        said = f"scheme {scheme}" if scheme else "no scheme"
        return f"{said}: pip and uv fetch a direct URL over https:// or http:// (file:// for a path)"
    if scheme == "file":
        return None  # a path of this machine: project/pathdeps.py decides
    if not parts.hostname:
        return "the URL has no host"
    for item in filter(None, parts.fragment.split("&")):
        key, _, value = item.partition("=")
        key = key.lower()
        if key in _FRAGMENT_KEYS:
            continue
        if key in HASH_LENGTHS:
            if not re.fullmatch(rf"[0-9a-fA-F]{{{HASH_LENGTHS[key]}}}", value):
                return (
                    f"its {key} hash {_shown(value) or '(empty)'} is not {HASH_LENGTHS[key]} hexadecimal "
                    "digits: pip cannot check the download against it"
                )
        elif re.match(r"^(sha|md5|blake)", key):
            return f"hash algorithm {key} is not one pip checks ({', '.join(HASH_LENGTHS)})"
    file = unquote(parts.path.rsplit("/", 1)[-1])
    if file.endswith(".whl"):
        try:
            wheel_name = parse_wheel_filename(file)[0]
        except InvalidWheelFilename:
            return f"{file} is not a wheel file name (name-version[-build]-python-abi-platform.whl)"
        if name and wheel_name != canonicalize_name(name):
            return f"{file} is a wheel of {wheel_name}, not of {name}: pip refuses to install it as {name}"
    return None


def _url_of(text: str) -> tuple[str, str] | None:
    """(name, URL) of a ``name @ URL`` requirement, else None."""
    if "@" not in text or "://" not in text:
        return None
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    return (requirement.name, requirement.url) if requirement.url else None


def _requirement_lines(tree: ProjectTree, deps: Dependencies) -> list[ReqLine]:
    seen: set[tuple[str, int]] = set()
    out: list[ReqLine] = []
    for rel in deps.input_files:
        if not rel.endswith((".txt", ".in")) or not tree.is_file(rel):
            continue
        try:
            reqs, _ = parse_requirements(tree, rel)
        except ProjectError:
            continue  # the reader that owns the file says what is wrong with it
        for req in reqs:
            if (req.file, req.line) not in seen:
                seen.add((req.file, req.line))
                out.append(req)
    return out


def _pyproject_urls(tree: ProjectTree) -> Iterable[tuple[str, int | None, str]]:
    """(file, line, requirement) of each ``[project]`` dependency naming a URL."""
    if not tree.is_file("pyproject.toml"):
        return
    project = tree.read_toml("pyproject.toml").get("project")
    if not isinstance(project, dict):
        return
    declared = [*(project.get("dependencies") or [])]
    for extra in (project.get("optional-dependencies") or {}).values():
        declared += [*(extra or [])]
    for text in declared:
        if isinstance(text, str) and "://" in text:
            line = tree.line_of("pyproject.toml", re.escape(text.strip()))
            yield "pyproject.toml", line, text.strip()


def check(tree: ProjectTree, deps: Dependencies, python: str) -> list[str]:
    """Raise ProjectError on a direct URL the build would refuse; the notes of the module doc."""
    reqs = _requirement_lines(tree, deps)
    found: list[tuple[str, int | None, str]] = [(r.file, r.line, r.text) for r in reqs]
    found += _pyproject_urls(tree)
    hashed = {(r.file, r.line) for r in reqs if r.hashes}  # `--hash=sha256:...` options on the line
    notes: list[str] = []
    for file, line, text in found:
        named = _url_of(text)
        if named is None:
            continue
        name, url = named
        where = f"{file}:{line}" if line else file
        problem = url_problem(name, url)
        if problem:
            raise ProjectError(f"{where}: {name} @ {_shown(url)}: {problem}")
        parts = urlsplit(url)
        if parts.scheme.lower() == "http" and not _hashed(parts.fragment) and (file, line) not in hashed:
            notes.append(
                f"{where}: {name} @ {_shown(url)} is downloaded over plain http, without TLS, and no hash "
                "pins it: anyone on the path can change the code the image installs; use its https:// URL "
                "or add #sha256=... (the digest of the file you checked)"
            )
        wheel = unquote(parts.path.rsplit("/", 1)[-1])
        if wheel.endswith(".whl") and not _takes(wheel, python):
            xy = ".".join(python.split(".")[:2])
            notes.append(
                f"{where}: {name} @ {_shown(url)} is a wheel no tag of CPython {xy} on Linux x86_64 "
                "takes: the install would stop on 'not a supported wheel on this platform'; name the "
                "wheel for the image's Python (or its sdist)"
            )
    return notes + _unhashed(reqs)


def _hashed(fragment: str) -> bool:
    """The URL's fragment gives a hash pip checks the download against (``sha256=...``)."""
    return any(item.partition("=")[0].lower() in HASH_LENGTHS for item in fragment.split("&") if item)


def _takes(wheel: str, python: str) -> bool:
    """Whether CPython ``python`` on Linux x86_64 installs ``wheel`` (a plain ``linux_x86_64`` tag, which
    pip takes on any glibc Linux, counts as manylinux)."""
    accepted = target_tags(python)
    try:
        tags = parse_wheel_filename(wheel)[3]
    except InvalidWheelFilename:
        return True  # url_problem said what is wrong with the name
    linux = f"linux_{ARCH}"
    return any(
        Tag(t.interpreter, t.abi, f"manylinux_2_17_{ARCH}" if t.platform == linux else t.platform) in accepted
        for t in tags
    )


def _unhashed(reqs: list[ReqLine]) -> list[str]:
    """A note per requirement without a hash in a file whose other requirements carry theirs."""
    notes: list[str] = []
    for file in dict.fromkeys(r.file for r in reqs):
        own = [r for r in reqs if r.file == file and r.source not in ("vcs", "path")]
        hashed = [r for r in own if r.hashes]
        if not hashed:
            continue
        for req in (r for r in own if not r.hashes):
            notes.append(
                f"{req.file}:{req.line}: {_shown(req.text)} has no --hash, while {len(hashed)} other "
                f"requirement{'s' if len(hashed) > 1 else ''} of {file} carry theirs: a hash-locked "
                "install needs every line hashed, so the file is resolved again instead of installed as "
                "written; add its --hash=sha256:... (`pip hash` of the file it downloads) to keep it"
            )
    return notes
