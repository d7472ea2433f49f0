"""Hatch build hooks, read from pyproject.toml (``[tool.hatch.build]``) or hatch.toml (``[build]``).

Hatchling's ``get_requires_for_build_wheel`` adds to ``[build-system].requires`` what the wheel's
build hooks declare: each enabled hook's ``dependencies``, and the project's own dependencies (and
extras) when a hook or the wheel target sets ``require-runtime-dependencies`` (``-features``). A
frontend with build isolation installs them; the builder's ``--no-build-isolation`` build does not,
so they are locked with the backend (https://hatch.pypa.io/latest/config/build/#build-hooks,
https://hatch.pypa.io/latest/plugins/build-hook/reference/).

A custom hook (``hatch_build.py``, or the hook's ``path``) that compiles gettext catalogs runs in
that build, so the wheel carries the ``.mo`` files and the planner plans no step of its own. A hook
(or a setuptools ``setup.py``) that runs npm, Yarn, pnpm or node builds a frontend inside the wheel
build: the stage that builds the wheel needs Node, which a Python image lacks ("npm is missing").

Nothing is executed: the TOML is read, and the hook's source is searched with a pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree

# Babel's distutils command (`compile_catalog`, or a helper named after it), the pybabel CLI, GNU msgfmt,
# Babel's own API (`babel.messages.mofile.write_mo`, https://babel.pocoo.org/en/latest/api/messages/mofile.html).
_COMPILES_CATALOGS = re.compile(r"compile_catalog|pybabel\W+compile|\bmsgfmt\b|\bwrite_mo\(")
# A Node program named as a word of a command or looked up on the PATH: `["npm", "run", "build"]`,
# `shutil.which("yarn")`, `"npm ci"`, `"node build.js"`; never a word of other text (`"node based"`,
# "a node" in a sentence: the program must stand alone in its string, or lead a command of its own).
_RUNS_NODE = re.compile(
    r"""["'](?:npm|npx|yarn|pnpm|node)["']"""
    r"""|["'](?:npm|npx|yarn|pnpm)\s+(?:ci|install|i|run|exec|build|run-script)\b"""
    r"""|["']node\s+[\w./-]+\.[cm]?[jt]s\b"""
)
_SETUP_PY_COMPILES = re.compile(r"run_command\(\s*['\"]compile_catalog['\"]")


@dataclass(frozen=True)
class BuildHooks:
    """What the wheel build's hooks add: ``requires`` (PEP 508 strings), each with its evidence, and the
    file of a hook that compiles message catalogs (with the line), if one does."""

    requires: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    compiles_catalogs: Evidence | None = None
    runs_node: Evidence | None = None


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _config(tree: ProjectTree, pyproject: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """hatch.toml's ``[build]`` wins over pyproject's ``[tool.hatch.build]`` (hatch's own precedence)."""
    if tree.is_file("hatch.toml"):
        build = _table(tree.read_toml("hatch.toml").get("build"))
        if build:
            return "hatch.toml", build
    return "pyproject.toml", _table(_table(_table(pyproject.get("tool")).get("hatch")).get("build"))


def _runtime_requires(pyproject: dict[str, Any], table: dict[str, Any]) -> list[str]:
    project = _table(pyproject.get("project"))
    out: list[str] = []
    if table.get("require-runtime-dependencies") is True:
        out += _strings(project.get("dependencies"))
    optional = _table(project.get("optional-dependencies"))
    for feature in _strings(table.get("require-runtime-features")):
        out += _strings(optional.get(feature))
    return out


def read_build_hooks(tree: ProjectTree, pyproject: dict[str, Any], backend: str | None) -> BuildHooks:
    """The wheel build's hook requirements and catalog compilation, for a hatchling project; else none
    from hatch (a setuptools ``setup.py`` whose build runs ``compile_catalog`` is still seen)."""
    if not backend or not backend.startswith("hatchling"):
        return _setuptools(tree) if backend and backend.startswith("setuptools") else BuildHooks()
    source, build = _config(tree, pyproject)
    prefix = "tool.hatch.build" if source == "pyproject.toml" else "build"
    wheel = _table(_table(build.get("targets")).get("wheel"))
    requires: list[str] = []
    evidence: list[Evidence] = []
    extra = _strings(wheel.get("dependencies")) + _runtime_requires(pyproject, wheel)
    if extra:
        requires += extra
        evidence.append(Evidence(source, None, f"[{prefix}.targets.wheel] build dependencies"))
    compiles: Evidence | None = None
    node: Evidence | None = None
    hooks = {
        **{(f"{prefix}.hooks.{k}", k): _table(v) for k, v in _table(build.get("hooks")).items()},
        **{
            (f"{prefix}.targets.wheel.hooks.{k}", k): _table(v) for k, v in _table(wheel.get("hooks")).items()
        },
    }
    for (where, name), hook in hooks.items():
        if hook.get("enable-by-default") is False:
            continue  # runs only when HATCH_BUILD_HOOKS_ENABLE or `hatch build --hooks-only` asks
        deps = _strings(hook.get("dependencies")) + _runtime_requires(pyproject, hook)
        if deps:
            requires += deps
            line = tree.line_of(source, rf"^\[{re.escape(where)}\]")
            evidence.append(Evidence(source, line, f"[{where}] dependencies: {', '.join(deps)}"))
        if name == "custom":
            path = str(hook.get("path") or "hatch_build.py")
            compiles = compiles or _first(tree, path, _COMPILES_CATALOGS, _CATALOGS_WHY)
            node = node or _first(tree, path, _RUNS_NODE, _NODE_WHY)
    return BuildHooks(tuple(dict.fromkeys(requires)), tuple(evidence), compiles, node)


_CATALOGS_WHY = "the wheel build's hook compiles the message catalogs"
_NODE_WHY = "the wheel build's hook runs a Node program (a frontend built into the package)"


def _first(tree: ProjectTree, path: str, pattern: re.Pattern[str], why: str) -> Evidence | None:
    """The first line of ``path`` (outside comments) that ``pattern`` finds, as evidence."""
    if not tree.is_file(path):
        return None
    for number, line in tree.numbered_lines(path):
        if pattern.search(line) and not line.lstrip().startswith("#"):
            return Evidence(path, number, why)
    return None


def _setuptools(tree: ProjectTree) -> BuildHooks:
    if not tree.is_file("setup.py"):
        return BuildHooks()
    compiles = next(
        (
            Evidence("setup.py", number, "the wheel build runs compile_catalog")
            for number, line in tree.numbered_lines("setup.py")
            if _SETUP_PY_COMPILES.search(line)
        ),
        None,
    )
    node = _first(
        tree,
        "setup.py",
        _RUNS_NODE,
        "the wheel build runs a Node program (a frontend built into the package)",
    )
    return BuildHooks(compiles_catalogs=compiles, runs_node=node)
