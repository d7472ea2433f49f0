"""Workspaces and monorepos (#12): which folder is the app, what the build context is, what it takes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import DockwrightError, ProjectError
from dockwright.project.detect import detect_project
from dockwright.project.workspace import locate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "uv-workspace"

FASTAPI_APP = textwrap.dedent(
    """\
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}
    """
)
CLI_APP = "import click\n\n\n@click.command()\ndef main() -> None:\n    pass\n"


def _member(
    root: Path, folder: str, name: str, deps: list[str], *, source: str = "", scripts: str = ""
) -> None:
    path = root / folder
    (path / "src" / name).mkdir(parents=True)
    quoted = ", ".join(f'"{d}"' for d in deps)
    text = f'[project]\nname = "{name}"\nversion = "0.1.0"\ndependencies = [{quoted}]\n'
    if scripts:
        text += f"\n[project.scripts]\n{scripts}\n"
    text += '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    (path / "pyproject.toml").write_text(text)
    (path / "src" / name / "__init__.py").write_text(source)


def _lock(root: Path, packages: list[tuple[str, str | None, list[str]]]) -> None:
    """uv.lock text: (name, member folder or None for a registry package, dependency names)."""
    out = ["version = 1", 'requires-python = ">=3.11"', ""]
    for name, folder, deps in packages:
        out += ["[[package]]", f'name = "{name}"', 'version = "1.0.0"']
        if folder is None:
            out.append('source = { registry = "https://pypi.org/simple" }')
        else:
            out.append(f'source = {{ editable = "{folder}" }}')
        if deps:
            out.append("dependencies = [" + ", ".join(f'{{ name = "{d}" }}' for d in deps) + "]")
        if folder is None:
            digest = "0" * 64
            out.append(
                f'wheels = [{{ url = "https://files.example/{name}-1.0.0-py3-none-any.whl", '
                f'hash = "sha256:{digest}" }}]'
            )
        out.append("")
    (root / "uv.lock").write_text("\n".join(out))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """api (FastAPI) -> greeting (library) -> anyio; jobs (a click CLI) -> click; a docs/ folder."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/old"]\n'
    )
    _member(root, "packages/api", "api", ["fastapi", "greeting", "uvicorn"], source=FASTAPI_APP)
    _member(root, "packages/greeting", "greeting", ["anyio"])
    _member(root, "packages/jobs", "jobs", ["click"], source=CLI_APP, scripts='jobs = "jobs:main"')
    _member(root, "packages/old", "old", [], source=FASTAPI_APP)  # excluded: never a candidate
    (root / "docs").mkdir()
    (root / "docs" / "conf.py").write_text("project = 'x'\n")
    _lock(
        root,
        [
            ("anyio", None, []),
            ("api", "packages/api", ["fastapi", "greeting", "uvicorn"]),
            ("click", None, []),
            ("fastapi", None, ["anyio"]),
            ("greeting", "packages/greeting", ["anyio"]),
            ("jobs", "packages/jobs", ["click"]),
            ("uvicorn", None, ["click"]),
        ],
    )
    return root


def test_the_one_web_member_is_the_app_and_the_root_the_context(workspace: Path) -> None:
    found = locate(workspace)
    assert found.app == workspace / "packages" / "api" and found.context == workspace
    facts = found.workspace
    assert facts is not None and facts.kind == "uv-workspace" and facts.package == "api"
    assert "the one web app" in facts.member.evidence[0].detail
    assert facts.others == ("jobs (packages/jobs/): cli",), "the CLI member is listed, not chosen"


def test_the_closure_is_the_member_and_the_workspace_packages_it_reaches(workspace: Path) -> None:
    facts = locate(workspace).workspace
    assert facts is not None
    assert [c.value for c in facts.copies] == ["packages/api", "packages/greeting"]  # never packages/jobs
    evidence = facts.copies[1].evidence[0]
    assert evidence.file == "uv.lock" and evidence.line is not None
    assert (workspace / "uv.lock").read_text().splitlines()[evidence.line - 1] == 'name = "greeting"'
    assert "packages/jobs/pyproject.toml" in facts.manifests, "uv sync --locked checks every member"
    assert "packages/old/pyproject.toml" not in facts.manifests, "excluded by [tool.uv.workspace] exclude"


def test_the_member_locked_set_is_what_it_reaches(workspace: Path) -> None:
    facts = detect_project(workspace)
    assert facts.root == str(workspace / "packages" / "api")
    names = [p.name for p in facts.dependencies.locked]
    assert names == ["anyio", "click", "fastapi", "uvicorn"], "jobs' own click comes via uvicorn only"
    assert facts.dependencies.lock_file == "uv.lock" and facts.dependencies.manager.value == "uv"
    assert facts.app.kind.value == "web"


def test_package_option_and_a_member_folder_pick_the_same_member(workspace: Path) -> None:
    by_name = locate(workspace, "jobs")
    by_folder = locate(workspace / "packages" / "jobs")
    assert by_name.app == by_folder.app == workspace / "packages" / "jobs"
    assert by_name.context == by_folder.context == workspace
    assert by_folder.workspace is not None and "is a member" in by_folder.workspace.member.evidence[0].detail


def test_unknown_package_lists_the_members(workspace: Path) -> None:
    with pytest.raises(ProjectError, match=r"no such workspace member; the members are api, greeting, jobs"):
        locate(workspace, "nope")


def test_two_web_members_ask_for_package(workspace: Path) -> None:
    _member(workspace, "packages/admin", "admin", ["fastapi"], source=FASTAPI_APP)
    with pytest.raises(
        ProjectError, match=r"several members .* web apps \(admin, api\); choose one with --package"
    ):
        locate(workspace)


def test_a_workspace_without_a_lock_plans_the_member_from_its_pyproject(workspace: Path) -> None:
    """No uv.lock: the member is located from the pyprojects (tests/project/test_unlocked_workspace.py);
    here no [tool.uv.sources] names a member, so the app member is its own context."""
    (workspace / "uv.lock").unlink()
    found = locate(workspace)
    assert found.app == workspace / "packages" / "api" and found.context == found.app


def test_a_path_dependency_outside_the_workspace_is_refused(workspace: Path) -> None:
    text = (
        (workspace / "uv.lock")
        .read_text()
        .replace('editable = "packages/greeting"', 'directory = "../shared"')
    )
    (workspace / "uv.lock").write_text(text)
    with pytest.raises(
        ProjectError, match=r"greeting is installed from \.\./shared, outside the workspace root"
    ):
        locate(workspace)


def test_the_plan_builds_from_the_root_with_the_member_dockerfile(workspace: Path) -> None:
    plan = api.plan(workspace, syntax_directive=False)
    assert plan.strategy == "uv"
    assert plan.dockerfile_path == "packages/api/Dockerfile"
    assert plan.dockerignore_path == "packages/api/Dockerfile.dockerignore"
    decision = plan.decision("build-context")
    assert decision is not None and "docker build -f packages/api/Dockerfile ." in decision.reason
    alternatives = plan.decision("alternatives")
    assert (
        alternatives is not None and "slim does not: api is a member of a uv workspace" in alternatives.reason
    )
    runs = [" ".join(s.args) for s in plan.builder_steps if s.instruction == "RUN"]
    assert any(r.endswith("--package api --no-install-workspace") for r in runs), "dependency layer first"
    assert runs[-1].endswith("uv sync --locked --no-dev --no-editable --package api")
    copies = [s.args for s in plan.builder_steps if s.instruction == "COPY"]
    assert ("packages/api", "packages/api") in copies and ("packages/greeting", "packages/greeting") in copies
    assert not any("jobs" in " ".join(c) for c in copies)
    ignore = [e.pattern for e in plan.dockerignore]
    assert ignore[0] == "*" and "!packages/greeting" in ignore and "!packages/jobs/pyproject.toml" in ignore
    assert "!packages/jobs" not in ignore
    assert any("-f packages/api/Dockerfile" in line for line in plan.header)


def test_other_strategies_refuse_a_member(workspace: Path) -> None:
    with pytest.raises(DockwrightError, match=r"a member of a uv workspace .* uv strategy installs it"):
        api.plan(workspace, strategy="slim")


def test_init_writes_in_the_member_folder_and_build_uses_the_root(workspace: Path) -> None:
    from dockwright.build import BuildOptions, BuildSettings, build_project
    from dockwright.engine.base import BuildRequest

    result = api.init(workspace / "packages" / "api", syntax_directive=False)
    assert result.context == workspace
    assert (workspace / "packages" / "api" / "Dockerfile").is_file()
    assert (workspace / "packages" / "api" / "Dockerfile.dockerignore").is_file()
    assert not (workspace / ".dockerignore").exists(), "the root's ignore file is left to other apps"

    class Recorder:
        def build_command(self, request: BuildRequest) -> tuple[str, ...]:
            return ("build", "-f", request.dockerfile, request.context)

    image = build_project(
        workspace / "packages" / "api",
        result.plan,
        Recorder(),  # type: ignore[arg-type]
        BuildSettings(options=BuildOptions(dry_run=True)),
    )
    assert image.extra["command"] == (
        "build",
        "-f",
        str(workspace / "packages" / "api" / "Dockerfile"),
        str(workspace),
    )


# --------------------------------------------------------------------------------- a backend/ folder app


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    root = tmp_path / "mono"
    (root / "backend" / "app").mkdir(parents=True)
    (root / "backend" / "requirements.txt").write_text("flask==3.1.0\n")
    (root / "backend" / "app" / "__init__.py").write_text("")
    (root / "backend" / "app" / "main.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    (root / "frontend").mkdir()
    (root / "frontend" / "package.json").write_text("{}\n")
    (root / "docs").mkdir()
    (root / "docs" / "requirements.txt").write_text("sphinx\n")  # docs/ is never the app
    (root / "README.md").write_text("# mono\n")
    return root


def test_the_backend_folder_is_found_and_is_its_own_context(monorepo: Path) -> None:
    found = locate(monorepo)
    assert found.app == found.context == monorepo / "backend"
    assert found.workspace is not None and found.workspace.kind == "subdirectory"
    assert (
        "backend/ is the one folder that holds a Python project" in found.workspace.member.evidence[0].detail
    )
    plan = api.plan(monorepo, syntax_directive=False)
    assert plan.facts.root == str(monorepo / "backend")
    assert plan.facts.app.framework.value == "flask"
    decision = plan.decision("build-context")
    assert decision is not None and "docker build backend" in decision.reason
    assert plan.dockerfile_path == "Dockerfile", "relative to the context, backend/"


def test_two_app_folders_are_named(monorepo: Path) -> None:
    (monorepo / "worker").mkdir()
    (monorepo / "worker" / "pyproject.toml").write_text('[project]\nname = "w"\nversion = "1"\n')
    with pytest.raises(
        ProjectError, match=r"several folders hold one \(backend/, worker/\); give the app's folder"
    ):
        locate(monorepo)


def test_a_root_project_is_never_redirected(monorepo: Path) -> None:
    (monorepo / "manage.py").write_text("print('root app')\n")
    assert locate(monorepo).app == monorepo


# --------------------------------------------------------------------------------- Poetry/PDM path deps


def _poetry_path_app(root: Path) -> None:
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "app"\nversion = "1.0"\npackage-mode = false\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nlib = { path = "../lib", develop = true }\n'
    )
    (root / "poetry.lock").write_text(
        '[[package]]\nname = "lib"\nversion = "0.1.0"\ndescription = ""\noptional = false\n'
        'python-versions = "*"\nfiles = []\ndevelop = true\n\n'
        '[package.source]\ntype = "directory"\nurl = "../lib"\n'
    )
    (root / "main.py").write_text("import lib\n")


def test_a_poetry_path_dependency_without_its_folder_is_refused_naming_what_to_do(tmp_path: Path) -> None:
    """Path dependencies are built (tests/project/test_pathdeps.py); a missing folder is refused in one line."""
    _poetry_path_app(tmp_path / "app")
    with pytest.raises(DockwrightError) as raised:
        api.plan(tmp_path / "app", start="python main.py")
    message = raised.value.message
    assert "poetry.lock: lib is installed from ../lib, which is not a folder" in message
    assert "fix the path, then lock again" in message and "\n" not in message


def test_a_poetry_path_dependency_is_built_from_the_folder_beside_the_app(tmp_path: Path) -> None:
    _poetry_path_app(tmp_path / "app")
    (tmp_path / "lib" / "lib").mkdir(parents=True)
    (tmp_path / "lib" / "pyproject.toml").write_text('[project]\nname = "lib"\nversion = "0.1.0"\n')
    plan = api.plan(tmp_path / "app", start="python main.py")
    assert plan.facts.workspace is not None and plan.facts.workspace.context == str(tmp_path)
    assert plan.dockerfile_path == "app/Dockerfile"


def test_the_example_workspace_plans_its_api_member() -> None:
    plan = api.plan(EXAMPLE, syntax_directive=False)
    assert plan.facts.workspace is not None and plan.facts.workspace.package == "api"
    assert plan.facts.python.version.evidence[0].file == ".python-version", "the root's, as uv reads it"


def test_a_dev_only_path_package_of_an_old_pdm_lock_is_not_refused(tmp_path: Path) -> None:
    """pdm.lock 4.3 lists dev packages without groups: only declared path dependencies count."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\ndependencies = []\n\n'
        '[tool.pdm.dev-dependencies]\ndev = ["-e core @ file:///${PROJECT_ROOT}/packages/core"]\n'
    )
    (tmp_path / "pdm.lock").write_text(
        '[metadata]\ngroups = ["default", "dev"]\nlock_version = "4.3"\n\n'
        '[[package]]\nname = "core"\nversion = "0.1.0"\neditable = true\npath = "./packages/core"\n'
    )
    (tmp_path / "main.py").write_text("print('hi')\n")
    plan = api.plan(tmp_path, start="python main.py")
    assert plan.facts.dependencies.path_dependencies[0].value == "core", "still recorded, with evidence"
    assert (
        "installed from the path ./packages/core"
        in plan.facts.dependencies.path_dependencies[0].evidence[0].detail
    )


def test_a_virtual_member_is_copied_as_source_and_its_libraries_built(workspace: Path) -> None:
    """A member without [build-system] (uv.lock: ``virtual``) is not installed: its folder is the app."""
    pyproject = workspace / "packages" / "api" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().split("[build-system]")[0])
    lock = workspace / "uv.lock"
    lock.write_text(lock.read_text().replace('editable = "packages/api"', 'virtual = "packages/api"'))
    plan = api.plan(workspace, syntax_directive=False)
    assert plan.app_install == "source"
    assert ("packages/api", ".") in [s.args for s in plan.runtime_steps if s.instruction == "COPY"]
    builder_copies = [s.args for s in plan.builder_steps if s.instruction == "COPY"]
    assert ("packages/greeting", "packages/greeting") in builder_copies
    assert ("packages/api", "packages/api") not in builder_copies
    last = plan.builder_steps[-1]
    assert (
        "--mount=type=bind,source=packages/api/pyproject.toml,target=packages/api/pyproject.toml"
        in last.flags
    )


def test_a_tool_settings_pyproject_at_the_root_does_not_hide_the_backend(monorepo: Path) -> None:
    (monorepo / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    (monorepo / "frontend" / "pyproject.toml").write_text("[tool.black]\n")  # frontend/ is never the app
    assert locate(monorepo).app == monorepo / "backend"


def test_a_member_nested_in_another_members_folder_is_not_its_source(tmp_path: Path) -> None:
    # the shape of an SDK's examples: a suite member at examples/ holding server members below it;
    # the suite is a CLI, a nested server is the web app, and its app never becomes the suite's start
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.uv.workspace]\nmembers = ["examples", "examples/servers/*"]\n'
    )
    _member(root, "examples", "suite", ["click", "fastapi"], source=CLI_APP, scripts='suite = "suite:main"')
    _member(root, "examples/servers/web", "web", ["fastapi", "uvicorn"], source=FASTAPI_APP)
    _lock(
        root,
        [
            ("click", None, []),
            ("fastapi", None, []),
            ("suite", "examples", ["click", "fastapi"]),
            ("uvicorn", None, ["click"]),
            ("web", "examples/servers/web", ["fastapi", "uvicorn"]),
        ],
    )
    found = locate(root)
    assert found.workspace is not None and found.workspace.package == "web"
    assert "suite (examples/): cli" in found.workspace.others
    facts = detect_project(root, package="suite")
    assert facts.app.kind.value == "cli" and facts.app.command.value == ("suite",)


def test_a_member_started_by_a_file_of_its_package_gets_its_source_too(workspace: Path) -> None:
    """``python src/jobs/run.py`` (a file inside the member's package): uv sync installs the package as a
    wheel, so the file the start names is copied as well (as slim copies the source for such a start)."""
    (workspace / "packages" / "jobs" / "src" / "jobs" / "run.py").write_text("print('run')\n")
    plan = api.plan(workspace / "packages" / "jobs", start="python src/jobs/run.py", syntax_directive=False)
    assert plan.strategy == "uv"
    copies = [s.args for s in plan.runtime_steps if s.instruction == "COPY" and not s.flags]
    assert ("packages/jobs", ".") in copies
    assert "src/jobs/run.py" in next(d.reason for d in plan.decisions if d.topic == "app-install")
