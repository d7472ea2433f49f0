"""The standalone strategies on the real engine: each image builds, starts, answers, runs non-root,
has no shell, keeps the checklist (tini, labels, probe) and passes the audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.integration.harness import built_example, docker
from tests.integration.test_example_images import _pid1_uid, _start, _stop_seconds, _wait_health, _wait_http

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

CASES = [
    ("flask-requirements", "pyinstaller"),
    ("fastapi-uv", "pyinstaller"),
    ("cli-setuptools", "pyinstaller"),
]


def _size_mb(tag: str) -> float:
    return int(docker("image", "inspect", "-f", "{{.Size}}", tag).stdout) / 1e6


@pytest.mark.parametrize(("name", "strategy"), CASES)
def test_strategy_image_starts_and_answers(
    name: str, strategy: str, workspace: Path, container_names: list[str]
) -> None:
    built = built_example(name, workspace, strategy)
    assert built.plan.strategy == strategy
    print(f"\n{name}@{strategy}: {_size_mb(built.tag):.1f} MB")
    if built.plan.facts.app.kind.value == "web":
        container = f"dw-it-{name}-{strategy}"
        container_names.append(container)
        _start(built, container)
        assert _wait_http(f"http://127.0.0.1:{built.plan.expose}/") == 200
        assert _wait_health(container) == "healthy", docker("logs", container, check=False).stderr[-2000:]
        assert _pid1_uid(container) == "10001"
        seconds = _stop_seconds(container)
        print(f"{name}@{strategy}: docker stop took {seconds:.2f} s")
        assert seconds < 10
    else:
        done = docker("run", "--rm", "--network", "none", built.tag, *built.plan.cmd, "--help")
        assert "usage" in done.stdout.lower(), done.stdout + done.stderr


@pytest.mark.parametrize(("name", "strategy"), CASES)
def test_strategy_image_keeps_the_checklist(name: str, strategy: str, workspace: Path) -> None:
    from dockwright import api

    built = built_example(name, workspace, strategy)
    config = json.loads(docker("image", "inspect", built.tag).stdout)[0]["Config"]
    assert config["User"] == "10001:10001"
    assert config["Entrypoint"] == ["/usr/bin/tini", "--"]
    assert (config["Labels"] or {}).get("org.opencontainers.image.version")
    if built.plan.expose:
        assert config["Healthcheck"]["Test"][0] == "CMD"
    no_shell = docker(
        "run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", built.tag, "-c", "true", check=False
    )
    assert no_shell.returncode != 0, "distroless runtime: no shell"
    report = api.audit(built.tag, context=built.path)
    failed = [(c.id, c.summary) for c in report.checks if c.status == "FAIL"]
    assert failed == [], failed


def test_pyinstaller_flask_lands_in_the_seeds_band(workspace: Path) -> None:
    """Seeds: "PyInstaller + distroless: 15-40 MB"."""
    built = built_example("flask-requirements", workspace, "pyinstaller")
    assert 15 <= _size_mb(built.tag) <= 40
