"""aiohttp served through an ``AppRunner`` and a ``web.TCPSite`` (not ``web.run_app``) is a web
process: a script as itself, a package ``__main__`` as ``python -m pkg``; a Unix socket's site is not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

SERVE = (
    "import asyncio\n"
    "\n"
    "from aiohttp import web\n"
    "\n"
    "\n"
    "async def ping(request):\n"
    "    return web.Response(text='pong')\n"
    "\n"
    "\n"
    "async def serve(port):\n"
    "    app = web.Application()\n"
    "    app.router.add_get('/ping', ping)\n"
    "    runner = web.AppRunner(app)\n"
    "    await runner.setup()\n"
    "    await web.{site}.start()\n"
    "    await asyncio.Event().wait()\n"
    "\n"
    "\n"
    "{run}\n"
)


def _serve(site: str = "TCPSite(runner, '0.0.0.0', port)", run: str = "asyncio.run(serve(8090))") -> str:
    return SERVE.replace("{site}", site).replace("{run}", run)


def test_a_package_main_starting_a_tcp_site_is_the_web_process(make_project: MakeProject) -> None:
    root = make_project({"relay/__init__.py": "", "relay/__main__.py": _serve()})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
    assert app.kind.value == "web" and app.command.value == ("python", "-m", "relay")
    assert app.port.value == 8090  # the literal the module passes serve()'s port parameter
    assert "web.TCPSite" in app.command.evidence[0].detail


def test_a_site_built_in_a_module_the_main_imports_serves_on_aiohttp_default(
    make_project: MakeProject,
) -> None:
    server = (
        "from aiohttp import web\n\n\nclass Server:\n    def __init__(self, config):\n"
        "        self.config = config\n\n    async def start(self):\n"
        "        runner = web.AppRunner(web.Application())\n        await runner.setup()\n"
        "        site = web.TCPSite(runner, self.config['host'], self.config['port'])\n"
        "        await site.start()\n"
    )
    main = "import asyncio\n\nfrom .server import Server\n\nasyncio.run(Server({}).start())\n"
    root = make_project({"relay/__init__.py": "", "relay/server.py": server, "relay/__main__.py": main})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
    assert app.kind.value == "web" and app.command.value == ("python", "-m", "relay")
    assert app.port.value == 8080  # a port from the settings: aiohttp's own default
    assert app.port.evidence[0].file == "relay/server.py"


def test_a_script_starting_a_tcp_site_under_its_guard_runs_as_itself(make_project: MakeProject) -> None:
    guarded = _serve(run="if __name__ == '__main__':\n    asyncio.run(serve(port=8091))")
    root = make_project({"relay.py": guarded})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
    assert app.kind.value == "web" and app.command.value == ("python", "relay.py")
    assert app.port.value == 8091


def test_unix_and_socket_sites_listen_on_no_tcp_port(make_project: MakeProject) -> None:
    for site in ("UnixSite(runner, '/run/relay.sock')", "SockSite(runner, sock)"):
        root = make_project({"relay/__init__.py": "", "relay/__main__.py": _serve(site=site)})
        app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
        assert app.kind.value != "web", site


def test_a_site_no_code_runs_is_not_a_start(make_project: MakeProject) -> None:
    # a helper module whose serve() nothing calls: a library's, not the script's server
    root = make_project({"relay.py": _serve(run="")})
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"aiohttp"}))
    assert app.kind.value != "web"
