"""Fixtures of the CLI tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _stand_in_docker_client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``build --dry-run`` asks for the BuildKit-capable client to print the command it would run: a
    stand-in ``docker`` that answers ``buildx version`` keeps the unit tests off the machine's Docker
    (on a machine without one they failed). Tests marked ``docker`` use the real client."""
    if request.node.get_closest_marker("docker"):
        return
    folder = tmp_path_factory.mktemp("stand-in-client")
    client = folder / "docker"
    client.write_text(
        '#!/bin/sh\n[ "$1 $2" = "buildx version" ] && echo "github.com/docker/buildx v0.13.1"\n'
    )
    client.chmod(0o755)
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(client))
