"""Functions Framework apps (Cloud Functions / Cloud Run): the decorated function is served by the
framework's own program, not run as a script."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.detectors.servers import package_of
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

DEPS = frozenset({"functions-framework", "flask"})


def test_http_function_in_main_py_is_served_by_the_framework(make_project: MakeProject) -> None:
    root = make_project(
        {
            "main.py": (
                "import functions_framework\n\n\n"
                "@functions_framework.http\ndef report(request):\n    return 'ok'\n\n\n"
                "if __name__ == '__main__':\n    report(None)\n"
            ),
            "requirements.txt": "functions-framework\n",
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=DEPS)
    assert app.kind.value == "web"
    assert app.framework.value == "functions-framework"
    assert app.command.value == (
        *("functions-framework", "--target", "report", "--source", "main.py"),
        *("--host", "0.0.0.0", "--port", "8080"),
    )
    assert (app.command.evidence[0].file, app.command.evidence[0].line) == ("main.py", 4)
    assert app.port.value == 8080
    assert app.adds.value == ()


def test_from_import_cloud_event_in_another_file(make_project: MakeProject) -> None:
    root = make_project(
        {
            "handlers/events.py": (
                "from functions_framework import cloud_event\n\n"
                "def helper():\n    pass\n\n"
                "@cloud_event\ndef on_upload(event):\n    helper()\n"
            ),
        }
    )
    app = detect_app(ProjectTree(root), None, dependencies=DEPS)
    assert app.command.value[:5] == (
        "functions-framework",
        "--target",
        "on_upload",
        "--source",
        "handlers/events.py",
    )


def test_alias_and_several_functions_take_the_first_and_say_so(make_project: MakeProject) -> None:
    root = make_project(
        {
            "main.py": (
                "import functions_framework as ff\n\n"
                "@ff.http\ndef first(request):\n    return 'a'\n\n"
                "@ff.http\ndef second(request):\n    return 'b'\n"
            ),
        }
    )
    notes: list[str] = []
    app = detect_app(ProjectTree(root), None, dependencies=DEPS, notes=notes)
    assert app.command.value[:3] == ("functions-framework", "--target", "first")
    assert any("also defines second" in note for note in notes)


def test_port_option_overrides_and_the_program_is_known(make_project: MakeProject) -> None:
    root = make_project(
        {"main.py": "import functions_framework\n\n@functions_framework.http\ndef f(r):\n    pass\n"}
    )
    app = detect_app(ProjectTree(root), None, port=9001, dependencies=DEPS)
    assert app.command.value[-2:] == ("--port", "9001")
    assert package_of("functions-framework") == "functions-framework"


def test_an_undecorated_module_importing_the_framework_is_not_taken(make_project: MakeProject) -> None:
    root = make_project({"main.py": "import functions_framework\n\ndef f(request):\n    pass\n"})
    app = detect_app(ProjectTree(root), None, dependencies=DEPS)
    assert app.framework.value != "functions-framework"
