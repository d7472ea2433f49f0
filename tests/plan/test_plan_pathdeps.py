"""Plans for Poetry/PDM apps with path dependencies: the locked layer first, each folder built as a
wheel, installed --no-deps; paths relative to the build context; other strategies refuse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import PlanError
from dockwright.plan.model import BuildPlan, Step
from dockwright.render.render import render_files

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "poetry-pathdep"


def _index(steps: tuple[Step, ...], predicate: object) -> int:
    return next(i for i, s in enumerate(steps) if predicate(s))  # type: ignore[operator]


@pytest.fixture(scope="module")
def plan() -> BuildPlan:
    return api.plan(EXAMPLE, syntax_directive=False)


def test_the_files_go_in_the_app_folder_and_the_context_is_the_repository(plan: BuildPlan) -> None:
    assert plan.strategy == "slim"
    assert (plan.dockerfile_path, plan.dockerignore_path) == ("app/Dockerfile", "app/Dockerfile.dockerignore")
    assert (plan.lock.path, plan.lock.source) == ("app/requirements.lock", "app/poetry.lock")
    assert {f.path: f.kind for f in plan.files} == {
        "app/requirements.lock": "lock",
        "app/requirements-build.lock": "build-lock",
    }
    context = plan.decision("build-context")
    assert context is not None and "the smallest folder holding the app (app/)" in context.reason
    assert "docker build -f app/Dockerfile ." in context.reason
    assert any(
        line.startswith("Build in the folder holding the app and its path dependencies: ")
        and "-f app/Dockerfile" in line
        for line in plan.header
    )


def test_locked_dependencies_first_then_each_folder_as_a_wheel(plan: BuildPlan) -> None:
    steps = plan.builder_steps
    lock_install = _index(
        steps,
        lambda s: (
            s.instruction == "RUN"
            and "--require-hashes" in " ".join(s.args)
            and "requirements.lock" in " ".join(s.args)
        ),
    )
    first_lib = _index(steps, lambda s: s.instruction == "COPY" and s.args[0] == "libs/greetings")
    wheel = _index(steps, lambda s: s.instruction == "RUN" and s.args[0].startswith("pip wheel"))
    assert lock_install < first_lib < wheel
    assert steps[first_lib].args == ("libs/greetings", "/deps/libs/greetings")
    assert "/deps/libs/greetings /deps/libs/textkit" in steps[wheel].args[0]
    assert "--no-build-isolation" in steps[wheel].args[0] and "-e " not in steps[wheel].args[0]
    assert plan.builder_apt == (), "pure-Python path dependencies need no compiler"
    install = _index(steps, lambda s: s.instruction == "RUN" and "--root /deps-root" in s.args[0])
    assert wheel < install and "--no-deps" in steps[install].args[0], (
        "the runtime has no pip: built and rooted here"
    )
    runtime = plan.runtime_steps
    assert not any("pip" in " ".join(s.args) for s in runtime if s.instruction == "RUN")
    copied = _index(runtime, lambda s: s.instruction == "COPY" and s.args == ("/deps-root/", "/"))
    venv = _index(runtime, lambda s: s.instruction == "COPY" and s.args[0] == "/opt/venv")
    source = _index(runtime, lambda s: s.instruction == "COPY" and s.args == ("app", "."))
    assert venv < copied < source, "the libraries' files over the venv layer, before the source"
    decision = plan.decision("path-dependencies")
    assert decision is not None and decision.choice == "libs/greetings/, libs/textkit/"
    assert "poetry.lock:" in decision.reason and "never editable" in decision.reason


def test_the_ignore_file_admits_only_the_app_and_its_libraries(plan: BuildPlan) -> None:
    patterns = [e.pattern for e in plan.dockerignore]
    assert patterns[:4] == ["*", "!app", "!libs/greetings", "!libs/textkit"]
    assert "app/.venv" in patterns and "**/.env" in patterns[-len(patterns) // 2 :]


def test_the_dockerfile_lints_clean_beside_its_ignore_file(plan: BuildPlan, tmp_path: Path) -> None:
    files = {f.path: f.content for f in render_files(plan)}
    assert "COPY libs/textkit /deps/libs/textkit" in files["app/Dockerfile"]
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    assert api.lint([tmp_path / "app" / "Dockerfile"]).findings == ()


@pytest.mark.parametrize("strategy", ["pex", "uv", "pyinstaller"])
def test_other_strategies_refuse_naming_slim(strategy: str) -> None:
    with pytest.raises(PlanError, match="the slim strategy builds them as wheels"):
        api.plan(EXAMPLE, strategy=strategy)


def test_libraries_inside_the_app_stay_out_of_its_source_copy(tmp_path: Path) -> None:
    """libs/ inside the app: the context is the app, and the runtime's source copy leaves them out."""
    shutil.copytree(EXAMPLE / "app", tmp_path / "app")
    shutil.copytree(EXAMPLE / "libs", tmp_path / "app" / "libs")
    lock = tmp_path / "app" / "poetry.lock"
    lock.write_text(lock.read_text().replace('url = "../libs/', 'url = "libs/'))
    pyproject = tmp_path / "app" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"../libs/', '"libs/'))
    plan = api.plan(tmp_path / "app", syntax_directive=False)
    assert plan.dockerfile_path == "Dockerfile" and plan.lock.path == "requirements.lock"
    (stage,) = [s for s in plan.side_stages if s.name == "source"]
    assert stage.steps[-1].args == ("rm -rf /app-source/libs/greetings /app-source/libs/textkit",)
    copy = plan.runtime_steps[-2] if plan.runtime_steps[-1].instruction == "RUN" else plan.runtime_steps[-1]
    assert copy.flags == ("--from=source",)
    assert any(s.args == ("libs/greetings", "/deps/libs/greetings") for s in plan.builder_steps)


def test_a_wheel_app_builds_its_libraries_before_its_own_source(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "repo")
    pyproject = tmp_path / "repo" / "app" / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("package-mode = false", 'packages = [{ include = "shop" }]')
    )
    plan = api.plan(tmp_path / "repo" / "app", syntax_directive=False)
    assert plan.app_install == "wheel"
    (stage,) = [s for s in plan.side_stages if s.name == "wheel"]  # where the app's wheel is built
    steps = stage.steps
    libs = _index(steps, lambda s: s.instruction == "COPY" and s.args[0] == "libs/greetings")
    app = _index(steps, lambda s: s.instruction == "COPY" and s.args == ("app", "."))
    assert libs < app
    assert [f.path for f in plan.files if f.kind == "build-lock"] == ["app/requirements-build.lock"]


def test_a_resolver_line_for_a_library_is_dropped_and_any_other_folder_refused() -> None:
    from dockwright.errors import LockError
    from dockwright.lock.generate import drop_folder_lines

    body = "flask==3.0.3 \\\n    --hash=sha256:00\nmylib @ file:///home/me/repo/libs/mylib\n    # via app\n"
    assert (
        drop_folder_lines(body, ("MyLib",), "pyproject.toml")
        == "flask==3.0.3 \\\n    --hash=sha256:00\n    # via app\n"
    )
    with pytest.raises(LockError, match="installs other from a local folder"):
        drop_folder_lines("other @ file:///srv/other\n", ("mylib",), "pyproject.toml")


def test_the_plan_tells_the_lock_which_libraries_it_builds(plan: BuildPlan) -> None:
    from dockwright.plan.pathdeps import distributions

    assert distributions(plan.facts) == ("greetings", "textkit")


def test_a_library_under_an_ignored_folder_is_readmitted_before_the_secrets(tmp_path: Path) -> None:
    """A library kept under tests/ (dropped from the context by default) is re-included for the builder."""
    shutil.copytree(EXAMPLE / "app", tmp_path / "app")
    shutil.copytree(EXAMPLE / "libs", tmp_path / "app" / "tests" / "libs")
    for name in ("poetry.lock", "pyproject.toml"):
        path = tmp_path / "app" / name
        path.write_text(path.read_text().replace("../libs/", "tests/libs/"))
    plan = api.plan(tmp_path / "app", syntax_directive=False)
    patterns = [e.pattern for e in plan.dockerignore]
    readmit = patterns.index("!tests/libs/greetings")
    assert patterns.index("tests") < readmit < patterns.index("**/.env")
    assert "!tests/libs/textkit" in patterns
