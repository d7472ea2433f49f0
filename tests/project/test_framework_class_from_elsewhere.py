"""A framework's app class that another distribution provides (``ctor_from`` in frameworks.toml) builds
the app, even where the module never imports the framework itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]


def test_fastapi_offline_app_is_served_by_uvicorn(make_project: MakeProject) -> None:
    main = "from fastapi_offline import FastAPIOffline\n\nsite = FastAPIOffline(title='notes')\n"
    root = make_project({"notes/__init__.py": "", "notes/main.py": main})
    app = detect_app(
        ProjectTree(root), None, dependencies=frozenset({"fastapi", "fastapi-offline", "uvicorn"})
    )
    assert app.framework.value == "fastapi"
    assert app.command.value[:2] == ("uvicorn", "notes.main:site")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("notes/main.py", 3)


def test_apiflask_app_and_a_subclass_of_it(make_project: MakeProject) -> None:
    main = (
        "import apiflask\n\n\nclass BoardApp(apiflask.APIFlask):\n    pass\n\n\n"
        "def build():\n    return BoardApp(__name__)\n"
    )
    root = make_project({"board/__init__.py": "", "board/web.py": main})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"apiflask", "flask", "gunicorn"}))
    assert app.framework.value == "flask"
    assert app.command.value[-1] == "board.web:build()"


def test_the_class_name_alone_from_another_package_is_no_app(make_project: MakeProject) -> None:
    main = "from mytools import FastAPIOffline\n\nsite = FastAPIOffline()\n\nprint(site)\n"
    root = make_project({"main.py": main})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset())
    assert app.framework.value is None
