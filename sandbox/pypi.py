"""A PEP 503 "simple" index made from ``pip download`` on the host."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
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
                log(f"pypi index: downloading build backends for CPython {python}")
                subprocess.run(
                    [*pip, *target(python, machine), *extras, "-d", str(settings.wheels)], check=True
                )
        stamp.write_text(key)
        changed = True
    if changed or not (settings.simple / "simple").is_dir():
        write_simple_pages(settings.simple, settings.wheels)
    log(f"pypi index: {'updated' if changed else 'cached'} ({len(list(settings.wheels.iterdir()))} files)")
    return settings.simple


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
            anchors.append(f'<a href="{href}">{html.escape(path.name)}</a><br>')
        (page / "index.html").write_text(
            "<!DOCTYPE html><html><body>\n" + "\n".join(anchors) + "\n</body></html>\n"
        )
        links.append(f'<a href="{project}/">{project}</a><br>')
    (simple / "index.html").write_text(
        "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n"
    )
