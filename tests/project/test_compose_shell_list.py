"""A compose ``command:`` in list form that only hands a line to a shell (``["/bin/sh", "-c", "..."]``)
is read as that line, as the string form is (detectors/compose.py): Debian's sh (dash) does not replace
itself with the line's last command, so the server stayed the shell's child and never got SIGTERM."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.apps import detect_app
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]

APP = "from starlette.applications import Starlette\n\nsvc = Starlette()\n"


def _compose(command: str) -> dict[str, str | bytes]:
    return {
        "compose.yaml": f"services:\n  api:\n    build: .\n    command: {command}\n    ports:\n      - 8300:8300\n",
        "service.py": APP,
        "requirements.txt": "starlette\nhypercorn\n",
    }


def test_a_shell_list_with_one_plain_command_runs_the_command_itself(make_project: MakeProject) -> None:
    root = make_project(_compose('["/bin/sh", "-c", "hypercorn -b :8300 service:svc"]'))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"starlette", "hypercorn"}))
    assert app.command.value[:4] == ("hypercorn", "-b", ":8300", "service:svc")
    assert app.port.value == 8300


def test_a_shell_list_with_steps_execs_its_last_command(make_project: MakeProject) -> None:
    root = make_project(_compose('["sh", "-c", "python -c \'print(1)\' && hypercorn -b :8300 service:svc"]'))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"starlette", "hypercorn"}))
    assert app.command.value[:2] == ("/bin/sh", "-c")
    assert app.command.value[2].endswith("&& exec hypercorn -b :8300 service:svc")


def test_the_framework_app_the_service_serves_is_no_other_process(make_project: MakeProject) -> None:
    root = make_project(_compose('["/bin/sh", "-c", "hypercorn -b :8300 service:svc"]'))
    app = detect_app(ProjectTree(root), None, dependencies=frozenset({"starlette", "hypercorn"}))
    assert app.other_processes == ()
