"""The repository's own image probes a route of the app (``HEALTHCHECK CMD curl -f
http://localhost:8000/about``): the planned probe asks that route (project/own_probe.py). Examples of our
own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

VIEWS = (
    "from flask import Blueprint, jsonify\n\nabout_view = Blueprint('about_view', __name__)\n\n\n"
    "@about_view.route('/about', methods=['GET'])\ndef about():\n    return jsonify(name='ledger')\n"
)
APP = (
    "from flask import Flask\n\nfrom ledger.views import about_view\n\n\ndef create_app():\n"
    "    app = Flask(__name__)\n    app.register_blueprint(about_view)\n    return app\n\n\napp = create_app()\n"
)


def _files(healthcheck: str) -> dict[str, str | bytes]:
    return {
        "requirements.txt": "flask\ngunicorn\n",
        "ledger/__init__.py": "",
        "ledger/views.py": VIEWS,
        "ledger/web.py": APP,
        "Dockerfile": (
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8000\n"
            f"{healthcheck}\n"
            'CMD ["gunicorn", "-b", "0.0.0.0:8000", "ledger.web:app"]\n'
        ),
    }


@pytest.mark.parametrize(
    "healthcheck",
    [
        "HEALTHCHECK --interval=1m CMD curl -f http://localhost:8000/about || exit 1",
        'HEALTHCHECK CMD ["wget", "-q", "-O-", "http://127.0.0.1:8000/about?full=1"]',
    ],
)
def test_the_route_the_own_image_probes_is_the_probe(make_project: MakeProject, healthcheck: str) -> None:
    app = detect_project(make_project(_files(healthcheck)), python="3.12").app
    assert app.health_path.value == "/about"
    assert app.health_path.evidence[0].file == "Dockerfile"
    assert "HEALTHCHECK" in app.health_path.evidence[0].detail


@pytest.mark.parametrize(
    "healthcheck",
    [
        "HEALTHCHECK CMD curl -f http://localhost:8000/missing || exit 1",  # no such route in the app
        "HEALTHCHECK NONE",
        "HEALTHCHECK CMD curl -f http://auth.example.org/about || exit 1",  # another host
    ],
)
def test_a_probe_of_no_route_of_the_app_is_not_taken(make_project: MakeProject, healthcheck: str) -> None:
    app = detect_project(make_project(_files(healthcheck)), python="3.12").app
    assert app.health_path.value is None


@pytest.mark.parametrize(
    "healthcheck",
    [
        'HEALTHCHECK CMD curl -f -H "X-Ledger-Key: $LEDGER_KEY" http://localhost:8000/about || exit 1',
        "HEALTHCHECK CMD curl -fsu admin:$PASSWORD http://localhost:8000/about || exit 1",
        "HEALTHCHECK CMD curl -f --user admin:pw http://localhost:8000/about || exit 1",
        'HEALTHCHECK CMD ["wget", "-q", "--header=Authorization: Bearer x", "http://127.0.0.1:8000/about"]',
        'HEALTHCHECK CMD python -c "import os, urllib.request as u; u.urlopen(u.Request('
        "'http://127.0.0.1:8000/about', headers={'X-Key': os.environ['K']}))\"",
    ],
)
def test_a_probe_sending_headers_or_credentials_lends_no_path(
    make_project: MakeProject, healthcheck: str
) -> None:
    # the planned probe sends none: the route would answer it 401/503 and the container never be healthy
    app = detect_project(make_project(_files(healthcheck)), python="3.12").app
    assert app.health_path.value is None
    assert app.port.value == 8000
