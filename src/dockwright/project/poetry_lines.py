"""Poetry's ``[tool.poetry.dependencies]`` as PEP 508 requirement lines (a module of its own: the
manager reader and the optional-extras reader both need it, and the latter is imported by modules the
former imports)."""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from dockwright.errors import ProjectError


def poetry_requirements(
    pyproject: dict[str, Any], *, optional: bool | None = None, only: frozenset[str] | None = None
) -> list[str]:
    """``[tool.poetry.dependencies]`` as PEP 508 strings (``^``/``~``/bare versions translated);
    ``optional``: only the optional ones (True) or only the others (False); ``only``: these
    canonical names."""
    from dockwright.project.python_version import poetry_to_pep440

    deps = pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {})
    out: list[str] = []
    for name, spec in deps.items():
        if name.lower() == "python":
            continue
        if only is not None and canonicalize_name(name) not in only:
            continue
        is_optional = isinstance(spec, dict) and bool(spec.get("optional"))
        if optional is not None and is_optional != optional:
            continue
        version = spec if isinstance(spec, str) else spec.get("version", "") if isinstance(spec, dict) else ""
        try:
            specs = poetry_to_pep440(version) if version and version != "*" else []
        except ProjectError:
            specs = []
        out.append(f"{name}{specs[0]}" if len(specs) == 1 else name)
    return out
