"""A uv workspace without uv.lock: the member is planned as an app with path dependencies, its
third-party set resolved by ``uv pip compile`` (no interpreter of the workspace's Python needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import ProjectError
from dockwright.lock.generate import drop_folder_lines
from dockwright.project.workspace import locate

WEB = "from fastapi import FastAPI\n\napp = FastAPI()\n"
BACKEND = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def _member(root: Path, folder: str, name: str, deps: list[str], tail: str = "", source: str = "") -> None:
    path = root / folder
    (path / "src" / name).mkdir(parents=True)
    quoted = ", ".join(f'"{d}"' for d in deps)
    text = f'[project]\nname = "{name}"\nversion = "0.1.0"\ndependencies = [{quoted}]\n{tail}'
    (path / "pyproject.toml").write_text(text)
    (path / "src" / name / "__init__.py").write_text(source)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A workspace pinning a patch release, no uv.lock: web (FastAPI) -> core (workspace source) -> util
    (a path source); cron, a script member reaching nothing."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "all"\nversion = "0"\nrequires-python = "==3.13.2"\n'
        'dependencies = ["web"]\n\n[tool.uv]\npackage = false\n\n'
        '[tool.uv.workspace]\nmembers = ["apps/*", "libs/*"]\n\n'
        "[tool.uv.sources]\nweb = { workspace = true }\n"
    )
    sources = "\n[tool.uv.sources]\ncore = { workspace = true }\n"
    _member(root, "apps/web", "web", ["fastapi", "core"], sources + BACKEND, WEB)
    _member(
        root,
        "libs/core",
        "core",
        ["anyio", "util"],
        '\n[tool.uv.sources]\nutil = { path = "../util" }\n' + BACKEND,
    )
    _member(root, "libs/util", "util", [], BACKEND)
    return root


def test_the_app_member_takes_the_members_its_sources_reach(repo: Path) -> None:
    found = locate(repo)
    facts = found.workspace
    assert found.app == repo / "apps" / "web" and found.context == repo
    assert facts is not None and facts.kind == "path-dependencies" and facts.package == "web"
    assert facts.member.value == "apps/web" and facts.lock_file is None
    assert [c.value for c in facts.copies] == ["libs/core", "libs/util"]
    assert facts.distributions == ("core", "util") and facts.build_requires == ("hatchling",)
    core, util = (c.evidence[0] for c in facts.copies)
    assert (core.file, core.line) == ("apps/web/pyproject.toml", 7)
    assert (util.file, util.line) == ("libs/core/pyproject.toml", 7)


def test_the_member_folder_is_the_same_member(repo: Path) -> None:
    found = locate(repo / "apps" / "web")
    assert found.context == repo and found.workspace is not None
    assert found.workspace.kind == "path-dependencies"


def test_a_root_source_applies_to_every_member(repo: Path) -> None:
    web = repo / "apps" / "web" / "pyproject.toml"
    web.write_text(web.read_text().replace("core = { workspace = true }\n", ""))
    root = repo / "pyproject.toml"
    root.write_text(root.read_text() + "core = { workspace = true }\n")
    facts = locate(repo).workspace
    assert facts is not None and [c.value for c in facts.copies] == ["libs/core", "libs/util"]
    assert facts.copies[0].evidence[0].file == "pyproject.toml"


def test_a_member_reaching_no_local_package_is_its_own_context(repo: Path) -> None:
    _member(repo, "apps/cron", "cron", ["anyio"], BACKEND, "print('tick')\n")
    found = locate(repo, "cron")
    assert found.app == found.context == repo / "apps" / "cron"
    assert found.workspace is not None and found.workspace.kind == "subdirectory"
    assert "no uv.lock" in found.workspace.member.evidence[0].detail


def test_a_virtual_member_another_installs_is_refused(repo: Path) -> None:
    core = repo / "libs" / "core" / "pyproject.toml"
    core.write_text(core.read_text() + "\n[tool.uv]\npackage = false\n")
    with pytest.raises(ProjectError, match=r"installs the workspace member core .* no package.*uv lock"):
        locate(repo)


def test_the_resolvers_editable_line_of_a_built_folder_is_dropped() -> None:
    body = "-e file:///home/me/repo/libs/core\n    # via web\nanyio==4.0 \\\n    --hash=sha256:00\n"
    assert drop_folder_lines(body, ("core",), "apps/web/pyproject.toml", ("/home/me/repo/libs/core",)) == (
        "anyio==4.0 \\\n    --hash=sha256:00\n"
    )


def test_the_plan_resolves_the_member_pyproject_for_the_pinned_patch(repo: Path) -> None:
    plan = api.plan(repo, syntax_directive=False, python="3.13")
    assert plan.lock.generate and plan.lock.method == "uv-compile"
    assert plan.lock.source == "apps/web/pyproject.toml"
    assert plan.facts.dependencies.manager.value == "pep621"


def test_the_lock_drops_the_folders_by_their_absolute_paths_too(repo: Path) -> None:
    from dockwright.plan.pathdeps import resolver_paths

    plan = api.plan(repo, syntax_directive=False, python="3.13")
    assert resolver_paths(plan.facts) == (
        "../../libs/core",
        "../../libs/util",
        f"{repo.as_posix()}/libs/core",
        f"{repo.as_posix()}/libs/util",
    )
