"""Deliberately bad images, built for real in the sandbox, each FAIL the checklist item they break."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.harness import REPO, replacing

from dockwright import api
from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

BASE = "python:3.11.15-slim-bookworm"
GOOD_TAIL = (
    'ENV PYTHONUNBUFFERED=1\nUSER 10001:10001\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["python", "app.py"]\n'
)


def _pinned_requirement() -> str:
    """One pinned distribution the sandbox index holds (from an example's lock)."""
    for line in (REPO / "examples" / "flask-requirements" / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            return line.split()[0]
    raise AssertionError("no pinned requirement found")


BAD = {
    "user": f'FROM {BASE}\nCOPY app.py /app/app.py\nWORKDIR /app\nENV PYTHONUNBUFFERED=1\nCMD ["python", "app.py"]\n',
    "toolchain": f"FROM {BASE}\nRUN apt-get update && apt-get install -y --no-install-recommends gcc tini"
    " && rm -rf /var/lib/apt/lists/*\nCOPY app.py /app/app.py\nWORKDIR /app\n" + GOOD_TAIL,
    # apt lists kept and the wheels the install came from left in the image
    "caches": f"FROM {BASE}\nRUN apt-get update && apt-get install -y --no-install-recommends tini\n"
    "RUN pip wheel --wheel-dir /wheels {req} && pip install --no-index --find-links /wheels {req}\n"
    "COPY app.py /app/app.py\nWORKDIR /app\n" + GOOD_TAIL,
    "dotfiles": f"FROM {BASE}\nRUN apt-get update && apt-get install -y --no-install-recommends tini"
    " && rm -rf /var/lib/apt/lists/*\nCOPY app.py .env /app/\nWORKDIR /app\n" + GOOD_TAIL,
    "signals": f"FROM {BASE}\nCOPY app.py /app/app.py\nWORKDIR /app\nENV PYTHONUNBUFFERED=1\nUSER 10001:10001\n"
    "CMD python app.py\n",
}


@pytest.mark.parametrize("item", sorted(BAD))
def test_bad_image_fails_the_right_item(item: str, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('hello')\n")
    (tmp_path / ".env").write_text("DATABASE_PASSWORD=hunter2\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(BAD[item].replace("{req}", _pinned_requirement()))
    tag = f"dockwright-it/bad-{item}:test"
    with replacing(tag):
        DockerEngine().build(BuildRequest(str(tmp_path), str(dockerfile), tag, network="host"))
    report = api.audit(tag)
    failed = {c.id for c in report.checks if c.status.value == "FAIL"}
    assert item in failed, {c.id: (c.status.value, c.summary) for c in report.checks}
