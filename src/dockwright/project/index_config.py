"""Installer configuration files in the project that point pip or uv at another index.

A ``pip.conf`` or ``pip.ini`` with ``index-url``/``extra-index-url``/``find-links``, or a ``uv.toml``
with ``index-url``/``extra-index-url``/``find-links`` or an ``[[index]]`` table, at the project's root
(where pip's ``PIP_CONFIG_FILE`` and uv's project configuration are usually kept) says the project
installs from an index other than PyPI: the plan then mounts the ``pipconf`` BuildKit secret
(:mod:`dockwright.plan.private_index`). Each hit is a fact with its file and line; the value (a URL
that may carry a password) is never read into the fact, and a setting that names PyPI itself is none.
A file that leaves the project (a symlink outside it) or cannot be read is not evidence.
"""

from __future__ import annotations

import re

from dockwright.project.facts import Evidence
from dockwright.project.indexes import is_pypi
from dockwright.project.tree import ProjectTree

# pip's config keys accept either spelling (``index_url`` too); uv.toml uses kebab case
_PIP_KEY = re.compile(
    r"^\s*(?P<key>(?:extra[-_])?index[-_]url|find[-_]links)\s*[=:]\s*(?P<value>.*)$", re.IGNORECASE
)
_UV_KEY = re.compile(
    r"^\s*(?:(?P<key>(?:extra-)?index-url|find-links)\s*=\s*(?P<value>.*)$|(?P<table>\[\[\s*index\s*\]\]))"
)
_FILES = (("pip.conf", _PIP_KEY), ("pip.ini", _PIP_KEY), ("uv.toml", _UV_KEY))


def detect_index_config(tree: ProjectTree) -> tuple[Evidence, ...]:
    """The first index setting of each pip/uv configuration file at the project's root."""
    found: list[Evidence] = []
    for rel, pattern in _FILES:
        for number, line in tree.numbered_lines(rel):
            match = pattern.match(line)
            if match is not None and not is_pypi((match.group("value") or "").strip().strip("\"'[] ")):
                key = match.group("key") or "[[index]]"
                found.append(Evidence(rel, number, f"{key.lower()}: another index"))
                break
    return tuple(found)
