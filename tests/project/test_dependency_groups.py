"""A pyproject.toml whose dependencies are only PEP 735 dependency groups (no [project] table, no lock):
the app's groups are its dependencies (project/dependency_groups.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright import api
from dockwright.project.managers import read_dependencies
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
GROUPS = (
    "[dependency-groups]\n"
    'web = [\n    "Django==5.2.1",  # the framework\n    {include-group = "shared"},\n]\n'
    'shared = ["requests>=2.31"]\n'
    'dev = ["pytest==8.3.5", {include-group = "shared"}]\n'
    'lint = ["ruff"]\n'
    "\n[tool.pytest.ini_options]\naddopts = '-q'\n"
)
APP = "import django\nimport requests\n"


def deps_of(root: Path):  # type: ignore[no-untyped-def]
    tree = ProjectTree(root)
    return read_dependencies(tree, tree.read_toml("pyproject.toml"), python="3.12.10")


def test_the_non_development_groups_are_the_dependencies(make_project: MakeProject) -> None:
    deps = deps_of(make_project({"pyproject.toml": GROUPS, "app.py": APP}))
    assert deps.manager.value == "pep621"
    assert "[dependency-groups]" in deps.manager.evidence[0].detail
    assert deps.declared == ("Django==5.2.1", "requests>=2.31")  # included once, dev and lint left out
    assert deps.input_files == ("pyproject.toml",)
    assert deps.declared_evidence[0].file == "pyproject.toml"
    assert "web, shared" in deps.declared_evidence[0].detail


def test_the_groups_the_own_dockerfile_installs(make_project: MakeProject) -> None:
    dockerfile = "FROM python:3.12\nRUN pip install --group web --group dev\n"
    root = make_project({"pyproject.toml": GROUPS, "app.py": APP, "Dockerfile": dockerfile})
    deps = deps_of(root)
    # pip's --group names web (and dev, a development group, never installed in the image)
    assert deps.declared == ("Django==5.2.1", "requests>=2.31")
    assert "web" in deps.declared_evidence[0].detail and "Dockerfile" in deps.declared_evidence[0].detail


def test_only_development_groups_declare_nothing(make_project: MakeProject) -> None:
    pyproject = '[dependency-groups]\ndev = ["pytest"]\ntest = ["coverage"]\n'
    deps = deps_of(make_project({"pyproject.toml": pyproject, "app.py": "print(1)\n"}))
    assert deps.declared == ()
    assert "no dependency file" in deps.manager.evidence[0].detail


def test_a_project_table_keeps_its_own_dependencies(make_project: MakeProject) -> None:
    pyproject = '[project]\nname = "x"\nversion = "1"\ndependencies = ["flask"]\n\n' + GROUPS
    deps = deps_of(make_project({"pyproject.toml": pyproject, "app.py": APP}))
    assert deps.declared == ("flask",)


def test_a_requirements_file_still_wins(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": GROUPS, "requirements.txt": "flask==3.1.0\n", "app.py": APP})
    assert deps_of(root).manager.value == "requirements"


def test_the_lock_is_resolved_from_the_group_lines(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": GROUPS, "app.py": APP})
    plan = api.plan(root)
    assert plan.lock.method == "uv-compile"
    assert plan.lock.source == "pyproject.toml"
    assert plan.lock.requirements == ("Django==5.2.1", "requests>=2.31")
