"""A uv workspace member's own extras and dependency groups: ``uv sync --package api`` installs the
member's default groups (its ``[tool.uv] default-groups``, not the workspace root's) and the extras asked
of it, so the selection (project/uv_selection.py) is read from the member: its pyproject, its run
instructions and the root's instructions that name ``--package api``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.initialize import plan_project
from dockwright.project.detect import detect_project
from uv_lock_text import ENGINES, engine_extras, uv_package

MakeProject = Callable[[dict[str, str | bytes]], Path]
LOCK = (
    'version = 1\nrequires-python = ">=3.11"\n\n[manifest]\nmembers = ["api", "repo"]\n\n'
    '[[package]]\nname = "repo"\nversion = "0.1.0"\nsource = { virtual = "." }\n\n'
    "[package.dev-dependencies]\n"
    'dev = [{ name = "pytest" }]\n'
    'tools = [{ name = "waitress" }]\n\n'
    '[[package]]\nname = "api"\nversion = "1.0"\nsource = { editable = "services/api" }\n'
    'dependencies = [{ name = "click" }]\n\n'
    "[package.optional-dependencies]\n" + engine_extras("api") + 'web = [{ name = "flaskish" }]\n\n'
    "[package.dev-dependencies]\n"
    'dev = [{ name = "pytest" }]\n'
    'prod = [{ name = "gunicorn" }]\n\n'
    + ENGINES
    + uv_package("flaskish", "3.0.0")
    + uv_package("waitress", "3.0.0")
    + uv_package("pytest", "8.0.0")
    + uv_package("gunicorn", "23.0.0")
)

ROOT = (
    '[project]\nname = "repo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n\n'
    '[dependency-groups]\ndev = ["pytest"]\ntools = ["waitress"]\n\n'
    '[tool.uv]\npackage = false\ndefault-groups = ["dev", "tools"]\n\n'
    '[tool.uv.workspace]\nmembers = ["services/*"]\n\n[tool.uv.sources]\napi = { workspace = true }\n'
)
MEMBER = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "api"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["click"]\n\n'
    '[project.optional-dependencies]\ncpu = ["engine==2.0+cpu"]\ngpu = ["engine==2.0+gpu"]\nweb = ["flaskish"]\n\n'
    '[project.scripts]\napi = "api.cli:main"\n\n'
    '[dependency-groups]\ndev = ["pytest"]\nprod = ["gunicorn"]\n\n'
    '[tool.uv]\ndefault-groups = ["dev", "prod"]\nconflicts = [[{ extra = "cpu" }, { extra = "gpu" }]]\n'
)


def _workspace(make_project: MakeProject, files: dict[str, str | bytes]) -> Path:
    return make_project(
        {
            "pyproject.toml": ROOT,
            "uv.lock": LOCK,
            "services/api/pyproject.toml": MEMBER,
            "services/api/src/api/__init__.py": "",
            "services/api/src/api/cli.py": "import click\n\n\ndef main():\n    click.echo('ok')\n",
            **files,
        }
    )


def _syncs(root: Path, **options: str) -> list[str]:
    plan = plan_project(root, {"python": "3.12", **options})
    return [str(s.args[0]) for s in plan.builder_steps if s.args and str(s.args[0]).startswith("uv sync")]


def test_the_members_own_extra_and_default_groups_are_installed(make_project: MakeProject) -> None:
    dockerfile = "FROM python:3.12-slim\nRUN uv sync --frozen --no-dev --extra cpu\n"
    root = _workspace(make_project, {"services/api/docker/Dockerfile": dockerfile})
    facts = detect_project(root)
    selection = facts.dependencies.uv_selection
    assert selection is not None
    assert selection.extra_names == ("cpu",) and selection.group_names == ("prod",)
    assert str(selection.extras[0].evidence[0]).startswith("docker/Dockerfile:2")
    names = {(p.name, p.version) for p in facts.dependencies.locked}
    assert names == {("click", "8.1.7"), ("engine", "2.0+cpu"), ("gunicorn", "23.0.0")}  # no root tools

    syncs = _syncs(root)
    assert syncs[-1] == (
        "uv sync --locked --no-dev --no-editable --package api --extra cpu --no-default-groups --group prod"
    )
    assert all("--extra cpu --no-default-groups --group prod" in s for s in syncs)


def test_the_roots_instruction_for_this_member_counts_and_another_members_does_not(
    make_project: MakeProject,
) -> None:
    dockerfile = (
        "FROM python:3.12-slim\nRUN uv sync --frozen --package api --extra web\n"
        "RUN uv sync --frozen --package api-worker --extra gpu\n"
    )
    root = _workspace(make_project, {"Dockerfile": dockerfile})
    selection = detect_project(root).dependencies.uv_selection
    assert selection is not None and selection.extra_names == ("web",)
    assert str(selection.extras[0].evidence[0]).startswith("Dockerfile:2")


def test_the_users_choice_applies_to_the_member(make_project: MakeProject) -> None:
    root = _workspace(make_project, {})
    facts = detect_project(root, extras=("gpu",), groups=())
    assert {p.name for p in facts.dependencies.locked} == {"click", "engine", "gpulib"}
    assert _syncs(root, extras="gpu", groups="")[-1].endswith("--package api --extra gpu --no-default-groups")
    with pytest.raises(ProjectError, match=r"no optional extra nope .*it has: cpu, gpu, web"):
        detect_project(root, extras=("nope",))
    with pytest.raises(ProjectError, match="mutually exclusive"):
        detect_project(root, extras=("cpu", "gpu"))


def test_a_member_without_extras_or_default_groups_syncs_as_before(make_project: MakeProject) -> None:
    plain = MEMBER.split("[project.optional-dependencies]")[0] + '[project.scripts]\napi = "api.cli:main"\n'
    root = _workspace(make_project, {"services/api/pyproject.toml": plain})
    assert _syncs(root)[-1] == "uv sync --locked --no-dev --no-editable --package api"
    assert {p.name for p in detect_project(root).dependencies.locked} == {"click"}
