"""The slim family's venv is filled by uv, bind-mounted from its image, unless uv cannot serve
(plan/installer.py, project/pip_options.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.lint.linter import lint_text
from dockwright.plan import installer
from dockwright.plan.model import BuildPlan, Step
from dockwright.render.render import render_dockerfile

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
HASH = "--hash=sha256:" + "0" * 64


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DOCKWRIGHT_PRIVATE_INDEX", "DOCKWRIGHT_STRATEGY"):
        monkeypatch.delenv(key, raising=False)


def _install_step(plan: BuildPlan) -> Step:
    return next(s for s in plan.builder_steps if s.instruction == "RUN" and any(" -r " in a for a in s.args))


def _project(tmp_path: Path, lines: list[str]) -> Path:
    project = tmp_path / "app"
    shutil.copytree(EXAMPLES / "flask-requirements", project)
    text = (project / "requirements.txt").read_text()
    (project / "requirements.txt").write_text("\n".join(lines) + "\n" + text)
    return project


def test_the_uv_image_is_the_tested_pin_of_tools_uv() -> None:
    text = (REPO / "src/dockwright/plan/data/support/tools-uv.txt").read_text()
    assert f"uv=={installer.uv_version()} " in text
    assert installer.uv_image() == f"ghcr.io/astral-sh/uv:{installer.uv_version()}"


def test_a_requirements_app_installs_with_uv_mounted_for_the_step_only() -> None:
    plan = api.plan(EXAMPLES / "flask-requirements")
    step = _install_step(plan)
    assert step.args[:2] == (
        "python -m venv --without-pip /opt/venv",
        "uv pip install --python /opt/venv/bin/python --compile-bytecode --require-hashes --no-deps "
        "-r requirements.txt",
    )
    assert step.args[2].startswith("/opt/venv/bin/python -I -B -u -c ")  # the import check, same RUN
    assert installer.uv_bin_mount() in step.flags
    assert any(
        re.fullmatch(r"--mount=type=cache,id=uv-[0-9a-f]{12},target=/root/.cache/uv", f) for f in step.flags
    )
    env = {e.name: e.value for e in plan.builder_env}
    assert env["UV_LINK_MODE"] == "copy" and env["UV_PYTHON_DOWNLOADS"] == "never"
    decision = plan.decision("installer")
    assert decision is not None and decision.choice == f"uv {installer.uv_version()}"
    # never in a runtime layer: no runtime step names uv
    assert not any("uv" in " ".join((*s.args, *s.flags)) for s in plan.runtime_steps)


def test_without_bytecode_uv_compiles_none() -> None:
    plan = api.plan(EXAMPLES / "flask-requirements", bytecode="none")
    assert "--compile-bytecode" not in _install_step(plan).args[-1]


def test_a_private_index_keeps_pip_with_its_pipconf_secret() -> None:
    plan = api.plan(EXAMPLES / "flask-requirements", private_index=True)
    step = _install_step(plan)
    assert "__pip-runner__" in " ".join(step.args) and not any("astral-sh/uv" in f for f in step.flags)
    decision = plan.decision("installer")
    assert decision is not None and decision.choice == "pip" and "pip.conf" in decision.reason


@pytest.mark.parametrize(
    "line", ["--trusted-host example.org", "--use-feature truststore", "--find-links ./no-such-folder"]
)
def test_an_option_line_only_pip_reads_keeps_pip(tmp_path: Path, line: str) -> None:
    plan = api.plan(_project(tmp_path, [line]))
    decision = plan.decision("installer")
    assert decision is not None and decision.choice == "pip"
    assert "requirements.txt:1" in decision.reason
    assert "__pip-runner__" in " ".join(_install_step(plan).args)


@pytest.mark.parametrize(
    "line", ["--index-url https://pypi.org/simple", "--only-binary :all:", "--prefer-binary", "# --pre"]
)
def test_option_lines_uv_reads_keep_uv(tmp_path: Path, line: str) -> None:
    plan = api.plan(_project(tmp_path, [line]))
    decision = plan.decision("installer")
    assert decision is not None and decision.choice.startswith("uv ")


def test_a_continued_requirement_with_hashes_is_no_option_line(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path, ["six==1.17.0 \\", f"    {HASH}"]))
    decision = plan.decision("installer")
    assert decision is not None and decision.choice.startswith("uv ")


def test_the_uv_strategy_mounts_uv_instead_of_pip_installing_it() -> None:
    plan = api.plan(EXAMPLES / "fastapi-uv", strategy="uv")
    syncs = [s for s in plan.builder_steps if s.instruction == "RUN" and "uv sync" in s.args[-1]]
    assert syncs and all(installer.uv_bin_mount() in s.flags for s in syncs)
    assert not any("pip install" in " ".join(s.args) for s in plan.builder_steps)
    assert plan.support_files == ()
    assert [e.name for e in plan.builder_env].count("UV_LINK_MODE") == 1


@pytest.mark.parametrize("example", ["flask-requirements", "cli-setuptools", "fastapi-uv", "psycopg2-source"])
def test_the_uv_dockerfiles_lint_clean(example: str) -> None:
    text = render_dockerfile(api.plan(EXAMPLES / example))
    assert "uv pip install" in text
    assert lint_text(text) == ()
