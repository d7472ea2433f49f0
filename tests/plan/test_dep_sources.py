"""A requirements file beside ``[project].dependencies`` (project/dep_sources.py): a superset stays the
lock's source as it is; declared dependencies it leaves out are resolved with it when the app is
installed as a package or when pyproject.toml has no build backend (the app's own list), named in a
warning otherwise; a lock generated from another source or without
them is stale, never kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.initialize import _fresh, plan_project
from dockwright.lock.compile import CompileOptions
from dockwright.lock.generate import generate_lock
from dockwright.lock.header import read_header, stale_reason
from dockwright.plan.model import LockPlan
from dockwright.project.managers import read_dependencies
from dockwright.project.tree import ProjectTree

BACKEND = '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
OFFLINE: dict[str, object] = {}  # the suite turns the index lookup off (conftest)


def _pyproject(deps: list[str], *, backend: bool = True) -> str:
    lines = "".join(f'    "{d}",\n' for d in deps)
    head = BACKEND if backend else ""
    return f'{head}[project]\nname = "shop"\nversion = "1.0"\ndependencies = [\n{lines}]\n'


def _project(root: Path, requirements: str, deps: list[str], *, backend: bool = True) -> Path:
    (root / "requirements.txt").write_text(requirements)
    (root / "pyproject.toml").write_text(_pyproject(deps, backend=backend))
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "__main__.py").write_text("import alpha\nimport beta\nprint(alpha, beta)\n")
    return root


def _deps(root: Path, manager: str | None = None):  # type: ignore[no-untyped-def]
    tree = ProjectTree(root)
    return read_dependencies(tree, tree.read_toml("pyproject.toml"), python="3.12.12", override=manager)


def test_a_pinned_superset_leaves_nothing_uncovered(tmp_path: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\nbeta==2.0\n", ["alpha>=1", "Beta"])
    deps = _deps(root)
    assert deps.manager.value == "requirements" and deps.uncovered == ()


def test_a_subset_names_each_left_out_declaration_with_its_line(tmp_path: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\n", ["alpha>=1", "beta>=2"])
    deps = _deps(root)
    assert [f.value for f in deps.uncovered] == ["beta>=2"]
    ev = deps.uncovered[0].evidence[0]
    assert (ev.file, ev.line) == ("pyproject.toml", 10)
    assert ev.detail == "[project] dependencies declares 'beta>=2', which requirements.txt does not name"


def test_an_include_covers_a_declaration(tmp_path: Path) -> None:
    root = _project(tmp_path, "-r base.txt\nalpha==1.0\n", ["alpha", "beta"])
    (root / "base.txt").write_text("beta==2.0\n")
    assert _deps(root).uncovered == ()


def test_false_markers_the_project_itself_and_dynamic_dependencies_are_never_uncovered(
    tmp_path: Path,
) -> None:
    deps = ["alpha", "pywin32; sys_platform == 'win32'", "shop[extra]", "tomli; python_version < '3.11'"]
    root = _project(tmp_path, "alpha==1.0\n", deps)
    assert _deps(root).uncovered == ()
    text = (
        (root / "pyproject.toml")
        .read_text()
        .replace('version = "1.0"', 'version = "1.0"\ndynamic = ["dependencies"]')
    )
    (root / "pyproject.toml").write_text(text.replace('    "alpha",\n', '    "alpha",\n    "beta",\n'))
    assert _deps(root).uncovered == ()


def test_only_a_requirements_manager_compares(tmp_path: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\n", ["alpha", "beta"])
    assert _deps(root, "pep621").uncovered == ()


def test_an_installed_package_resolves_the_left_out_declarations_with_the_file(tmp_path: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\n", ["alpha>=1", "beta>=2"])
    plan = plan_project(root, OFFLINE)
    assert plan.app_install == "wheel"
    assert plan.lock.source == "requirements.txt" and plan.lock.merged == ("beta>=2",)
    lock = next(d for d in plan.decisions if d.topic == "lock")
    assert "with beta>=2 (pyproject.toml:10): [project] dependencies declares them and requirements.txt" in (
        lock.reason
    )
    assert "--no-deps" in lock.reason
    assert not any("[project] dependencies declares" in w for w in plan.warnings)
    assert not any("imports beta" in w for w in plan.warnings)  # declared: not an undeclared import


def test_a_superset_is_the_lock_as_before(tmp_path: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\nbeta==2.0\n", ["alpha>=1", "beta>=2"])
    plan = plan_project(root, OFFLINE)
    assert plan.lock.source == "requirements.txt" and plan.lock.merged == ()
    assert not any("[project] dependencies" in d.reason for d in plan.decisions if d.topic == "lock")


def test_no_build_backend_makes_the_table_the_apps_list_resolved_with_the_file(tmp_path: Path) -> None:
    """``uv init``'s layout: ``[project]`` with no ``[build-system]`` is the app's own list (``uv add``
    edits it, ``uv run`` installs it); requirements.txt keeps its pins, what it leaves out comes too."""
    root = _project(tmp_path, "alpha==1.0\n", ["alpha>=1", "beta>=2"], backend=False)
    plan = plan_project(root, OFFLINE)
    assert plan.app_install != "wheel" and plan.lock.source == "requirements.txt"
    assert plan.lock.merged == ("beta>=2",) and plan.lock.merged_from == "pyproject.toml"
    assert not any("leaves out" in w for w in plan.warnings)
    (reason,) = [d.reason for d in plan.decisions if d.topic == "lock"]
    assert reason.endswith(
        "with beta>=2 (pyproject.toml:6): [project] dependencies declares them and requirements.txt leaves "
        "them out; pyproject.toml has no build backend, so its [project] dependencies is the app's own list "
        "(what `uv sync` and `uv run` install), and requirements.txt, chosen over it (the file the project "
        "deploys with), is missing them, so they are resolved together with requirements.txt (its pins kept), "
        "never dropped"
    )


def test_no_build_backend_and_a_superset_names_the_other_file(tmp_path: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\nbeta==2.0\n", ["alpha>=1", "beta>=2"], backend=False)
    plan = plan_project(root, OFFLINE)
    assert plan.lock.merged == ()
    (reason,) = [d.reason for d in plan.decisions if d.topic == "lock"]
    assert reason.endswith(
        "; chosen over pyproject.toml's [project] dependencies (no build backend: the app's own list, which "
        "`uv sync` and `uv run` install), which requirements.txt covers: every name it declares is in the file"
    )


def test_a_hash_locked_file_is_installed_as_it_is_with_a_warning(tmp_path: Path) -> None:
    hashed = "alpha==1.0 --hash=sha256:" + "a" * 64 + "\n"
    root = _project(tmp_path, hashed, ["alpha>=1", "beta>=2"])
    plan = plan_project(root, OFFLINE)
    assert plan.lock.path == "requirements.txt" and plan.lock.merged == ()
    assert any("requirements.txt is hash-locked and installed as it is" in w for w in plan.warnings)


def _lock(root: Path, wheel_index: Path, merged: tuple[str, ...]) -> str:
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False, merged=merged)
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    text = generate_lock(root, lock, "3.11.7", options)
    (root / "requirements.lock").write_text(text)
    return text


def test_the_merged_lines_are_resolved_and_recorded(tmp_path: Path, wheel_index: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\n", ["alpha", "gamma"])
    text = _lock(root, wheel_index, ("gamma",))
    assert "alpha==1.0" in text and "beta==2.0" in text and "gamma==0.1" in text
    assert "# dockwright-merged: pyproject.toml requirements-sha256=" in text
    header = read_header(text)
    assert header is not None and header.merged is not None
    assert stale_reason(root, "requirements.lock", merged=("gamma",), source="requirements.txt") is None
    assert _fresh(root, "requirements.lock", "requirements.txt", False, merged=("gamma",)) == text
    reason = stale_reason(root, "requirements.lock", merged=("gamma>=0.1",), source="requirements.txt")
    assert reason == (
        "requirements.lock is stale: the [project] dependencies resolved beside requirements.txt changed "
        "since it was generated (dockwright init --force)"
    )
    assert _fresh(root, "requirements.lock", "requirements.txt", False, merged=("gamma>=0.1",)) is None


def test_a_lock_from_the_file_alone_is_stale_once_the_plan_merges(tmp_path: Path, wheel_index: Path) -> None:
    root = _project(tmp_path, "alpha==1.0\n", ["alpha", "gamma"])
    text = _lock(root, wheel_index, ())
    assert "gamma" not in text and "dockwright-merged" not in text
    assert stale_reason(root, "requirements.lock", source="requirements.txt") is None
    assert stale_reason(root, "requirements.lock", merged=("gamma",), source="requirements.txt") is not None
    assert _fresh(root, "requirements.lock", "requirements.txt", False, merged=("gamma",)) is None


def test_a_lock_from_another_source_is_stale_and_never_kept(
    tmp_path: Path, wheel_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why `--manager pep621` used to give the same lock: the existing one (from requirements.txt,
    unchanged) was kept though the plan resolves pyproject.toml."""
    root = _project(tmp_path, "alpha==1.0\n", ["alpha", "gamma"], backend=False)
    text = _lock(root, wheel_index, ())
    assert _fresh(root, "requirements.lock", "pyproject.toml", False) is None
    assert _fresh(root, "requirements.lock", "requirements.txt", False) == text
    plan = plan_project(root, {**OFFLINE, "manager": "pep621"})
    assert plan.lock.source == "pyproject.toml" and plan.lock.stale
    assert (
        "requirements.lock was generated from requirements.txt, and the plan resolves pyproject.toml "
        "(dockwright init --force)" in plan.warnings
    )


@pytest.mark.parametrize("line", ["-e .", ".", "-e .[web]", "file:."])
def test_a_file_that_installs_the_project_itself_covers_its_declarations(tmp_path: Path, line: str) -> None:
    root = _project(tmp_path, f"alpha==1.0\n{line}\n", ["alpha", "beta"])
    assert _deps(root).uncovered == ()


def test_a_bounded_add_beside_a_pyproject_source_resolves(tmp_path: Path, wheel_index: Path) -> None:
    """A start's bound that the project's own resolution does not fit (alpha<1.1 where it resolves
    alpha 1.1) is resolved together with it: a pyproject.toml source stays uv's input (fed as
    ``-r pyproject.toml`` on stdin, uv read the TOML as a requirements file and stopped)."""
    (tmp_path / "pyproject.toml").write_text(_pyproject(["alpha"], backend=False))
    lock = LockPlan("requirements.lock", True, "pyproject.toml", "uv-compile", False, adds=("alpha<1.1",))
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    text = generate_lock(tmp_path, lock, "3.11.7", options)
    assert "alpha==1.0" in text and "beta==2.0" in text
