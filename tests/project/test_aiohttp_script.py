"""An aiohttp script that serves itself (``web.run_app`` under its ``__main__`` guard) is the start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

# our own example after the pattern: a factory taking no argument, a health route, the port from the
# environment, and run_app under the guard
RELAY = (
    "import os\n"
    "\n"
    "from aiohttp import web\n"
    "\n"
    "\n"
    "async def ping(request: web.Request) -> web.Response:\n"
    "    return web.Response(text='pong')\n"
    "\n"
    "\n"
    "def build() -> web.Application:\n"
    "    app = web.Application()\n"
    "    app.router.add_get('/ping', ping)\n"
    "    return app\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    port = int(os.environ.get('RELAY_PORT', 8081))\n"
    "    web.run_app(build(), host='0.0.0.0', port=port)\n"
)

# the repository's own image runs the script: before, that made it a worker with no port
OWN = 'FROM python:3.12-slim\nWORKDIR /app\nRUN pip install aiohttp\nCOPY relay.py .\nEXPOSE 8081\nCMD ["python", "relay.py"]\n'


def test_run_app_script_is_a_web_process_on_its_port(make_project: MakeProject) -> None:
    root = make_project({"relay.py": RELAY, "Dockerfile": OWN, "requirements.txt": "aiohttp\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
    assert app.kind.value == "web"
    assert app.framework.value == "aiohttp"
    assert app.command.value == ("python", "relay.py")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("relay.py", 18)
    assert app.port.value == 8081
    assert {e.name: e.value for e in app.env} == {"RELAY_PORT": "8081"}
    assert app.health_path.value == "/ping"


def test_loopback_host_is_reported_and_a_module_level_app_loses_to_the_script(
    make_project: MakeProject,
) -> None:
    main = (
        "from aiohttp.web import run_app\n\nfrom shop.web import app\n\n"
        "if __name__ == '__main__':\n    run_app(app, host='127.0.0.1')\n"
    )
    web = "from aiohttp import web\n\napp = web.Application()\n"
    found: list[str] = []
    root = make_project({"main.py": main, "shop/__init__.py": "", "shop/web.py": web})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}), notes=found)
    assert app.command.value == ("python", "main.py")
    assert app.port.value == 8080
    assert any(n.startswith("main.py:6") and "host='127.0.0.1'" in n for n in found)


def test_a_run_app_inside_an_uncalled_function_is_not_a_start(make_project: MakeProject) -> None:
    helper = "from aiohttp import web\n\n\ndef serve(app: web.Application) -> None:\n    web.run_app(app)\n"
    root = make_project({"helper.py": helper, "tool.py": "if __name__ == '__main__':\n    print('x')\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
    assert app.command.value == ("python", "tool.py")
    assert app.kind.value == "script"


def test_a_port_from_a_settings_object_leaves_the_script_to_the_other_detectors(
    make_project: MakeProject,
) -> None:
    main = (
        "from aiohttp import web\n\nfrom settings import config\n\napp = web.Application()\n\n"
        "if __name__ == '__main__':\n    web.run_app(app, port=int(config.PORT))\n"
    )
    root = make_project({"main.py": main, "settings.py": "config = object()\n"})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
    assert app.command.value[:3] == ("python", "-m", "aiohttp.web")
