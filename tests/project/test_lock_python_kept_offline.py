"""With the index lookup off, a project that asks for a range keeps the Python its existing generated
lock was resolved for (the header's ``target:`` line, chosen online with the pins' wheels in view)
instead of moving to the range's newest and replacing that lock; the header line is the evidence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import init_project, plan_project
from dockwright.project.python_version import release_table

MakeProject = Callable[[dict[str, str | bytes]], Path]
TABLE = release_table()
DEFAULT = TABLE.latest[TABLE.default]
OLDER = TABLE.latest["3.12"]
CLI = {"start": "python app.py"}


def _files(requires: str) -> dict[str, str | bytes]:
    pyproject = f'[project]\nname = "demo"\nversion = "1.0"\nrequires-python = "{requires}"\n'
    return {"pyproject.toml": pyproject, "requirements.txt": "alpha==1.0\n", "app.py": "print('hi')\n"}


def _target_line(root: Path, python: str) -> int:
    lines = (root / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if f"target: CPython {python}," in line)


def test_the_generated_locks_python_is_kept_offline(
    make_project: MakeProject, resolved_for: list[str]
) -> None:
    root = make_project(_files(">=3.11"))
    init_project(root, {**CLI, "python": "3.12"}, env={})  # as if chosen online from the pins' wheels
    assert resolved_for == [OLDER]
    plan = plan_project(root, CLI, env={})
    assert plan.python_version == OLDER and not plan.lock.stale
    assert not any("stale" in w for w in plan.warnings)
    evidence = plan.facts.python.version.evidence
    assert len(evidence) == 1
    assert (evidence[0].file, evidence[0].line) == ("requirements.lock", _target_line(root, OLDER))
    assert evidence[0].detail.startswith(f"target: CPython {OLDER}: Python 3.12 → {OLDER}")
    assert "'>=3.11' allows" in evidence[0].detail
    # init --force resolves it again for the same Python, not the range's newest
    init_project(root, CLI, env={}, force=True)
    assert resolved_for[1:] == [OLDER]
    assert f"target: CPython {OLDER}," in (root / "requirements.lock").read_text(encoding="utf-8")


def test_a_lock_outside_the_range_is_not_kept(make_project: MakeProject, resolved_for: list[str]) -> None:
    root = make_project(_files(">=3.11"))
    init_project(root, {**CLI, "python": "3.12"}, env={})
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text(encoding="utf-8").replace(">=3.11", ">=3.13"), encoding="utf-8"
    )
    plan = plan_project(root, CLI, env={})
    assert plan.python_version == DEFAULT and plan.lock.stale
    assert any(f"resolved for CPython {OLDER}" in w for w in plan.warnings)


def test_an_exact_request_is_never_moved_by_the_lock(
    make_project: MakeProject, resolved_for: list[str]
) -> None:
    root = make_project({**_files(">=3.11"), ".python-version": "3.13\n"})
    init_project(root, {**CLI, "python": "3.12"}, env={})
    plan = plan_project(root, CLI, env={})
    assert plan.python_version.startswith("3.13.") and plan.lock.stale
