"""A setuptools project whose package list leaves out the package the start imports.

What it does
    Reads the packages a setuptools build puts in the wheel where they are written as literals:
    setup.py's ``packages=[...]`` or ``packages=find_packages(include=[...], exclude=[...])`` (and
    ``find_namespace_packages``), pyproject's ``[tool.setuptools] packages = [...]`` or
    ``[tool.setuptools.packages.find]`` ``include``/``exclude``, setup.cfg's ``[options] packages``
    (a list, or ``find:`` with ``[options.packages.find]``). When the top-level package of the module
    the start serves (``gunicorn django_project.wsgi``, ``python -m svc``) is a folder of the project
    that the list does not take, the wheel would not carry it: the app runs from its source tree.

Why is this bad?
    zinc's setup.py builds ``find_packages(include=['zinc', 'zinc.*'])`` while its start serves
    ``django_project.wsgi``: installed as a wheel, the image stopped at the build's collectstatic with
    ``ModuleNotFoundError: No module named 'django_project'`` (rw41).

Example
    ``packages=find_packages(include=["core", "core.*"])`` with ``proj/wsgi.py`` served.

Use instead
    Nothing to change; the image copies the tree, as the project's own image does.
"""

from __future__ import annotations

import ast
import configparser
import fnmatch
import re
from typing import Any

from dockwright.errors import ProjectError
from dockwright.project.facts import Evidence
from dockwright.project.root_module import served_module
from dockwright.project.setuptools_static import setup_keyword
from dockwright.project.tree import ProjectTree

_FINDERS = ("find_packages", "find_namespace_packages")


def start_outside_packages(
    tree: ProjectTree, pyproject: dict[str, Any] | None, command: tuple[str, ...]
) -> Evidence | None:
    """Evidence that the package list leaves out the start's top-level package (module docstring)."""
    module = served_module(command)
    top = module.split(".", 1)[0]
    if not top or not tree.is_file(f"{top}/__init__.py"):
        return None
    for found in (_pyproject_packages(pyproject), _setup_py_packages(tree), _setup_cfg_packages(tree)):
        if found is None:
            continue
        takes, where, line, shown = found
        if takes(top):
            return None
        return Evidence(
            where,
            line,
            f"{shown} leaves out {top}, the package the start imports ({module}): the wheel would not "
            "carry it, so the app runs from its source tree",
        )
    return None


_Found = tuple[Any, str, int | None, str]


def _matcher(include: list[str] | None, exclude: list[str]) -> Any:
    """Whether ``find_packages(include=..., exclude=...)`` takes a top-level package name."""

    def takes(name: str) -> bool:
        included = include is None or any(fnmatch.fnmatchcase(name, p) for p in include)
        return included and not any(fnmatch.fnmatchcase(name, p) for p in exclude)

    return takes


def _strings(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return [str(e.value) for e in node.elts if isinstance(e, ast.Constant)]
    return None


def _setup_py_packages(tree: ProjectTree) -> _Found | None:
    found = setup_keyword(tree, "packages")
    if found is None:
        return None
    value = found[1]
    shown = f"setup.py's packages={ast.unparse(value)[:80]}"
    listed = _strings(value)
    if listed is not None:
        return (lambda name: name in listed), "setup.py", value.lineno, shown
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        keywords = {kw.arg: kw.value for kw in value.keywords}
        where = keywords.get("where") or (value.args[0] if value.args else None)
        if name not in _FINDERS or (
            where is not None and not (isinstance(where, ast.Constant) and where.value in (".", ""))
        ):
            return None
        include = _strings(keywords["include"]) if "include" in keywords else None
        exclude = _strings(keywords["exclude"]) if "exclude" in keywords else []
        if ("include" in keywords and include is None) or exclude is None:
            return None  # a computed list: only running setup.py tells
        return _matcher(include, exclude), "setup.py", value.lineno, shown
    return None


def _pyproject_packages(pyproject: dict[str, Any] | None) -> _Found | None:
    tool = (pyproject or {}).get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    packages = setuptools.get("packages") if isinstance(setuptools, dict) else None
    if isinstance(packages, list) and all(isinstance(p, str) for p in packages):
        return (lambda name: name in packages), "pyproject.toml", None, "[tool.setuptools] packages"
    find = packages.get("find") if isinstance(packages, dict) else None
    if isinstance(find, dict) and find.get("where", ["."]) in (["."], ".", [""]):
        include, exclude = find.get("include"), find.get("exclude", [])
        if (include is None or isinstance(include, list)) and isinstance(exclude, list):
            shown = "[tool.setuptools.packages.find]"
            return _matcher(include, exclude), "pyproject.toml", None, shown
    return None


def _setup_cfg_packages(tree: ProjectTree) -> _Found | None:
    if not tree.is_file("setup.cfg"):
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(tree.read_text("setup.cfg"), "setup.cfg")
    except (configparser.Error, ProjectError):
        return None
    if not parser.has_option("options", "packages"):
        return None
    raw = parser.get("options", "packages").strip()
    shown = f"setup.cfg's packages = {raw[:60]}"
    if raw == "find:":
        section = "options.packages.find"
        if parser.has_option(section, "where") and parser.get(section, "where").strip() not in (".", ""):
            return None

        def listed(key: str) -> list[str] | None:
            if not parser.has_option(section, key):
                return None
            return [w for w in parser.get(section, key).replace(",", " ").split() if w]

        return _matcher(listed("include"), listed("exclude") or []), "setup.cfg", None, shown
    if raw.startswith(("find_namespace:", "file:", "attr:")):
        return None
    names = [w for w in raw.replace(",", " ").split() if w]
    return (lambda name: name in names), "setup.cfg", None, shown


# what a package folder holds that is no module and no build output: data a setuptools wheel leaves out
# unless MANIFEST.in, setuptools-scm or package-data names it
_NOT_DATA = (
    ".py",
    ".pyc",
    ".pyo",
    ".pyi",
    ".so",
    ".pyd",
    ".c",
    ".h",
    ".pyx",
    ".pxd",
    ".md",
    ".rst",
    "py.typed",
)
_MAX_WALK = 400


def data_outside_wheel(
    tree: ProjectTree, pyproject: dict[str, Any] | None, backend: str | None, command: tuple[str, ...]
) -> Evidence | None:
    """Evidence that a setuptools wheel would leave out data files of the package the start serves
    (``templates/index.html`` beside the app module): setuptools puts a package's non-Python files in
    the wheel only when MANIFEST.in, setuptools-scm (the files git tracks) or ``package-data`` names
    them. The project's own image ran the copied tree, where the app found them: so does this one
    (rw41 quartr: ``TemplateNotFound: index.html`` on every page, the health path 200)."""
    if not backend or not backend.startswith("setuptools") or tree.is_file("MANIFEST.in"):
        return None
    if _names_package_data(tree, pyproject):
        return None
    module = served_module(command)
    top = module.split(".", 1)[0]
    folder = next((f for f in (top, f"src/{top}") if top and tree.is_file(f"{f}/__init__.py")), None)
    if folder is None:
        return None
    found = _data_file(tree, folder)
    if found is None:
        return None
    return Evidence(
        found,
        None,
        f"{found} is data of the package {top}, which the start serves: setuptools leaves it out of the "
        "wheel (no MANIFEST.in, setuptools-scm or package-data names it), so the app runs from its tree",
    )


def _names_package_data(tree: ProjectTree, pyproject: dict[str, Any] | None) -> bool:
    """Whether the project names package data another way: setuptools-scm among the build requirements,
    ``[tool.setuptools] package-data``/``data-files``, setup.py's ``package_data``/``data_files``,
    setup.cfg's ``[options.package_data]``."""
    build = (pyproject or {}).get("build-system")
    requires = build.get("requires") if isinstance(build, dict) else None
    if isinstance(requires, list) and any(re.search(r"setuptools[-_]scm", str(r)) for r in requires):
        return True
    tool = (pyproject or {}).get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    if isinstance(setuptools, dict) and (setuptools.get("package-data") or setuptools.get("data-files")):
        return True
    if isinstance(setuptools, dict) and setuptools.get("include-package-data") is False:
        return False
    named = (
        ("setup.py", r"\b(package_data|data_files|use_scm_version)\s*="),
        ("setup.cfg", r"^\[options\.(package_data|data_files)\]"),
    )
    return any(tree.is_file(rel) and tree.line_of(rel, pattern) for rel, pattern in named)


def _data_file(tree: ProjectTree, folder: str) -> str | None:
    """The first data file under ``folder`` (a package), walking a bounded number of entries."""
    seen = 0
    stack = [folder]
    while stack and seen < _MAX_WALK:
        rel = stack.pop(0)
        for name in tree.listdir(rel):
            seen += 1
            child = f"{rel}/{name}"
            if name.startswith(".") or name == "__pycache__":
                continue
            if tree.is_dir(child):
                stack.append(child)
            elif not name.endswith(_NOT_DATA) and tree.is_file(child):
                return child
    return None
