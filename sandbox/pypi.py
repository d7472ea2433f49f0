"""A PEP 503 "simple" index made from ``pip download`` on the host.

Each file's anchor carries ``data-requires-python`` from its own metadata (a wheel's METADATA, an
sdist's PKG-INFO), as PyPI's pages do: dockwright's Python chooser reads it for requirements pins.
"""

from __future__ import annotations

import email.parser
import hashlib
import html
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from sandbox.config import SUITES, Settings, log


def target(python: str, machine: str = "x86_64") -> tuple[str, ...]:
    """pip download flags for a stand-in's CPython ``python`` (bookworm 3.11 / glibc 2.36, trixie 3.13 /
    glibc 2.41) on ``machine``: fetch what pip there would pick, whatever interpreter runs on the host."""
    suite = next(s for s in SUITES.values() if s.python == python)
    cp = "cp" + python.replace(".", "")
    legacy = (
        ("manylinux2014", "manylinux2010", "manylinux1", "linux")
        if machine == "x86_64"
        else ("manylinux2014", "linux")
    )
    return (
        f"--python-version={python}",
        "--implementation=cp",
        *(f"--abi={abi}" for abi in (cp, "abi3", "none")),
        *(f"--platform=manylinux_2_{minor}_{machine}" for minor in range(suite.glibc_minor, 4, -1)),
        *(f"--platform={name}_{machine}" for name in legacy),
    )


_NAME = re.compile(r"^(?P<name>.+?)-\d")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project_of(filename: str) -> str:
    if filename.endswith(".whl"):
        return _normalise(filename.split("-")[0])
    stem = re.sub(r"\.(tar\.gz|zip|tar\.bz2)$", "", filename)
    match = _NAME.match(stem)
    return _normalise(match.group("name") if match else stem)


def _inputs_stamp(files: tuple[tuple[Path, tuple[str, ...]], ...], extra: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    # order-free: scratch paths differ per run
    for content in sorted(path.read_bytes() + " ".join(pythons).encode() for path, pythons in files):
        digest.update(content)
    digest.update("\n".join(extra).encode())
    return digest.hexdigest()


def ensure_index(
    settings: Settings,
    requirement_files: tuple[tuple[Path, tuple[str, ...]], ...],
    extra: tuple[str, ...],
    aarch64_files: tuple[tuple[Path, tuple[str, ...]], ...] = (),
) -> Path:
    """Every file the locks name for x86_64, for each stand-in interpreter that installs them; for aarch64
    too those of ``aarch64_files`` (multi-arch leg)."""
    settings.wheels.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"]
    changed = False
    # one stamp per machine, so turning the multi-arch leg on or off never downloads the x86_64 set again
    for machine, files, extras in (("x86_64", requirement_files, extra), ("aarch64", aarch64_files, ())):
        stamp = settings.simple / (".stamp" if machine == "x86_64" else f".stamp-{machine}")
        key = _inputs_stamp(files, extras)
        if not files or (stamp.exists() and stamp.read_text() == key):
            continue
        seen: set[tuple[str, str]] = set()
        for requirements, pythons in files:
            content = hashlib.sha256(requirements.read_bytes()).hexdigest()
            for python in pythons:
                if (content, python) in seen:
                    continue  # the same lock rendered for another strategy
                seen.add((content, python))
                log(
                    f"pypi index: downloading {requirements.parent.name}/{requirements.name} "
                    f"for CPython {python} ({machine})"
                )
                # --require-hashes: the files in the index are exactly the ones the locks name
                subprocess.run(
                    [
                        *pip,
                        *target(python, machine),
                        "--require-hashes",
                        "-r",
                        str(requirements),
                        "-d",
                        str(settings.wheels),
                    ],
                    check=True,
                )
        if extras:
            for python in sorted({s.python for s in SUITES.values()}):
                log(f"pypi index: downloading build backends and what they need for CPython {python}")
                # resolved, not --no-deps: a backend's own dependencies change between its releases
                resolve = [arg for arg in pip if arg != "--no-deps"]
                subprocess.run(
                    [
                        *resolve,
                        "--only-binary=:all:",
                        *target(python, machine),
                        *extras,
                        "-d",
                        str(settings.wheels),
                    ],
                    check=True,
                )
        stamp.write_text(key)
        changed = True
    stamp_pages = settings.simple / "simple" / ".format"
    if changed or not stamp_pages.is_file() or stamp_pages.read_text() != PAGES_FORMAT:
        write_simple_pages(settings.simple, settings.wheels)
    log(f"pypi index: {'updated' if changed else 'cached'} ({len(list(settings.wheels.iterdir()))} files)")
    return settings.simple


PAGES_FORMAT = "2: data-requires-python\n"  # pages an older sandbox wrote lack it: rewritten once


def requires_python(path: Path) -> str | None:
    """The Requires-Python of a wheel (``*.dist-info/METADATA``) or an sdist (``*/PKG-INFO``)."""
    text = None
    try:
        if path.name.endswith((".whl", ".zip")):
            wanted = ".dist-info/METADATA" if path.name.endswith(".whl") else "/PKG-INFO"
            with zipfile.ZipFile(path) as archive:
                name = next((n for n in archive.namelist() if n.count("/") == 1 and n.endswith(wanted)), None)
                text = archive.read(name).decode("utf-8", "replace") if name else None
        elif path.name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(path, "r:gz") as archive:
                for member in archive:
                    if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO"):
                        handle = archive.extractfile(member)
                        text = handle.read().decode("utf-8", "replace") if handle else None
                        break
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError):
        return None
    value = email.parser.HeaderParser().parsestr(text).get("Requires-Python") if text else None
    return value.strip() or None if value else None


def _write(path: Path, text: str) -> None:
    """Replace ``path`` at once: the index may be serving it."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text)
    partial.replace(path)


def write_simple_pages(root: Path, files: Path) -> None:
    projects: dict[str, list[Path]] = {}
    for path in sorted(files.iterdir()):
        projects.setdefault(_project_of(path.name), []).append(path)
    simple = root / "simple"
    simple.mkdir(parents=True, exist_ok=True)
    links = []
    for project, paths in sorted(projects.items()):
        page = simple / project
        page.mkdir(exist_ok=True)
        anchors = []
        for path in paths:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            href = f"../../files/{html.escape(path.name)}#sha256={sha}"
            requires = requires_python(path)
            data = f' data-requires-python="{html.escape(requires)}"' if requires else ""
            anchors.append(f'<a href="{href}"{data}>{html.escape(path.name)}</a><br>')
        _write(
            page / "index.html", "<!DOCTYPE html><html><body>\n" + "\n".join(anchors) + "\n</body></html>\n"
        )
        links.append(f'<a href="{project}/">{project}</a><br>')
    _write(simple / "index.html", "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")
    (simple / ".format").write_text(PAGES_FORMAT)
