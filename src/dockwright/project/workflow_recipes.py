"""The Dockerfile the repository's release workflow builds: what its published image is made from.

Many repositories keep several recipes in a folder of their own (``dockerfiles/web/Dockerfile-dev``,
``dockerfiles/web/Dockerfile-prod``, ``Dockerfile-test``) that no naming rule tells apart for certain;
the GitHub Actions workflow that publishes the image says which one ships. Read from
``.github/workflows/*.yml``:

- a step ``uses: docker/build-push-action@...`` with ``with: file: PATH`` (the action's ``file`` is
  a path from the repository root; its default, ``{context}/Dockerfile``, names nothing new);
- a ``run:`` line ``docker build -f PATH .`` or ``docker buildx build --file PATH .``.

Only builds whose context is the repository root count (``context: .``, or none: the action's Git
context is the checkout's root), as dockwright builds from the root; an action step with ``push: false``
builds an image to check or test, not to publish; recipes named for development, tests or CI
(``Dockerfile-dev``, ``Dockerfile.test``, ``Dockerfile.integration``) or for another part of the system
(``nginx.Dockerfile``) do not. Exactly one recipe left, which exists: that one. Several (a web and a
worker image, two apps): none, and the naming rules of ``own_image`` decide.

Source: https://github.com/docker/build-push-action#inputs (``file``: "Path to the Dockerfile. Default
{context}/Dockerfile"; ``context``: "Build's context ... Default Git context").
"""

from __future__ import annotations

import posixpath
import re
import shlex
from typing import Any

from dockwright.project.platform_files import load
from dockwright.project.tree import ProjectTree

WORKFLOWS = ".github/workflows"
_ACTION = "docker/build-push-action"
_BUILD = re.compile(r"\bdocker\s+(?:buildx\s+)?build(?=[ \t]|$)[^\n;&|]*", re.M)
_ROOT = frozenset({".", "./", ""})
# docker build's flags that take no value (any other flag without `=` takes the next word)
_ALONE = frozenset({"--pull", "--no-cache", "--push", "--load", "-q", "--quiet", "--rm", "--force-rm"})
# words of a recipe's name (split at `.`, `-`, `_`, `/`) that say it is not the shipped image: development,
# tests, CI, docs builds (also project/own_image.py's variants)
NOT_SHIPPED = frozenset(
    {"dev", "devel", "develop", "development", "devcontainer", "local", "debug", "test", "tests", "testing"}
    | {"ci", "e2e", "integration", "smoke", "lint", "docs", "doc", "example", "examples", "sample"}
    | {"bench", "benchmark", "benchmarks", "template", "bak", "orig", "old"}
)
# ... and those of another part of the system than the Python app
OTHER_PARTS = frozenset({"nginx", "frontend", "front", "caddy", "httpd", "apache", "proxy", "node", "ui"})


def workflow_recipe(tree: ProjectTree) -> str | None:
    """The one Dockerfile (project path) the repository's workflows build from the root, or None (module
    doc)."""
    named = {rel for rel in _named(tree) if tree.is_file(rel) and not not_shipped(rel)}
    return next(iter(named)) if len(named) == 1 else None


def _named(tree: ProjectTree) -> list[str]:
    named: list[str] = []
    if not tree.is_dir(WORKFLOWS):
        return named
    for name in sorted(tree.listdir(WORKFLOWS)):
        if not name.endswith((".yml", ".yaml")):
            continue
        data = load(tree, f"{WORKFLOWS}/{name}")
        jobs = data.get("jobs") if isinstance(data, dict) else None
        for job in jobs.values() if isinstance(jobs, dict) else ():
            steps = job.get("steps") if isinstance(job, dict) else None
            for step in steps if isinstance(steps, list) else ():
                if isinstance(step, dict):
                    named += _step_recipes(step)
    return [posixpath.normpath(rel.strip().removeprefix("./")) for rel in named if rel.strip()]


def _step_recipes(step: dict[str, Any]) -> list[str]:
    uses, run, args = step.get("uses"), step.get("run"), step.get("with")
    if isinstance(uses, str) and uses.split("@")[0].strip() == _ACTION and isinstance(args, dict):
        file, context = args.get("file"), args.get("context", ".")
        if args.get("push") in (False, "false"):
            return []  # built to check or test, never published
        if isinstance(file, str) and isinstance(context, str) and context.strip() in _ROOT:
            return [file]
        return []
    if not isinstance(run, str):
        return []
    found: list[str] = []
    for match in _BUILD.finditer(run.replace("\\\n", " ")):
        try:
            words = shlex.split(match[0])
        except ValueError:
            continue
        file, context = _file_and_context(words)
        if file is not None and context is not None and context in _ROOT and "${" not in file:
            found.append(file)
    return found


def _file_and_context(words: list[str]) -> tuple[str | None, str | None]:
    """``-f``/``--file`` and the one positional argument (the context) of a ``docker build`` line."""
    file: str | None = None
    positional: list[str] = []
    rest = words[words.index("build") + 1 :]
    i = 0
    while i < len(rest):
        word = rest[i]
        if word in ("-f", "--file") and i + 1 < len(rest):
            file, i = rest[i + 1], i + 2
            continue
        if word.startswith("--file="):
            file = word.split("=", 1)[1]
        elif word.startswith("-") and "=" not in word and i + 1 < len(rest) and word not in _ALONE:
            i += 1  # a flag's value (`-t name`, `--build-arg X=1`)
        elif not word.startswith("-"):
            positional.append(word)
        i += 1
    return file, positional[0] if len(positional) == 1 else None


def not_shipped(rel: str) -> bool:
    """Is the recipe at ``rel`` named for development, tests, CI or another part of the system
    (``Dockerfile.test``, ``docker-compose.dev.yml``, ``nginx/Dockerfile``)?"""
    words = {w for w in re.split(r"[._/-]+", rel.lower()) if w}
    return bool(words & (NOT_SHIPPED | OTHER_PARTS))
