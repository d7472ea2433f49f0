"""A PEP 503 "simple" index made from ``pip download`` on the host."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from pathlib import Path

from sandbox.config import SUITES, Settings, log


def target(python: str) -> tuple[str, ...]:
    """pip download flags for a stand-in's CPython ``python`` (bookworm 3.11 / glibc 2.36, trixie 3.13 /
    glibc 2.41) on x86_64: fetch what pip there would pick, whatever interpreter runs on the host."""
    suite = next(s for s in SUITES.values() if s.python == python)
    cp = "cp" + python.replace(".", "")
    return (
        f"--python-version={python}",
        "--implementation=cp",
        *(f"--abi={abi}" for abi in (cp, "abi3", "none")),
        *(f"--platform=manylinux_2_{minor}_x86_64" for minor in range(suite.glibc_minor, 4, -1)),
        *(
            f"--platform={legacy}_x86_64"
            for legacy in ("manylinux2014", "manylinux2010", "manylinux1", "linux")
        ),
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
    settings: Settings, requirement_files: tuple[tuple[Path, tuple[str, ...]], ...], extra: tuple[str, ...]
) -> Path:
    settings.wheels.mkdir(parents=True, exist_ok=True)
    stamp = settings.simple / ".stamp"
    key = _inputs_stamp(requirement_files, extra)
    if stamp.exists() and stamp.read_text() == key:
        log(f"pypi index: cached ({len(list(settings.wheels.iterdir()))} files)")
        return settings.simple
    pip = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
    ]
    seen: set[tuple[str, str]] = set()
    for requirements, pythons in requirement_files:
        content = hashlib.sha256(requirements.read_bytes()).hexdigest()
        for python in pythons:
            if (content, python) in seen:
                continue  # the same lock rendered for another strategy
            seen.add((content, python))
            log(
                f"pypi index: downloading {requirements.parent.name}/{requirements.name} for CPython {python}"
            )
            # --require-hashes: the files in the index are exactly the ones the locks name
            subprocess.run(
                [
                    *pip,
                    *target(python),
                    "--require-hashes",
                    "-r",
                    str(requirements),
                    "-d",
                    str(settings.wheels),
                ],
                check=True,
            )
    for python in sorted({s.python for s in SUITES.values()}):
        log(f"pypi index: downloading build backends for CPython {python}")
        subprocess.run([*pip, *target(python), *extra, "-d", str(settings.wheels)], check=True)
    write_simple_pages(settings.simple, settings.wheels)
    stamp.write_text(key)
    log(f"pypi index: {len(list(settings.wheels.iterdir()))} files")
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
