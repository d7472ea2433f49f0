"""A uv workspace member built from the workspace root (#12): what enters the image, and the layer order.

The generic checks (builds, answers HTTP, healthy, non-root, audit, dive) run for ``uv-workspace`` in
test_example_images.py like for every example; these are the workspace's own promises.
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


def _site_packages(tag: str) -> set[str]:
    script = "ls /opt/venv/lib/python3*/site-packages; ls -A /app"
    done = docker("run", "--rm", "--network", "none", "--entrypoint", "sh", tag, "-c", script)
    return set(done.stdout.split())


def test_the_member_and_its_library_are_installed_the_other_member_is_not(
    workspace: Path, container_names: list[str]
) -> None:
    built = built_example("uv-workspace", workspace)
    assert built.plan.dockerfile_path == "packages/api/Dockerfile"
    names = _site_packages(built.tag)
    assert {"api", "greeting"} <= names, "the member and the workspace library it imports, as wheels"
    assert not {n for n in names if n.startswith("jobs")}, "the unrelated member never enters the image"
    assert not {n for n in names if n.endswith(".pth")}, "not editable: no path hooks into /src"
    container = "dw-it-uv-workspace-answer"
    container_names.append(container)
    _start(built, container)
    port = built.plan.expose
    assert _wait_http(f"http://127.0.0.1:{port}/") == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        assert json.loads(response.read()) == {"message": "hello, workspace"}, "served through greeting"


def test_an_edit_elsewhere_in_the_workspace_rebuilds_nothing_and_a_member_edit_keeps_the_dependencies(
    workspace: Path,
) -> None:
    built = built_example("uv-workspace", workspace)
    jobs = built.path / "packages" / "jobs" / "src" / "jobs" / "__init__.py"
    jobs.write_text(jobs.read_text() + f"\n# touched by the workspace test {uuid.uuid4()}\n")
    again = build(built.path, built.tag)
    copies = [s for s in again.cached_steps if s.startswith("[builder") and "COPY packages/" in s]
    print("\nCACHED after a jobs edit:", *again.cached_steps, sep="\n  ")
    assert len(copies) == 2, "jobs is out of the context: the member's and the library's COPY stay cached"
    assert any("uv sync --locked --no-dev --no-editable --package api" in s for s in again.cached_steps)

    source = built.path / "packages" / "api" / "src" / "api" / "main.py"
    source.write_text(source.read_text() + f"\n# touched by the workspace test {uuid.uuid4()}\n")
    steps = build(built.path, built.tag).cached_steps
    print("\nCACHED after an api edit:", *steps, sep="\n  ")
    assert any("--package api --no-install-workspace" in s for s in steps), "the dependency layer is kept"
    assert not any("COPY packages/api packages/api" in s for s in steps), "the member's layer is rebuilt"
