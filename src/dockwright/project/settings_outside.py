"""A Django settings module outside the package the wheel installs, or that names folders outside it.

What it does
    For a project that installs as a wheel, the settings module the image runs (``DJANGO_SETTINGS_MODULE``)
    in a root package that is not the project's own (``settings/main.py`` beside ``myapp/``, where the
    build carries ``myapp/`` only: no build setting names ``settings``) keeps the app in its tree. Else
    the settings module is read for path expressions with a literal part, ``BASE_DIR / "assets"``,
    ``os.path.join(BASE_DIR, "templates")``, ``Path(ROOT, "locale")``, whose first component is a
    folder at the project root that is neither the settings' package nor a package of its own (no
    ``__init__.py``), and is not a folder of that name inside the package. Such a folder is not in the
    wheel, so the app runs from its source tree instead (the layout's ``is_package`` turns False).

Why is this bad?
    ``BASE_DIR = Path(__file__).parent.parent`` is the checkout's root when the app runs from its tree,
    and ``site-packages`` when the wheel is installed: ``STATICFILES_DIRS = [BASE_DIR / "assets"]`` then
    names a folder that does not exist, collectstatic copies no project asset, and a manifest storage
    fails every page on ``Missing staticfiles manifest entry``; templates and catalogs kept at the root
    go missing the same way.

Example
    ``inventory/settings.py``: ``STATICFILES_DIRS = [str(BASE_DIR / "assets")]``, with ``assets/`` beside
    ``inventory/`` and a ``[build-system]`` in pyproject.toml -> the app's tree is copied, not its wheel.

Use instead
    Keep such folders inside the package (and in its package data), or run the app from its tree.
    https://docs.djangoproject.com/en/stable/ref/settings/#staticfiles-dirs
"""

from __future__ import annotations

import ast
import re
from typing import Any

from dockwright.project.ast_names import path_join
from dockwright.project.facts import AppFacts, Evidence
from dockwright.project.root_module import named_by_the_build
from dockwright.project.tree import ProjectTree


def settings_outside_wheel(
    tree: ProjectTree, app: AppFacts, pyproject: dict[str, Any] | None = None
) -> Evidence | None:
    """Evidence that the settings module ``app`` runs is, or names, a root folder the wheel does not
    carry."""
    module = next((e.value for e in app.env if e.name == "DJANGO_SETTINGS_MODULE"), "")
    if not module:
        return None
    path = module.replace(".", "/")
    rel = next((r for r in (f"{path}.py", f"{path}/__init__.py", f"src/{path}.py") if tree.is_file(r)), None)
    if rel is None:
        return None
    package = rel.removeprefix("src/").split("/", 1)[0]
    if "/" in rel and not rel.startswith("src/") and _beside_the_package(tree, pyproject, package):
        return Evidence(
            rel,
            None,
            f"the settings module {module} is in {package}/, beside the package the wheel installs "
            f"(no build setting names it): the app runs from its source tree",
        )
    try:
        parsed = ast.parse(tree.read_text(rel), filename=rel)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(parsed):
        for literal in _path_literals(node):
            folder = literal.strip("/").split("/", 1)[0]
            if (
                folder
                and folder not in (package, "src")
                and tree.is_dir(folder)
                and not tree.is_file(f"{folder}/__init__.py")
                and not tree.is_dir(f"{package}/{folder}")
            ):
                return Evidence(
                    rel,
                    getattr(node, "lineno", None),
                    f"the settings name {folder}/, a folder at the project root outside the package the "
                    f"wheel installs ({ast.unparse(node)[:80]}): the app runs from its source tree",
                )
    return None


def _beside_the_package(tree: ProjectTree, pyproject: dict[str, Any] | None, folder: str) -> bool:
    """``folder`` is a package at the root that is not the project's own (named after the project, as
    hatchling, poetry-core and flit build by default) and that no build table names; a project whose
    packages setuptools finds (``packages.find``, ``find_packages()``) may carry it."""
    name = str(((pyproject or {}).get("project") or {}).get("name") or "")
    name = name or str((((pyproject or {}).get("tool") or {}).get("poetry") or {}).get("name") or "")
    own = re.sub(r"[-.]+", "_", name).lower()
    if not own or folder.lower() == own or not tree.is_dir(own):
        return False  # no package named after the project: the layout is another's to read
    setuptools = (((pyproject or {}).get("tool") or {}).get("setuptools")) or {}
    finds = isinstance(setuptools, dict) and isinstance(setuptools.get("packages"), dict)
    if finds or (tree.is_file("setup.py") and "find_packages" in tree.read_text("setup.py")):
        return False
    return folder not in named_by_the_build(pyproject)


def _path_literals(node: ast.AST) -> list[str]:
    """The literal name a path expression joins to its folder: ``X / "a"``, ``os.path.join(X, "a")``,
    ``Path(X, "a")`` (one that steps up first, ``join(X, "..", "a")``, names no folder of the root)."""
    joined = path_join(node)
    return [joined.name] if joined and not joined.ups else []
