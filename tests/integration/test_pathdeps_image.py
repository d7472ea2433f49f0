"""A Poetry app with path dependencies, built from the smallest folder holding it and its libraries.

The generic checks (builds, answers HTTP, healthy, non-root, audit, dive) run for ``poetry-pathdep``
in test_example_images.py like for every example; these are the path dependencies' own promises: the
libraries are installed wheels (not editable, not copied as source), the app answers through them,
and an edit of a library keeps the locked dependency layer.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path

import pytest
from tests.integration.harness import build, built_example, docker
from tests.integration.test_example_images import _start, _wait_http

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

EXAMPLE = "poetry-pathdep"


def test_the_libraries_are_wheels_and_the_app_answers_through_them(
    workspace: Path, container_names: list[str]
) -> None:
    built = built_example(EXAMPLE, workspace)
    assert built.plan.dockerfile_path == "app/Dockerfile"
    script = "ls /opt/venv/lib/python3*/site-packages; echo ---; ls -A /app"
    listed = docker("run", "--rm", "--network", "none", "--entrypoint", "sh", built.tag, "-c", script).stdout
    site, app = (set(part.split()) for part in listed.split("---"))
    assert {"greetings", "textkit", "markupsafe", "flask"} <= site, "libraries and their locked dependencies"
    assert not {n for n in site if n.endswith(".pth")}, "not editable: no path hooks (develop = true ignored)"
    assert "libs" not in app and "shop" in app, "the app's source only, never the libraries' folders"
    container = "dw-it-poetry-pathdep-answer"
    container_names.append(container)
    _start(built, container)
    port = built.plan.expose
    assert _wait_http(f"http://127.0.0.1:{port}/") == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        body = json.loads(response.read())
    assert body["greeting"] == "HELLO, SHOP!", "greetings (and textkit through it) imported and used"
    assert body["from"].startswith("/opt/venv/lib/") and body["greetings"] == "0.3.0"


def test_a_library_edit_keeps_the_locked_dependency_layer(workspace: Path) -> None:
    built = built_example(EXAMPLE, workspace)
    source = built.path / "libs" / "textkit" / "src" / "textkit" / "__init__.py"
    source.write_text(source.read_text() + f"\n# touched by the path dependency test {uuid.uuid4()}\n")
    steps = build(built.path, built.tag).cached_steps
    print("\nCACHED after a textkit edit:", *steps, sep="\n  ")
    assert any("--require-hashes --no-deps -r requirements.lock" in s for s in steps), "locked layer kept"
    assert any("COPY libs/greetings" in s for s in steps), "the other library's layer kept"
    assert not any("COPY libs/textkit" in s for s in steps), "the edited library is copied again"


def test_a_pdm_cli_runs_with_its_library_from_inside_the_project(workspace: Path) -> None:
    built = built_example("pdm-pathdep", workspace)
    assert built.plan.dockerfile_path == "Dockerfile", "the library is inside the project: no context move"
    done = docker(
        "run", "--rm", "--network", "none", built.tag, "wordcount", "to", "be", "or", "not", "to", "be"
    )
    lines = done.stdout.splitlines()
    assert lines[:2] == ["to 2", "be 2"], done.stdout + done.stderr
    assert lines[-1].startswith("(tally 1.2.0 from /opt/venv/lib/"), "tally imported from the venv, a wheel"
    listed = docker(
        "run", "--rm", "--network", "none", "--entrypoint", "sh", built.tag, "-c", "ls -A /app"
    ).stdout
    assert "libs" not in listed.split()
