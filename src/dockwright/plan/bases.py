"""Base image names, read from the release data (``project/data/cpython.toml``, ``debian.toml``).

``python:X.Y.Z-slim-<suite>`` for interpreter images and builders, ``gcr.io/distroless/cc-<debianN>``
for standalone binaries, ``gcr.io/distroless/python3-<debianN>`` for zipapps. A distroless python3
image runs Debian's own CPython (3.13 on Debian 13, 3.11 on Debian 12): a zipapp's wheels and bytecode
must be built for that minor (the ABI guard, :func:`distroless_python`).
"""

from __future__ import annotations

from dataclasses import dataclass

from dockwright.project.facts import ProjectFacts
from dockwright.project.python_version import Suite, debian_suites, minor_of


def suite(facts: ProjectFacts) -> Suite:
    return debian_suites()[facts.python.debian.value]


def slim(version: str, suite_name: str) -> str:
    return f"python:{version}-slim-{suite_name}"


def slim_image(facts: ProjectFacts) -> str:
    """The interpreter image the project runs on (and builds with)."""
    return slim(facts.python.version.value, facts.python.debian.value)


def suite_reason(facts: ProjectFacts) -> str:
    return "; ".join(e.detail for e in facts.python.debian.evidence if e.detail) or facts.python.debian.value


def distroless_cc(facts: ProjectFacts) -> str:
    """glibc + libstdc++, no shell: the same Debian as the builder, so the binary's libraries match."""
    return f"gcr.io/distroless/cc-{suite(facts).distroless}:nonroot"


@dataclass(frozen=True)
class DistrolessPython:
    """The distroless python3 image running one CPython minor, and the suite its builder must use."""

    image: str
    python: str  # "3.13"
    interpreter: str  # "/usr/bin/python3.13"
    suite: Suite


def distroless_pythons() -> list[DistrolessPython]:
    return [
        DistrolessPython(
            f"gcr.io/distroless/python3-{s.distroless}:nonroot", s.python3, f"/usr/bin/python{s.python3}", s
        )
        for s in debian_suites().values()
    ]


def distroless_python(version: str) -> DistrolessPython | None:
    """The distroless python3 image whose interpreter is ``version``'s minor, if there is one."""
    return next((d for d in distroless_pythons() if d.python == minor_of(version)), None)
