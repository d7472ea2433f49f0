"""The repository image's work directory, when the project's files name paths under it.

A repository whose own Dockerfile copies the project to ``WORKDIR /src`` often writes that folder into
its start files: an entry script's ``GUNICORN_CONF=/src/gunicorn/gunicorn_conf.py``, a gunicorn config's
``logconfig = "/src/logging_production.ini"``, a settings module's ``"/srv/app/static"``. The planned
image copies the project to ``/app``, where those paths name nothing: gunicorn stops at start with
``Error: '/src/gunicorn/gunicorn_conf.py' doesn't exist``. Such a project keeps its own work directory:
the first such path is the evidence.

Read: the final stage's ``WORKDIR`` of the repository's own Dockerfile (``project/own_image.py``; a
generated one is not the repository's), then the project's Python modules and its scripts and
configuration files (``.sh``, ``.ini``, ``.cfg``, ``.conf``, ``.toml``, ``.yaml``/``.yml``, ``.env``, and
files without a suffix in the first two folder levels), Dockerfiles left out (they name the folder to
build it). A path counts when, below the folder, it names a file or folder the project has
(``/src/gunicorn/gunicorn_conf.py`` with ``gunicorn/gunicorn_conf.py``). A work directory of the system
(``/``, ``/usr/...``, ``/tmp``, ``/root``), ``/app`` itself, or one spelled with a variable
(``WORKDIR /srv/$APP``: the folder Docker makes is not that text), a space or a quote is never taken.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re

from dockwright.dockerfile.final_command import final_command
from dockwright.dockerfile.parser import parse
from dockwright.errors import ProjectError
from dockwright.project.facts import AppFacts, Evidence, Fact
from dockwright.project.own_image import dockerfile_text, own_dockerfile
from dockwright.project.tree import ProjectTree

DEFAULT = "/app"  # the work directory the plans copy the project to (model_files.APP_DIR)
_TEXT_SUFFIXES = (".sh", ".ini", ".cfg", ".conf", ".toml", ".yaml", ".yml", ".env")
_SYSTEM = ("/usr", "/etc", "/var", "/tmp", "/root", "/home", "/proc", "/sys", "/dev", "/bin", "/sbin", "/lib")
_SKIP = frozenset({".git", ".venv", "venv", "node_modules", "tests", "test", "docs", "__pycache__"})
_MAX_FILES = 400
_PLAIN = re.compile(r"^/[\w.@+-]+(?:/[\w.@+-]+)*$")  # no variable, space or quote: a folder as written


def own_workdir(tree: ProjectTree) -> Fact[str] | None:
    """The own image's work directory with the first project line naming a project path under it, or
    None (module docstring)."""
    path = own_dockerfile(tree)
    if path is None:
        return None
    final = final_command(parse(dockerfile_text(tree, path)))
    if final is None:
        return None
    workdir = final.workdir
    if not _PLAIN.match(workdir):
        return None  # `WORKDIR /srv/$APP`: read as written, it is not the folder Docker makes
    if workdir in ("/", DEFAULT) or any(workdir == s or workdir.startswith(s + "/") for s in _SYSTEM):
        return None
    under = re.compile(rf"""(?<![\w./]){re.escape(workdir)}/([\w.-]+(?:/[\w.-]+)*)""")
    for rel in _candidates(tree):
        try:
            lines = tree.numbered_lines(rel)
        except ProjectError:
            continue
        for number, line in lines:
            for match in under.finditer(line):
                named = posixpath.normpath(match.group(1))
                if not named.startswith("..") and (tree.is_file(named) or tree.is_dir(named)):
                    detail = (
                        f"names {workdir}/{named}, the project's {named} in its own image "
                        f"({path}: WORKDIR {workdir})"
                    )
                    return Fact(workdir, (Evidence(rel, number, detail),))
    return None


def _candidates(tree: ProjectTree) -> list[str]:
    """The project's scripts and configuration files (two folder levels), then its Python modules."""
    out: list[str] = []

    def walk(rel: str, depth: int) -> None:
        for name in tree.listdir(rel):
            child = name if rel == "." else f"{rel}/{name}"
            if tree.is_dir(child):
                if depth < 2 and name not in _SKIP and not name.startswith("."):
                    walk(child, depth + 1)
            elif _is_text(name, depth):
                out.append(child)

    walk(".", 0)
    return [*out, *tree.python_files][:_MAX_FILES]


def _is_text(name: str, depth: int) -> bool:
    lowered = name.lower()
    if (
        "dockerfile" in lowered
        or "containerfile" in lowered
        or lowered.startswith(("docker-compose", "compose."))
    ):
        return False
    return lowered.endswith(_TEXT_SUFFIXES) or (depth > 0 and "." not in name)


def moved_env(app: AppFacts, workdir: str) -> AppFacts:
    """``app`` whose environment's paths under /app (``PYTHONPATH=/app/src``, set by the readers that
    assume the default work directory) are under ``workdir``, where the project is copied instead."""

    def moved(value: str) -> str:
        parts = value.split(":")
        return ":".join(
            workdir + p[len(DEFAULT) :] if p == DEFAULT or p.startswith(DEFAULT + "/") else p for p in parts
        )

    env = tuple(dataclasses.replace(e, value=moved(e.value)) for e in app.env)
    return app if env == app.env else dataclasses.replace(app, env=env)
