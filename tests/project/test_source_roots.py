"""A package whose build configuration puts the import root below ``src/`` (hatch ``sources`` or a wheel
``packages`` path, setuptools/pdm ``package-dir``, Poetry's ``from``): the installed module is named from
that root, so the start imports ``shop.web.asgi``, not ``py.shop.web.asgi`` (project/source_roots.py)."""

from __future__ import annotations

import pytest

from detected_app import DetectFiles
from dockwright.project.detectors.scan import module_name
from dockwright.project.source_roots import source_roots

FACTORY = """from litestar import Litestar


def create_app() -> Litestar:
    return Litestar(route_handlers=[])
"""

BUILD_TABLES = {
    "hatch sources": '[tool.hatch.build]\nsources = ["src/py"]\n',
    "hatch wheel packages": '[tool.hatch.build.targets.wheel]\npackages = ["src/py/shop"]\n',
    "hatch sources mapping": '[tool.hatch.build.targets.wheel.sources]\n"src/py" = ""\n',
    "setuptools package-dir": '[tool.setuptools.package-dir]\n"" = "src/py"\n',
    "pdm package-dir": '[tool.pdm.build]\npackage-dir = "src/py"\n',
    "poetry from": '[tool.poetry]\npackages = [{ include = "shop", from = "src/py" }]\n',
}


def _pyproject(table: str, backend: str = "hatchling.build") -> str:
    return (
        '[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["litestar", "uvicorn"]\n\n'
        f'[build-system]\nrequires = ["hatchling"]\nbuild-backend = "{backend}"\n\n{table}'
    )


@pytest.mark.parametrize("table", list(BUILD_TABLES.values()), ids=list(BUILD_TABLES))
def test_the_start_imports_the_module_from_the_configured_root(detect_files: DetectFiles, table: str) -> None:
    app = detect_files(
        {
            "pyproject.toml": _pyproject(table),
            "src/py/shop/__init__.py": "",
            "src/py/shop/web/__init__.py": "",
            "src/py/shop/web/asgi.py": FACTORY,
            "src/py/tests/test_web.py": "def test_nothing() -> None:\n    pass\n",
        }
    )
    command = " ".join(app.command.value)
    assert "shop.web.asgi:create_app" in command
    assert "py.shop" not in command


def test_a_plain_src_layout_keeps_its_names(detect_files: DetectFiles) -> None:
    app = detect_files(
        {
            "pyproject.toml": _pyproject(""),
            "src/shop/__init__.py": "",
            "src/shop/asgi.py": FACTORY,
        }
    )
    assert "shop.asgi:create_app" in " ".join(app.command.value)


@pytest.mark.parametrize(
    ("rel", "roots", "module"),
    [
        ("src/py/shop/web/asgi.py", ("src/py",), "shop.web.asgi"),
        ("src/py/shop/__init__.py", ("src/py",), "shop"),
        ("src/shop/asgi.py", ("src/py",), "shop.asgi"),  # not under the root: the src/ rule
        ("lib/shop/asgi.py", ("lib",), "shop.asgi"),
        ("tools/run.py", ("lib",), "tools.run"),
    ],
)
def test_module_name_strips_the_longest_root(rel: str, roots: tuple[str, ...], module: str) -> None:
    assert module_name(rel, roots=roots) == module


def test_roots_outside_the_tree_or_the_root_itself_are_not_roots() -> None:
    assert source_roots({"tool": {"hatch": {"build": {"sources": ["../elsewhere", "."]}}}}) == ()
    assert source_roots({"tool": {"setuptools": {"package-dir": {"": "src/py"}}}}) == ("src/py",)
    assert source_roots({"tool": {"setuptools": {"package-dir": {"shop": "lib/shop"}}}}) == ()
    assert source_roots(None) == ()


def test_a_module_whose_relative_imports_need_the_tree_path_keeps_it(detect_files: DetectFiles) -> None:
    # main.py straight in the configured root imports `from .routes`: as the top-level `main` it has no
    # package for that import, so the start imports it by its path in the tree (`api.src.main`)
    app = detect_files(
        {
            "pyproject.toml": _pyproject('[tool.setuptools.package-dir]\n"" = "api/src"\n'),
            "api/__init__.py": "",
            "api/src/main.py": "from .routes import handlers\n" + FACTORY.replace("[]", "handlers"),
            "api/src/routes.py": "handlers: list[object] = []\n",
        }
    )
    command = " ".join(app.command.value)
    assert "api.src.main:create_app" in command


@pytest.mark.parametrize(
    ("rel", "level", "module"),
    [
        ("api/src/main.py", 1, "api.src.main"),  # `from .x` in a top-level module: no package
        ("api/src/pkg/a.py", 1, "pkg.a"),
        ("api/src/pkg/a.py", 2, "api.src.pkg.a"),
        ("api/src/pkg/__init__.py", 1, "pkg"),
        ("api/src/main.py", 0, "main"),
    ],
)
def test_relative_imports_need_a_package_under_the_root(rel: str, level: int, module: str) -> None:
    assert module_name(rel, roots=("api/src",), relative_level=level) == module
