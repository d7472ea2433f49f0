"""Resolve unhashed input (requirements.in/.txt, PEP 621, setup.py) with ``uv pip compile``."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dockwright.bundled_uv import find_uv
from dockwright.errors import LockError
from dockwright.lazy_re import lazy
from dockwright.project.facts import PackageIndex

# the oldest glibc of the Debian suites the images run (bookworm's 2.36; trixie has 2.41): a release whose
# x86_64 wheels need a newer manylinux than 2_28 (cryptography 48 ships only manylinux_2_34) still resolves
# (data/debian.toml; uv knows tags up to manylinux_2_40)
PLATFORM = "x86_64-manylinux_2_36"


@dataclass(frozen=True)
class CompileOptions:
    index_url: str | None = None
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    exclude_newer: str | None = None  # RFC 3339 date: reproducible resolution
    timeout: float = 300.0
    indexes: tuple[PackageIndex, ...] = ()  # the project's own (uv reads credentials from its env)
    constraints: tuple[str, ...] = ()  # project-relative constraints files (PIP_CONSTRAINT)
    # the folder (relative to the root given) the resolver runs in: the app's when the build context is
    # above it (path dependencies), since a requirements file's relative paths are where pip runs
    cwd: str = ""


def uv_binary() -> str:
    """The uv that comes with dockwright (:func:`dockwright.bundled_uv.find_uv`), else one on PATH."""
    found = find_uv()
    if not found:
        raise LockError(
            "uv is needed to generate a hash-locked file and the uv installed with dockwright is "
            "missing: reinstall dockwright (its uv dependency) or put uv on PATH"
        )
    return found


def compile_command(
    source: str, python_version: str, options: CompileOptions, constraints: str | None = None
) -> list[str]:
    xy = ".".join(python_version.split(".")[:2])
    cmd = [
        uv_binary(),
        "pip",
        "compile",
        source,
        "--generate-hashes",
        "--python-version",
        xy,
        "--python-platform",
        PLATFORM,
        "--no-header",
        "--no-config",
        # resolving needs no interpreter of the target minor: never wait on a download of one
        "--no-python-downloads",
    ]
    if constraints:
        cmd += ["--constraint", constraints]
    for extra in options.constraints:
        cmd += ["--constraint", extra]
    if options.index_url:
        cmd += ["--index-url", options.index_url]
    cmd += index_flags(options.indexes, default_given=bool(options.index_url))
    if any(index.best_match and index.role != "find-links" for index in options.indexes):
        # a requirements file's --extra-index-url, as pip reads it, is one more place to look: a pin the
        # extra index lacks comes from the next index (PyTorch's CPU index also lists numpy, at other
        # versions). Never pip's best version over every index: a private name of the extra index
        # published on PyPI at a higher version would win (dependency confusion); the extra index's own
        # versions of a name come first
        cmd += ["--index-strategy", "unsafe-first-match"]
    if options.indexes:
        cmd.append("--emit-index-annotation")  # which index each pin came from: unused ones stay out
    for link in options.find_links:
        cmd += ["--find-links", link]
    if options.no_index:
        cmd.append("--no-index")
    if options.exclude_newer:
        cmd += ["--exclude-newer", options.exclude_newer]
    return cmd


def index_flags(indexes: tuple[PackageIndex, ...], *, default_given: bool) -> list[str]:
    """uv's flags for the project's unnamed indexes (requirements files, ``[tool.uv] extra-index-url``).
    Named ones go to :func:`index_config`, which keeps their ``explicit`` flag; an explicit one without a
    name serves nothing (no package can be pinned to it): as a flag it would be searched for every name
    before PyPI (dependency confusion)."""
    flags: list[str] = []
    for index in indexes:
        if (index.name or index.explicit) and index.role != "find-links":
            continue
        if index.role == "find-links":
            flags += ["--find-links", index.url]
        elif index.role == "default" and not default_given:
            flags += ["--default-index", index.url]
        else:
            flags += ["--index", index.url]
    return flags


def index_config(indexes: tuple[PackageIndex, ...], *, default_given: bool) -> str:
    """A uv.toml with the named indexes as ``[[index]]`` tables (``explicit``, ``default``): uv resolves
    ``[tool.uv.sources]`` pins against them, uses an explicit one for nothing else, and reads
    ``UV_INDEX_<NAME>_USERNAME``/``_PASSWORD`` for them. Empty when there is none."""
    tables = []
    for index in indexes:
        if not index.name or index.role == "find-links":
            continue
        lines = [f"[[index]]\nname = {json.dumps(index.name)}\nurl = {json.dumps(index.url)}\n"]
        if index.explicit:
            lines.append("explicit = true\n")
        if index.role == "default" and not default_given:
            lines.append("default = true\n")
        tables.append("".join(lines))
    return "\n".join(tables)


def compile_lock(
    root: Path,
    source: str,
    python_version: str,
    options: CompileOptions,
    requirements: tuple[str, ...] = (),
    constraints: str | None = None,
    extra: tuple[str, ...] = (),
    merged: tuple[str, ...] = (),
    layers: tuple[str, ...] = (),
) -> str:
    """Resolve ``source`` (or, when given, ``requirements`` read from it, fed on stdin); ``extra`` are
    more uv flags (``--format pylock.toml``); ``merged``: requirement lines resolved together with the
    file ``source`` (a second input, ``-``, fed on stdin: ``[project].dependencies`` it leaves out);
    ``layers``: the requirements files ``source`` is layered on, inputs before it (project-relative)."""
    own = posixpath.relpath(source, options.cwd) if options.cwd else source
    first = "-" if requirements else own
    cmd = [*compile_command(first, python_version, options, constraints), *extra]
    if merged and not requirements:
        cmd.insert(cmd.index(own) + 1, "-")
    below = [posixpath.relpath(layer, options.cwd) if options.cwd else layer for layer in layers]
    at = cmd.index(first)
    cmd[at:at] = below
    fed = requirements or merged
    stdin = "".join(f"{line}\n" for line in fed) if fed else None
    config = index_config(options.indexes, default_given=bool(options.index_url))
    try:
        with tempfile.TemporaryDirectory(prefix="dockwright-uv-") as scratch:
            if config:
                (Path(scratch) / "uv.toml").write_text(config, encoding="utf-8")
                cmd += ["--config-file", str(Path(scratch) / "uv.toml")]
            done = subprocess.run(
                cmd,
                cwd=root / options.cwd,
                input=stdin,
                capture_output=True,
                text=True,
                timeout=options.timeout,
                check=False,
            )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise LockError(f"uv pip compile failed to run: {error}", file=source) from error
    if done.returncode != 0:
        unreadable = unreadable_sdist(done.stderr)
        raise LockError(
            unreadable or resolution_error(root, source, python_version, done.stderr, done.returncode),
            file=source,
            detail=done.stderr,
        )
    return done.stdout


# uv 0.12 dropped .tar.bz2, .tar.xz and plain .tar sdists (PEP 625 wants .tar.gz; .zip is still read):
# a release published only so is refused in the resolution, with this cause
_UNREADABLE = lazy(
    r"Because (?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+) has a non-PEP 625-compliant source "
    r"distribution filename"
)
_DEPENDS = (
    r"(?:because|and) (?:all versions of )?(?P<parent>[A-Za-z0-9][A-Za-z0-9._-]*?)(?:[<>=!~]=?\S+)? "
    r"depends? on "
)


def unreadable_sdist(stderr: str) -> str | None:
    """One line for a dependency whose only file is an sdist uv refuses to read (``trans-2.1.0.tar.bz2``),
    naming it, the package that requires it and the way out; None for any other failure."""
    text = " ".join(_ANSI.sub("", stderr).split())
    found = _UNREADABLE.search(text)
    if found is None:
        return None
    name, version = found["name"], found["version"]
    depends = re.search(_DEPENDS + re.escape(name) + r"(?![A-Za-z0-9._-])", text, re.IGNORECASE)
    parent = depends["parent"] if depends else None
    by = f" (required by {parent})" if parent and parent != name else ""
    other = f", or pin a release of {parent} that does not require it" if by else ""
    return (
        f"{name} {version}{by} is published only as a source distribution in an archive format uv "
        "no longer reads (.tar.bz2, .tar.xz or .tar: uv reads .tar.gz and .zip, PEP 625), and dockwright "
        f"resolves and installs with uv: build its wheel once (`pip wheel --no-deps {name}=={version} -w "
        "wheels`), keep wheels/ in the project with a line `--find-links ./wheels` in requirements.txt"
        f"{other}; nothing was written"
    )


_ANSI = lazy(r"\x1b\[[0-9;]*[A-Za-z]")
_REQUIRED = lazy(r"you require ([^,;]+?)(?:,| and | we can|\.?$)")
_MAX_CAUSE_LINES = 8


def resolution_error(root: Path, source: str, python_version: str, stderr: str, code: int) -> str:
    """uv's failure as one headline (the pin that failed, where it is) and uv's own cause lines."""
    lines = [_ANSI.sub("", line).rstrip() for line in stderr.splitlines()]
    lines = [line for line in lines if line.strip()]
    if not lines:
        return f"uv pip compile could not resolve {source}: exit {code}"
    start = next((i for i, ln in enumerate(lines) if re.match(r"^\s*(error|×)", ln)), 0)
    body = [ln for ln in lines[start:] if not ln.lstrip().startswith("hint:")]
    headline = re.sub(r"^\s*(error:|×)\s*", "", body[0]).strip()
    causes = [re.sub(r"^\s*(cause:|╰─▶|│)\s*", "", ln).strip() for ln in body[1:]]
    causes = [c for c in causes if c]
    hints = [ln.strip() for ln in lines[start:] if ln.lstrip().startswith("hint:")]
    pins = [m.group(1).strip() for c in causes for m in [_REQUIRED.search(c)] if m]
    xy = ".".join(python_version.split(".")[:2])
    where = f" ({_line_of(root, source, pins[-1])})" if pins else ""
    missing = [m.group(1) for c in causes for m in [_NO_VERSION.search(c)] if m]
    if missing:  # a pin the index does not have: not the interpreter's fault
        failing = f"no version of {missing[0]} is on the package index" + (
            f", and {pins[-1]}{where} needs it" if pins and not pins[-1].startswith(missing[0]) else where
        )
    elif pins and any(_PYTHON_CAUSE.search(c) for c in causes):
        failing = f"{pins[-1]}{where} cannot be installed on CPython {xy}"
    else:
        failing = f"{pins[-1]}{where} cannot be installed" if pins else headline
    text = f"uv pip compile could not resolve {source}: {failing}"
    shown = causes[:_MAX_CAUSE_LINES] + (["..."] if len(causes) > _MAX_CAUSE_LINES else [])
    if pins or shown:
        text += "".join(f"\n  {c}" for c in [headline] * bool(pins) + shown + hints[:1])
    return text


# uv's cause lines: a requirement no version of which exists (`there is no version of flask==3.1.99`),
# and what says the interpreter or platform is the reason (`Python>=3.13`, no wheel for the tags)
_NO_VERSION = lazy(r"there (?:is|are) no versions? of ([^\s,]+)")
_PYTHON_CAUSE = lazy(r"\bPython\b|\bwheels?\b|\bplatform\b|\bABI\b", re.IGNORECASE)


def _line_of(root: Path, source: str, pin: str) -> str:
    """``file:line`` of the requirement uv names, when ``source`` is a requirements file that has it."""
    name = re.split(r"[<>=!~\[ ;]", pin, maxsplit=1)[0].lower()
    path = root / source
    if source != "-" and path.is_file() and path.suffix in (".in", ".txt"):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if re.split(r"[<>=!~\[ ;]", line.strip(), maxsplit=1)[0].lower() == name:
                return f"{source}:{number}"
    return source


_UNSATISFIABLE = "we can conclude that"  # uv's conclusion of a resolution with no solution
_MISSING = lazy(
    r"\b(?:was not found in the (?:package registry|provided package locations)|"
    r"not found in the index|no versions? of \S+ (?:is|are) available)",
    re.IGNORECASE,
)
_NETWORK = lazy(
    r"Failed to fetch|error sending request|Request failed after|tcp connect error|timed out|dns error|"
    r"Could not connect|Connection refused|failed to lookup address",
    re.IGNORECASE,
)
_CONCLUSION = lazy(r",? we can conclude that .*$")


@dataclass(frozen=True)
class Failure:
    """Why a resolution failed, from its LockError's text: ``kind`` ``conflict`` (no version fits what
    was asked), ``missing`` (the index has no such package), ``network`` (the index could not be
    reached) or ``other`` (a build failed, uv could not run ...), and uv's cause in one line."""

    kind: str
    cause: str


def failure_of(message: str) -> Failure:
    """The kind and one-line cause of a failed resolution (:func:`resolution_error`'s text, or uv's)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    first = lines[0].split(": ", 2)[-1] if lines else message.strip()
    causes = [line for line in lines[1:] if not line.startswith("hint:") and line != "..."]
    because = [line for line in causes if line.startswith("Because ") or _UNSATISFIABLE in line]
    missing = next((line for line in causes if _MISSING.search(line)), None)
    if missing is not None:
        return Failure("missing", _CONCLUSION.sub("", missing.removeprefix("Because ")))
    if because:
        return Failure("conflict", _CONCLUSION.sub("", because[-1].removeprefix("Because ")))
    if any(_NETWORK.search(line) for line in lines):
        fetch = next((line for line in causes if line.startswith("Failed to fetch")), "")
        return Failure("network", ": ".join(p for p in dict.fromkeys((first, fetch, *causes[-1:])) if p))
    return Failure("other", "; ".join(dict.fromkeys([first, *causes[-1:]])))
