"""Where the server a start command runs comes from when the project does not declare it.

What it does: a lock holds the whole dependency set, so a server that arrives through another
package (daphne through Channels 1-3, uvicorn through ``fastapi[standard]``) is installed and the server
choice (:func:`dockwright.project.detectors.servers.choose`) takes it rather than adding another one.
Without a lock, :func:`carried_servers` reads the declared requirements that bring a server from
``data/server_carriers.toml``. Either way :func:`with_server_source` adds to the start command's
evidence the file that installs its program: the lock's line, or the requirement's.

Why: a Channels 2 project (``channels~=2.0`` in requirements.txt) got uvicorn added to its lock beside
the daphne Channels installs, and a plan whose server came from the lock did not say where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from dockwright.project.adds_in_lock import add_name
from dockwright.project.detectors.servers import last_command, package_of
from dockwright.project.facts import AppFacts, Dependencies, Evidence, Fact
from dockwright.project.tree import ProjectTree, data_table


@dataclass(frozen=True)
class Carrier:
    """A package that installs a server: in its versions below ``below``, or with its ``extra``."""

    package: str
    server: str
    source: str
    below: str = ""
    extra: str = ""

    def brings(self, requirement: Requirement) -> bool:
        if canonicalize_name(requirement.name) != self.package:
            return False
        if self.extra:
            return self.extra in {canonicalize_name(e) for e in requirement.extras}
        if not self.below:
            return True  # every version installs it
        return only_below(requirement.specifier, self.below)


@lru_cache(maxsize=1)
def carriers() -> tuple[Carrier, ...]:
    return tuple(Carrier(**row) for row in data_table("server_carriers.toml")["carrier"])


def only_below(specifier: SpecifierSet, bound: str) -> bool:
    """Every version ``specifier`` allows is below ``bound``: one of its clauses caps it there
    (``<``, ``<=``, ``==``, ``==X.*``, ``~=``). A specifier without a cap allows newer versions."""
    top = Version(bound)
    for clause in specifier:
        try:
            if clause.operator == "<":
                capped = Version(clause.version) <= top
            elif clause.operator in ("<=", "==", "===") and not clause.version.endswith(".*"):
                capped = Version(clause.version) < top
            elif clause.operator in ("==", "~="):
                release = Version(clause.version.removesuffix(".*")).release
                kept = release if clause.operator == "==" else release[:-1]
                capped = Version(".".join(map(str, (*kept[:-1], kept[-1] + 1)))) <= top
            else:
                continue
        except (InvalidVersion, IndexError):
            continue
        if capped:
            return True
    return False


def carried_servers(tree: ProjectTree, deps: Dependencies) -> dict[str, Evidence]:
    """The servers the declared requirements install (distribution -> the requirement's file:line),
    when the project has no whole lock yet (a lock lists what is installed, and the choice reads it;
    pins without hashes are resolved into one by init, which these servers are then part of)."""
    if deps.lock_file or deps.hashed_requirements:
        return {}
    found: dict[str, Evidence] = {}
    for text in deps.declared:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        for carrier in carriers():
            if carrier.server not in found and carrier.brings(requirement):
                file, line = _declared_at(tree, deps, requirement.name)
                why = f"{text} installs the {carrier.server} server ({carrier.source})"
                found[carrier.server] = Evidence(file, line, why)
    return found


def with_server_source(
    tree: ProjectTree, deps: Dependencies, app: AppFacts, carried: dict[str, Evidence]
) -> AppFacts:
    """``app`` with its start command's evidence naming where the program it runs is installed from,
    when the project does not declare that program's distribution (and the plan does not add it)."""
    argv = last_command(app.command.value)
    package = package_of(argv[0]) if argv else None
    added = {add_name(a) for a in app.adds.value}
    if package is None or package in added or package in _declared_names(deps):
        return app
    locked = {p.name: p for p in deps.locked}
    lock_file = deps.lock_file or deps.hashed_requirements
    if package in locked and lock_file:
        line = tree.line_of(lock_file, _lock_pattern(package))
        version = locked[package].version
        why = f"{package} {version} is in the lock (installed with the dependencies, not declared)"
        evidence = Evidence(lock_file, line, why)
    elif package in carried:
        evidence = carried[package]
    else:
        return app
    command = Fact(app.command.value, (*app.command.evidence, evidence))
    return replace(app, command=command)


def _declared_names(deps: Dependencies) -> set[str]:
    names: set[str] = set()
    for text in deps.declared:
        try:
            names.add(canonicalize_name(Requirement(text).name))
        except InvalidRequirement:
            continue
    return names


def _name_pattern(name: str) -> str:
    return "[-_.]".join(re.escape(part) for part in re.split(r"[-_.]+", name))


def _lock_pattern(name: str) -> str:
    """A lock's entry for ``name``: uv/Poetry/PDM ``name = "x"``, requirements ``x==``, Pipfile.lock
    ``"x":``."""
    n = _name_pattern(name)
    return rf'(?i)^\s*(name\s*=\s*"{n}"|{n}(\[[^\]]*\])?\s*==|"{n}"\s*:)'


def _declared_at(tree: ProjectTree, deps: Dependencies, name: str) -> tuple[str, int | None]:
    """The file and line declaring ``name`` (a requirements file's line, or pyproject's string)."""
    n = _name_pattern(name)
    files = [*deps.input_files, *(e.file for e in deps.declared_evidence)]
    for file in dict.fromkeys(files):
        line = tree.line_of(file, rf"(?i)^\s*[\"']?{n}\b")
        if line is not None:
            return file, line
    return (files[0] if files else "pyproject.toml"), None
