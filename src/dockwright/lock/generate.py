"""Produce the lock a plan asks for: header (source + sha256, and each ``-r``/``-c`` include's) and a
pip ``--require-hashes`` body.

``LockPlan.adds`` (a server the start command needs) are resolved with the body's pins as
constraints and appended, so adding a server never moves a pin the project chose.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import tempfile
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.errors import LockError
from dockwright.lazy_re import lazy
from dockwright.lock import pure_sdist, setuptools_cap, wheel_check
from dockwright.lock.compile import CompileOptions, compile_lock, failure_of
from dockwright.lock.convert import convert, registries_of
from dockwright.lock.gitlines import git_lines_to_comments
from dockwright.lock.header import make_header, requirements_digest, selection_text, sha256_of
from dockwright.plan.model import LockPlan
from dockwright.project.facts import PackageIndex
from dockwright.project.local_wheels import wheel_file, wheel_path
from dockwright.project.managers import requirement_includes
from dockwright.project.pinned_lines import Pin, read_pins
from dockwright.project.tree import ProjectTree
from dockwright.redact import has_credentials, redact


class AddsConflictError(LockError):
    """The start's additions fit no resolution with the project's pins (:func:`adds_conflict`);
    ``pins``: those of the project's pins uv's explanation names."""

    def __init__(self, message: str, *, file: str | None, pins: tuple[str, ...]) -> None:
        super().__init__(message, file=file)
        self.pins = pins


UNFIT_LINE = lazy(r"^# dockwright-unfit: (?P<text>.+?)\s*$", re.M)


def generate_lock(
    root: Path,
    lock: LockPlan,
    python_version: str,
    options: CompileOptions | None = None,
    inputs: tuple[str, ...] = (),
    built_from_folders: tuple[str, ...] = (),
    built_paths: tuple[str, ...] = (),
) -> str:
    """The full text of ``lock.path`` (raises LockError when it cannot be produced); ``inputs`` are the
    requirement lines it is resolved from when they were read statically out of ``lock.source`` (the
    header then records their digest, not the whole file's); ``built_from_folders``: path dependencies
    the image builds from their folders (their resolver lines are left out).

    Additions only another process of the image needs (``lock.adds_for_others``: the celery worker's
    broker client beside a web start) that fit no resolution with the project's pins are left out, and
    the lock's header says why (``# dockwright-unfit:``, which the plan warns with): the web process
    runs from the image all the same; the one-line stop stays for an addition the start itself needs."""
    try:
        return _generate(root, lock, python_version, options, inputs, built_from_folders, built_paths)
    except AddsConflictError as error:
        others = tuple(a for a in lock.adds if a in lock.adds_for_others)
        if not others or lock.source is None:
            raise
        conflict = error
    rest = dataclasses.replace(lock, adds=tuple(a for a in lock.adds if a not in others), adds_for_others=())
    text = _generate(root, rest, python_version, options, inputs, built_from_folders, built_paths)
    theirs = f"the project's pins {', '.join(conflict.pins)}" if conflict.pins else "the project's pins"
    names = ", ".join(dict.fromkeys(add_name(a) for a in others))
    line = (
        f"# dockwright-unfit: {', '.join(others)}, which the image's celery process needs, cannot be "
        f"installed with {theirs} (no release of {names} accepts them): left out, so the web process runs "
        f"from this image and the celery process would stop at start; change those pins\n"
    )
    head = _header_end(text)
    return text[:head] + line + text[head:]


def _header_end(text: str) -> int:
    """Where the lock's leading comment lines end."""
    at = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        at += len(line)
    return at


def unfit_warning(lock_path: str, text: str) -> str | None:
    """The plan's warning for additions a generated lock left out (its ``# dockwright-unfit:`` line)."""
    found = UNFIT_LINE.search(text)
    return f"{lock_path}: {found['text']}" if found else None


def unfit_adds(text: str) -> tuple[str, ...]:
    """The additions a generated lock's ``# dockwright-unfit:`` line says were left out."""
    found = UNFIT_LINE.search(text)
    return tuple(found["text"].split(", which ", 1)[0].split(", ")) if found else ()


def _generate(
    root: Path,
    lock: LockPlan,
    python_version: str,
    options: CompileOptions | None,
    inputs: tuple[str, ...],
    built_from_folders: tuple[str, ...],
    built_paths: tuple[str, ...],
) -> str:
    options = options or CompileOptions()
    options = dataclasses.replace(
        options,
        indexes=lock.indexes,
        constraints=tuple(dict.fromkeys((*lock.constraints, *options.constraints))),
        find_links=(*options.find_links, *(str(root / folder) for folder in local_folders(lock))),
    )
    if not lock.generate or (lock.source is None and not lock.adds):
        raise LockError(f"{lock.path} is not a file dockwright generates")
    body, notes, used = _project_body(root, lock, python_version, options, built_from_folders, built_paths)
    if lock.adds:
        own = body
        try:
            body = append_adds(body, lock.adds, python_version, options)
        except LockError as error:
            if lock.source is None or lock.method != "uv-compile":
                raise adds_conflict(error, lock, own) from error
            # what the start needs does not fit the versions the project's floating requirements
            # resolved to (a kombu whose redis extra wants a newer client than the one pinned): resolve
            # them together, so the resolver picks versions that take both, then add the rest
            try:
                body, notes, used = _project_body(
                    root, lock, python_version, options, built_from_folders, built_paths, lock.adds
                )
            except LockError as together:
                raise adds_conflict(together, lock, own) from together
            body = append_adds(body, lock.adds, python_version, options)
    refuse_index_or_credentials(body, lock.source or lock.path)
    body = index_options(tuple(i for i in lock.indexes if _kept(i, used))) + local_find_links(lock) + body
    if lock.source is None:
        return f"# Generated by dockwright for the start command ({', '.join(lock.adds)}).\n" + body
    if inputs:
        digest, kind = requirements_digest(inputs), "requirements-sha256"
    else:
        digest, kind = sha256_of(root / lock.source), "sha256"
    includes = _includes(root, lock) if not inputs else ()
    header = make_header(
        lock.source,
        digest,
        lock.method,
        python_version,
        kind=kind,
        includes=includes,
        merged=lock.merged,
        merged_from=lock.merged_from,
        selection=selection_text(lock.extras, lock.groups),
    )
    return header + notes + body


def _project_body(
    root: Path,
    lock: LockPlan,
    python_version: str,
    options: CompileOptions,
    built_from_folders: tuple[str, ...],
    built_paths: tuple[str, ...],
    together: tuple[str, ...] = (),
) -> tuple[str, str, set[str] | None]:
    """The project's resolved requirements (index options and folder lines taken out), the header
    lines naming the pins without a wheel and the pure-Python sdists, and the indexes used;
    ``together``: requirements resolved with the project's (the start's additions that do not fit its
    own resolution)."""
    body = ""
    notes = ""  # header lines: the pins without a wheel, the pure-Python sdists
    if lock.source is not None:
        source = root / lock.source
        if not source.is_file():
            raise LockError(f"{lock.source} not found", file=lock.source)
        if lock.method == "existing":
            body = source.read_text(encoding="utf-8")
        elif lock.method == "uv-compile":
            requirements = lock.requirements
            merged_lines = lock.merged
            together = (*lock.ranges, *together)  # the package's own ranges, when init asks (own_ranges.py)
            if together and not requirements and not lock.source.endswith((".txt", ".in")):
                # a pyproject.toml/setup.py source is no requirements file `-r` can include: it stays
                # uv's input, the additions come on stdin beside it
                merged_lines = (*lock.merged, *together)
            elif together:
                own = posixpath.relpath(lock.source, options.cwd) if options.cwd else lock.source
                # fed on stdin with the file: the declared lines it leaves out come along (merged)
                merged = () if requirements else lock.merged
                requirements = (*(requirements or (f"-r {own}",)), *merged, *together)
            source_name = lock.source  # a str here: the closure keeps it so

            def resolve(constraints: str | None = None, extra: tuple[str, ...] = ()) -> str:
                return compile_lock(
                    root,
                    source_name,
                    python_version,
                    options,
                    requirements,
                    constraints=constraints,
                    extra=extra,
                    merged=merged_lines,
                    layers=lock.layers,
                )

            body = resolve()
            with tempfile.TemporaryDirectory(prefix="dockwright-cap-") as scratch:
                cap = None
                brought_by = setuptools_cap.cap_needed(body)
                if brought_by:  # a dependency imports pkg_resources, which setuptools 82 removed
                    cap = str(Path(scratch) / "setuptools-cap.txt")
                    Path(cap).write_text(f"{setuptools_cap.CAP}\n", encoding="utf-8")
                    capped = cap_labelled(resolve(cap), cap)
                    body = _CAP_NOTE.format(cap=setuptools_cap.CAP, by=brought_by) + capped
                try:
                    pylock = resolve(cap, wheel_check.PYLOCK)
                except LockError:
                    pylock = ""  # no file list: the plan keeps what it knew (as before this check)
            no_wheel = wheel_check.no_wheel_pins(pylock)
            pure = pure_sdist.pure_pins(pylock, no_wheel)  # sdists that build without a compiler
            no_wheel = tuple(pin for pin in no_wheel if pin not in pure)
            notes = wheel_check.header_line(no_wheel) + pure_sdist.header_line(pure)
        else:
            body = convert(root, lock.method, lock.source, python_version, None, lock.extras, lock.groups)
            if lock.method == "convert-uv":  # uv.lock names each sdist's URL and hash: read them too
                text = source.read_text(encoding="utf-8", errors="replace")
                notes = pure_sdist.header_line(pure_sdist.uv_lock_pure(text, pins(body)))
    body = local_wheel_lines(body, (root / options.cwd).resolve())
    body = drop_folder_lines(body, built_from_folders, lock.source or lock.path, built_paths)
    body = git_lines_to_comments(body, lock.source or lock.path)  # built from their commits, unhashed
    body = strip_index_options(body)  # the project's indexes come back from the plan, credential-free
    used = used_indexes(root, lock, body)
    return _FROM_INDEX.sub("", body), notes, used


def _includes(root: Path, lock: LockPlan) -> tuple[tuple[str, str], ...]:
    """(file, sha256) of each file a requirements source includes (``-r``/``-c``, nested), and of the
    files it is layered on (``lock.layers``) with theirs: the lock is resolved from them too, so it goes
    stale when one of them changes."""
    if lock.source is None or lock.method not in ("uv-compile", "existing"):
        return ()  # a manager's lock or pyproject.toml names no include
    tree = ProjectTree(root)
    read = (*requirement_includes(tree, lock.source), *lock.layers)
    read += tuple(f for layer in lock.layers for f in requirement_includes(tree, layer))
    return tuple((rel, sha256_of(root / rel)) for rel in dict.fromkeys(read) if rel != lock.source)


BUILD_LOCK_METHOD = "uv-compile-build"
_CAP_NOTE = "# resolved under {cap}: {by} asks for setuptools, and 82 removed the pkg_resources it imports\n"
CAP_LABEL = f"{setuptools_cap.CAP} (dockwright's setuptools cap)"
"""What a lock's ``# via -c`` annotation names for the cap: uv names the constraints file as given, a
temporary file of this machine, which would change the lock at every regeneration."""


def cap_labelled(body: str, cap: str) -> str:
    """``body`` (uv's resolution under the constraints file ``cap``) with the file's path in uv's
    ``-c`` annotations turned into :data:`CAP_LABEL` (the path as given, and as the system resolves it:
    a symlinked temporary folder)."""
    for path in dict.fromkeys((cap, os.path.realpath(cap))):
        body = body.replace(f"-c {path}", f"-c {CAP_LABEL}")
    return body


_HASH = lazy(r"--hash=(\S+)")
_FROM_INDEX = lazy(r"^\s*# from (\S+)\n", re.MULTILINE)  # uv's --emit-index-annotation


def _url_key(url: str) -> str:
    return url.rstrip("/").lower()


def used_indexes(root: Path, lock: LockPlan, body: str) -> set[str] | None:
    """The indexes the locked packages come from (uv's annotations, or the registries uv.lock and
    poetry.lock record for them); None when the lock cannot tell (every index is kept)."""
    if lock.method == "uv-compile":
        return {_url_key(url) for url in _FROM_INDEX.findall(body)}
    if lock.method in ("convert-uv", "convert-poetry") and lock.source is not None:
        hashes = frozenset(_HASH.findall(body))
        return {_url_key(url) for url in registries_of(root, lock.method, lock.source, pins(body), hashes)}
    return None


def _kept(index: PackageIndex, used: set[str] | None) -> bool:
    """An extra index stays in the lock when a locked package comes from it (an explicit index pinned for
    another variant, e.g. CUDA builds beside the CPU ones, is left out)."""
    return used is None or index.role != "extra" or _url_key(index.url) in used


_INDEX_OPTION = lazy(r"^\s*(-i|--index-url|--extra-index-url|-f|--find-links)(\s|=)")
_SAFE_URL = lazy(r"^(https?|file)://[^\s@'\"\\]+$|^[A-Za-z0-9._][A-Za-z0-9._/-]*$")
_OPTION_OF_ROLE = {"default": "--index-url", "extra": "--extra-index-url", "find-links": "--find-links"}


def strip_index_options(body: str) -> str:
    """``body`` without index and find-links lines (an existing lock's own, or uv's)."""
    return "".join(line for line in body.splitlines(keepends=True) if not _INDEX_OPTION.match(line))


def index_options(indexes: tuple[PackageIndex, ...]) -> str:
    """The lock's opening index lines: pip reads them under ``--require-hashes`` too; they never carry
    credentials (the build's netrc secret does), and the hashes below still pin every file."""
    if not indexes:
        return ""
    lines = ["# indexes the project names (credentials: BuildKit secret 'netrc', never in this file)"]
    for index in indexes:
        if has_credentials(index.url) or not _SAFE_URL.match(index.url):
            raise LockError(f"index URL {redact(index.url)[:80]!r} cannot be written into the lock")
        lines.append(f"{_OPTION_OF_ROLE[index.role]} {index.url}")
    return "\n".join(lines) + "\n"


def local_folders(lock: LockPlan) -> tuple[str, ...]:
    """The lock's ``--find-links`` folders: its local wheels but the wheel files requirements name by
    path (those are pinned lines of the lock, :func:`local_wheel_lines`)."""
    return tuple(path for path in lock.local_wheels if not wheel_file(path))


def local_find_links(lock: LockPlan) -> str:
    """``--find-links`` lines for the project's wheel folders, relative to the lock (pip reads them from
    the lock's folder first): the builder bind-mounts each folder there for the install."""
    if not local_folders(lock):
        return ""
    base = posixpath.dirname(lock.path) or "."
    lines = ["# wheel folders of the project (bind-mounted for the install, never in the image)"]
    lines += [f"--find-links ./{posixpath.relpath(folder, base)}" for folder in local_folders(lock)]
    return "\n".join(lines) + "\n"


_WHEEL_LINE = lazy(r"^(?P<spec>[^\s#-][^\n]*?)(?P<rest>\s+--hash[=\s].*|\s*\\)?$")


def local_wheel_lines(body: str, base: Path) -> str:
    """``body`` (uv's resolution, run in ``base``) with each wheel file a requirement names by path
    written ``./PATH`` (``[ ; marker]``), relative to ``base``: the form pip and uv both install from the
    builder's workdir, where the file is bind-mounted (``file:./x.whl``, ``${PROJECT_ROOT}`` and an
    absolute path of this machine are not: pip expands no ``${PROJECT_ROOT}``); its ``--hash`` lines stay.
    A path outside ``base`` is left as uv wrote it (project/local_wheels.py refused it before)."""
    out = []
    for line in body.splitlines():
        match = _WHEEL_LINE.match(line)
        written = wheel_path(match["spec"]) if match else None
        path = Path(os.path.normpath(base / written)) if match and written else None  # / keeps an absolute
        if match is None or path is None or base not in path.parents:
            out.append(line)
            continue
        marker = match["spec"].partition(";")[2].strip()
        spec = f"./{path.relative_to(base).as_posix()}" + (f" ; {marker}" if marker else "")
        out.append(f"{spec}{match['rest'] or ''}")
    return "".join(f"{line}\n" for line in out)


def refuse_index_or_credentials(body: str, file: str) -> None:
    """A generated lock never carries an index option or a URL's credentials (it is COPYed into the
    builder): the index travels as a BuildKit secret (``--index-url``) instead."""
    for number, line in enumerate(body.splitlines(), start=1):
        if has_credentials(line) or line.lstrip().startswith(("--index-url", "--extra-index-url", "-i ")):
            raise LockError(
                f"the generated lock would carry an index or credentials ({redact(line.strip())[:80]}, "
                f"line {number}); give the index with --index-url (a BuildKit secret at build time)",
                file=file,
            )


def build_lock_source(root: Path) -> str:
    """The file that declares the build backend: pyproject.toml, else setup.py (PEP 517's default)."""
    return "pyproject.toml" if (root / "pyproject.toml").is_file() else "setup.py"


def generate_build_lock(
    root: Path,
    requires: tuple[str, ...],
    python_version: str,
    options: CompileOptions | None = None,
    source: str | None = None,
) -> str:
    """The hash-locked ``[build-system].requires``: the builder installs it once and builds the app
    wheel with ``--no-build-isolation``, so a source edit downloads and installs nothing (``source``:
    the file the header names, default :func:`build_lock_source`)."""
    if not requires:
        raise LockError("the project declares no build requirements to lock")
    source = source or build_lock_source(root)
    with tempfile.TemporaryDirectory(prefix="dockwright-build-") as scratch:
        spec = Path(scratch) / "build-requires.in"
        spec.write_text("\n".join(requires) + "\n", encoding="utf-8")
        body = compile_lock(root, str(spec), python_version, options or CompileOptions())
        body = body.replace(str(spec), f"{source} [build-system].requires")
    refuse_index_or_credentials(body, source)
    digest = requirements_digest(requires)
    return make_header(source, digest, BUILD_LOCK_METHOD, python_version, kind="requirements-sha256") + body


_FOLDER_LINE = lazy(r"^(?:-e\s+)?([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*@\s*file:", re.IGNORECASE)
_PATH_LINE = lazy(
    r"^(?:-e\s+|--editable[=\s]+)?(?:[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*)?(?:file:)?"
    r"(\.{1,2}(?:/\S*)?|/\S+)\s*(?:\\)?$"
)
"""A requirements line naming a folder as written (``-e ../../libs/common``, ``./lib``): the resolver
copies such lines from its input."""


def drop_folder_lines(body: str, built: tuple[str, ...], file: str, paths: tuple[str, ...] = ()) -> str:
    """``body`` without the resolver's ``name @ file:...`` lines of the path dependencies the image
    builds from their folders (no hash, and a path of this machine), nor its ``-e ../lib`` lines of
    those folders (``paths``, as relative to where the resolver ran); any other ``@ file:`` line is
    refused: ``--require-hashes`` would reject it at build time."""
    names = {canonicalize_name(n) for n in built}
    folders = {posixpath.normpath(p) for p in paths}
    kept = []
    dropped = False
    for line in body.splitlines(keepends=True):
        if dropped and line.lstrip().startswith("#") and line[:1].isspace():
            continue  # the dropped line's own "# via" comments
        match = _FOLDER_LINE.match(line)
        path = _PATH_LINE.match(line.strip())
        dropped = path is not None and posixpath.normpath(path[1]) in folders
        if dropped:
            continue
        if match is None:
            kept.append(line)
        elif canonicalize_name(match[1]) not in names:
            raise LockError(
                f"{file} installs {match[1]} from a local folder, which a hash-locked install cannot "
                "take: give it a lock (poetry lock / pdm lock) or install it from an index",
                file=file,
            )
    return "".join(kept)


def pins(body: str) -> dict[str, str]:
    """``name==version`` pins of a requirements body, by canonical name."""
    return {pin.name: pin.version for pin in read_pins(body)}


def blocks(body: str) -> list[tuple[str, str]]:
    """(canonical name, text) of each requirement with its continuation and ``# via`` lines."""
    starts = {pin.line: pin.name for pin in read_pins(body)}
    out: list[tuple[str, list[str]]] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if number in starts:
            out.append((starts[number], [line]))
        elif out and (line.startswith((" ", "\t"))):
            out[-1][1].append(line)
    return [(name, "\n".join(lines) + "\n") for name, lines in out]


def _marker(pin: Pin) -> str:
    return f" ; {pin.marker}" if pin.marker else ""


_PINNED = lazy(r"(?<![\w.-])([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9][A-Za-z0-9.+!_-]*[A-Za-z0-9])")


def adds_conflict(error: LockError, lock: LockPlan, own: str) -> LockError:
    """A resolution of the start's additions that found no solution, as one line naming both sides:
    the additions and the project's pins uv's explanation names (``error`` itself for any other
    failure: an index out of reach, a missing package)."""
    failure = failure_of(str(error))
    if failure.kind != "conflict":
        return error
    pinned = pins(own)
    said = f"{error}\n{error.detail}"
    named = {(str(canonicalize_name(n)), v) for n, v in _PINNED.findall(said)}
    sides = [f"{name}=={version}" for name, version in pinned.items() if (name, version) in named]
    where = lock.source or lock.path
    theirs = f"the project's pins {', '.join(sides)}" if sides else "the project's pins"
    names = ", ".join(dict.fromkeys(add_name(a) for a in lock.adds))
    return AddsConflictError(
        f"{', '.join(lock.adds)}, which dockwright adds to {lock.path} for the app's processes, cannot be "
        f"installed with {theirs}: no release of {names} accepts them; change those pins, or pin a "
        f"release of {names} that fits them yourself",
        file=where,
        pins=tuple(sides),
    )


def add_name(add: str) -> str:
    """An addition's canonical name (``kombu[redis]`` -> ``kombu``, ``setuptools<82`` -> ``setuptools``)."""
    return str(canonicalize_name(re.split(r"[\[<>=!~;\s]", add.strip(), maxsplit=1)[0]))


def _satisfied(add: str, kept: dict[str, str]) -> bool:
    """Whether the pins ``kept`` already install ``add`` (a plain name or a range they meet; an add with
    an extra is resolved: what the extra brings may be missing)."""
    try:
        requirement = Requirement(add)
    except InvalidRequirement:
        return False
    version = kept.get(str(canonicalize_name(requirement.name)))
    if version is None or requirement.extras:
        return False
    return requirement.specifier.contains(version, prereleases=True)


def append_adds(body: str, adds: tuple[str, ...], python_version: str, options: CompileOptions) -> str:
    """``body`` plus hash-locked blocks for ``adds`` and what they need, resolved within its pins."""
    kept = read_pins(body)
    have = {pin.name for pin in kept}
    missing = [a for a in adds if not _satisfied(a, {pin.name: pin.version for pin in kept})]
    if not missing:
        return body
    with tempfile.TemporaryDirectory(prefix="dockwright-adds-") as tmp:
        folder = Path(tmp)
        (folder / "adds.in").write_text("\n".join(missing) + "\n", encoding="utf-8")
        constraints = "".join(f"{pin.name}{pin.operator}{pin.version}{_marker(pin)}\n" for pin in kept)
        (folder / "constraints.txt").write_text(constraints, encoding="utf-8")
        extra = compile_lock(folder, "adds.in", python_version, options, constraints="constraints.txt")
    new = [text for name, text in blocks(extra) if name not in have]
    if not new:
        return body  # the adds' resolution is the project's own: nothing to add
    glue = "" if not body or body.endswith("\n") else "\n"
    return body + glue + f"# added by dockwright for the start command: {', '.join(missing)}\n" + "".join(new)
