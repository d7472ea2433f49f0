"""Target platform names as BuildKit accepts them (``OS/ARCH[/VARIANT]``), pure text, checked before
any planning so that ``linux/bogus`` is an error rather than a build that fails late.

Source: containerd's ``platforms`` package (``database.go``: ``normalizeArch``), which BuildKit and
buildx use to parse ``--platform``; the architectures are those of the Go toolchain that images are
published for (``go tool dist list``, linux only: dockwright builds Debian-based Linux images).
"""

from __future__ import annotations

from collections.abc import Iterable

from dockwright.errors import ConfigError

OS_NAMES: tuple[str, ...] = ("linux",)

# architecture -> the variants BuildKit accepts after it ("" = none given)
ARCH_VARIANTS: dict[str, tuple[str, ...]] = {
    "amd64": ("", "v1", "v2", "v3", "v4"),
    "arm64": ("", "v8", "v9"),
    "arm": ("", "v5", "v6", "v7", "v8"),
    "386": ("",),
    "ppc64le": ("",),
    "s390x": ("",),
    "riscv64": ("",),
    "mips64le": ("",),
    "loong64": ("",),
}

# other spellings containerd normalizes (uname -m and Debian's): the architecture and the variant they imply
ARCH_ALIASES: dict[str, tuple[str, str]] = {
    "x86_64": ("amd64", ""),
    "x86-64": ("amd64", ""),
    "aarch64": ("arm64", ""),
    "armhf": ("arm", "v7"),
    "armel": ("arm", "v6"),
    "i386": ("386", ""),
}

ACCEPTED = "linux/ARCH[/VARIANT] with ARCH one of " + ", ".join(
    arch + ("" if variants == ("",) else "[/" + "|".join(v for v in variants if v) + "]")
    for arch, variants in ARCH_VARIANTS.items()
)


def with_os(spec: str) -> str:
    """``spec`` with the OS BuildKit assumes for a bare architecture (containerd's ``platforms.Parse``
    takes ``arm64`` as the host's OS, Linux for the engines dockwright drives): ``linux/arm64``."""
    spec = spec.strip()
    bare = "/" not in spec and spec.lower() not in OS_NAMES
    return f"linux/{spec}" if bare and spec else spec


def platform_problem(spec: str) -> str | None:
    """Why ``spec`` is not a platform BuildKit accepts, or None when it is one."""
    parts = with_os(spec).lower().split("/")
    if len(parts) not in (2, 3) or not all(parts):
        return f"{spec!r} is not OS/ARCH[/VARIANT]"
    os_name, (arch, implied) = parts[0], ARCH_ALIASES.get(parts[1], (parts[1], ""))
    if os_name not in OS_NAMES:
        return f"{spec!r}: unknown OS {parts[0]!r}"
    if arch not in ARCH_VARIANTS:
        return f"{spec!r}: unknown architecture {parts[1]!r}"
    if len(parts) == 3 and (implied or parts[2] not in ARCH_VARIANTS[arch]):
        return f"{spec!r}: unknown variant {parts[2]!r} of {arch}"
    return None


def check_platform_names(values: Iterable[str], *, several: bool = True) -> tuple[str, ...]:
    """The platforms ``values`` name (each a comma-separated list when ``several``), stripped, a bare
    architecture with its OS (``arm64`` -> ``linux/arm64``, as BuildKit reads it); a
    ConfigError naming what is accepted for the first one BuildKit would refuse."""
    found: list[str] = []
    for value in values:
        if not several and "," in value:
            raise ConfigError(f"{value!r}: one platform only (e.g. linux/arm64)")
        items = [with_os(item) for item in value.split(",") if item.strip()]
        problems = [problem for problem in map(platform_problem, items) if problem]
        if not items:
            problems = ["is empty"]
        if problems:
            example = "linux/amd64,linux/arm64" if several else "linux/arm64"
            raise ConfigError(f"{problems[0]}; accepted: {ACCEPTED} (e.g. {example})")
        found.extend(items)
    return tuple(found)
