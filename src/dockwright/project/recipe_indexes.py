"""Indexes the project's own recipe or setup script hands to ``pip install`` for its requirements.

A requirements project often names its index not in the file but on the line that installs it: its
Dockerfile runs ``pip install -r requirements.txt --extra-index-url https://download.pytorch.org/whl/cpu``
(CPU torch, not PyPI's CUDA build with its GBs of ``nvidia-*`` wheels), or its setup script runs ``pip
install torch==2.2.0 --index-url https://download.pytorch.org/whl/cpu`` beside the file. pip's options
there are the project's as much as the file's own lines, so the lock resolves against them too.

What counts: a ``pip install`` (``pip3``, ``python -m pip``, ``uv pip``) line of a container recipe, else
of a script (``*.sh``, Makefile; the ranks of ``project/uv_selection.py``, not the documentation) that
installs one of the project's requirements files (``-r``) or a package the files declare. Its
``--index-url``/``-i`` and ``--extra-index-url`` values are read; a line installing only something else
(a tool of the image from its own index) says nothing about the project's dependencies. An
``--index-url`` on a line of named packages is an extra index of the project: the file's other
packages still come from PyPI. Only for requirements files: a uv, Poetry or PDM project names its
indexes in its own tables.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.facts import Evidence
from dockwright.project.install_lines import (
    INDEX_OPTIONS,
    PIP_INSTALL,
    REQUIREMENT_OPTIONS,
    option_pairs,
    shell_words,
)
from dockwright.project.managers import logical_lines
from dockwright.project.tree import ProjectTree
from dockwright.project.uv_selection import run_instructions
from dockwright.redact import redact

_DOCUMENTATION = "the documentation"
# the start of an index's evidence detail (plan/kept_selection.py keeps those of the replaced Dockerfile)
RECIPE_INDEX = "installs with "


@dataclass(frozen=True)
class RecipeIndex:
    """One index option of an install line: its URL, role and the line."""

    url: str
    role: Literal["default", "extra"]
    evidence: Evidence


def _declared(tree: ProjectTree, files: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for rel in files:
        for _, line in logical_lines(tree.read_text(rel)):
            if line.startswith("-"):
                continue
            try:
                names.add(canonicalize_name(Requirement(line.split(" --", 1)[0]).name))
            except InvalidRequirement:
                continue
    return names


def _installs_project(words: list[tuple[str, str]], files: set[str], declared: set[str]) -> bool:
    """Whether the line installs a requirements file of the project (by path or name) or a package the
    files declare."""
    for option, value in words:
        if option in REQUIREMENT_OPTIONS:
            value = value.removeprefix("./")
            if value in files or posixpath.basename(value) in {posixpath.basename(f) for f in files}:
                return True
        elif not option and not value.startswith("-"):
            try:
                if canonicalize_name(Requirement(value).name) in declared:
                    return True
            except InvalidRequirement:
                continue
    return False


def recipe_indexes(tree: ProjectTree, input_files: Iterable[str]) -> list[RecipeIndex]:
    """The index options of the first kind of instruction (recipe, then script) whose pip install lines
    install the project's requirements (see the module doc)."""
    files = {f for f in input_files if f.endswith((".txt", ".in")) and tree.is_file(f)}
    if not files:
        return []
    declared = _declared(tree, files)
    for kind, lines in run_instructions(tree):
        if kind == _DOCUMENTATION:
            break
        found: list[RecipeIndex] = []
        for rel, number, line in lines:
            for match in PIP_INSTALL.finditer(line):
                words = list(option_pairs(shell_words(match.group(1))))
                if not _installs_project(words, files, declared):
                    continue
                by_file = any(option in REQUIREMENT_OPTIONS for option, _ in words)
                for option, value in words:
                    if option in INDEX_OPTIONS:
                        role: Literal["default", "extra"] = "extra"
                        if by_file and INDEX_OPTIONS[option] == "default":
                            role = "default"
                        # redacted before the cut: a cut inside a password leaves no '@' to redact by
                        quoted = redact(match.group(1).strip())[:60]
                        detail = f"{RECIPE_INDEX}{option} (pip install {quoted}; {kind})"
                        found.append(RecipeIndex(value, role, Evidence(rel, number, detail)))
        if found:
            return found
    return []
