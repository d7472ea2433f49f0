"""The ``[build-system].requires`` of a git dependency at its pinned commit, read at ``init`` from the
commit's own ``pyproject.toml`` (git, the same remote the resolver just fetched), so the backend can be
hash-locked into the build lock (``requirements-build.lock``) with the app's and the path dependencies'
backends, and the builder can build the package ``--no-build-isolation --no-index``: no unhashed
download at build time.

A commit with no ``pyproject.toml``, or none with a ``[build-system]`` table (a ``setup.py`` project),
gets the backend pip itself falls back to (``setuptools>=40.8.0``, PEP 517's legacy path). A repository
git cannot read from here gives None: the plan keeps the isolated build (its backend from the index).

Source: PEP 518 (https://peps.python.org/pep-0518/#build-system-table); pip's fallback for projects
without [build-system] (https://pip.pypa.io/en/stable/reference/build-system/pyproject-toml/#fallback-behaviour).
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import subprocess
import tempfile

from dockwright.project.facts import GitDependency
from dockwright.project.tree import parse_toml

FALLBACK = ("setuptools>=40.8.0",)
"""What pip builds a project with when it declares no [build-system] (its fallback behaviour)."""

TIMEOUT = 120


def _git(*args: str, cwd: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}  # a private remote without credentials: fail, never ask
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def pyproject_at(url: str, commit: str, subdirectory: str | None) -> str | None:
    """The text of the commit's ``pyproject.toml`` ("" when it has none), or None when git cannot
    fetch the commit. A shallow fetch of the commit first (smart servers), else every branch and tag
    (a dumb-HTTP server cannot be asked for one commit)."""
    path = posixpath.join(subdirectory, "pyproject.toml") if subdirectory else "pyproject.toml"
    with tempfile.TemporaryDirectory(prefix="dockwright-git-") as scratch:
        try:
            if _git("init", "-q", cwd=scratch).returncode != 0:
                return None
            if _git("fetch", "-q", "--depth", "1", url, commit, cwd=scratch).returncode != 0:
                refs = ("+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*")
                if _git("fetch", "-q", url, *refs, cwd=scratch).returncode != 0:
                    return None
            if _git("cat-file", "-e", f"{commit}^{{commit}}", cwd=scratch).returncode != 0:
                return None
            shown = _git("show", f"{commit}:{path}", cwd=scratch)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return shown.stdout if shown.returncode == 0 else ""


def requires_of(text: str) -> tuple[str, ...]:
    """``[build-system].requires`` of a ``pyproject.toml`` text (pip's fallback when it names none)."""
    try:
        table = parse_toml(text).get("build-system") if text else None
    except ValueError:  # tomllib's TOMLDecodeError
        return FALLBACK
    requires = table.get("requires") if isinstance(table, dict) else None
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        return FALLBACK
    return tuple(requires)


def with_build_requires(deps: tuple[GitDependency, ...]) -> tuple[GitDependency, ...]:
    """``deps`` (the pinned ones) with their commits' build requirements, where git can read them."""
    out = []
    for dep in deps:
        if dep.commit and dep.build_requires is None:
            text = pyproject_at(dep.url, dep.commit, dep.subdirectory)
            if text is not None:
                dep = dataclasses.replace(dep, build_requires=requires_of(text))
        out.append(dep)
    return tuple(out)
