"""The package's own declaration beside a requirements file (project/dep_sources.py): setuptools'
``install_requires`` (setup.py, setup.cfg) is compared like ``[project].dependencies``; an exact pin of
the file that a declared range refuses is a plan warning naming both lines; a generated lock an
installed package's ranges refuse stops ``init`` (lock/own_ranges.py). Examples of our own."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from shop_setup import SETUP_PY

from dockwright.errors import LockError
from dockwright.initialize import generated_locks, plan_project
from dockwright.lock import own_ranges
from dockwright.lock.compile import CompileOptions
from dockwright.lock.generate import generate_lock
from dockwright.lock.header import read_header, requirements_digest, stale_reason
from dockwright.plan.model import LockPlan
from dockwright.project.managers import read_dependencies
from dockwright.project.tree import ProjectTree

OFFLINE: dict[str, object] = {}

SETUP_CFG = """[metadata]
name = shop
version = 1.0

[options]
packages = shop
install_requires =
    alpha>=1
    beta>=2
"""


def _app(root: Path, requirements: str) -> Path:
    (root / "requirements.txt").write_text(requirements)
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "__main__.py").write_text("import alpha\nimport beta\nprint(alpha, beta)\n")
    return root


def _deps(root: Path):  # type: ignore[no-untyped-def]
    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    return read_dependencies(tree, pyproject, python="3.12.12")


def _pyproject(root: Path, deps: list[str], *, backend: bool = True) -> None:
    lines = "".join(f'    "{d}",\n' for d in deps)
    head = '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
    body = f'[project]\nname = "shop"\nversion = "1.0"\ndependencies = [\n{lines}]\n'
    (root / "pyproject.toml").write_text((head if backend else "") + body)


# ------------------------------------------------------------------------- install_requires compared


def test_setup_py_install_requires_left_out_are_named_with_their_line(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==1.0\n")
    (root / "setup.py").write_text(SETUP_PY)
    deps = _deps(root)
    assert deps.manager.value == "requirements"
    assert [f.value for f in deps.uncovered] == ["beta>=2"]
    ev = deps.uncovered[0].evidence[0]
    assert (ev.file, ev.line) == ("setup.py", 9)
    assert ev.detail == "setup.py install_requires declares 'beta>=2', which requirements.txt does not name"


def test_setup_cfg_install_requires_left_out_are_named_with_their_line(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==1.0\n")
    (root / "setup.cfg").write_text(SETUP_CFG)
    deps = _deps(root)
    assert [(f.value, f.evidence[0].file, f.evidence[0].line) for f in deps.uncovered] == [
        ("beta>=2", "setup.cfg", 9)
    ]


def test_install_requires_read_from_the_requirements_file_is_a_superset(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==1.0\nbeta==2.0\n")
    (root / "setup.py").write_text(
        'from setuptools import setup\n\nsetup(name="shop", install_requires=open("requirements.txt").read())\n'
    )
    deps = _deps(root)
    assert deps.uncovered == () and deps.range_conflicts == ()
    assert [f.value for f in deps.declared_ranges] == ["alpha==1.0", "beta==2.0"]


def test_a_static_project_table_wins_and_dynamic_install_requires_is_not_read(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==1.0\n")
    (root / "setup.py").write_text(SETUP_PY)
    _pyproject(root, ["alpha"])
    assert _deps(root).uncovered == ()  # setuptools ignores install_requires beside a static table
    (root / "setup.py").write_text(
        'from setuptools import setup\nimport os\n\nsetup(name="shop", install_requires=os.environ["X"].split())\n'
    )
    (root / "pyproject.toml").unlink()
    deps = _deps(root)
    assert deps.uncovered == () and deps.declared_ranges == ()


def test_dynamic_project_dependencies_come_from_setup_py(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==1.0\n")
    (root / "setup.py").write_text(SETUP_PY)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\nversion = "1.0"\ndynamic = ["dependencies"]\n'
    )
    assert [f.value for f in _deps(root).uncovered] == ["beta>=2"]
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\nversion = "1.0"\ndynamic = ["dependencies"]\n\n'
        '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.txt"]}\n'
    )
    assert _deps(root).uncovered == ()


def test_an_installed_setup_py_package_merges_them_and_the_header_names_setup_py(
    tmp_path: Path, wheel_index: Path
) -> None:
    root = _app(tmp_path, "alpha==1.0\n")
    (root / "setup.py").write_text(SETUP_PY.replace('"beta>=2"', '"gamma"'))
    plan = plan_project(root, OFFLINE)
    assert plan.app_install == "wheel"
    assert plan.lock.merged == ("gamma",) and plan.lock.merged_from == "setup.py"
    lock = next(d for d in plan.decisions if d.topic == "lock")
    assert (
        "with gamma (setup.py:9): setup.py install_requires declares them and requirements.txt" in lock.reason
    )
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    text = generate_lock(root, plan.lock, "3.11.7", options)
    assert "# dockwright-merged: setup.py requirements-sha256=" in text and "gamma==0.1" in text
    header = read_header(text)
    assert header is not None and header.merged_from == "setup.py"
    (root / "requirements.lock").write_text(text)
    reason = stale_reason(root, "requirements.lock", merged=("gamma>=0.1",), source="requirements.txt")
    assert reason == (
        "requirements.lock is stale: the setup.py install_requires resolved beside requirements.txt changed "
        "since it was generated (dockwright init --force)"
    )


def test_a_hash_locked_file_beside_setup_py_warns_naming_them(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==1.0 --hash=sha256:" + "a" * 64 + "\n")
    (root / "setup.py").write_text(SETUP_PY)
    plan = plan_project(root, OFFLINE)
    assert plan.lock.method == "existing" and plan.lock.merged == ()
    assert (
        "setup.py install_requires declares beta>=2 (setup.py:9), which requirements.txt leaves out: "
        "requirements.txt is hash-locked and installed as it is" in " ".join(plan.warnings)
    )


# ------------------------------------------------------------------------- pins the declaration refuses


def test_an_exact_pin_a_declared_range_refuses_is_warned_with_both_lines(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==0.9\nbeta==2.0\n")
    _pyproject(root, ["alpha>=1", "beta>=2"])
    deps = _deps(root)
    assert [c.value for c in deps.range_conflicts] == ["alpha==0.9"]
    plan = plan_project(root, OFFLINE)
    warning = next(w for w in plan.warnings if "pins alpha==0.9" in w)
    assert warning.startswith(
        "requirements.txt:1 pins alpha==0.9, which [project] dependencies 'alpha>=1' (pyproject.toml:9) "
        "refuses: the image installs the pin as requirements.txt says (the app's wheel goes in with --no-deps"
    )
    assert warning.endswith("change requirements.txt:1 or the range")


def test_an_included_pin_in_setup_py_range_is_warned_with_the_include_line(tmp_path: Path) -> None:
    root = _app(tmp_path, "-r base.txt\n")
    (root / "base.txt").write_text("# pinned\nbeta==1.5\nalpha==1.0\n")
    (root / "setup.py").write_text(SETUP_PY)
    (conflict,) = _deps(root).range_conflicts
    assert [(e.file, e.line) for e in conflict.evidence] == [("base.txt", 2), ("setup.py", 9)]


@pytest.mark.parametrize(
    ("pin", "declared"),
    [
        ("alpha==1.0", "alpha>=1"),  # satisfied
        ("alpha==2.0rc1", "alpha>=1"),  # a pre-release the user pinned is in range
        ("alpha==0.9", "alpha>=1; sys_platform == 'win32'"),  # the range never applies on the target
        ("alpha==0.9", "alpha"),  # no range
    ],
)
def test_no_conflict(tmp_path: Path, pin: str, declared: str) -> None:
    root = _app(tmp_path, f"{pin}\n")
    _pyproject(root, [declared])
    assert _deps(root).range_conflicts == ()


def _lock_text(pins: dict[str, str]) -> str:
    return "".join(f"{name}=={version} \\\n    --hash=sha256:{'a' * 64}\n" for name, version in pins.items())


def _regenerate(pins: dict[str, str], fails: set[str] = frozenset()):  # type: ignore[no-untyped-def,assignment]
    """A stand-in resolver: the lock it gives with the declared lines beside the file; LockError when
    one of ``fails`` is among them (no version fits both)."""
    asked: list[tuple[str, ...]] = []

    def regenerate(lock: LockPlan) -> str:
        asked.append(lock.ranges)
        if any(line.split(">")[0].split("=")[0] in fails for line in lock.ranges):
            raise LockError(
                "uv pip compile could not resolve requirements.txt: alpha>=1 (requirements.txt) cannot be "
                "installed on CPython 3.12\n  No solution found when resolving dependencies\n  Because you "
                "require alpha<1 and alpha>=1, we can conclude that your requirements are unsatisfiable."
            )
        return "# Hash-locked requirements generated by dockwright\n" + _lock_text(pins)

    return regenerate, asked


def test_a_generated_lock_out_of_the_packages_ranges_is_resolved_again_with_them(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha>=0.5\nbeta\n")
    (root / "setup.py").write_text(SETUP_PY)
    plan = plan_project(root, OFFLINE)
    assert plan.lock.method == "uv-compile" and plan.app_install == "wheel"
    text = _lock_text({"alpha": "0.9", "beta": "2.0"})
    assert [v.value for v in own_ranges.violations(plan, text)] == ["alpha==0.9"]
    regenerate, asked = _regenerate({"alpha": "1.1", "beta": "2.0"})
    mended = own_ranges.mend(root, plan, text, regenerate)
    assert asked == [("alpha>=1",)]
    assert mended.splitlines()[:2] == [
        "# Hash-locked requirements generated by dockwright",
        f"# dockwright-ranges: requirements-sha256={requirements_digest(['alpha>=1'])} 'alpha>=1' (setup.py:8) "
        "resolved beside requirements.txt (the package's own ranges)",
    ]
    assert "alpha==1.1" in mended
    in_range = _lock_text({"alpha": "1.1", "beta": "2.0"})
    assert own_ranges.mend(root, plan, in_range, regenerate) == in_range and len(asked) == 1


def test_no_version_fitting_both_stops_init_naming_the_lines(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha<1\nbeta>=1\n")
    (root / "setup.py").write_text(SETUP_PY)
    plan = plan_project(root, OFFLINE)
    text = _lock_text({"alpha": "0.9", "beta": "1.0"})
    regenerate, asked = _regenerate({"alpha": "1.1", "beta": "2.0"}, fails={"alpha"})
    with pytest.raises(LockError) as error:
        own_ranges.mend(root, plan, text, regenerate)
    assert asked == [("alpha>=1", "beta>=2"), ("alpha>=1",), ("beta>=2",)]  # together, then each alone
    assert str(error.value) == (
        "requirements.txt:1 'alpha<1' and setup.py install_requires 'alpha>=1' (setup.py:8) (the lock would "
        "pin alpha==0.9): no version fits both, and the app's wheel goes in with --no-deps, so the image "
        "would run a version its own metadata refuses; make requirements.txt accept what setup.py "
        "install_requires declares (or widen the declaration), then run init again"
    )


def test_the_users_exact_pin_is_left_to_the_warning(tmp_path: Path) -> None:
    root = _app(tmp_path, "alpha==0.9\nbeta\n")
    (root / "setup.py").write_text(SETUP_PY)
    plan = plan_project(root, OFFLINE)
    assert any("requirements.txt:1 pins alpha==0.9" in w for w in plan.warnings)
    assert own_ranges.violations(plan, _lock_text({"alpha": "0.9", "beta": "2.0"})) == ()


def test_the_apps_own_list_is_checked_and_a_user_lock_is_not(tmp_path: Path) -> None:
    """No build backend: ``[project]`` is the app's own list (what ``uv run`` installs), its ranges count."""
    root = _app(tmp_path, "alpha<1\nbeta\n")
    _pyproject(root, ["alpha>=1", "beta"], backend=False)
    plan = plan_project(root, OFFLINE)
    assert plan.app_install != "wheel"
    found = own_ranges.violations(plan, _lock_text({"alpha": "0.9", "beta": "2.0"}))
    assert [f.value for f in found] == ["alpha==0.9"]
    refused = str(own_ranges.refusal(root, plan, found))
    assert (
        "no version fits both, and pyproject.toml has no build backend, so its list is the app's own"
        in refused
    )
    existing = LockPlan("requirements.txt", False, "requirements.txt", "existing", False)
    (tmp_path / "two").mkdir()
    root2 = _app(tmp_path / "two", "alpha<1\n")
    (root2 / "setup.py").write_text(SETUP_PY)
    plan2 = dataclasses.replace(plan_project(root2, OFFLINE), lock=existing)
    assert own_ranges.violations(plan2, _lock_text({"alpha": "0.9"})) == ()


def _no_build_lock(plan):  # type: ignore[no-untyped-def]
    """The plan without its build-backend lock (the fixture index has no setuptools)."""
    return dataclasses.replace(plan, files=tuple(f for f in plan.files if f.kind != "build-lock"))


def test_init_resolves_again_with_the_ranges_and_keeps_that_lock(tmp_path: Path, wheel_index: Path) -> None:
    """End to end on the fixture index: beta 2.0 is the only beta, so a declared beta>=3 fits nothing."""
    root = _app(tmp_path, "alpha\nbeta\n")
    (root / "setup.py").write_text(SETUP_PY.replace('"alpha>=1"', '"alpha==1.0"'))
    options = CompileOptions(find_links=(str(wheel_index),), no_index=True)
    plan = _no_build_lock(plan_project(root, OFFLINE))
    (lock,) = [
        f for f in generated_locks(root, plan, compile_options=options) if f.path == "requirements.lock"
    ]
    assert "alpha==1.0" in lock.content and "'alpha==1.0' (setup.py:8) resolved beside" in lock.content
    (root / "requirements.lock").write_text(lock.content)
    (kept,) = [
        f for f in generated_locks(root, plan, compile_options=options) if f.path == "requirements.lock"
    ]
    assert kept.content == lock.content
    (root / "setup.py").write_text(SETUP_PY.replace('"beta>=2"', '"beta>=3"'))
    (root / "requirements.lock").unlink()
    plan = _no_build_lock(plan_project(root, OFFLINE))
    with pytest.raises(
        LockError, match=r"^requirements\.txt:2 'beta' and setup\.py install_requires 'beta>=3' "
    ):
        generated_locks(root, plan, compile_options=options)
