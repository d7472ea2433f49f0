"""Which Debian/Alpine packages are build toolchains (compilers, -dev headers)."""

from __future__ import annotations

COMPILERS = frozenset(
    {
        "build-essential",
        "gcc",
        "g++",
        "cc",
        "clang",
        "make",
        "cmake",
        "gfortran",
        "rustc",
        "cargo",
        "build-base",
    }
)


def toolchain_packages(packages: list[str]) -> list[str]:
    out = []
    for package in packages:
        name = package.split("=", 1)[0]
        if name in COMPILERS or name.endswith("-dev") or name.startswith(("gcc-", "g++-")):
            out.append(name)
    return out
