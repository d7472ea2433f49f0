"""What a command loads: `lint`, `--help` and `--version` never import the planner, the engine, the
renderer, the network or rich (issue #14 "Lean and fast"; docs/lean.md, imports26). A module list,
not a time: an import moved back to a module's top shows here, whatever the machine's load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

# the modules a command loaded (beyond what the interpreter had before dockwright was imported)
_PROBE = """
import contextlib, io, json, sys
before = set(sys.modules)
from dockwright.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(set(sys.modules) - before)}))
"""

#: loaded only by the commands that plan, build, audit, render, reach an index or draw tables
HEAVY = (
    "dockwright.project.detect",
    "dockwright.project.detectors",
    "dockwright.plan",
    "dockwright.render",
    "dockwright.lock",
    "dockwright.engine",
    "dockwright.build",
    "dockwright.initialize",
    "dockwright.audit.audit",
    "dockwright.lint.fixing",  # lint --fix/--diff only
    "rich",
    "jinja2",
    "docker",
    "yaml",
    "packaging",
    "urllib.request",
    "http.client",
    "ssl",
    "difflib",
)
#: the linter and its rules: a lint run needs them, its --help (and the verbs list) does not
LINTER = ("dockwright.lint.linter", "dockwright.lint.registry", "dockwright.lint.rules")


def _loaded(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    answer = json.loads(done.stdout.splitlines()[-1])
    return answer["code"], answer["loaded"]


def _under(loaded: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in loaded if any(m == p or m.startswith(p + ".") for p in packages)]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["lint", "--help"], ["plan", "--help"]])
def test_help_and_version_load_no_verb_machinery(args: list[str], tmp_path: Path) -> None:
    code, loaded = _loaded(args, tmp_path)
    assert code == 0
    assert _under(loaded, HEAVY + LINTER) == []


def test_lint_loads_the_linter_and_nothing_of_the_planner(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0\nUSER 1000\nCMD ["python", "app.py"]\n',
        encoding="utf-8",
    )
    code, loaded = _loaded(["lint", "Dockerfile"], tmp_path)
    assert code in (0, 1)  # clean or findings: it ran
    assert "dockwright.lint.registry" in loaded
    assert _under(loaded, HEAVY) == []


_KEPT_PROBE = """
import json, sys
from pathlib import Path
before = set(sys.modules)
from dockwright import api
api._kept_plan_for_build(Path(sys.argv[1]), {}, None, False)
import dockwright.build  # what builds the kept plan
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_a_kept_plan_is_reused_without_the_planner_or_the_renderer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build of an unchanged project loads the plan it kept and the build step: no detection, planner
    or Jinja2 import (their modules were most of a no-change `dockwright build`'s own time)."""
    import shutil

    root = tmp_path / "app"
    shutil.copytree(SRC.parent / "examples" / "flask-requirements", root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "on")
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def probe() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _KEPT_PROBE, str(root)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return list(json.loads(done.stdout.splitlines()[-1]))

    first = probe()
    assert "dockwright.project.detect" in first  # planned, and kept
    again = probe()
    assert "dockwright.plan.model" in again  # the kept plan, unpickled
    heavy = ("dockwright.project.detect", "dockwright.project.detectors", "dockwright.initialize", "jinja2")
    assert _under(again, heavy) == []
    assert [m for m in again if m.startswith("dockwright.plan.") and m != "dockwright.plan.model"] == []
