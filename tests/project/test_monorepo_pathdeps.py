"""A monorepo's service depending on a sibling library by path, with no workspace tying them together:
uv ``[tool.uv.sources] common = {path = "../../libs/common"}`` and requirements ``-e ../../libs/common``
(examples/monorepo). The context moves up to the folder holding both; nothing is written above it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockwright import api, initialize
from dockwright.cli import main
from dockwright.errors import ProjectError
from dockwright.lock.generate import drop_folder_lines
from dockwright.project.pathdeps import _requirement_folder
from dockwright.project.workspace import locate
from dockwright.render.render import render_files
from fake_compile import FakeResolver

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "monorepo"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize(
    ("app", "evidence"),
    [("services/api", ("uv.lock", 44)), ("services/worker", ("requirements.txt", 2))],
)
def test_the_context_is_the_folder_holding_the_service_and_its_library(
    app: str, evidence: tuple[str, int]
) -> None:
    location = locate(EXAMPLE / app)
    workspace = location.workspace
    assert workspace is not None and workspace.kind == "path-dependencies"
    assert location.context == EXAMPLE.resolve() and workspace.member.value == app
    (copy,) = workspace.copies
    assert copy.value == "libs/common" and workspace.distributions == ("common",)
    assert (copy.evidence[0].file, copy.evidence[0].line) == evidence
    assert "installed from the path ../../libs/common" in copy.evidence[0].detail
    if app == "services/api":  # and the line the user wrote
        assert [(e.file, e.line) for e in copy.evidence[1:]] == [("pyproject.toml", 12)]
    assert workspace.build_requires == ("setuptools>=68",)


@pytest.mark.parametrize("app", ["services/api", "services/worker"])
def test_the_plan_writes_beside_the_service_and_builds_from_the_context(app: str) -> None:
    plan = api.plan(EXAMPLE / app)
    assert plan.dockerfile_path == f"{app}/Dockerfile"
    assert plan.dockerignore_path == f"{app}/Dockerfile.dockerignore"
    assert any(f"docker build -f {app}/Dockerfile" in line for line in plan.header)
    ignore = [e.pattern for e in plan.dockerignore]
    assert ignore[:3] == ["*", f"!{app}", "!libs/common"], (
        "only the service and its library enter the context"
    )
    copies = [s.args for s in plan.runtime_steps if s.instruction == "COPY" and not s.flags]
    assert copies == [(app, ".")], "the runtime takes the service's source, never the library's folder"
    builder = [" ".join(s.args) for s in plan.builder_steps]
    assert "libs/common /deps/libs/common" in builder
    assert any("pip wheel --no-index --no-deps --no-build-isolation" in b for b in builder)
    assert plan.lock.path == f"{app}/requirements.lock"
    decisions = {d.topic: d for d in plan.decisions}
    assert decisions["build-context"].choice == "monorepo/"
    assert f"docker build -f {app}/Dockerfile ." in decisions["build-context"].reason
    lint = [f for f in render_files(plan) if f.path == plan.dockerfile_path]
    assert lint, "the Dockerfile is rendered at its context path"


def test_init_writes_only_in_the_service_and_prints_the_build_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    (repo / ".git").mkdir()
    monkeypatch.setattr(  # offline: the build backend's lock is not what this test is about
        initialize, "generate_build_lock", lambda *_args: "setuptools==80.0.0 \\\n    --hash=sha256:00\n"
    )
    before = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()}
    monkeypatch.chdir(repo)
    assert main(["init", "--no-syntax", "services/api"]) == 0
    out = capsys.readouterr().out
    # the build line once (followups2: it was printed as `build:` and again under `next:`)
    assert (
        "build context: . (repo/)\nnext:\n  DOCKER_BUILDKIT=1 docker build -t api:0.1.0 -f services/api/Dockerfile "
        in out
    )
    assert out.count("docker build") == 1 and out.count("dockwright build services/api") == 1, out
    written = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()} - before
    assert written == {
        "services/api/Dockerfile",
        "services/api/Dockerfile.dockerignore",
        "services/api/requirements.lock",
        "services/api/requirements-build.lock",
    }
    lock = (repo / "services/api/requirements.lock").read_text()
    assert "flask==3.0.3" in lock and "packaging==26.3" in lock, "the library's dependency is locked"
    assert not [line for line in lock.splitlines() if "libs/common" in line or line.startswith("common")]
    monkeypatch.chdir(repo / "services" / "api")
    assert main(["init", "--no-syntax", "--force", "--dry-run", "."]) == 0
    assert "build: docker build -f Dockerfile ../.." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("line", "source", "folder"),
    [
        ("../../libs/common", "path", "../../libs/common"),
        ("file:../../libs/common", "path", "../../libs/common"),
        ("../../libs/common[fast]", "path", "../../libs/common"),
        ("../../libs/common#egg=common", "path", "../../libs/common"),
        ("common @ file:///srv/repo/libs/common", "url", "/srv/repo/libs/common"),
        ("common @ ../../libs/common", "url", "../../libs/common"),
        ("common @ https://example.com/common.tar.gz", "url", None),
        ("git+https://example.com/common.git", "vcs", None),
    ],
)
def test_requirement_lines_that_name_a_folder(line: str, source: str, folder: str | None) -> None:
    assert _requirement_folder(line, source) == folder


def _requirements_app(root: Path, line: str) -> Path:
    lib = root / "libs" / "common"
    (lib / "common").mkdir(parents=True)
    (lib / "common" / "__init__.py").write_text("VALUE = 1\n")
    (lib / "pyproject.toml").write_text(
        '[project]\nname = "common"\nversion = "1.0"\n\n'
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    app = root / "services" / "job"
    app.mkdir(parents=True)
    (app / "job.py").write_text("import common\nprint(common.VALUE)\n")
    (app / "requirements.txt").write_text(f"click==8.5.0\n{line}\n")
    return app


def test_the_project_itself_is_no_path_dependency(tmp_path: Path) -> None:
    app = _requirements_app(tmp_path, "-e .")
    assert locate(app).workspace is None


def test_a_library_outside_the_repository_is_refused_in_one_line(tmp_path: Path) -> None:
    app = _requirements_app(tmp_path, "-e ../../libs/common")
    (tmp_path / "services" / ".git").mkdir()  # the repository is services/: libs/ is outside it
    done = subprocess.run(
        [sys.executable, "-m", "dockwright", "plan", str(app)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=False,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "requirements.txt: common is installed from ../../libs/common" in lines[0]
    assert "outside the repository" in lines[0]


def test_a_library_reached_through_a_symlink_is_refused(tmp_path: Path) -> None:
    app = _requirements_app(tmp_path / "elsewhere", "-e ../../libs/common")
    repo = tmp_path / "repo"
    (repo / "libs").mkdir(parents=True)
    (repo / "libs" / "common").symlink_to(tmp_path / "elsewhere" / "libs" / "common")
    shutil.copytree(app, repo / "services" / "job")
    with pytest.raises(ProjectError, match="reached through a symlink"):
        locate(repo / "services" / "job")


def test_the_resolver_lines_of_the_built_folders_leave_the_lock() -> None:
    body = (
        "-e ../../libs/common\n    # via -r requirements.txt\n"
        "click==8.5.0 \\\n    --hash=sha256:aa\n    # via -r requirements.txt\n"
        "common2 @ ../../libs/common2\n"
        "-e ../other\n"
    )
    kept = drop_folder_lines(
        body, ("common", "common2"), "requirements.txt", ("../../libs/common", "../../libs/common2")
    )
    assert kept == "click==8.5.0 \\\n    --hash=sha256:aa\n    # via -r requirements.txt\n-e ../other\n"


def test_at_the_root_the_services_are_named_and_the_library_is_not() -> None:
    with pytest.raises(ProjectError, match=r"several folders hold one \(services/api/, services/worker/\)"):
        locate(EXAMPLE)


def test_at_the_root_the_one_service_is_planned_from_the_context(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "repo", ignore=shutil.ignore_patterns("worker"))
    location = locate(tmp_path / "repo")
    assert location.app == (tmp_path / "repo" / "services" / "api").resolve()
    assert location.context == (tmp_path / "repo").resolve()


def test_a_poetry_file_dependency_is_refused_naming_the_fix(tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "common-1.0-py3-none-any.whl").write_bytes(b"PK")
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text("import common\n")
    (app / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "app"\nversion = "1.0"\ndescription = ""\nauthors = []\n'
        'package-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\n'
        'common = {path = "../dist/common-1.0-py3-none-any.whl"}\n'
    )
    (app / "poetry.lock").write_text(
        '[[package]]\nname = "common"\nversion = "1.0"\ndescription = ""\noptional = false\n'
        'python-versions = "*"\ngroups = ["main"]\n'
        'files = [{file = "common-1.0-py3-none-any.whl", hash = "sha256:' + "0" * 64 + '"}]\n\n'
        '[package.source]\ntype = "file"\nurl = "../dist/common-1.0-py3-none-any.whl"\n\n'
        '[metadata]\nlock-version = "2.1"\npython-versions = "^3.11"\ncontent-hash = "0"\n'
    )
    with pytest.raises(
        ProjectError, match=r"common is installed from \.\./dist/common-1\.0.*a file \(a built distribution\)"
    ):
        locate(app)


def test_a_requirements_wheel_file_is_no_path_dependency(tmp_path: Path) -> None:
    app = _requirements_app(tmp_path, "../../dist/common-1.0-py3-none-any.whl")
    assert locate(app).workspace is None


def test_the_project_s_own_editable_line_leaves_the_generated_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_resolver: FakeResolver
) -> None:
    """``-e .`` in requirements.txt: the plan installs the project itself; the lock keeps hashes only."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__main__.py").write_text("print('ok')\n")
    (tmp_path / "setup.py").write_text(
        'from setuptools import setup\nsetup(name="pkg", version="1.0", packages=["pkg"])\n'
    )
    (tmp_path / "requirements.txt").write_text("click==8.5.0\n-e .\n")
    fake_resolver.body = "-e .\n    # via -r requirements.txt\nclick==8.5.0 \\\n    --hash=sha256:aa\n"
    monkeypatch.setattr(initialize, "generate_build_lock", lambda *_args: "setuptools==80.0.0 \\\n")
    api.init(tmp_path, syntax_directive=False)
    lock = (tmp_path / "requirements.lock").read_text()
    assert "-e ." not in lock and "click==8.5.0 \\\n    --hash=sha256:aa\n" in lock


def test_a_requirements_include_outside_the_project_is_refused_saying_so(tmp_path: Path) -> None:
    app = _requirements_app(tmp_path, "-r ../../libs/common/requirements.txt")
    (tmp_path / "libs" / "common" / "requirements.txt").write_text("click==8.5.0\n")
    with pytest.raises(ProjectError, match="requirements include outside the project"):
        api.plan(app)
