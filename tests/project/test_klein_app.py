"""Klein apps serve themselves (``app.run(host, port)`` starts Twisted's reactor): ``python FILE``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

DEPS = frozenset({"klein"})


def test_guarded_run_is_the_server_with_its_port(make_project: MakeProject) -> None:
    root = make_project(
        {
            "site.py": (
                "from klein import Klein\n\nweb = Klein()\n\n\n@web.route('/')\ndef home(request):\n"
                "    return 'ok'\n\n\nif __name__ == '__main__':\n    web.run('0.0.0.0', 9090)\n"
            ),
        }
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=DEPS, notes=notes)
    assert app.kind.value == "web"
    assert app.framework.value == "klein"
    assert app.command.value == ("python", "site.py")
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("site.py", 12)
    assert app.port.value == 9090
    assert not any("listens only" in n for n in notes)


def test_loopback_host_is_reported_and_env_port_is_set(make_project: MakeProject) -> None:
    root = make_project(
        {
            "server.py": (
                "import os\nimport klein\n\napp = klein.Klein()\n"
                "app.run(host='localhost', port=int(os.environ.get('PORT', '8081')))\n"
            ),
        }
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=DEPS, notes=notes)
    assert app.command.value == ("python", "server.py")
    assert app.port.value == 8081
    assert ("PORT", "8081") in {(e.name, e.value) for e in app.env}
    assert any("server.py:5: app.run('localhost', ...) listens only" in n for n in notes)


def test_global_run_and_a_module_without_run(make_project: MakeProject) -> None:
    root = make_project(
        {
            "hello.py": "from klein import route, run\n\n@route('/')\ndef home(request):\n    return 'hi'\n\nrun('0.0.0.0', 8080)\n"
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=DEPS)
    assert app.command.value == ("python", "hello.py")
    built = make_project(
        {"resource.py": "from klein import Klein\n\napp = Klein()\nresource = app.resource\n"}
    )
    assert detect_app(ProjectTree(built), None, dependencies=DEPS).framework.value != "klein"
