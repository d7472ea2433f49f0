"""Golden files for every example: `plan --json`, the rendered Dockerfile and .dockerignore.

Regenerate with ``UPDATE_GOLDEN=1 pytest tests/golden`` and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sandbox.inputs import MONOREPO_APPS

from dockwright.render.render import render_files

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent.parent / "examples"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

detect = pytest.importorskip("dockwright.project.detect", reason="detection not available yet")

GOLDEN_NAMES = {"Dockerfile": "Dockerfile", ".dockerignore": "dockerignore"}


def golden_name(path: str) -> str:
    """The key of GOLDEN_NAMES for a rendered path (``Dockerfile.dockerignore`` is the ignore file)."""
    name = path.rsplit("/", 1)[-1]
    return ".dockerignore" if name.endswith(".dockerignore") else name


# Examples whose code needs a newer grammar than dockwright's own interpreter: the syntax floor is found by
# a newer CPython here or by libcst and the grammar table (project/syntax.py). Their goldens were written
# on a 3.11 host; on a host that parses the syntax itself, or with neither, the plan says less.
NEWER_GRAMMAR = {"py312-syntax": "3.12"}


def _grammar_skip(name: str) -> str | None:
    from dockwright.project.syntax import grammar_parser, host_minor

    minor = NEWER_GRAMMAR.get(name)
    if minor is None:
        return None
    if tuple(map(int, host_minor().split("."))) >= tuple(map(int, minor.split("."))):
        return f"the host's Python parses {minor} syntax itself: the plan has no grammar clause"
    if grammar_parser(minor, [("probe.py", "type Alias = int\n")]) is None:
        return f"no CPython {minor}+ nor libcst on this machine to find {name}'s syntax floor"
    return None


NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name not in MONOREPO_APPS)


def _normalise(data: Any, root: str) -> Any:
    """Machine-specific values out: the absolute root and the git revision."""
    if isinstance(data, dict):
        out = {k: _normalise(v, root) for k, v in data.items()}
        if isinstance(out.get("present_dirs"), list):  # build artefacts come and go
            out["present_dirs"] = [d for d in out["present_dirs"] if not _transient(d)]
        if "revision" in out and isinstance(out["revision"], dict) and "value" in out["revision"]:
            out["revision"] = {"value": "<revision>", "evidence": []}
        return out
    if isinstance(data, list):
        return [_normalise(v, root) for v in data]
    if isinstance(data, str) and root in data:
        return data.replace(root, "<root>")
    return data


def _transient(name: str) -> bool:
    return name in {"build", "dist", "__pycache__", ".pytest_cache"} or name.endswith(".egg-info")


def _check(path: Path, text: str) -> None:
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {path.name} was missing and has been written; review and re-run")
        return
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockwright import api

    skip = _grammar_skip(name)
    if skip:
        pytest.skip(skip)
    for key in list(os.environ):
        if key.startswith("DOCKWRIGHT_"):
            monkeypatch.delenv(key)
    root = EXAMPLES / name
    plan = api.plan(root)
    data = _normalise(plan.to_dict(), str(root.resolve()))
    golden = HERE / name
    _check(golden / "plan.json", json.dumps(data, indent=2, sort_keys=False) + "\n")
    for rendered in render_files(plan):  # a workspace member's are in its folder: packages/api/Dockerfile
        if golden_name(rendered.path) in GOLDEN_NAMES:  # support files (tool pins) are data, not output
            _check(golden / GOLDEN_NAMES[golden_name(rendered.path)], rendered.content)


# Other strategies' goldens on a representative set (a web app, a CLI package, a uv project, a script
# job with C extensions); tests/lint checks every example x strategy lints clean without goldens.
STRATEGY_EXAMPLES = ("flask-requirements", "cli-setuptools", "fastapi-uv", "numpy-pandas-job")


def _strategy_cases() -> list[tuple[str, str]]:
    from dockwright.initialize import detect as detect_facts
    from dockwright.plan.planner import STRATEGIES
    from dockwright.plan.strategies.base import PlanOptions

    cases = []
    for name in STRATEGY_EXAMPLES:
        facts = detect_facts(EXAMPLES / name, PlanOptions())
        cases += [(name, s.name) for s in STRATEGIES[1:] if s.applies(facts).ok]
    return cases


@pytest.mark.parametrize(("name", "strategy"), _strategy_cases())
def test_golden_other_strategies(name: str, strategy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every other strategy that fits an example: its Dockerfile, .dockerignore and generated entry."""
    from dockwright import api

    skip = _grammar_skip(name)
    if skip:
        pytest.skip(skip)
    for key in list(os.environ):
        if key.startswith("DOCKWRIGHT_"):
            monkeypatch.delenv(key)
    plan = api.plan(EXAMPLES / name, strategy=strategy)
    golden = HERE / f"{name}@{strategy}"
    for rendered in render_files(plan):
        if rendered.path in GOLDEN_NAMES:
            _check(golden / GOLDEN_NAMES[rendered.path], rendered.content)
        elif rendered.path.endswith(".py"):  # generated per project (static support files are data)
            _check(golden / rendered.path.rsplit("/", 1)[-1], rendered.content)
