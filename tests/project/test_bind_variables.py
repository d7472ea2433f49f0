"""Listen options spelled with variables get them set (project/bind_variables.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.bind_variables import bind_variables
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]


@pytest.mark.parametrize(
    ("argv", "found"),
    [
        (
            ("gunicorn", "app:app", "--bind", "$APP_HOST:$APP_PORT"),
            [("APP_HOST", "host"), ("APP_PORT", "port")],
        ),
        (("gunicorn", "-b", "${H}:${P}", "app:app"), [("H", "host"), ("P", "port")]),
        (
            ("uvicorn", "main:app", "--host", "$LISTEN", "--port=${WEB_PORT}"),
            [("LISTEN", "host"), ("WEB_PORT", "port")],
        ),
        (("gunicorn", "-p", "$PIDFILE", "app:app"), []),  # gunicorn's pid file, not a port
        (("gunicorn", "--bind", "${HOST:-0.0.0.0}:8000", "app:app"), []),  # a default: the shell gives it
    ],
)
def test_listen_options_spelled_with_variables(argv: tuple[str, ...], found: list[tuple[str, str]]) -> None:
    assert bind_variables(argv) == found


def test_the_image_sets_them_and_requires_none(make_project: MakeProject) -> None:
    root = make_project(
        {
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "requirements.txt": "flask\ngunicorn\n",
            "Procfile": 'web: gunicorn app:app --bind "$APP_HOST":"$APP_PORT"\n',
        }
    )
    facts = detect_project(root)
    assert {e.name: e.value for e in facts.app.env} == {"APP_HOST": "0.0.0.0", "APP_PORT": "8000"}
    assert [f.value for f in facts.app.required_env] == []
