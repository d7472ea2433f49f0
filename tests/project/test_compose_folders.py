"""The root's compose file builds its services from sub-folders (``build: api/``) and the root has no
dependency file: the folder is the app even when a stray ``.py`` file sits at the root (an editor's
template ``main.py``), instead of planning that file with nothing installed (project/workspace.py).
The projects are our own small examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import ProjectError
from dockwright.project.tree import ProjectTree
from dockwright.project.workspace import compose_folders, locate

_APP = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {}\n'


def _repo(tmp_path: Path, compose: str, *, bot: bool = False, root_requirements: bool = False) -> Path:
    root = tmp_path / "repo"
    (root / "api").mkdir(parents=True)
    (root / "main.py").write_text(_APP, encoding="utf-8")  # the stray template at the root
    (root / "api" / "main.py").write_text(_APP, encoding="utf-8")
    (root / "api" / "requirements.txt").write_text("fastapi==0.115.0\nuvicorn==0.30.0\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "requirements.txt").write_text("mkdocs==1.6.0\n", encoding="utf-8")  # the docs site
    (root / "web").mkdir()
    (root / "web" / "package.json").write_text("{}\n", encoding="utf-8")  # a frontend: no Python project
    if bot:
        (root / "bot").mkdir()
        (root / "bot" / "requirements.txt").write_text("aiogram==3.4.1\n", encoding="utf-8")
        (root / "bot" / "bot.py").write_text("import aiogram\n", encoding="utf-8")
    if root_requirements:
        (root / "requirements.txt").write_text("fastapi==0.115.0\n", encoding="utf-8")
    (root / "docker-compose.yml").write_text(compose, encoding="utf-8")
    return root


_ONE = (
    "services:\n  api:\n    build:\n      context: ./api/\n  web:\n    build: web\n  docs:\n    build: ./docs\n"
    "  db:\n    image: postgres:16\n"
)
_TWO = _ONE + "  bot:\n    build: bot\n"


def test_the_folder_compose_builds_is_the_app(tmp_path: Path) -> None:
    root = _repo(tmp_path, _ONE)
    assert compose_folders(ProjectTree(root)) == ("docker-compose.yml", ["api"])
    where = locate(root)
    assert where.app == (root / "api").resolve() and where.context == (root / "api").resolve()
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd[:2] == ("uvicorn", "main:app")
    assert not [w for w in plan.warnings if "no dependency file" in w]


def test_several_folders_are_listed(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"several folders .*\(api/, bot/\); give the app's folder"):
        locate(_repo(tmp_path, _TWO, bot=True))


@pytest.mark.parametrize(
    ("compose", "root_requirements"),
    [
        (_ONE, True),  # the root declares dependencies: it is the project
        (_ONE + "  root:\n    build: .\n", False),  # the root is built too
        ("services:\n  db:\n    image: postgres:16\n", False),  # nothing built from a folder
    ],
)
def test_the_root_stays_the_app_otherwise(tmp_path: Path, compose: str, root_requirements: bool) -> None:
    root = _repo(tmp_path, compose, root_requirements=root_requirements)
    assert locate(root).app == root.resolve()
