"""uv.lock text for tests (tests/conftest.py puts this folder on the path): a registry package's entry,
and the extras of a project that installs one of two builds of a package from two indexes (engine
2.0+cpu or 2.0+gpu, which uv keeps apart with conflict markers)."""

from __future__ import annotations

HASH = "sha256:" + "d" * 64  # the made-up hash of every wheel
PYPI = "https://pypi.org/simple"
REGISTRY = f'registry = "{PYPI}"'  # the source of a package from PyPI


def uv_entry(
    name: str,
    version: str,
    source: str,
    *,
    deps: str | None = None,
    sdist: str = "",
    wheels: tuple[tuple[str, str], ...] = (),
    extras: str = "",
) -> str:
    """A ``[[package]]`` entry: ``source`` is the body of its source table (:data:`REGISTRY`,
    ``url = "..."``, ``git = "..."``), ``deps`` its dependencies' inline tables, ``sdist`` the body of
    its sdist table, ``wheels`` (url, hash) of each wheel, ``extras`` its
    ``[package.optional-dependencies]`` lines."""
    lines = ["[[package]]", f'name = "{name}"', f'version = "{version}"', f"source = {{ {source} }}"]
    lines += [f"dependencies = [{deps}]"] if deps is not None else []
    lines += [f"sdist = {{ {sdist} }}"] if sdist else []
    if wheels:
        lines.append(
            "wheels = [" + ", ".join(f'{{ url = "{url}", hash = "{h}" }}' for url, h in wheels) + "]"
        )
    lines += ["", "[package.optional-dependencies]", extras] if extras else []
    return "\n".join(lines) + "\n\n"


def uv_package(name: str, version: str, index: str = PYPI, deps: str = "", extras: str = "") -> str:
    """A package from ``index`` with one wheel (see :func:`uv_entry`)."""
    wheel = (f"https://x/{name}-{version}-py3-none-any.whl", HASH)
    return uv_entry(name, version, f'registry = "{index}"', deps=deps, wheels=(wheel,), extras=extras)


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
