"""setuptools takes the package data from setuptools-scm's file finder (git's files); the build has no
.git, so the wheel stage writes a MANIFEST.in of the context's files before building: templates and
static files stay in the wheel (bugsink's had none). Not with a MANIFEST.in of the project's own, nor
with package data off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.initialize import plan_project
from dockwright.plan.common import MANIFEST_ALL

MakeProject = Callable[[dict[str, str | bytes]], Path]

PYPROJECT = (
    '[build-system]\nrequires = ["setuptools>=64", "setuptools_scm>=8"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "site"\ndynamic = ["version"]\nrequires-python = ">=3.11"\ndependencies = ["flask"]\n\n'
    '[project.scripts]\nsite = "site_app.cli:main"\n'
)


def _files(**more: str) -> dict[str, str | bytes]:
    return {
        "pyproject.toml": PYPROJECT,
        "site_app/__init__.py": "",
        "site_app/cli.py": "def main():\n    print('ok')\n",
        "site_app/templates/index.html": "<p>hi</p>\n",
        **more,
    }


def _wheel_run(root: Path) -> str:
    plan = plan_project(root, {"python": "3.12"})
    steps = [s for stage in plan.side_stages for s in stage.steps] + list(plan.builder_steps)
    return next(a for s in steps if s.instruction == "RUN" for a in s.args if "pip wheel" in a)


def test_the_wheel_stage_lists_the_context_for_the_package_data(make_project: MakeProject) -> None:
    run = _wheel_run(make_project(_files()))
    assert run.startswith(MANIFEST_ALL)
    assert "SETUPTOOLS_SCM_PRETEND_VERSION" in run


@pytest.mark.parametrize(
    "more",
    [
        {"MANIFEST.in": "graft site_app\n"},
        {"pyproject.toml": PYPROJECT + "\n[tool.setuptools]\ninclude-package-data = false\n"},
    ],
    ids=["own-manifest", "package-data-off"],
)
def test_nothing_written_when_the_project_says(make_project: MakeProject, more: dict[str, str]) -> None:
    assert not _wheel_run(make_project(_files(**more))).startswith("printf")
