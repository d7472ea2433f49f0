"""Podman in the sandbox: its containers.conf and its copies of the stand-in base images.

Podman keeps its own image store, so the stand-ins are imported again, from the same cached root
filesystem tarballs and with the same config changes as Docker's, under fully qualified names
(``docker.io/library/python:...``) so ``FROM python:...`` resolves to them without a registry.

``podman run`` fails on this kind of machine with "error setting rlimit ... operation not permitted"
(the kernel refuses the default rlimits inside an unprivileged container). The sandbox, not the
user, provides a ``containers.conf`` with ``default_ulimits = []``; ``python -m sandbox env`` exports
``CONTAINERS_CONF`` pointing at it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sandbox import images
from sandbox.config import Settings, log

CONTAINERS_CONF = """\
# Made by `python -m sandbox up` (dockwright's test sandbox). The kernel here refuses podman's default
# rlimits inside containers ("error setting rlimit ... operation not permitted"): set none.
[containers]
default_ulimits = []
"""


def podman() -> str | None:
    return shutil.which(os.environ.get("DOCKWRIGHT_PODMAN", "podman"))


def containers_conf(settings: Settings) -> Path:
    return settings.state / "containers.conf"


def qualified(tag: str) -> str:
    """The name Docker resolves a short tag to: ``python:3`` -> ``docker.io/library/python:3``."""
    first, _, rest = tag.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return tag
    return f"docker.io/{tag}" if rest else f"docker.io/library/{tag}"


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": str(containers_conf(settings))}


def _label(executable: str, tag: str, settings: Settings) -> str | None:
    done = subprocess.run(
        [executable, "image", "inspect", "--format", '{{index .Labels "dockwright.sandbox.recipe"}}', tag],
        capture_output=True,
        text=True,
        env=_env(settings),
    )
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_podman(settings: Settings, names: set[str]) -> None:
    """Write containers.conf and import every stand-in into podman's store (when podman is installed)."""
    executable = podman()
    if executable is None:
        log("podman: not installed; the podman tests will skip (apt-get install podman buildah skopeo)")
        return
    conf = containers_conf(settings)
    conf.parent.mkdir(parents=True, exist_ok=True)
    if not conf.exists() or conf.read_text() != CONTAINERS_CONF:
        conf.write_text(CONTAINERS_CONF)
    for recipe in images.recipes_for(names, settings):
        digest = images.recipe_digest(recipe)
        if all(_label(executable, qualified(tag), settings) == digest for tag, _ in recipe.tags):
            log(f"podman: cached {', '.join(qualified(tag) for tag, _ in recipe.tags)}")
            continue
        tarball = images.rootfs_tarball(settings, recipe)
        for tag, changes in recipe.tags:
            command = [executable, "import", "--quiet"]
            for change in (*changes, f"LABEL dockwright.sandbox.recipe={digest}"):
                command += ["--change", change]
            subprocess.run(
                [*command, str(tarball), qualified(tag)],
                check=True,
                stdout=subprocess.DEVNULL,
                env=_env(settings),
            )
            log(f"podman: tagged {qualified(tag)}")
