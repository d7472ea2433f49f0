"""The builder toolchain for the project's own compiled code (plan/own_toolchain.py, common.compile_toolchain)."""

from __future__ import annotations

import dataclasses

from facts_factory import PSYCOPG2, make_facts

from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.alpine import AlpineStrategy
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import Evidence, OwnNativeNeed, ProjectFacts

C_EXT = OwnNativeNeed("c", "setuptools Extension", (Evidence("setup.py", 7, "Extension(...)"),))


def _rust(minimum: str | None) -> OwnNativeNeed:
    why = Evidence("Cargo.toml", 5, f"rust-version = {minimum}") if minimum else None
    return OwnNativeNeed("rust", "maturin", (Evidence("pyproject.toml", 3, "maturin"),), minimum, why)


def _package(*own: OwnNativeNeed, debian: str = "trixie", **kw: object) -> ProjectFacts:
    facts = make_facts(
        is_package=True, backend="setuptools.build_meta", command=("shop",), kind="cli", debian=debian, **kw
    )
    return dataclasses.replace(facts, own_native=own)


def test_own_c_extension_gets_a_compiler_in_the_builder_only() -> None:
    plan = make_plan(_package(C_EXT))
    assert [a.name for a in plan.builder_apt] == ["build-essential", "libpython3-dev"]
    assert "setup.py:7" in plan.builder_apt[0].why
    assert plan.runtime_apt == ()
    runtime = " ".join(" ".join(s.args) for s in plan.runtime_steps)
    assert "build-essential" not in runtime
    decision = plan.decision("toolchain")
    assert decision is not None and "the project's own setuptools Extension code" in decision.reason
    assert "setup.py:7" in decision.reason


def test_own_rust_gets_cargo_and_rustc_and_a_crates_io_warning() -> None:
    plan = make_plan(_package(_rust("1.80")))
    assert [a.name for a in plan.builder_apt] == ["build-essential", "cargo", "rustc", "libpython3-dev"]
    assert any("crates.io" in w for w in plan.warnings)
    assert not any("rustc >=" in w for w in plan.warnings)  # trixie's 1.85 is new enough


def test_too_new_rust_is_a_warning_naming_what_is_needed() -> None:
    plan = make_plan(_package(_rust("1.88")))
    [warning] = [w for w in plan.warnings if "rustc >=" in w]
    assert "rustc >= 1.88" in warning and "Cargo.toml:5" in warning and "rustc 1.85" in warning
    plan = make_plan(_package(_rust("1.70"), debian="bookworm", python="3.11.7"))
    assert any("Debian bookworm ships rustc 1.63" in w for w in plan.warnings)


def test_own_and_dependency_toolchains_merge_without_duplicates() -> None:
    meson = OwnNativeNeed("meson", "meson-python", (Evidence("pyproject.toml", 2, "mesonpy"),))
    plan = make_plan(_package(meson, C_EXT, native=(PSYCOPG2,)))
    names = [a.name for a in plan.builder_apt]
    assert names == ["build-essential", "meson", "ninja-build", "libpython3-dev", "libpq-dev"]


def test_nothing_compiles_means_no_toolchain() -> None:
    plan = make_plan(_package(), PlanOptions())
    assert plan.builder_apt == ()
    decision = plan.decision("toolchain")
    assert decision is not None and decision.choice == "none"


def test_alpine_does_not_fit_a_project_that_compiles_its_own_code() -> None:
    verdict = AlpineStrategy().applies(_package(C_EXT))
    assert not verdict.ok and "setup.py:7" in verdict.reason


def test_a_missing_extension_source_is_a_warning() -> None:
    missing = Evidence("setup.py", 9, "fast/_speed.c is not in the tree")
    plan = make_plan(_package(dataclasses.replace(C_EXT, missing_sources=(missing,))))
    assert any("setup.py:9 (fast/_speed.c is not in the tree)" in w for w in plan.warnings)
