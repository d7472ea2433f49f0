"""Issue 12, class 4 on the real engine: the build steps' outputs are what the running app serves
(static files collected into STATIC_ROOT, compiled catalogs, a frontend's build output), and what
built them (gettext, Node, frontend sources, a dummy secret) is not in the runtime."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from tests.integration.harness import built_example, docker
from tests.integration.test_example_images import _sh, _start, _wait_http

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]


def _get(url: str, language: str = "en") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(response.status), response.read().decode()


def test_django_serves_collected_static_files_and_compiled_french(
    workspace: Path, container_names: list[str]
) -> None:
    built = built_example("django-static-i18n", workspace)
    name = "dw-it-steps-django"
    container_names.append(name)
    _start(built, name)
    base = f"http://127.0.0.1:{built.plan.expose}"
    assert _wait_http(f"{base}/healthz") == 200
    status, css = _get(f"{base}/static/pages/site.css")
    assert status == 200 and "font-family" in css, "WhiteNoise serves STATIC_ROOT, filled by collectstatic"
    assert _get(f"{base}/", "fr")[1].endswith("<p>Bonjour, le monde</p>"), "the compiled .mo is read"
    assert _get(f"{base}/", "en")[1].endswith("<p>Hello, world</p>")
    inside = _sh(
        built.tag,
        "stat -c '%U %a' /app/staticfiles/pages/site.css /app/locale/fr/LC_MESSAGES/django.mo;"
        " command -v msgfmt || echo no-msgfmt",
    ).split("\n")
    assert inside[:2] == ["root 644", "root 644"], "root-owned, readable"
    assert "no-msgfmt" in inside, "gettext stayed in the builder"
    config = json.loads(docker("image", "inspect", built.tag).stdout)[0]["Config"]
    assert not any(e.startswith("DJANGO_SECRET_KEY=") for e in config["Env"]), "the dummy is never ENV"


def test_flask_babel_serves_the_compiled_catalog(workspace: Path, container_names: list[str]) -> None:
    built = built_example("flask-babel", workspace)
    assert not (built.path / "app/translations/fr/LC_MESSAGES/messages.mo").exists(), "not committed"
    name = "dw-it-steps-babel"
    container_names.append(name)
    _start(built, name)
    base = f"http://127.0.0.1:{built.plan.expose}"
    assert _wait_http(f"{base}/healthz") == 200
    assert _get(f"{base}/", "fr") == (200, "Bonjour")
    assert _get(f"{base}/", "en") == (200, "Good morning")


def test_frontend_output_is_served_and_nothing_else_of_it_ships(
    workspace: Path, container_names: list[str]
) -> None:
    built = built_example("flask-frontend", workspace)
    name = "dw-it-steps-frontend"
    container_names.append(name)
    _start(built, name)
    base = f"http://127.0.0.1:{built.plan.expose}"
    assert _wait_http(f"{base}/healthz") == 200
    status, script = _get(f"{base}/assets/app.js")
    assert status == 200 and script.startswith("/* built by build.mjs with node v")
    assert "Hello from the built frontend" in script and "// The page" not in script, "built, not copied"
    listing = _sh(
        built.tag,
        "ls -A /app/frontend; stat -c '%U' /app/frontend/dist/app.js; command -v node || echo no-node",
    ).split()
    assert listing == ["dist", "root", "no-node"], "only the output: no sources, no package.json, no Node"
