"""servers.options_inserted: the one way options the start needs reach its server's command."""

from __future__ import annotations

import pytest

from dockwright.project.detectors.servers import options_inserted

OPTIONS = ("--workers", "1")


@pytest.mark.parametrize(
    ("command", "program", "expected"),
    [
        (("gunicorn", "app:app"), "gunicorn", ("gunicorn", "--workers", "1", "app:app")),
        (
            ("newrelic-admin", "run-program", "/venv/bin/gunicorn", "app:app"),
            "gunicorn",
            ("newrelic-admin", "run-program", "/venv/bin/gunicorn", "--workers", "1", "app:app"),
        ),
        (
            ("/bin/sh", "-c", "flask db upgrade && exec gunicorn app:app"),
            "gunicorn",
            ("/bin/sh", "-c", "flask db upgrade && exec gunicorn --workers 1 app:app"),
        ),
        (
            ("/bin/sh", "-c", "alembic upgrade head && exec waitress-serve app:app"),
            "waitress-serve",
            ("/bin/sh", "-c", "alembic upgrade head && exec waitress-serve --workers 1 app:app"),
        ),
        (("uvicorn", "main:app"), "uvicorn", ("uvicorn", "--workers", "1", "main:app")),
        (("/bin/sh", "-c", "echo gunicorn.log && python app.py"), "gunicorn", None),
        (("python", "app.py"), "gunicorn", None),
    ],
)
def test_options_go_right_after_the_program(
    command: tuple[str, ...], program: str, expected: tuple[str, ...] | None
) -> None:
    assert options_inserted(command, OPTIONS, program) == expected
