r"""## What it does
Looks for compilers and build tools (`gcc`, `g++`, `cc`, `clang`, `make`, `cmake`, `ld`, `as`,
`rustc`, `cargo`) in the image's `bin` folders and for toolchain packages (`build-essential`,
`gcc`, `make`, `libc6-dev`, `binutils`, ...) in the dpkg status: FAIL. C headers under
`/usr/include` (beyond Python's) and `-dev` packages: WARN.

## Why is this bad?
A compiler is needed to build wheels, never to run them. In the runtime image it costs hundreds of
megabytes, widens what a scanner reports and what an attacker can build inside the container.
A multi-stage build compiles in a builder stage and copies only the result.

## Example
```Dockerfile
FROM python:3.12-slim
RUN apt-get update && apt-get install -y build-essential libpq-dev
RUN pip install psycopg2
```

## Use instead
```Dockerfile
FROM python:3.12-slim AS builder
RUN apt-get update && apt-get install -y build-essential libpq-dev
RUN pip wheel --wheel-dir /wheels psycopg2

FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
```
"""

from __future__ import annotations

import posixpath
import re

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap, _ev
from dockwright.audit.image import FileEntry, ImageFacts

ID = "toolchain"
TITLE = "Multi-stage, no toolchains in runtime"
GROUP = "checklist"


_TOOLCHAIN = re.compile(
    r"^(?:[a-z0-9_]+-linux-gnu[a-z]*-)?(gcc|g\+\+|cc|c\+\+|cpp|clang|clang\+\+|make|gmake|cmake|ld|ld\.bfd|as|rustc|cargo)"
    r"(?:-\d+(?:\.\d+)*)?$"
)


_BIN_DIRS = ("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin")


_BIN_PREFIXES = tuple(folder + "/" for folder in _BIN_DIRS)


_TOOLCHAIN_PACKAGES = re.compile(
    r"^(build-essential|gcc(-\d+)?|g\+\+(-\d+)?|cpp(-\d+)?|make|clang(-\d+)?|libc6-dev|binutils)$"
)


_DEV_PACKAGE = re.compile(r"^(?!libpython|python3).+-dev$")


def check_toolchain(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Multi-stage: no compilers, make or build-essential in the runtime; -dev headers are a warning."""
    title = "Multi-stage, no toolchains in runtime"
    fail: list[Evidence] = []
    for entry in facts.files.values():
        if not entry.path.startswith(_BIN_PREFIXES):
            continue  # the split below, for every file of the image, cost more than the check
        directory, name = posixpath.split(entry.path)
        if (
            directory in _BIN_DIRS
            and entry.kind in ("file", "symlink", "hardlink")
            and _TOOLCHAIN.match(name)
        ):
            target = facts.resolve(entry.path)
            if target is not None and target.kind in ("file", "hardlink"):
                fail.append(_ev(entry, "compiler/build tool", target.size))
    for package in sorted(facts.packages):
        if _TOOLCHAIN_PACKAGES.match(package):
            fail.append(Evidence("/var/lib/dpkg/status", None, 0, f"package {package} installed"))
    headers: dict[str, list[FileEntry]] = {}
    for entry in facts.regular_files():
        if entry.path.startswith(("usr/include/", "usr/local/include/")) and entry.path.endswith(
            (".h", ".hpp")
        ):
            rest = entry.path.split("include/", 1)[1]
            top = rest.split("/", 1)[0] if "/" in rest else "(top)"
            if top.startswith("python"):
                continue
            headers.setdefault(entry.path.split("include/", 1)[0] + "include/" + top, []).append(entry)
    warn = [
        Evidence("/" + root, files[0].layer, sum(f.size for f in files), f"{len(files)} header files")
        for root, files in headers.items()
    ]
    warn += [
        Evidence("/var/lib/dpkg/status", None, 0, f"package {p} installed")
        for p in sorted(facts.packages)
        if _DEV_PACKAGE.match(p) and not _TOOLCHAIN_PACKAGES.match(p)
    ]
    if fail:
        return CheckResult(
            "toolchain",
            title,
            Status.FAIL,
            f"{len(fail)} toolchain items in the runtime image",
            _cap(fail + warn),
        )
    if warn:
        return CheckResult(
            "toolchain", title, Status.WARN, "development headers or -dev packages in the runtime", _cap(warn)
        )
    return CheckResult("toolchain", title, Status.PASS, "no compiler, make or -dev headers (beyond Python's)")
