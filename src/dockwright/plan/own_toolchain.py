"""Builder packages for the project's OWN compiled code, and what Debian cannot provide.

``pip wheel .`` in the builder compiles the project's extensions (setup.py ``Extension``, Cython,
maturin, setuptools-rust, scikit-build-core, meson-python, cffi, pybind11). The packages come from
``project/data/toolchains.toml``, one row per toolchain; they go to the builder stage only (the runtime
receives the built wheel). Where Debian's toolchain is too old for the crate (its ``rust-version``
or edition), or the build needs what an offline builder lacks (crates.io), the plan warns and says
what is needed.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from dockwright.plan.model import AptPackage
from dockwright.project.facts import OwnNativeNeed, ProjectFacts
from dockwright.project.own_native import toolchain_table


def _evidence(need: OwnNativeNeed) -> str:
    return ", ".join(str(e) for e in need.evidence)


def own_packages(facts: ProjectFacts) -> list[AptPackage]:
    """Each toolchain's Debian packages, in need order, each with the evidence that asked for it."""
    rows = toolchain_table()["toolchain"]
    packages: dict[str, AptPackage] = {}
    for need in facts.own_native:
        row = rows[need.toolchain]
        for name in row["apt"]:
            if name not in packages:
                why = f"{row['why']}: the project's own {need.via} build ({_evidence(need)}; {row['source']})"
                packages[name] = AptPackage(name, why)
    return list(packages.values())


def own_summary(facts: ProjectFacts) -> str:
    """'the project's own maturin, ... extension' for the toolchain decision ('' when nothing compiles)."""
    if not facts.own_native:
        return ""
    return "the project's own " + ", ".join(n.via for n in facts.own_native) + " code"


def debian_rustc(suite: str) -> str | None:
    """The rustc version Debian ``suite`` ships (``toolchains.toml``), None when the table does not say."""
    value = toolchain_table()["rustc"].get(suite)
    return str(value) if value is not None else None


def own_warnings(facts: ProjectFacts) -> list[str]:
    """What the builder's Debian toolchain cannot do for the project's own build, and what is needed."""
    warnings: list[str] = []
    suite = facts.python.debian.value
    for need in facts.own_native:
        for missing in need.missing_sources:
            warnings.append(
                f"the project's own extension source is missing: {missing}; `pip wheel .` fails unless "
                "it is generated before the build (dockwright does not run Cython or a Makefile)"
            )
        if need.toolchain != "rust":
            continue
        shipped = debian_rustc(suite)
        if need.rust_minimum and shipped and _older(shipped, need.rust_minimum):
            warnings.append(
                f"the project's Rust code needs rustc >= {need.rust_minimum} "
                f"({need.rust_minimum_evidence}); Debian {suite} ships rustc {shipped}: install a newer "
                "toolchain in the builder (rustup) or a newer Debian base, or the wheel build fails"
            )
        warnings.append(
            "cargo downloads the crates of the project's Rust code from crates.io while the wheel builds "
            f"({_evidence(need)}): the builder needs network access to crates.io, or vendored crates "
            "(`cargo vendor` and a .cargo/config.toml source replacement)"
        )
    return warnings


def _older(shipped: str, minimum: str) -> bool:
    try:
        return Version(shipped) < Version(minimum)
    except InvalidVersion:
        return False
