"""A served module under ``src/`` that the project does not install runs from the tree as the code
imports it (detectors/base.src_tree_module; rw41: ``src/main.py`` importing ``src.core`` was served as
``main:app`` from /app, and the image exited with ``Could not import module "main"``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

API = "from fastapi import FastAPI\n{imports}\napp = FastAPI()\n"


@pytest.mark.parametrize(
    ("imports", "files", "command"),
    [
        ("from src.core import X", {}, ("uvicorn", "src.main:app")),
        ("from core import X", {}, ("uvicorn", "--app-dir", "src", "main:app")),
        ("", {}, ("uvicorn", "--app-dir", "src", "main:app")),
        # a project that builds its own wheel imports `main` from site-packages
        (
            "",
            {
                "setup.py": "from setuptools import setup\nsetup(name='svc', py_modules=['main'], package_dir={'': 'src'})\n"
            },
            ("uvicorn", "main:app"),
        ),
    ],
    ids=["imports-src", "bare-neighbour", "alone", "installed"],
)
def test_a_src_module_the_project_does_not_install_runs_from_the_tree(
    make_project: MakeProject, imports: str, files: dict[str, str], command: tuple[str, ...]
) -> None:
    root = make_project(
        {"src/main.py": API.format(imports=imports), "src/core/__init__.py": "X = 1\n", **files}
    )
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"fastapi", "uvicorn"}))
    assert app.command.value[: len(command)] == command


def test_console_scripts_without_a_build_system_install_the_project(make_project: MakeProject) -> None:
    """pip builds a ``[project]`` declaring scripts without ``[build-system]`` (setuptools' legacy
    backend): its src/ layout is installed, and a uv project without ``package = true`` is not."""
    pyproject = '[project]\nname = "svc"\nversion = "1"\n[project.scripts]\nrun = "svc.cli:main"\n'
    files: dict[str, str | bytes] = {
        "pyproject.toml": pyproject,
        "src/svc/__init__.py": "",
        "src/svc/app.py": API.format(imports=""),
        "src/svc/cli.py": "def main():\n    pass\n",
    }
    tree = ProjectTree(make_project(files))
    app = detect_app(tree, tree.read_toml("pyproject.toml"), dependencies=frozenset({"fastapi", "uvicorn"}))
    assert app.command.value[:2] == ("uvicorn", "svc.app:app")
    virtual = {**files, "pyproject.toml": pyproject + "[tool.uv]\npackage = false\n"}
    tree = ProjectTree(make_project(virtual))
    app = detect_app(tree, tree.read_toml("pyproject.toml"), dependencies=frozenset({"fastapi", "uvicorn"}))
    assert app.command.value[:4] == ("uvicorn", "--app-dir", "src", "svc.app:app")


def test_a_root_script_importing_the_src_package_gets_the_wheel_as_well(make_project: MakeProject) -> None:
    """rw41 stocknews: ``run_bot.py`` imports the package of ``src/``; the tree was copied, nothing was
    installed, and the bot stopped on ModuleNotFoundError."""
    from dockwright import api

    pyproject = (
        '[project]\nname = "bot"\nversion = "0.1.0"\ndependencies = []\n\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    files: dict[str, str | bytes] = {
        "pyproject.toml": pyproject,
        "src/bot/__init__.py": "import time\n\n\ndef main():\n    while True:\n        time.sleep(1)\n",
        "run_bot.py": "from bot import main\n\nmain()\n",
    }
    plan = api.plan(make_project(files), index_lookup=False)
    assert plan.facts.app.own_imports.value == ("bot",)
    assert plan.facts.app.own_imports.evidence[0].file == "run_bot.py"
    decision = next(d for d in plan.decisions if d.topic == "app-scripts")
    assert decision.choice == "the app's wheel as well (bot)"
    # without a build system nothing installs it: src/ goes on the import path
    plain = make_project(
        {"requirements.txt": "", **{k: v for k, v in files.items() if k != "pyproject.toml"}}
    )
    plan = api.plan(plain, index_lookup=False)
    assert {e.name: e.value for e in plan.app_env}.get("PYTHONPATH") == "/app/src"
