"""PasteDeploy (Pyramid) apps started from their production .ini, and a requirements/ folder layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.managers import find_candidates, requirements_files
from dockwright.project.tree import ProjectTree
from dockwright.project.workspace import locate

MakeProject = Callable[[dict[str, str | bytes]], Path]

PIPELINE_INI = (
    "[pipeline:main]\npipeline:\n  prefix\n  shop\n\n[app:shop]\nuse = call:shop.app:make_wsgi\n\n"
    "[filter:prefix]\nuse = egg:PasteDeploy#prefix\n"
)
SERVER_INI = "[app:main]\nuse = egg:shop\n\n[server:main]\nuse = egg:waitress#main\nlisten = localhost:6544\n"
DEV_INI = "[app:main]\nuse = egg:shop\n\n[server:main]\nuse = egg:waitress#main\nlisten = *:6543\n"
APP = "from pyramid.config import Configurator\n\ndef make_wsgi(_=None, **settings):\n    return Configurator().make_wsgi_app()\n"


def app_of(root: Path, deps: tuple[str, ...], notes: list[str] | None = None) -> AppFacts:
    return detect_app(ProjectTree(root), None, dependencies=frozenset(deps), notes=notes)


def test_pipeline_ini_under_conf_is_served_by_gunicorn_paste(make_project: MakeProject) -> None:
    root = make_project({"conf/production.ini": PIPELINE_INI, "shop/__init__.py": "", "shop/app.py": APP})
    app = app_of(root, ("pyramid", "gunicorn"))
    assert app.command.value == ("gunicorn", "--paste", "conf/production.ini", "--bind", "0.0.0.0:8000")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("conf/production.ini", 1)
    assert app.port.value == 8000


def test_pserve_with_the_server_section_and_its_loopback_reported(make_project: MakeProject) -> None:
    notes: list[str] = []
    root = make_project({"production.ini": SERVER_INI, "development.ini": DEV_INI, "shop/__init__.py": APP})
    app = app_of(root, ("pyramid", "waitress"), notes)
    assert app.command.value == ("pserve", "production.ini"), "development.ini is never the production start"
    assert app.port.value == 6544
    assert (app.port.evidence[0].file, app.port.evidence[0].line) == ("production.ini", 6)
    assert any("listens on localhost" in n for n in notes)


def test_requirements_folder_is_the_root_projects_dependencies(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements/requirements.in": "pyramid\n",
            "requirements/requirements.txt": "pyramid==2.0.2\n",
            "requirements/dev.txt": "pytest==8.0.0\n",
            "conf/production.ini": PIPELINE_INI,
            "shop/__init__.py": "",
            "shop/app.py": APP,
        }
    )
    tree = ProjectTree(root)
    assert requirements_files(tree) == ["requirements/requirements.txt"]
    assert [c.manager for c in find_candidates(tree, None)] == ["pip-tools", "requirements"]
    assert locate(root).app == root.resolve(), "requirements/ is the root's dependency folder, not an app"
