"""A PEP 503 "simple" index made from ``pip download`` on the host."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from pathlib import Path

from sandbox.config import Settings, log

# The stand-in runtime is Debian bookworm's CPython 3.11 (glibc 2.36) on x86_64: fetch what pip there would
# pick, whatever interpreter runs on the host.
TARGET = (
    "--python-version=3.11",
    "--implementation=cp",
    *(f"--abi={abi}" for abi in ("cp311", "abi3", "none")),
    *(f"--platform=manylinux_2_{minor}_x86_64" for minor in range(36, 4, -1)),
    *(f"--platform={legacy}_x86_64" for legacy in ("manylinux2014", "manylinux2010", "manylinux1", "linux")),
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


def _inputs_stamp(files: tuple[Path, ...], extra: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for content in sorted(path.read_bytes() for path in files):  # order-free: scratch paths differ per run
        digest.update(content)
    digest.update("\n".join(extra).encode())
    return digest.hexdigest()


def ensure_index(settings: Settings, requirement_files: tuple[Path, ...], extra: tuple[str, ...]) -> Path:
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
        *TARGET,
    ]
    for requirements in requirement_files:
        log(f"pypi index: downloading {requirements.parent.name}/{requirements.name}")
        # --require-hashes: the files in the index are exactly the ones the locks name
        subprocess.run(
            [*pip, "--require-hashes", "-r", str(requirements), "-d", str(settings.wheels)], check=True
        )
    log("pypi index: downloading build backends")
    subprocess.run([*pip, *extra, "-d", str(settings.wheels)], check=True)
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
