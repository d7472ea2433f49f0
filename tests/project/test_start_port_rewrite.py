"""The start the repository gives is told the port the plan serves on: a `--port` given to dockwright,
or a privileged port moved to 8080 (the image runs as a non-root user), whatever file the start came from.
Before, the EXPOSE and the probe moved while the server kept binding the old port (rw37: a Procfile start
under `--port 8080`, a compose service binding :80)."""

from __future__ import annotations

import pytest
from tests.project.conftest import MakeProject
from tests.project.test_start_detectors import FLASK, app_of

from dockwright.project.detectors.base import with_port


@pytest.mark.parametrize(
    ("argv", "moved"),
    [
        (("gunicorn", "app:app", "--bind", "0.0.0.0:80"), ("gunicorn", "app:app", "--bind", "0.0.0.0:8080")),
        (("gunicorn", "-b", ":80", "app:app"), ("gunicorn", "-b", ":8080", "app:app")),
        (("gunicorn", "-b0.0.0.0:80", "app:app"), ("gunicorn", "-b0.0.0.0:8080", "app:app")),
        (
            ("uvicorn", "m:app", "--host", "0.0.0.0", "--port=80"),
            ("uvicorn", "m:app", "--host", "0.0.0.0", "--port=8080"),
        ),
        (("waitress-serve", "--listen=*:80", "app:app"), ("waitress-serve", "--listen=*:8080", "app:app")),
        (
            ("sh", "-c", "python manage.py migrate && exec gunicorn s.wsgi --bind '0.0.0.0:80'"),
            ("sh", "-c", "python manage.py migrate && exec gunicorn s.wsgi --bind '0.0.0.0:8080'"),
        ),
        (("gunicorn", "-b", "0.0.0.0:${PORT:-80}", "app:app"), None),  # the plan sets PORT instead
        (("gunicorn", "app:app"), None),
        (("uvicorn", "m:app", "--port", "8080"), None),  # already there
    ],
)
def test_with_port_rewrites_the_servers_own_port(
    argv: tuple[str, ...], moved: tuple[str, ...] | None
) -> None:
    assert with_port(argv, 8080) == moved


def test_a_port_given_to_dockwright_reaches_a_procfile_start(make_project: MakeProject) -> None:
    root = make_project({"app.py": FLASK, "Procfile": "web: gunicorn app:app --bind 0.0.0.0:5000\n"})
    app = app_of(root, deps=("flask", "gunicorn"), port=8080)
    assert app.port.value == 8080
    assert app.command.value == ("gunicorn", "app:app", "--bind", "0.0.0.0:8080")
    assert "rewritten to 8080" in app.command.evidence[-1].detail


@pytest.mark.parametrize(
    "files",
    [
        {
            "compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn app:app --bind 0.0.0.0:80\n"
        },
        {"Procfile": "web: gunicorn app:app --bind 0.0.0.0:80 --workers 2\n"},
    ],
)
def test_a_privileged_port_in_the_start_is_moved_with_the_port(
    make_project: MakeProject, files: dict[str, str]
) -> None:
    notes: list[str] = []
    app = app_of(make_project({"app.py": FLASK, **files}), deps=("flask", "gunicorn"), notes=notes)
    assert app.port.value == 8080
    assert "0.0.0.0:8080" in app.command.value and "0.0.0.0:80" not in app.command.value
    assert not [n for n in notes if "cannot bind" in n]
