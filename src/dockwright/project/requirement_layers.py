"""The requirements files a chosen one is layered on: pip-tools' layered workflow, where each
environment's file is compiled under the one below it and the environment installs them together.

What it does
    Given the requirements file the image installs (``requirements/production.txt``), finds the
    compiled files it layers on, in install order (the bottom layer first), each with where that is
    said:

    - its pip-tools input (``production.in``) constrains on (``-c base.txt``) or includes (``-r
      base.in``, ``-r base.txt``) a compiled sibling (``base.txt`` beside ``base.in``), followed down
      the layers' own inputs;
    - the project's own install commands (its Dockerfile's ``RUN``, a Makefile, a shell script) install
      it together with others: ``pip-sync base.txt production.txt``, ``pip install -r base.txt -r
      production.txt``.

    A layer named as a development one (dev, test, lint, doc, ci), and one whose every pin the chosen
    file already holds (``-r base.in`` compiles base's pins into production.txt), is left out.

Why is this bad?
    pip-tools compiles ``production.in`` (``-c base.txt``, ``gunicorn``) to a ``production.txt`` holding
    gunicorn and its dependencies only: the app's flask is in ``base.txt``, which the project installs
    beside it (``pip-sync base.txt production.txt``). An image of ``production.txt`` alone built, then
    the app stopped on ``ModuleNotFoundError: No module named 'flask'``.

Example
    ``requirements/production.in`` = ``-c base.txt`` / ``gunicorn`` -> ``requirements/base.txt``
    (``requirements/production.in:1``), installed with ``requirements/production.txt`` in one lock.

Use instead
    Nothing to change in the repository; a development layer (``dev.txt`` constrained by ``base.txt``)
    stays out of the image.
"""

from __future__ import annotations

import posixpath
import re

from dockwright.errors import ProjectError
from dockwright.lazy_re import lazy
from dockwright.project.facts import Evidence, Fact
from dockwright.project.install_lines import installed_requirements, shell_words
from dockwright.project.managers import include_of, included_path, logical_lines, parse_requirements
from dockwright.project.own_copies import final_steps, placed
from dockwright.project.tree import ProjectTree

# `pip-sync A B` (pip-tools): every file named is installed, and nothing else is kept
_PIP_SYNC = lazy(r"\bpip-sync\s+([^;&|#\n]*)")
# the name of a layer only developers install (dev.txt, test.txt, local.txt, docs.txt, ci.txt)
_DEVELOPMENT = lazy(r"(dev|test|lint|doc|ci|local|debug)", re.IGNORECASE)
# where a project runs its install commands besides its Dockerfile
_SCRIPT_FOLDERS = (".", "scripts", "bin", "docker", "deploy")


def layers(tree: ProjectTree, chosen: str) -> tuple[Fact[str], ...]:
    """The compiled requirements files ``chosen`` is layered on, bottom first (see the module
    docstring), each with the evidence that puts it in; () for a file layered on nothing."""
    found: dict[str, Evidence] = {}
    _input_layers(tree, chosen, found, {chosen})
    for file, evidence in _installed_with(tree, chosen):
        found.setdefault(file, evidence)
    held = _pinned_names(tree, chosen)
    out: list[Fact[str]] = []
    for file, evidence in found.items():
        names = _pinned_names(tree, file)
        if file == chosen or _development(file) or not names or names <= held:
            continue
        held |= names
        out.append(Fact(file, (evidence,)))
    return tuple(out)


def compiled_set(tree: ProjectTree, files: tuple[str, ...]) -> bool:
    """Whether the requirements ``files`` pin every line exactly (``name==version``, or a VCS, URL or
    path line): pip-tools' output, which lists the whole set its input resolves to, so a module none of
    them provides is installed by nothing."""
    try:
        reqs = [r for file in files for r in parse_requirements(tree, file)[0]]
    except ProjectError:
        return False
    return bool(reqs) and all(r.version or r.source != "pypi" for r in reqs)


def _development(file: str) -> bool:
    return bool(_DEVELOPMENT.search(posixpath.basename(file).removeprefix("requirements")))


def _pinned_names(tree: ProjectTree, file: str) -> frozenset[str]:
    try:
        return frozenset(r.name for r in parse_requirements(tree, file)[0] if r.name)
    except ProjectError:
        return frozenset()


def _input_layers(tree: ProjectTree, txt: str, found: dict[str, Evidence], seen: set[str]) -> None:
    """The compiled siblings ``txt``'s pip-tools input constrains on or includes, each after its own
    layers (depth first: the bottom layer lands first)."""
    source = txt[:-4] + ".in"
    if not txt.endswith(".txt") or not tree.is_file(source):
        return
    try:
        lines = logical_lines(tree.read_text(source))
    except ProjectError:
        return
    for number, line in lines:
        include = include_of(line.split())
        if include is None or not include[0]:
            continue
        target = included_path(source, include[0])
        compiled = target[:-3] + ".txt" if target.endswith(".in") else target
        if not compiled.endswith(".txt") or not tree.is_file(compiled) or compiled in seen:
            continue
        if not tree.is_file(compiled[:-4] + ".in"):
            continue  # a hand-written constraints file: it narrows versions, it installs nothing
        seen.add(compiled)
        _input_layers(tree, compiled, found, seen)
        why = f"`{line}`: {txt} is compiled on it, pip-tools' layered requirements"
        found.setdefault(compiled, Evidence(source, number, why))


def _installed_with(tree: ProjectTree, chosen: str) -> list[tuple[str, Evidence]]:
    """The files the project's own install commands install together with ``chosen``, in their order."""
    out: list[tuple[str, Evidence]] = []
    for rel, number, files in _install_commands(tree):
        if chosen in files:
            why = f"the project installs {' '.join(files)} together"
            out += [(file, Evidence(rel, number, why)) for file in files if file != chosen]
    return out


def _install_commands(tree: ProjectTree) -> list[tuple[str, int, list[str]]]:
    """(file, line, the project files it installs) of each install command naming several requirements
    files: the own Dockerfile's (its image paths read back through its copies), a Makefile's and the
    shell scripts' (paths from the project's root, where they run)."""
    out: list[tuple[str, int, list[str]]] = []
    steps = final_steps(tree)
    if steps is not None:
        for instruction, workdir in steps.steps:
            if instruction.keyword != "RUN":
                continue
            named = _named_files(instruction.value.replace("\\\n", " "))
            paths = (posixpath.normpath(posixpath.join(workdir, n)) for n in named)
            files = [placed(tree, steps.copies, path) for path in paths]
            kept = [f for f in files if f is not None]
            if len(kept) > 1 and len(kept) == len(files):
                out.append((steps.path, instruction.span.line, kept))
    for rel in _scripts(tree):
        for number, line in logical_lines(tree.read_script(rel)):  # continuations joined, comments dropped
            named = [posixpath.normpath(f.removeprefix("./")) for f in _named_files(line)]
            if len(named) > 1 and all(tree.is_file(f) for f in named):
                out.append((rel, number, named))
    return out


def _scripts(tree: ProjectTree) -> list[str]:
    found = ["Makefile"] if tree.is_file("Makefile") else []
    for folder in _SCRIPT_FOLDERS:
        for name in tree.listdir(folder):
            rel = name if folder == "." else f"{folder}/{name}"
            if name.endswith(".sh") and tree.is_file(rel):
                found.append(rel)
    return found


def _named_files(line: str) -> list[str]:
    """The requirements files one command of ``line`` installs together: ``pip-sync A B``'s files, else
    an install command's ``-r`` files."""
    for match in _PIP_SYNC.finditer(line):
        files = [w for w in shell_words(match.group(1)) if not w.startswith("-") and _REQUIREMENTS.search(w)]
        if len(files) > 1:
            return files
    return installed_requirements(line)


_REQUIREMENTS = lazy(r"\.(?:txt|in)$")
