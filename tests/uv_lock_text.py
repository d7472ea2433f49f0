"""uv.lock text for tests (tests/conftest.py puts this folder on the path): a registry package's entry,
and the extras of a project that installs one of two builds of a package from two indexes (engine
2.0+cpu or 2.0+gpu, which uv keeps apart with conflict markers)."""

from __future__ import annotations

HASH = "sha256:" + "d" * 64  # the made-up hash of every wheel
PYPI = "https://pypi.org/simple"


def uv_package(name: str, version: str, index: str = PYPI, deps: str = "", extras: str = "") -> str:
    """A ``[[package]]`` entry from ``index`` with one wheel; ``deps``: its dependencies' inline
    tables, ``extras``: its ``[package.optional-dependencies]`` lines."""
    return (
        f'[[package]]\nname = "{name}"\nversion = "{version}"\nsource = {{ registry = "{index}" }}\n'
        f"dependencies = [{deps}]\n"
        f'wheels = [{{ url = "https://x/{name}-{version}-py3-none-any.whl", hash = "{HASH}" }}]\n'
        + (f"\n[package.optional-dependencies]\n{extras}\n" if extras else "")
        + "\n"
    )


def engine_build(name: str, marker: str) -> str:
    """The line of an extra or a group ``name`` that installs engine 2.0+``name`` from its own index."""
    source = f'{{ registry = "https://{name}.test/simple" }}'
    return (
        f'{name} = [{{ name = "engine", version = "2.0+{name}", source = {source}, marker = "{marker}" }}]\n'
    )


def engine_extras(project: str) -> str:
    """``project``'s conflicting extras cpu and gpu (``[package.optional-dependencies]`` lines)."""
    return "".join(engine_build(e, f"extra == 'extra-{len(project)}-{project}-{e}'") for e in ("cpu", "gpu"))


# the packages those extras reach, with the project's own dependency click
ENGINES = (
    uv_package("click", "8.1.7")
    + uv_package("engine", "2.0+cpu", "https://cpu.test/simple")
    + uv_package("engine", "2.0+gpu", "https://gpu.test/simple", deps='{ name = "gpulib" }')
    + uv_package("gpulib", "12.0")
)
