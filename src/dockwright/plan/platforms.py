"""Does every locked dependency install from a wheel on each target platform?

A target is a Docker platform (``linux/amd64``, ``linux/arm64``, ``linux/arm/v7`` ...) with a C library:
``glibc`` for the Debian images (bookworm's 2.36, the oldest targeted: ``manylinux_2_5`` ..
``manylinux_2_36`` and the legacy ``manylinux1/2010/2014`` aliases) or ``musl`` for Alpine
(``musllinux_1_0`` .. ``musllinux_1_2``, Alpine 3.13 and later ship musl 1.2).
The tags CPython X.Y accepts there (``cpXY`` ABI, ``abi3`` from older
minors, ``none``, ``py3-none-any`` ...) come from :mod:`packaging.tags`, matched against the file names
(:mod:`dockwright.plan.wheels`) with :func:`packaging.utils.parse_wheel_filename`.

Per package and platform the answer is one :data:`Status`: ``wheel`` (a binary wheel for the platform),
``pure`` (only a platform-independent wheel, fine anywhere), ``sdist`` (no wheel: the builder compiles
it, under emulation for a foreign platform), ``missing`` (no wheel for the platform and no sdist),
``source`` (a VCS or path dependency, built from its source), ``unknown`` (no file list known) or
``skipped`` (its environment marker excludes the platform, or it has wheels for Windows/macOS only
and no sdist: uv.lock keeps markers on dependency edges, so such packages come without one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from dockwright.errors import ConfigError
from dockwright.plan.wheels import PackageKey, lock_files, package_key
from dockwright.project.facts import LockedPackage
from dockwright.project.wheels import GLIBC_MINOR, manylinux_platforms

Libc = Literal["glibc", "musl"]
Status = Literal["wheel", "pure", "sdist", "missing", "source", "unknown", "skipped"]

MUSL_MINOR = 2  # musl 1.2 (Alpine >= 3.13)
ARCHES: dict[str, str] = {
    "linux/amd64": "x86_64",
    "linux/x86_64": "x86_64",
    "linux/arm64": "aarch64",
    "linux/arm64/v8": "aarch64",
    "linux/aarch64": "aarch64",
    "linux/arm/v7": "armv7l",
    "linux/arm": "armv7l",
    "linux/386": "i686",
    "linux/ppc64le": "ppc64le",
    "linux/s390x": "s390x",
}
SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar")
OK_STATUSES: frozenset[str] = frozenset({"wheel", "pure", "skipped"})


@dataclass(frozen=True)
class Target:
    """A Docker platform and the C library of the image built for it."""

    platform: str  # Docker spelling, e.g. "linux/arm64"
    arch: str  # wheel-tag machine, e.g. "aarch64"
    libc: Libc = "glibc"

    @property
    def label(self) -> str:
        return self.platform if self.libc == "glibc" else f"{self.platform} (musl)"


def parse_platform(spec: str | Target, libc: Libc = "glibc") -> Target:
    """``"linux/arm64"`` → Target("linux/arm64", "aarch64", libc). Raises ConfigError for others."""
    if isinstance(spec, Target):
        return spec
    platform = spec.strip().lower()
    arch = ARCHES.get(platform)
    if arch is None:
        known = ", ".join(p for p in ARCHES if p not in ("linux/x86_64", "linux/aarch64", "linux/arm"))
        raise ConfigError(f"unknown platform {spec!r}; known: {known}")
    return Target(platform, arch, libc)


@dataclass(frozen=True)
class PackageCheck:
    """One locked package on one target: its status and the file that decided it."""

    name: str
    version: str
    status: Status
    file: str | None = None  # the wheel that installs, or the sdist that compiles

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    def describe(self) -> str:
        pin = f"{self.name}=={self.version}" if self.version else self.name
        reasons = {
            "wheel": f"wheel {self.file}",
            "pure": f"pure-Python wheel {self.file}",
            "sdist": f"only an sdist ({self.file}): compiles from source in the builder",
            "missing": "no wheel for this platform and no sdist",
            "source": "VCS/path dependency: built from its source",
            "unknown": "the lock lists no files for it (unknown)",
            "skipped": "not installed here (environment marker)",
        }
        return f"{pin}: {reasons[self.status]}"


@dataclass(frozen=True)
class PlatformCheck:
    """Every locked package on one target."""

    platform: str
    arch: str
    libc: Libc
    packages: tuple[PackageCheck, ...]

    @property
    def label(self) -> str:
        return Target(self.platform, self.arch, self.libc).label

    def having(self, *statuses: Status) -> tuple[PackageCheck, ...]:
        return tuple(p for p in self.packages if p.status in statuses)


@dataclass(frozen=True)
class PlatformReport:
    """The check for every target, for CPython ``python``."""

    python: str
    platforms: tuple[PlatformCheck, ...]

    def having(self, *statuses: Status) -> dict[str, tuple[PackageCheck, ...]]:
        """Per platform label, the packages with one of ``statuses`` (platforms without any left out)."""
        out = {check.label: check.having(*statuses) for check in self.platforms}
        return {label: found for label, found in out.items() if found}

    def errors(self) -> list[str]:
        """One line per platform where a package has neither a wheel nor an sdist."""
        return [
            f"{label}: no wheel and no sdist for {_names(found)}; the build cannot install them"
            for label, found in self.having("missing").items()
        ]

    def warnings(self) -> list[str]:
        """One line per platform where packages compile from source (sdist only)."""
        return [
            f"{label}: no wheel for {_names(found)}; will compile from source in the builder "
            "(under emulation for a foreign platform: slow, and needs the build toolchain)"
            for label, found in self.having("sdist").items()
        ]


def _names(checks: Iterable[PackageCheck]) -> str:
    return ", ".join(f"{c.name}=={c.version}" if c.version else c.name for c in checks)


# ---------------------------------------------------------------------------------------------- tags


def _xy(python_version: str) -> tuple[int, int]:
    try:
        major, minor = (int(p) for p in python_version.split(".")[:2])
    except ValueError as error:
        raise ConfigError(f"not a Python version: {python_version!r} (want X.Y or X.Y.Z)") from error
    return major, minor


def platform_tags(arch: str, libc: Libc) -> list[str]:
    """Platform tags an image of ``libc`` on ``arch`` accepts, most specific first."""
    if libc == "musl":
        platforms = [f"musllinux_1_{minor}_{arch}" for minor in range(MUSL_MINOR, -1, -1)]
    else:
        platforms = manylinux_platforms(arch, GLIBC_MINOR)
    return [*platforms, f"linux_{arch}"]


@lru_cache(maxsize=64)
def ordered_tags(python_version: str, arch: str, libc: Libc) -> dict[Tag, int]:
    """Every tag CPython X.Y accepts on the target, mapped to its preference (0 = most preferred)."""
    major, minor = _xy(python_version)
    platforms = platform_tags(arch, libc)
    tags = [*cpython_tags((major, minor), platforms=platforms)]
    tags += compatible_tags((major, minor), interpreter=f"cp{major}{minor}", platforms=platforms)
    ranks: dict[Tag, int] = {}
    for tag in tags:
        ranks.setdefault(tag, len(ranks))
    return ranks


def _environment(python_version: str, arch: str) -> dict[str, str]:
    major, minor = _xy(python_version)
    parts = python_version.split(".")
    full = python_version if len(parts) >= 3 else f"{major}.{minor}.0"
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "os_name": "posix",
        "platform_machine": arch,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": full,
        "python_version": f"{major}.{minor}",
        "sys_platform": "linux",
        "extra": "",
    }


def _applies(markers: str | None, python_version: str, arch: str) -> bool:
    if not markers:
        return True
    try:
        return Marker(markers).evaluate(_environment(python_version, arch))
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True  # cannot tell: check it


# ---------------------------------------------------------------------------------------------- checks


def check_package(
    package: LockedPackage, files: Iterable[str], target: Target, python_version: str
) -> PackageCheck:
    """The status of one package on one target (see the module docstring)."""
    name, version = package.name, package.version
    if not _applies(package.markers, python_version, target.arch):
        return PackageCheck(name, version, "skipped")
    if package.source in ("vcs", "path"):
        return PackageCheck(name, version, "source")
    names = sorted({f.rsplit("/", 1)[-1] for f in files if f})
    if not names:
        return PackageCheck(name, version, "unknown")
    ranks = ordered_tags(python_version, target.arch, target.libc)
    best: tuple[int, str, bool] | None = None
    linux = False  # does any wheel target Linux (or any platform)?
    for filename in names:
        if not filename.endswith(".whl"):
            continue
        try:
            tags = parse_wheel_filename(filename)[3]
        except InvalidWheelFilename:
            continue
        linux = linux or any(t.platform == "any" or "linux" in t.platform for t in tags)
        rank = min((ranks[t] for t in tags if t in ranks), default=None)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, filename, all(t.platform == "any" for t in tags))
    if best is not None:
        return PackageCheck(name, version, "pure" if best[2] else "wheel", best[1])
    sdists = [f for f in names if f.endswith(SDIST_SUFFIXES)]
    if sdists:
        return PackageCheck(name, version, "sdist", sdists[0])
    if not linux and any(f.endswith(".whl") for f in names):
        # Wheels for Windows/macOS only: a lock that keeps markers on edges (uv) lists such packages
        # without the marker that keeps them off Linux.
        return PackageCheck(name, version, "skipped")
    return PackageCheck(name, version, "missing")


def check_platforms(
    packages: Iterable[LockedPackage],
    wheel_files: Mapping[PackageKey, Iterable[str]] | None,
    platforms: Iterable[str | Target],
    python_version: str,
    *,
    libc: Libc = "glibc",
) -> PlatformReport:
    """Check every package on every platform.

    ``wheel_files`` maps ``(name, version)`` to the file names available (from
    :func:`dockwright.plan.wheels.available_files`); None uses the lock's own lists. ``platforms`` are
    Docker platform strings (built for ``libc``) or :class:`Target` values."""
    packages = tuple(packages)
    files = lock_files(packages) if wheel_files is None else wheel_files
    targets = tuple(dict.fromkeys(parse_platform(p, libc) for p in platforms))
    checks = []
    for target in targets:
        results = tuple(
            check_package(p, files.get(package_key(p), ()), target, python_version) for p in packages
        )
        checks.append(PlatformCheck(target.platform, target.arch, target.libc, results))
    return PlatformReport(python_version, tuple(checks))


def musl_blockers(
    packages: Iterable[LockedPackage],
    python_version: str,
    *,
    platforms: Iterable[str | Target] = ("linux/amd64",),
    wheel_files: Mapping[PackageKey, Iterable[str]] | None = None,
) -> tuple[PackageCheck, ...]:
    """The packages that keep an Alpine (musl) image from installing wheels only.

    A package passes when, on every platform, it is pure Python (a ``py3-none-any``-style wheel), has a
    ``musllinux`` wheel for CPython ``python_version``, or its marker excludes Linux. Every other one is
    returned once (its first failing platform's check): ``sdist`` (would compile from source), ``missing``
    (cannot install at all), ``source`` (a VCS/path dependency, built from source: native code not ruled
    out) and ``unknown`` (the lock lists no files, so nothing proves it safe). Offline unless
    ``wheel_files`` came from an index."""
    packages = tuple(packages)
    musl = tuple(Target(t.platform, t.arch, "musl") for t in (parse_platform(p) for p in platforms))
    report = check_platforms(packages, wheel_files, musl, python_version, libc="musl")
    blockers: dict[tuple[str, str], PackageCheck] = {}
    for check in report.platforms:
        for result in check.packages:
            if not result.ok:
                blockers.setdefault((result.name, result.version), result)
    return tuple(blockers.values())
