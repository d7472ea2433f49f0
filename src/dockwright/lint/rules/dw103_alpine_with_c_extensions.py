"""## What it does
Flags an Alpine base image when the project (or a `pip install` in the Dockerfile) depends on
packages with C extensions, unless the project's lock (uv.lock, poetry.lock, pdm.lock) lists a
musllinux wheel of that package for the image's Python. Without project files, an Alpine stage
that installs compilers (`build-base`, `gcc`, `musl-dev`) and runs a Python install is the
evidence that C extensions are being compiled.

## Why is this bad?
Alpine uses musl, not glibc: manylinux wheels do not install, so packages such as numpy,
psycopg2 or cryptography compile from source (slow builds, a toolchain in the image) or behave
subtly differently. The guides: use Alpine only for pure-Python apps.

## Example
```Dockerfile
FROM python:3.12-alpine
RUN pip install --no-cache-dir numpy==2.1.3
```

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm
RUN pip install --no-cache-dir numpy==2.1.3
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from dockwright.dockerfile.syntax import Stage
from dockwright.lint.commands import Call, installed_packages, installs_dependencies, is_pip_install
from dockwright.lint.context import LintContext
from dockwright.lint.project import canonicalize_name
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.lint.toolchain import COMPILERS, toolchain_packages
from dockwright.toml_reader import tomllib


def _installs_project(call: Call) -> bool:
    """Does the call install the project's dependencies (a requirements file, a lock, the project
    itself), rather than a few named packages (`pip install gunicorn==23.0.0`)?"""
    if not is_pip_install(call):
        return installs_dependencies(call)
    if call.has("-r", "--requirement", "--requirements"):
        return True
    return any(p in (".", "./") or p.endswith(".toml") for p in call.positionals())


_INSTALLS = frozenset({("uv", "sync"), ("poetry", "install"), ("pipenv", "install"), ("pdm", "install")})


@lru_cache(maxsize=1)
def c_extension_packages() -> frozenset[str]:
    text = resources.files("dockwright.lint").joinpath("data/c_extensions.toml").read_text()
    return frozenset(canonicalize_name(n) for n in tomllib.loads(text)["packages"])


def _python_xy(image: str) -> str | None:
    """``3.11`` from ``python:3.11.15-alpine3.22``; None when the tag names no version."""
    match = re.search(r"python:(\d+)\.(\d+)", image)
    return f"{match.group(1)}.{match.group(2)}" if match else None


class AlpineWithCExtensions(Rule):
    code = "DW103"
    name = "alpine-with-c-extensions"
    severity = Severity.WARNING
    summary = "Alpine (musl) base with dependencies that need C extensions"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            if "alpine" not in stage.base_image.lower():
                continue
            if not ctx.runs_python(stage):
                continue
            installs = any(_installs_project(c) for _, found in ctx.runs(stage) for c in found)
            # the project's dependencies matter where they are installed, not in every Alpine stage
            needed = set(ctx.project.names) if ctx.project and installs else set()
            for _, calls in ctx.runs(stage):
                for call in calls:
                    if is_pip_install(call):
                        for word in call.positionals(frozenset({"-r", "-c", "-i", "--index-url"})):
                            match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", word)
                            if match:
                                needed.add(canonicalize_name(match.group(0)))
            python_xy = _python_xy(stage.base_image)
            native = sorted(
                name
                for name in needed & c_extension_packages()
                if not (ctx.project and ctx.project.has_musl_wheel(name, python_xy))
            )
            compilers = self._compiles(ctx, stage)
            if native:
                message = (
                    f"Alpine (musl) base, but {', '.join(native)} need C extensions; use a Debian slim image"
                )
                yield self.finding(ctx, ctx.line_span(stage.from_instruction), message)
            elif compilers:
                message = (
                    f"Alpine (musl) stage installs {', '.join(compilers)} to compile pip packages: "
                    "musl lacks wheels, so they build from source; use a Debian slim image"
                )
                yield self.finding(ctx, ctx.line_span(stage.from_instruction), message)

    @staticmethod
    def _compiles(ctx: LintContext, stage: Stage) -> list[str]:
        """Compilers installed in an Alpine stage that also pip-installs: the evidence of C builds."""
        calls = [call for _, found in ctx.runs(stage) for call in found]
        if not any(is_pip_install(c) or (c.tool, c.subcommand) in _INSTALLS for c in calls):
            return []
        return sorted(
            {p for p in toolchain_packages(installed_packages(calls)) if p in COMPILERS or p == "musl-dev"}
        )
