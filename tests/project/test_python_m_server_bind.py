"""A server a repository starts as ``python -m SERVER`` gets the bind its bare form gets
(detectors/servers.py ``bind_env``/``bind_args``): without it, uvicorn, gunicorn, hypercorn and daphne
listen on 127.0.0.1 inside the container, unreachable from outside."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detectors.servers import bind_args, bind_env
from dockwright.project.tree import ProjectTree
from wording import nests_parentheses

MakeProject = Callable[[dict[str, str | bytes]], Path]

SERVERS = frozenset({"hypercorn", "daphne", "uvicorn", "gunicorn"})


def _app(
    make_project: MakeProject, line: str, notes: list[str] | None = None
) -> tuple[tuple[str, ...], set[str]]:
    files: dict[str, str | bytes] = {
        "ledger/__init__.py": "",
        "ledger/asgi.py": "async def application(scope, receive, send):\n    pass\n",
        "Procfile": f"web: {line}\n",
    }
    app = detect_app(
        ProjectTree(make_project(files)), None, dependencies=SERVERS, notes=[] if notes is None else notes
    )
    return app.command.value, {f"{e.name}={e.value}" for e in app.env}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "python -m hypercorn ledger.asgi:application",
            ("python", "-m", "hypercorn", "--bind", "0.0.0.0:8000", "ledger.asgi:application"),
        ),
        (
            "python3 -u -m daphne -p 8000 ledger.asgi:application",
            ("python3", "-u", "-m", "daphne", "--bind", "0.0.0.0", "-p", "8000", "ledger.asgi:application"),
        ),
        ("python -m hypercorn --bind 0.0.0.0:8000 ledger.asgi:application", None),
    ],
)
def test_python_m_server_gets_its_bind_options(
    make_project: MakeProject, line: str, expected: tuple[str, ...] | None
) -> None:
    command, _ = _app(make_project, line)
    assert command == (expected or tuple(line.split()))


@pytest.mark.parametrize(
    ("line", "settings"),
    [
        ("python -m uvicorn ledger.asgi:application", {"UVICORN_HOST=0.0.0.0", "UVICORN_PORT=8000"}),
        ("/opt/venv/bin/python3.13 -m gunicorn ledger.asgi:application", {"PORT=8000"}),
    ],
)
def test_python_m_server_gets_its_bind_settings(
    make_project: MakeProject, line: str, settings: set[str]
) -> None:
    command, env = _app(make_project, line)
    assert command == tuple(line.split())
    assert env >= settings


def test_a_wrapped_python_m_server_is_named_in_a_note(make_project: MakeProject) -> None:
    notes: list[str] = []
    _app(make_project, "sh -c 'sleep 1 && exec python -m hypercorn ledger.asgi:application'", notes)
    assert any(
        "hypercorn listens on 127.0.0.1 unless told" in n and "give it --bind 0.0.0.0:8000 there" in n
        for n in notes
    ), notes


@pytest.mark.parametrize(
    "argv",
    [
        ("python", "-m", "ledger", "serve"),  # the project's own module: no server of the table
        ("python", "-c", "import hypercorn", "-m", "hypercorn"),  # -c: the rest are its arguments
        ("python", "-m"),
    ],
)
def test_other_python_starts_are_left_alone(argv: tuple[str, ...]) -> None:
    assert bind_args(argv, 8000) is None
    assert bind_env(argv, 8000) == []


@pytest.mark.parametrize(
    "argv",
    [
        ("gunicorn", "app:app"),
        ("uvicorn", "app:app"),
        ("hypercorn", "app:app"),
        ("daphne", "app:application"),
        ("granian", "app:app"),
    ],
)
def test_a_bind_s_reason_cites_its_source_without_nested_parentheses(argv: tuple[str, ...]) -> None:
    """The reason wraps the table's source in parentheses: the source itself holds none."""
    reasons = [why for _, _, why in bind_env(argv, 8000)]
    bound = bind_args(argv, 8000)
    reasons += [bound.why] if bound is not None else []
    assert reasons
    assert not [why for why in reasons if nests_parentheses(why)], reasons
