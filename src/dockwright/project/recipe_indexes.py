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
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from dockwright.project.facts import Evidence
from dockwright.project.managers import logical_lines
from dockwright.project.tree import ProjectTree
from dockwright.project.uv_selection import run_instructions
from dockwright.redact import redact

_PIP_INSTALL = re.compile(r"\b(?:pip3?|python3?(?:\.\d+)?\s+-m\s+pip|uv\s+pip)\s+install\s+([^;&|#\n]*)")
_INDEX_OPTIONS = {"-i": "default", "--index-url": "default", "--extra-index-url": "extra"}
_REQUIREMENT_OPTIONS = ("-r", "--requirement")
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


def _words(segment: str) -> list[str]:
    try:
        return shlex.split(segment)
    except ValueError:
        return segment.split()


def _options(words: list[str]) -> Iterable[tuple[str, str]]:
    """(option, value) pairs (``--opt value`` and ``--opt=value``), and ("", word) for the rest."""
    pending = ""
    for word in words:
        if pending:
            yield pending, word
            pending = ""
        elif word in _INDEX_OPTIONS or word in _REQUIREMENT_OPTIONS:
            pending = word
        elif "=" in word and word.split("=", 1)[0] in (*_INDEX_OPTIONS, *_REQUIREMENT_OPTIONS):
            option, value = word.split("=", 1)
            yield option, value
        else:
            yield "", word


def _installs_project(words: list[tuple[str, str]], files: set[str], declared: set[str]) -> bool:
    """Whether the line installs a requirements file of the project (by path or name) or a package the
    files declare."""
    for option, value in words:
        if option in _REQUIREMENT_OPTIONS:
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
            for match in _PIP_INSTALL.finditer(line):
                words = list(_options(_words(match.group(1))))
                if not _installs_project(words, files, declared):
                    continue
                by_file = any(option in _REQUIREMENT_OPTIONS for option, _ in words)
                for option, value in words:
                    if option in _INDEX_OPTIONS:
                        role: Literal["default", "extra"] = "extra"
                        if by_file and _INDEX_OPTIONS[option] == "default":
                            role = "default"
                        # redacted before the cut: a cut inside a password leaves no '@' to redact by
                        quoted = redact(match.group(1).strip())[:60]
                        detail = f"{RECIPE_INDEX}{option} (pip install {quoted}; {kind})"
                        found.append(RecipeIndex(value, role, Evidence(rel, number, detail)))
        if found:
            return found
    return []
