"""Package apps whose start module no wheel carries, and asset pipelines that write into the app tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

POETRY = (
    '[tool.poetry]\nname = "shop"\nversion = "1.0"\ndescription = ""\nauthors = []\n'
    '[tool.poetry.dependencies]\npython = "^3.12"\nflask = "*"\nflask-assets = "*"\ngunicorn = "*"\n'
    '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
    # a tool table naming the module does not put it in the wheel
    '[tool.isort]\nsrc_paths = ["shop", "wsgi"]\n'
)
FACTORY = (
    "from flask import Flask\nfrom flask_assets import Environment\n\n"
    "def create_app():\n    app = Flask(__name__)\n    assets = Environment()\n    assets.init_app(app)\n"
    "    return app\n"
)
# the shape of a real repository: package shop/, its factory called from wsgi.py at the root
FILES: dict[str, str | bytes] = {
    "pyproject.toml": POETRY,
    "shop/__init__.py": FACTORY,
    "shop/static/dist/css/.keep": "",
    "wsgi.py": "from shop import create_app\n\napp = create_app()\n",
}


def test_root_wsgi_module_of_a_poetry_package_runs_from_source(make_project: MakeProject) -> None:
    facts = detect_project(make_project(FILES))
    assert facts.app.command.value == ("gunicorn", "--bind", "0.0.0.0:8000", "wsgi:app")
    assert facts.layout.is_package.value is False
    evidence = facts.layout.is_package.evidence[0]
    assert evidence.file == "wsgi.py" and "a wheel would not carry it" in evidence.detail
    assert facts.layout.build_backend.value == "poetry.core.masonry.api"


def test_a_root_module_the_build_names_stays_a_wheel(make_project: MakeProject) -> None:
    named = POETRY.replace(
        "[tool.poetry.dependencies]",
        'packages = [{include = "shop"}, {include = "wsgi.py"}]\n[tool.poetry.dependencies]',
    )
    facts = detect_project(make_project({**FILES, "pyproject.toml": named}))
    assert facts.layout.is_package.value is True


def test_setuptools_py_modules_carry_the_root_module(make_project: MakeProject) -> None:
    setup = "from setuptools import setup\nsetup(name='shop', packages=['shop'], py_modules=['wsgi'])\n"
    files = {k: v for k, v in FILES.items() if k != "pyproject.toml"}
    facts = detect_project(
        make_project({**files, "setup.py": setup, "requirements.txt": "flask\ngunicorn\n"})
    )
    assert facts.layout.is_package.value is True


def test_flask_assets_static_folder_is_writable_with_its_line(make_project: MakeProject) -> None:
    facts = detect_project(make_project(FILES))
    [static] = facts.app.writable
    assert static.value == "shop/static"
    assert (static.evidence[0].file, static.evidence[0].line) == ("shop/__init__.py", 6)
    assert "Flask-Assets" in static.evidence[0].detail


def test_poetry_as_dependency_manager_only_runs_from_source(make_project: MakeProject) -> None:
    # real repositories: a Poetry project named after the repository, its code in app/ and core/
    # (no `packages`): poetry-core would fail with "No file/folder found for package"
    pyproject = (
        '[tool.poetry]\nname = "shop-service"\nversion = "0.2.0"\ndescription = ""\nauthors = []\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "*"\nuvicorn = "*"\n'
        '[build-system]\nrequires = ["poetry-core>=1.0.0"]\nbuild-backend = "poetry.core.masonry.api"\n'
    )
    server = "from fastapi import FastAPI\n\ndef create_app():\n    return FastAPI()\n\napp = create_app()\n"
    files: dict[str, str | bytes] = {
        "pyproject.toml": pyproject,
        "app/__init__.py": "",
        "app/server.py": server,
    }
    facts = detect_project(make_project(files))
    assert facts.app.command.value[:2] == ("uvicorn", "app.server:app")
    assert facts.layout.is_package.value is False
    evidence = facts.layout.is_package.evidence[0]
    assert (evidence.file, evidence.line) == ("pyproject.toml", 2)
    assert "'shop_service'" in evidence.detail
    # with its module present, or named by `packages`, it is a wheel
    assert detect_project(make_project({**files, "shop_service/__init__.py": ""})).layout.is_package.value
    named = pyproject.replace("authors = []\n", 'authors = []\npackages = [{include = "app"}]\n')
    assert detect_project(make_project({**files, "pyproject.toml": named})).layout.is_package.value


def test_a_poetry_package_taken_from_above_the_project_runs_from_source(make_project: MakeProject) -> None:
    """``packages = [{ include = "api", from = ".." }]`` in ``api/pyproject.toml``: the package is the
    project folder itself, which the build context (that folder) cannot show as ``../api``."""
    pyproject = (
        '[tool.poetry]\nname = "ledger"\nversion = "1.0"\ndescription = ""\nauthors = []\n'
        'packages = [\n    { include = "api", from = ".." },\n]\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "*"\nuvicorn = "*"\n'
        '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
    )
    server = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    root = make_project(
        {
            "api/pyproject.toml": pyproject,
            "api/__init__.py": "",
            "api/service/__init__.py": "",
            "api/service/server.py": server,
        }
    )
    facts = detect_project(root / "api")
    assert facts.layout.is_package.value is False
    evidence = facts.layout.is_package.evidence[0]
    assert (evidence.file, evidence.line) == ("pyproject.toml", 7)
    assert "'api' is taken from '..'" in evidence.detail
    # a package inside the project stays a wheel
    inside = pyproject.replace('{ include = "api", from = ".." }', '{ include = "api_core" }')
    other = make_project({"pyproject.toml": inside, "api_core/__init__.py": "", "api_core/server.py": server})
    assert detect_project(other).layout.is_package.value is True


def test_an_own_console_script_start_is_noted_when_the_app_runs_from_source(
    make_project: MakeProject,
) -> None:
    """The project runs from its tree (its package is above it): its console script is never installed,
    so a start that runs it is said to stop at once."""
    pyproject = (
        '[tool.poetry]\nname = "ledger"\nversion = "1.0"\ndescription = ""\nauthors = []\n'
        'packages = [{ include = "api", from = ".." }]\n'
        '[tool.poetry.scripts]\nledger = "api.tool:main"\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nclick = "*"\n'
        '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
    )
    tool = "import click\n\n\n@click.command()\ndef main() -> None:\n    pass\n"
    root = make_project({"api/pyproject.toml": pyproject, "api/__init__.py": "", "api/tool.py": tool})
    facts = detect_project(root / "api")
    assert facts.app.command.value == ("ledger",) and facts.layout.is_package.value is False
    assert any("the start runs the console script ledger (api.tool:main)" in n for n in facts.notes)
