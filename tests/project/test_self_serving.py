"""Self-serving scripts (Tornado, gRPC) and entry scripts whose bind address defaults to loopback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.facts import AppFacts
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

TORNADO_OPTIONS = (
    "import tornado.ioloop\nimport tornado.web\nfrom tornado.options import define, options, parse_command_line\n\n"
    "define('port', default=8123, help='port')\n\n"
    "class Hello(tornado.web.RequestHandler):\n    def get(self):\n        self.write('hi')\n\n"
    "def main():\n    parse_command_line()\n    app = tornado.web.Application([(r'/', Hello)])\n"
    "    app.listen(options.port)\n    tornado.ioloop.IOLoop.current().start()\n\n"
    "if __name__ == '__main__':\n    main()\n"
)
TORNADO_LITERAL = (
    "import asyncio\nimport tornado.web\n\n"
    "async def main():\n    tornado.web.Application([]).listen(8890, address='127.0.0.1')\n"
    "    await asyncio.Event().wait()\n\nif __name__ == '__main__':\n    asyncio.run(main())\n"
)
GRPC_SERVER = (
    "import os\nfrom concurrent import futures\nimport grpc\n\n"
    "def serve():\n    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))\n"
    "    port = os.environ.get('PORT', '7070')\n    server.add_insecure_port('[::]:' + port)\n"
    "    server.start()\n    server.wait_for_termination()\n\n"
    "if __name__ == '__main__':\n    serve()\n"
)
GRPC_CLIENT = (
    "import grpc\n\nif __name__ == '__main__':\n"
    "    with grpc.insecure_channel('localhost:7070') as channel:\n        print(channel)\n"
)
GRPC_AIO_FSTRING = (
    "import asyncio\nfrom grpc import aio\n\nPORT = 50071\n\n"
    "async def serve():\n    server = aio.server()\n    server.add_insecure_port(f'localhost:{PORT}')\n"
    "    await server.start()\n    await server.wait_for_termination()\n\n"
    "if __name__ == '__main__':\n    asyncio.run(serve())\n"
)


def app_of(root: Path, deps: tuple[str, ...]) -> AppFacts:
    return detect_app(ProjectTree(root), None, dependencies=frozenset(deps))


def test_tornado_script_is_a_web_process_on_its_defined_port(make_project: MakeProject) -> None:
    root = make_project({"server.py": TORNADO_OPTIONS, "requirements.txt": "tornado\n"})
    app = app_of(root, ("tornado",))
    assert (app.kind.value, app.framework.value) == ("web", "tornado")
    assert app.command.value == ("python", "server.py")
    assert app.port.value == 8123
    ev = app.port.evidence[0]
    assert (ev.file, ev.line) == ("server.py", 5), "the define() line gives the port"
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("server.py", 14)


def test_tornado_in_a_package_runs_as_module_and_reports_loopback(make_project: MakeProject) -> None:
    root = make_project({"svc/__init__.py": "", "svc/main.py": TORNADO_LITERAL})
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"tornado"}), notes=notes)
    assert app.command.value == ("python", "-m", "svc.main")
    assert app.port.value == 8890
    assert any("address='127.0.0.1'" in n and "svc/main.py:5" in n for n in notes)


def test_grpc_server_beside_its_client_is_the_start(make_project: MakeProject) -> None:
    root = make_project({"server.py": GRPC_SERVER, "client.py": GRPC_CLIENT, "requirements.txt": "grpcio\n"})
    app = app_of(root, ("grpcio",))
    assert (app.kind.value, app.framework.value) == ("web", "grpc")
    assert app.command.value == ("python", "server.py")
    assert app.port.value == 7070
    assert (app.port.evidence[0].file, app.port.evidence[0].line) == ("server.py", 7)
    assert {e.name: e.value for e in app.env}["PORT"] == "7070", (
        "the variable the code reads, set to its default"
    )
    assert app.health_path.value is None, "gRPC speaks HTTP/2 frames: no HTTP path to probe"


def test_grpc_aio_server_with_fstring_address(make_project: MakeProject) -> None:
    root = make_project({"main.py": GRPC_AIO_FSTRING})
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"grpcio"}), notes=notes)
    assert app.command.value == ("python", "main.py")
    assert app.port.value == 50071
    assert any("loopback" in n for n in notes)


def test_grpc_client_alone_is_not_a_server(make_project: MakeProject) -> None:
    root = make_project({"client.py": GRPC_CLIENT})
    app = app_of(root, ("grpcio",))
    assert app.framework.value != "grpc"
    assert app.kind.value != "web"


# --- entry scripts binding a variable whose default is loopback -----------------------------------

LOOPBACK_SCRIPT = (
    '#!/usr/bin/env bash\nset -e\nBIND_ADDR="${BIND_ADDR:-127.0.0.1}"\nPORT="${PORT:-8000}"\n'
    'exec daphne -b "$BIND_ADDR" -p "$PORT" site.asgi:application\n'
)
INLINE_SCRIPT = "#!/bin/sh\nexec gunicorn --bind ${LISTEN:-localhost}:8000 site.wsgi\n"
ASGI = "from django.core.asgi import get_asgi_application\n\napplication = get_asgi_application()\n"
OPEN_SCRIPT = '#!/bin/sh\nHOST="${HOST:-0.0.0.0}"\nexec daphne -b "$HOST" -p 8000 site.asgi:application\n'


def test_entry_script_loopback_default_is_opened(make_project: MakeProject) -> None:
    root = make_project({"start.sh": LOOPBACK_SCRIPT, "site/__init__.py": "", "site/asgi.py": ASGI})
    app = app_of(root, ("daphne",))
    assert app.command.value == ("bash", "start.sh")
    env = {e.name: e for e in app.env}
    assert env["BIND_ADDR"].value == "0.0.0.0"
    assert "start.sh:3 defaults BIND_ADDR" in env["BIND_ADDR"].why


def test_entry_script_inline_loopback_default(make_project: MakeProject) -> None:
    root = make_project({"start.sh": INLINE_SCRIPT, "site/__init__.py": "", "site/wsgi.py": ""})
    env = {e.name: e.value for e in app_of(root, ("gunicorn",)).env}
    assert env["LISTEN"] == "0.0.0.0"


def test_entry_script_open_default_sets_nothing(make_project: MakeProject) -> None:
    root = make_project({"start.sh": OPEN_SCRIPT, "site/__init__.py": "", "site/asgi.py": ASGI})
    assert "HOST" not in {e.name for e in app_of(root, ("daphne",)).env}


# --- the gRPC health service as the probe ----------------------------------------------------------

GRPC_WITH_HEALTH = GRPC_SERVER.replace(
    "import grpc\n", "import grpc\nfrom grpc_health.v1 import health, health_pb2_grpc\n"
).replace(
    "    port = os.environ",
    "    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)\n    port = os.environ",
)


def test_grpc_health_service_registered_is_the_health_path(make_project: MakeProject) -> None:
    root = make_project({"server.py": GRPC_WITH_HEALTH})
    app = app_of(root, ("grpcio", "grpcio-health-checking"))
    assert app.health_path.value == "/grpc.health.v1.Health/Check"
    ev = app.health_path.evidence[0]
    assert (ev.file, ev.line) == ("server.py", 8)


VENV_PROGRAM_SCRIPT = '#!/usr/bin/env bash\nset -euo pipefail\nexec "$VIRTUAL_ENV/bin/uvicorn" svc.api:app --host 0.0.0.0 --port 8011\n'
FASTAPI = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def test_entry_script_running_the_venvs_program(make_project: MakeProject) -> None:
    root = make_project(
        {
            "docker/entrypoints/prod.sh": VENV_PROGRAM_SCRIPT,
            "docker/entrypoints/dev.sh": VENV_PROGRAM_SCRIPT.replace("--port 8011", "--reload --port 8012"),
            "svc/__init__.py": "",
            "svc/api.py": FASTAPI,
        }
    )
    app = app_of(root, ("fastapi", "uvicorn"))
    assert app.command.value == ("bash", "docker/entrypoints/prod.sh")
    assert app.port.value == 8011
    assert (app.port.evidence[0].file, app.port.evidence[0].line) == ("docker/entrypoints/prod.sh", 3)


def test_grpc_server_beats_the_repositorys_own_dockerfile_command(make_project: MakeProject) -> None:
    # grpc is imported as `grpc` but installed as grpcio: the framework is a dependency, not an extra
    root = make_project(
        {
            "server.py": GRPC_SERVER,
            "client.py": GRPC_CLIENT,
            "requirements.txt": "grpcio==1.76.0\n",
            "Dockerfile": 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nENTRYPOINT ["python", "server.py"]\n',
        }
    )
    app = app_of(root, ("grpcio",))
    assert (app.kind.value, app.framework.value, app.port.value) == ("web", "grpc", 7070)
