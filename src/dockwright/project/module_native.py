"""System libraries a dependency's module loads only when the project uses that module.

Some distributions need nothing from the OS until one of their modules is imported: Django's GIS
framework (``django.contrib.gis``) finds GEOS and GDAL with ``ctypes.util.find_library`` when its
modules load, and fails with "Could not find the GDAL library" on an image without them, although
``django`` itself is pure Python. The distribution's row in the native table cannot say so (most
Django apps need neither), so ``data/native.toml`` has ``[[module]]`` rows: the module, the
distribution that ships it and the Debian packages its run time needs.

A row applies when the distribution is a dependency and an app file (not tests, docs or examples)
imports the module or one below it, or names it in a string literal (``INSTALLED_APPS`` lists
``"django.contrib.gis"``; a ``DATABASES`` ``ENGINE`` of ``"django.contrib.gis.db.backends.postgis"``
loads it too). Files are read statically; a file that does not mention the module's name is not parsed.
"""

from __future__ import annotations

import ast

from dockwright.errors import ProjectError
from dockwright.project.detectors.base import outside_app
from dockwright.project.facts import Evidence, NativeNeed
from dockwright.project.native import ModuleRow, native_table
from dockwright.project.python_version import debian_suites
from dockwright.project.tree import ProjectTree


def _names_module(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def _first_use(source: str, module: str) -> tuple[int, str] | None:
    """(line, how) of the first import of ``module`` (or a module below it), else of the first string
    that names it; None when the source uses it neither way or cannot be parsed."""
    try:
        parsed = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    imports: list[tuple[int, str]] = []
    strings: list[tuple[int, str]] = []
    for node in ast.walk(parsed):
        if isinstance(node, ast.Import):
            imports += [
                (node.lineno, f"imports {a.name}") for a in node.names if _names_module(a.name, module)
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if _names_module(node.module or "", module):
                imports.append((node.lineno, f"imports from {node.module}"))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _names_module(node.value, module)
        ):
            strings.append((node.lineno, f"names {node.value!r}"))
    found = sorted(imports) or sorted(strings)
    return found[0] if found else None


def _use_of(tree: ProjectTree, row: ModuleRow, packages: tuple[str, ...]) -> Evidence | None:
    for rel in tree.python_files:
        if outside_app(rel):
            continue
        try:
            text = tree.read_text(rel)
        except ProjectError:
            continue
        if row.module not in text:
            continue
        use = _first_use(text, row.module)
        if use is not None:
            line, how = use
            return Evidence(rel, line, f"{how}: {row.module} loads {' '.join(packages)} at run time")
    return None


def module_needs(tree: ProjectTree, dependencies: frozenset[str], debian: str) -> tuple[NativeNeed, ...]:
    """The run-time libraries of the table's modules the project uses, named as ``debian`` names them;
    ``dependencies``: canonical names of the distributions the project installs."""
    suite = debian_suites()[debian]
    needs: list[NativeNeed] = []
    for row in native_table().modules:
        if row.package not in dependencies:
            continue
        packages = tuple(map(suite.apt_name, row.run_apt))
        evidence = _use_of(tree, row, packages)
        if evidence is not None:
            table = Evidence("native table", None, row.source)
            needs.append(NativeNeed(row.module, (), packages, False, row.source, (evidence, table)))
    return tuple(needs)
