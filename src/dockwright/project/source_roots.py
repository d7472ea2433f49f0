"""Import roots below the project root that a package's build configuration names.

A wheel carries a package at its root whatever folder holds it in the tree: hatch's ``sources =
["src/py"]`` (or ``{"src/py" = ""}``) drops that prefix, a wheel target's ``packages =
["src/py/app"]`` ships ``app/`` ("the last path component ... at the root of the wheel"), setuptools'
``package-dir = {"" = "src/py"}``, PDM's ``package-dir = "src/py"`` and Poetry's ``packages = [{include
= "app", from = "src/py"}]`` do the same. The module a start imports is named from that root
(``app.server.asgi``, not ``py.app.server.asgi``). ``src/`` itself is the layout folder
:func:`dockwright.project.detectors.scan.module_name` always knows.

Sources: https://hatch.pypa.io/latest/config/build/#rewriting-paths (sources),
https://hatch.pypa.io/latest/plugins/builder/wheel/#options (packages),
https://setuptools.pypa.io/en/latest/userguide/package_discovery.html (package-dir),
https://backend.pdm-project.org/build_config/ (package-dir),
https://python-poetry.org/docs/pyproject/#packages (from).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dockwright.project.tree import ProjectTree


def _table(data: object, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _hatch_sources(value: object) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, dict):  # a prefix rewritten to nothing is an import root
        return [k for k, v in value.items() if isinstance(k, str) and v in ("", "/")]
    return []


def source_roots(pyproject: dict[str, Any] | None) -> tuple[str, ...]:
    """The folders (project-relative, longest first) whose content the wheel carries at its root."""
    tool = _table(pyproject, "tool") or {}
    found: list[str] = []
    hatch = _table(tool, "hatch", "build")
    wheel = _table(hatch, "targets", "wheel")
    found += _hatch_sources(_table(hatch, "sources"))
    found += _hatch_sources(_table(wheel, "sources"))
    packages = _table(wheel, "packages")
    found += [posixpath.dirname(p.rstrip("/")) for p in packages or () if isinstance(p, str)]
    package_dir = _table(tool, "setuptools", "package-dir")
    if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
        found.append(package_dir[""])
    pdm = _table(tool, "pdm", "build", "package-dir")
    if isinstance(pdm, str):
        found.append(pdm)
    for entry in _table(tool, "poetry", "packages") or ():
        if isinstance(entry, dict) and isinstance(entry.get("from"), str):
            found.append(entry["from"])
    roots: list[str] = []
    for root in found:
        norm = posixpath.normpath(root.strip("/")) if root.strip("/") else "."
        if norm not in (".", "src") and not norm.startswith("..") and norm not in roots:
            roots.append(norm)
    return tuple(sorted(roots, key=len, reverse=True))


def module_path(tree: ProjectTree, module: str) -> str | None:
    """The tree's file of ``module`` (``pkg/mod.py``, ``pkg/mod/__init__.py``, under ``src/`` too)."""
    path = module.replace(".", "/")
    for base in ("", "src/"):
        for rel in (f"{base}{path}.py", f"{base}{path}/__init__.py"):
            if tree.is_file(rel):
                return rel
    return None
