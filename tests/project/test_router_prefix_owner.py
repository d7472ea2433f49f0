"""A router mounted by its module's name (``include_router(items.router, prefix=...)``) lends its prefix
to that module's routes only: the probe of a sibling module's ``router`` keeps its own path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

MAIN = (
    "from fastapi import FastAPI\n\nfrom shop.api import health, items\n\n"
    "def build() -> FastAPI:\n    api = FastAPI()\n    api.include_router(health.router)\n"
    "    api.include_router(items.router, prefix='/items')\n    return api\n\napp = build()\n"
)
HEALTH = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/healthz')\ndef ok():\n    return 'ok'\n"
ITEMS = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/{item_id}')\ndef one(item_id: int):\n    return item_id\n"


def _health(files: dict[str, str | bytes], make_project: MakeProject) -> str | None:
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"fastapi", "uvicorn"}))
    return app.health_path.value


def test_a_prefix_mounted_with_its_module_stays_with_that_module(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "shop/__init__.py": "",
        "shop/main.py": MAIN,
        "shop/api/__init__.py": "",
        "shop/api/health.py": HEALTH,
        "shop/api/items.py": ITEMS,
    }
    assert _health(files, make_project) == "/healthz"


def test_the_module_s_own_router_gets_the_prefix(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "shop/__init__.py": "",
        "shop/main.py": MAIN.replace(
            "include_router(health.router)", "include_router(health.router, prefix='/ops')"
        ),
        "shop/api/__init__.py": "",
        "shop/api/health.py": HEALTH,
        "shop/api/items.py": ITEMS,
    }
    assert _health(files, make_project) == "/ops/healthz"


def test_a_router_imported_by_name_keeps_its_prefix(make_project: MakeProject) -> None:
    main = (
        "from fastapi import FastAPI\n\nfrom shop.health import router\n\n"
        "app = FastAPI()\napp.include_router(router, prefix='/api')\n"
    )
    files: dict[str, str | bytes] = {"shop/__init__.py": "", "shop/main.py": main, "shop/health.py": HEALTH}
    assert _health(files, make_project) == "/api/healthz"


def test_a_router_imported_under_another_name_keeps_its_prefix(make_project: MakeProject) -> None:
    main = (
        "from fastapi import FastAPI\n\nfrom shop.probes import router as probes_router\n"
        "from shop.items import router as items_router\n\n"
        "app = FastAPI()\napp.include_router(probes_router, prefix='/livez')\n"
        "app.include_router(items_router, prefix='/items')\n"
    )
    root_route = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/')\ndef ok():\n    return 'ok'\n"
    files: dict[str, str | bytes] = {
        "shop/__init__.py": "",
        "shop/main.py": main,
        "shop/probes.py": root_route,
        "shop/items.py": ITEMS,
    }
    assert _health(files, make_project) == "/livez/"


def test_a_router_inside_a_mounted_sub_application_carries_the_mount_path(make_project: MakeProject) -> None:
    main = (
        "from fastapi import APIRouter, FastAPI\n\nstatus = APIRouter(prefix='/healthcheck')\n\n\n"
        "@status.get('')\ndef alive():\n    return {'ok': True}\n\n\n"
        "def create_app() -> FastAPI:\n    inner = FastAPI()\n    inner.include_router(status)\n"
        "    outer = FastAPI()\n    outer.mount('/api/v1', inner)\n    outer.mount('/static', object())\n"
        "    return outer\n"
    )
    assert _health({"main.py": main}, make_project) == "/api/v1/healthcheck"


def test_sub_applications_mounted_at_computed_paths_leave_a_tcp_probe(make_project: MakeProject) -> None:
    main = (
        "from fastapi import APIRouter, FastAPI\n\nstatus = APIRouter(prefix='/healthcheck')\n\n\n"
        "@status.get('')\ndef alive():\n    return {'ok': True}\n\n\n"
        "def create_app(*subs) -> FastAPI:\n    inner = FastAPI()\n    inner.include_router(status)\n"
        "    outer = FastAPI()\n    for sub in subs:\n        outer.mount(*sub)\n    return outer\n"
    )
    assert _health({"main.py": main}, make_project) is None


def test_a_blueprint_whose_routes_live_in_a_views_module_lends_them_its_prefix(
    make_project: MakeProject,
) -> None:
    # the package makes the blueprint and imports its views module, which takes it with `from . import bp`
    files: dict[str, str | bytes] = {
        "site_app/__init__.py": (
            "from flask import Flask\n\nfrom .status import bp as status_bp\n\n"
            "def make_app():\n    app = Flask(__name__)\n"
            "    app.register_blueprint(status_bp, url_prefix='/status')\n    return app\n"
        ),
        "site_app/status/__init__.py": (
            "from flask import Blueprint\n\nbp = Blueprint('status', __name__)\n\nfrom . import views  # noqa\n"
        ),
        "site_app/status/views.py": "from . import bp\n\n@bp.route('/healthz')\ndef healthz():\n    return 'ok'\n",
        "wsgi.py": "from site_app import make_app\n\napp = make_app()\n",
    }
    app = detect_app(ProjectTree(make_project(files)), None, dependencies=frozenset({"flask", "gunicorn"}))
    assert app.health_path.value == "/status/healthz"
