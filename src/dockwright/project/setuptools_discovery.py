"""setuptools' automatic discovery refusing a flat layout: the project cannot be built as a wheel.

A ``[project]`` table with the setuptools backend and no ``packages``/``py-modules`` (nor
``package-dir``, ``ext-modules``, in ``[tool.setuptools]``, setup.cfg's ``[options]`` or setup.py's
``setup(...)``) is discovered automatically: a ``setup()`` shim or a setup.cfg of tool settings
(``[flake8]``) changes nothing. With no ``src/`` folder that is the flat layout, where setuptools
refuses to build when the root holds more than one top-level package (any folder named like an
identifier, ``__init__.py`` or not: ``app/``, ``static/``, ``templates/``), or no package and more
than one module, outside its own list of names it leaves out (``tests``, ``docs``, ``scripts``, ...):
``pip wheel .`` fails with "Multiple top-level packages discovered in a flat-layout"
(https://setuptools.pypa.io/en/latest/userguide/package_discovery.html#flat-layout). Such a
project uses pyproject.toml for its metadata and tools, and runs from its tree.

The folders the image's build context leaves out (virtualenvs, ``node_modules``) are not counted.
"""

from __future__ import annotations

import ast
import configparser
import fnmatch
from typing import Any

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.setuptools_static import setup_call
from dockwright.project.tree import ProjectTree

# setuptools.discovery.FlatLayoutPackageFinder / FlatLayoutModuleFinder.DEFAULT_EXCLUDE (top-level names)
_PACKAGE_EXCLUDE = (
    *("ci", "bin", "doc", "docs", "documentation", "manpages", "news", "newsfragments", "changelog"),
    *("test", "tests", "unit_test", "unit_tests", "example", "examples", "scripts", "tools", "util"),
    *("utils", "python", "build", "dist", "venv", "env", "requirements", "tasks", "fabfile"),
    *("site_scons", "benchmark", "benchmarks", "exercise", "exercises", "[._]*"),
)
_MODULE_EXCLUDE = (
    *("setup", "conftest", "test", "tests", "example", "examples", "build", "toxfile", "noxfile"),
    *("pavement", "dodo", "tasks", "fabfile", "[Ss][Cc]onstruct", "conanfile", "manage", "benchmark"),
    *("benchmarks", "exercise", "exercises", "[._]*"),
)
# what the generated .dockerignore leaves out of the context the wheel is built from
_NOT_IN_CONTEXT = frozenset({"node_modules", "htmlcov"})
_EXPLICIT = ("packages", "py-modules", "package-dir", "ext-modules")


def _excluded(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def flat_layout_refused(
    tree: ProjectTree, pyproject: dict[str, Any] | None, backend: str | None
) -> Evidence | None:
    """Evidence that ``pip wheel .`` fails in setuptools' flat-layout discovery, naming what it finds."""
    if not backend or not backend.startswith("setuptools") or not pyproject or "project" not in pyproject:
        return None
    if _setup_py_lists(tree) or _setup_cfg_lists(tree) or tree.is_dir("src"):
        return None  # setup.py/setup.cfg list packages (or may); src/ is the src layout (no refusal)
    tool = pyproject.get("tool", {})
    setuptools = tool.get("setuptools", {}) if isinstance(tool, dict) else {}
    if isinstance(setuptools, dict) and any(key in setuptools for key in _EXPLICIT):
        return None
    skip = set(tree.venv_dirs) | _NOT_IN_CONTEXT
    packages = sorted(
        name
        for name in tree.top_dirs()
        if name.isidentifier() and name not in skip and not _excluded(name, _PACKAGE_EXCLUDE)
    )
    if packages:
        return _refusal(tree, "packages", packages) if len(packages) > 1 else None
    modules = sorted(
        name[:-3]
        for name in tree.top_files()
        if name.endswith(".py") and name[:-3].isidentifier() and not _excluded(name[:-3], _MODULE_EXCLUDE)
    )
    return _refusal(tree, "modules", modules) if len(modules) > 1 else None


def _setup_py_lists(tree: ProjectTree) -> bool:
    """Whether setup.py may name what to build: a ``setup(...)`` call with a positional argument, a
    ``**`` expansion or one of the explicit keywords; or a setup.py this cannot read. A shim calling
    ``setup()`` bare leaves discovery to setuptools."""
    if not tree.is_file("setup.py"):
        return False
    try:
        module = ast.parse(tree.read_text("setup.py"))
    except (ProjectError, SyntaxError, ValueError, RecursionError):
        return True
    call = setup_call(module)
    explicit = {key.replace("-", "_") for key in _EXPLICIT}
    return call is None or bool(call.args) or any(k.arg is None or k.arg in explicit for k in call.keywords)


def _setup_cfg_lists(tree: ProjectTree) -> bool:
    """Whether setup.cfg's ``[options]`` names what to build (``packages``, ``py_modules``,
    ``package_dir``, ``ext_modules``), or setup.cfg cannot be read; tool settings (``[flake8]``) do not."""
    if not tree.is_file("setup.cfg"):
        return False
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(tree.read_text("setup.cfg"))
    except (ProjectError, configparser.Error):
        return True
    if not parser.has_section("options"):
        return False
    return any(
        key.replace("-", "_") in {"packages", "py_modules", "package_dir", "ext_modules"}
        for key in parser.options("options")
    )


def _refusal(tree: ProjectTree, kind: str, names: list[str]) -> Evidence:
    return Evidence(
        "pyproject.toml",
        tree.line_of("pyproject.toml", r"^build-backend\s*="),
        f"setuptools' automatic discovery finds several top-level {kind} in a flat layout "
        f"({', '.join(names)}) and refuses to build a wheel: the tree runs as the app",
    )
