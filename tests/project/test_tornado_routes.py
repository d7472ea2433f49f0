"""Tornado URL tables (tuples in the list an Application is given, or a module-level list of a module
importing tornado) are routes: a health path among them is the HTTP probe, whatever command starts the
app (a framework detector's, or the repository's own Dockerfile CMD)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.tornado_routes import url_table

MakeProject = Callable[[dict[str, str | bytes]], Path]

URLS = """\
from tornado.web import RequestHandler, url

from board.views import IndexHandler


class HealthHandler(RequestHandler):
    def get(self):
        self.write("OK")


handlers = [
    (r"/", IndexHandler),
    (r"/api/tasks/(.*)", IndexHandler),
    (r"/healthcheck", HealthHandler),
]
"""
APP = """\
import tornado.web

from board.urls import handlers


class BoardApp(tornado.web.Application):
    def __init__(self):
        super().__init__(handlers)
"""

SETUP_PY = """\
from setuptools import setup, find_packages

setup(
    name="board",
    packages=find_packages(),
    install_requires=["celery>=5", "tornado>=6"],
    entry_points={"celery.commands": ["board = board.command:board"]},
)
"""


@pytest.mark.parametrize(
    ("source", "paths"),
    [
        (
            'import tornado.web\napp = tornado.web.Application([(r"/healthz", H), (r"/", I)])',
            ["/healthz", "/"],
        ),
        ('from tornado.web import Application\nApplication(handlers=[("/health/?", H)])', ["/health"]),
        ('routes = [(r"^/ping$", P), (r"/(\\w+)", Q), ("/x", "not a handler")]', ["/ping"]),
        ("def make():\n    return [(r'/health', H)]", []),
    ],
)
def test_url_table_reads_plain_paths(source: str, paths: list[str]) -> None:
    assert [p for p, _ in url_table(ast.parse(source))] == paths


def test_own_dockerfile_command_gets_the_tornado_healthcheck(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "setup.py": SETUP_PY,
        "board/__init__.py": "",
        "board/command.py": "import click\n\n\n@click.command()\ndef board():\n    pass\n",
        "board/views.py": "from tornado.web import RequestHandler\n\n\nclass IndexHandler(RequestHandler):\n    pass\n",
        "board/urls.py": URLS,
        "board/app.py": APP,
        "Dockerfile": 'FROM python:3.13-slim\nCOPY . /app\nEXPOSE 5555\nCMD ["celery", "board"]\n',
    }
    app = detect_project(make_project(files), python="3.13").app
    assert app.command.value is not None and app.command.value[:2] == ("celery", "board")
    assert app.health_path.value == "/healthcheck"
    assert app.health_path.evidence[0].file == "board/urls.py"
    assert app.health_path.evidence[0].line == 14


def test_a_tornado_app_gets_its_url_call_health_route(make_project: MakeProject) -> None:
    server = """\
import tornado.ioloop
import tornado.web
from tornado.web import url


class Health(tornado.web.RequestHandler):
    def get(self):
        self.write("ok")


def make_app():
    return tornado.web.Application([url(r"/health", Health)])


if __name__ == "__main__":
    make_app().listen(8888)
    tornado.ioloop.IOLoop.current().start()
"""
    files: dict[str, str | bytes] = {"requirements.txt": "tornado>=6\n", "server.py": server}
    app = detect_project(make_project(files), python="3.13").app
    assert app.health_path.value == "/health"


VENDORED = '''\
"""A one-file framework copied into the package, with adapters for many servers."""


class TornadoServer:
    def run(self, handler, port):
        import tornado.httpserver

        server = tornado.httpserver.HTTPServer(handler)
        server.listen(port)


def main():
    print("usage: ...")


if __name__ == "__main__":
    main()
'''


def test_a_listen_in_a_vendored_frameworks_adapter_is_no_tornado_app(make_project: MakeProject) -> None:
    """The copied module has a ``__main__`` block, but the block never reaches the adapter's
    ``listen``: it is no ``tornado -m ...`` start; a listen the block's function chain reaches is."""
    from dockwright.errors import StartUnknown

    files: dict[str, str | bytes] = {
        "requirements.txt": "tornado==6.4.2\n",
        "pkg/__init__.py": "",
        "pkg/vendor/__init__.py": "",
        "pkg/vendor/micro.py": VENDORED,
    }
    with pytest.raises(StartUnknown):
        detect_project(make_project(files), python="3.13")
    script = (
        "import tornado.web\n\n\ndef start():\n    app = tornado.web.Application([])\n    app.listen(8888)\n\n\n"
        "def main():\n    start()\n\n\nif __name__ == '__main__':\n    main()\n"
    )
    facts = detect_project(make_project({**files, "serve.py": script}), python="3.13")
    assert facts.app.kind.value == "web" and facts.app.command.value[:2] == ("python", "serve.py")
    assert not any("micro" in p for p in facts.app.other_processes)


@pytest.mark.parametrize(
    "script",
    [
        # a method of a class the block uses
        "import tornado.web\n\n\nclass Server:\n    def __init__(self, port):\n        self.port = port\n\n"
        "    def start(self):\n        tornado.web.Application([]).listen(self.port)\n\n\n"
        "if __name__ == '__main__':\n    Server(8888).start()\n",
        # a coroutine the block hands to the loop
        "import tornado.ioloop\nimport tornado.web\n\n\nasync def main():\n    tornado.web.Application([]).listen(8888)\n\n\n"
        "if __name__ == '__main__':\n    tornado.ioloop.IOLoop.current().run_sync(main)\n",
    ],
)
def test_a_listen_the_main_block_reaches_through_a_class_or_a_passed_function(
    make_project: MakeProject, script: str
) -> None:
    facts = detect_project(
        make_project({"requirements.txt": "tornado==6.4.2\n", "serve.py": script}), python="3.13"
    )
    assert facts.app.kind.value == "web" and facts.app.port.value == 8888
