"""Issue 11, class 1: no generated CMD/ENTRYPOINT names an executable the image lacks.

For every example under every strategy that fits it, the program after tini is the interpreter, a
file the strategy builds or copies into the image, a shell running a script the project ships (or
``sh -c`` whose ``exec`` names such a program), a console script of the project, or the console
script of a distribution in the locked set (the project's dependencies plus what the plan adds).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sandbox.inputs import MONOREPO_APPS

from dockwright.errors import PlanError
from dockwright.plan.model import BuildPlan
from dockwright.plan.planner import STRATEGIES, make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.detect import detect_project
from dockwright.project.detectors.console_scripts import declared_scripts
from dockwright.project.detectors.servers import package_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name not in MONOREPO_APPS)
_PYTHON = re.compile(r"^python(3(\.\d+)?)?$")


def locked_set(plan: BuildPlan) -> set[str]:
    deps = plan.facts.dependencies
    names = {p.name for p in deps.locked} | {canonicalize_name(a) for a in plan.lock.adds}
    names |= {canonicalize_name(Requirement(r).name) for r in deps.declared}
    if deps.hashed_requirements:
        text = (Path(plan.facts.root) / deps.hashed_requirements).read_text(encoding="utf-8")
        names |= {canonicalize_name(m) for m in re.findall(r"^([A-Za-z0-9][\w.-]*)==", text, re.M)}
    return names


def missing_program(plan: BuildPlan, argv: tuple[str, ...]) -> str | None:
    """None when the image contains ``argv[0]``, else a description of what is missing."""
    root = Path(plan.facts.root)
    head = argv[0]
    name = head.rsplit("/", 1)[-1]
    if _PYTHON.match(name):
        return None
    if name in ("sh", "bash"):
        if len(argv) >= 3 and argv[1] == "-c":
            last = re.split(r"&&|;|\|\|", argv[2])[-1].strip()
            words = shlex.split(last)
            return missing_program(plan, tuple(words[1:] if words and words[0] == "exec" else words))
        return None if len(argv) >= 2 and (root / argv[1]).is_file() else f"{argv[1:]} not in the project"
    if head.startswith("/app/") or head.startswith("/usr/local/bin/"):
        return None  # built or copied by the strategy (frozen binary, zipapp)
    if name in declared_scripts(_pyproject(root)):
        return None
    package = package_of(name)
    if package and canonicalize_name(package) in locked_set(plan):
        return None
    return f"{name} (package {package}) not in the locked set {sorted(locked_set(plan))}"


def _pyproject(root: Path) -> dict[str, object] | None:
    import tomllib

    path = root / "pyproject.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@pytest.mark.parametrize("example", NAMES)
def test_every_plan_runs_an_installed_program(example: str) -> None:
    facts = detect_project(EXAMPLES / example)
    checked = 0
    for strategy in STRATEGIES:
        if not strategy.applies(facts).ok:
            continue
        try:
            plan = make_plan(facts, PlanOptions(strategy=strategy.name))
        except PlanError:
            continue
        argv = (*plan.entrypoint, *plan.cmd)
        assert argv[0].endswith("/tini") and argv[1] == "--", argv
        problem = missing_program(plan, argv[2:])
        assert problem is None, f"{example}@{strategy.name}: {problem}"
        checked += 1
    assert checked
