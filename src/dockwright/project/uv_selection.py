"""Which extras and dependency groups of a ``uv.lock`` project the image installs.

A ``uv.lock`` holds every extra and group; ``uv sync`` installs the project's dependencies, the default
groups (``[tool.uv] default-groups``, ``["dev"]`` when unset; ``"all"``: every group) and the extras it
is asked for (``--extra X``, ``--all-extras``). Two things therefore decide the production set:

Extras. A project whose runtime lives in an extra (``cpu = ["torch"]`` beside ``gpu = [...]``, made
mutually exclusive by ``[tool.uv] conflicts``) says which one in its own run instructions: a Dockerfile's
``uv sync --extra cpu`` (or ``--all-extras``, less its ``--no-extra X``), a script's
``pip install -e ".[cpu]"``, a README's command. Those are read (:func:`run_extras`), container recipes
(Dockerfiles, compose files) first, then scripts and Makefiles, then READMEs: the first kind that names
one of the project's extras decides. An ``extras`` list in ``[tool.dockwright]`` (or ``--extra``)
replaces what was read. Extras and groups whose names are those of
development tooling (``dev``, ``test``, ``docs``, ``lint`` ...) are never picked up from instructions.
Mutually exclusive extras need one choice: when the instructions name several of one conflict set, the
one named ``cpu`` is taken (the image has no GPU runtime), else the plan stops and says how to choose.

Groups. ``uv sync --no-dev`` is ``--no-group dev``: every other default group is installed. The image
installs the default groups except ``dev`` and development-named ones (a ``default-groups = "all"``
project's ``test`` and ``lint`` groups stay out), so a ``prod`` group the app needs is in; a ``groups``
list in ``[tool.dockwright]`` replaces that choice. The uv strategy then runs ``uv sync
--no-default-groups --group G``, the converted lock walks the same groups.

Sources: ``uv help sync`` (``--no-dev``: "an alias of ``--no-group dev``"; ``--no-default-groups``);
https://docs.astral.sh/uv/concepts/projects/dependencies/#default-groups and
https://docs.astral.sh/uv/concepts/projects/config/#conflicting-dependencies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence, Fact, UvSelection
from dockwright.project.tree import ProjectTree

# Names of extras/groups that hold development tooling, never the app's run time.
DEV_NAMES = frozenset(
    canonicalize_name(n)
    for n in (
        "dev", "develop", "development", "test", "tests", "testing", "lint", "linting", "linters",
        "docs", "doc", "documentation", "typing", "types", "mypy", "type-check", "typecheck", "ci",
        "pre-commit", "format", "formatting", "style", "coverage", "bench", "benchmark", "benchmarks",
        "release", "build", "notebook", "notebooks",
    )
)  # fmt: skip

# Container recipes rank first, then scripts and Makefiles, then documentation.
_RANKS = (
    ("a container recipe", re.compile(
        r"(^|/)([^/]*\.)?(Dockerfile|Containerfile)(\.[^/]*)?$|(^|/)[^/]*compose[^/]*\.ya?ml$", re.I
    )),
    ("a script", re.compile(r"(^|/)(Makefile|justfile|Procfile|[^/]*\.sh|[^/]*\.ps1|tox\.ini)$", re.I)),
    ("the documentation", re.compile(r"(^|/)(README|INSTALL|DEPLOY)[^/]*\.(md|rst|txt)$", re.I)),
)  # fmt: skip
_FOLDERS = ("docker", "deploy", "deployment", "ops", "scripts", "bin", ".devcontainer", "docs")
_UV = re.compile(r"\buv\s+(?:sync|run|export|pip\s+install)\b[^\n#]*")
_EXTRA = re.compile(r"--extra(?:\s+|=)[\"']?([A-Za-z0-9][\w.-]*)")
_ALL = re.compile(r"--all-extras\b")
_NO_EXTRA = re.compile(r"--no-extra(?:\s+|=)[\"']?([A-Za-z0-9][\w.-]*)")
_PIP = re.compile(r"\bpip3?\s+install\b[^\n#]*|\buv\s+pip\s+install\b[^\n#]*")
_DOT = re.compile(r"(?:^|\s)[\"']?(?:-e\s+)?\.\[([^\]]+)\][\"']?")


def _uv_table(pyproject: dict[str, Any] | None) -> dict[str, Any]:
    tool = (pyproject or {}).get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    return uv if isinstance(uv, dict) else {}


def declared_extras(pyproject: dict[str, Any] | None) -> dict[str, str]:
    """canonical name -> name as written, of ``[project.optional-dependencies]``."""
    project = (pyproject or {}).get("project")
    table = project.get("optional-dependencies") if isinstance(project, dict) else None
    return {canonicalize_name(str(k)): str(k) for k in table} if isinstance(table, dict) else {}


def declared_groups(pyproject: dict[str, Any] | None) -> dict[str, str]:
    """canonical name -> name as written, of ``[dependency-groups]`` (``[tool.uv] dev-dependencies``
    is the ``dev`` group)."""
    table = (pyproject or {}).get("dependency-groups")
    out: dict[str, str] = (
        {canonicalize_name(str(k)): str(k) for k in table} if isinstance(table, dict) else {}
    )
    if "dev-dependencies" in _uv_table(pyproject):
        out.setdefault("dev", "dev")
    return out


def conflict_sets(pyproject: dict[str, Any] | None) -> list[frozenset[str]]:
    """Each ``[tool.uv] conflicts`` entry as the canonical extras in it (groups as ``group:NAME``)."""
    out: list[frozenset[str]] = []
    entries = _uv_table(pyproject).get("conflicts")
    for entry in entries if isinstance(entries, list) else []:
        names: set[str] = set()
        for item in entry if isinstance(entry, list) else []:
            if isinstance(item, dict) and isinstance(item.get("extra"), str):
                names.add(canonicalize_name(item["extra"]))
            elif isinstance(item, dict) and isinstance(item.get("group"), str):
                names.add("group:" + canonicalize_name(item["group"]))
        if len(names) > 1:
            out.append(frozenset(names))
    return out


def _instruction_files(tree: ProjectTree) -> list[str]:
    files = list(tree.top_files())
    for folder in (d for d in tree.top_dirs() if d in _FOLDERS):
        for name in tree.listdir(folder):
            rel = f"{folder}/{name}"
            if tree.is_file(rel):
                files.append(rel)
            elif tree.is_dir(rel):
                files += [f"{rel}/{n}" for n in tree.listdir(rel) if tree.is_file(f"{rel}/{n}")]
    return files


def _extras_in(line: str) -> tuple[list[str], bool, set[str]]:
    """The extras one command line selects, whether it selects them all, and those it leaves out
    (``--all-extras --no-extra X``)."""
    names: list[str] = []
    every = False
    left_out: set[str] = set()
    for match in _UV.finditer(line):
        names += _EXTRA.findall(match[0])
        every = every or bool(_ALL.search(match[0]))
        left_out |= {canonicalize_name(n) for n in _NO_EXTRA.findall(match[0])}
    for match in _PIP.finditer(line):
        for group in _DOT.findall(match[0]):
            names += [n.strip() for n in group.split(",") if n.strip()]
    return names, every, left_out


def run_extras(tree: ProjectTree, pyproject: dict[str, Any] | None) -> list[Fact[str]]:
    """The project's extras its own run instructions select (see the module doc), with their lines."""
    declared = {k: v for k, v in declared_extras(pyproject).items() if k not in DEV_NAMES}
    if not declared:
        return []
    files = _instruction_files(tree)
    for kind, pattern in _RANKS:
        found: dict[str, list[Evidence]] = {}
        for rel in (f for f in files if pattern.search(f)):
            try:
                lines = tree.numbered_lines(rel)
            except ProjectError:
                continue
            for number, line in lines:
                names, every, left_out = _extras_in(line)
                chosen = list(declared) if every else [canonicalize_name(n) for n in names]
                chosen = [k for k in chosen if k not in left_out]
                for key in (k for k in chosen if k in declared):
                    found.setdefault(key, []).append(
                        Evidence(rel, number, f"{kind} installs the extra {declared[key]}")
                    )
        if found:
            return [Fact(declared[k], tuple(v[:3])) for k, v in found.items()]
    return []


def _one_of_each_conflict(
    picked: list[Fact[str]], sets: Iterable[frozenset[str]], notes: list[str]
) -> list[Fact[str]]:
    """``picked`` with one extra of each conflict set: ``cpu`` where the instructions name several."""
    out = list(picked)
    for names in sets:
        clash = [f for f in out if canonicalize_name(f.value) in names]
        if len(clash) < 2:
            continue
        cpu = [f for f in clash if canonicalize_name(f.value) == "cpu"]
        listed = "; ".join(f"{f.value} ({f.evidence[0]})" if f.evidence else f.value for f in clash)
        if len(cpu) != 1:
            raise ProjectError(
                f"the run instructions select mutually exclusive extras ([tool.uv] conflicts): {listed}; "
                'choose one with `extras = ["NAME"]` in [tool.dockwright] (or --extra NAME)',
                file="pyproject.toml",
            )
        others = ", ".join(f.value for f in clash if f is not cpu[0])
        notes.append(
            f"extra cpu installed of the mutually exclusive {listed}: the image has no GPU runtime; "
            f'`extras = ["{others.split(", ")[0]}"]` in [tool.dockwright] installs another'
        )
        out = [f for f in out if f is cpu[0] or f not in clash]
    return out


_ASKED = "[tool.dockwright] / --extra / --group"


def _asked(names: tuple[str, ...], declared: dict[str, str], kind: str, table: str) -> list[Fact[str]]:
    unknown = [n for n in names if canonicalize_name(n) not in declared]
    if unknown:
        have = ", ".join(declared.values()) or "none"
        raise ProjectError(
            f"no {kind} {', '.join(unknown)} in pyproject.toml {table} (it has: {have})",
            file="pyproject.toml",
        )
    return [
        Fact(declared[canonicalize_name(n)], (Evidence(_ASKED, None, f"{kind}s {', '.join(names)}"),))
        for n in dict.fromkeys(names)
    ]


def production_groups(tree: ProjectTree, pyproject: dict[str, Any] | None) -> tuple[list[Fact[str]], bool]:
    """The default groups ``uv sync --no-dev`` installs, less development-named ones, and whether
    ``default-groups`` is declared at all."""
    uv = _uv_table(pyproject)
    if "default-groups" not in uv:
        return [], False
    value = uv["default-groups"]
    groups = declared_groups(pyproject)
    if value == "all":
        names = list(groups.values())
    elif isinstance(value, list):
        names = [str(v) for v in value]
    else:
        raise ProjectError(
            f'[tool.uv] default-groups must be a list of group names or "all", got {value!r}',
            file="pyproject.toml",
        )
    line = tree.line_of("pyproject.toml", r"^\s*default-groups\s*=")
    return [
        Fact(n, (Evidence("pyproject.toml", line, f"[tool.uv] default-groups installs {n}"),))
        for n in names
        if canonicalize_name(n) not in DEV_NAMES
    ], True


def select(
    tree: ProjectTree,
    pyproject: dict[str, Any] | None,
    extras: tuple[str, ...] = (),
    groups: tuple[str, ...] | None = None,
    notes: list[str] | None = None,
) -> UvSelection:
    """The extras (asked, else read from the run instructions) and groups (asked, else the production
    default groups) of a uv.lock project; mutually exclusive extras asked together are an error."""
    notes = [] if notes is None else notes
    sets = conflict_sets(pyproject)
    if extras:
        picked = _asked(
            extras, declared_extras(pyproject), "optional extra", "[project.optional-dependencies]"
        )
        clash = [s for s in sets if len({canonicalize_name(f.value) for f in picked} & s) > 1]
        if clash:
            raise ProjectError(
                f"extras {', '.join(f.value for f in picked)}: mutually exclusive in [tool.uv] conflicts "
                "(uv sync refuses them together); choose one",
                file="pyproject.toml",
            )
    else:
        picked = _one_of_each_conflict(run_extras(tree, pyproject), sets, notes)
    if groups is not None:
        chosen = _asked(groups, declared_groups(pyproject), "dependency group", "[dependency-groups]")
        return UvSelection(tuple(picked), tuple(chosen), True)
    default, declared = production_groups(tree, pyproject)
    return UvSelection(tuple(picked), tuple(default), declared)
