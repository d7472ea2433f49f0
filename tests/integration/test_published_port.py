"""The built image answers through a published port (``docker run -p HOST:CONTAINER``), as users run it.

Every other run test uses ``--network host``, where a server bound to 127.0.0.1 inside the container
answers too; through a published port only one bound to all interfaces does. Needs an engine with a
default bridge (the sandbox makes one, sandbox/bridge.py); skipped, saying so, on one started with
``--bridge=none``.
"""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

import pytest
from sandbox.config import DOCKER
from tests.integration.harness import built_example, docker
from tests.integration.test_example_images import _wait_http

from sandbox import bridge

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]


@pytest.fixture(autouse=True)
def publishing_engine() -> None:
    if not bridge.publishes(DOCKER):
        pytest.skip("the engine has no default bridge (--bridge=none): -p publishes nothing here")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_published(tag: str, name: str, port: int, container_port: int, *command: str) -> None:
    published = f"127.0.0.1:{port}:{container_port}"
    docker("run", "-d", "--name", name, "-p", published, tag, *command)


def _wait_log(name: str, text: str, bound: float = 60) -> None:
    deadline = time.monotonic() + bound
    while text not in (logs := docker("logs", name)).stdout + logs.stderr:
        assert time.monotonic() < deadline, logs.stdout + logs.stderr
        time.sleep(0.5)


def test_the_server_answers_through_a_published_port(workspace: Path, container_names: list[str]) -> None:
    built = built_example("flask-requirements", workspace)
    assert built.plan.expose is not None
    name, port = "dw-it-published-flask", _free_port()
    container_names.append(name)
    _run_published(built.tag, name, port, built.plan.expose)
    assert _wait_http(f"http://127.0.0.1:{port}/") == 200
    docker("stop", name)
    assert docker("inspect", "-f", "{{.State.Running}}", name).stdout.strip() == "false"


def test_a_server_bound_to_loopback_is_not_reached_through_the_port(
    workspace: Path, container_names: list[str]
) -> None:
    """The defect class this leg exists for: the same image started on 127.0.0.1 serves only inside."""
    built = built_example("flask-requirements", workspace)
    assert built.plan.expose is not None
    bound = f"0.0.0.0:{built.plan.expose}"
    assert bound in built.plan.cmd, built.plan.cmd
    loopback = [f"127.0.0.1:{built.plan.expose}" if word == bound else word for word in built.plan.cmd]
    name, port = "dw-it-published-loopback", _free_port()
    container_names.append(name)
    _run_published(built.tag, name, port, built.plan.expose, *loopback)
    _wait_log(name, f"Listening at: http://127.0.0.1:{built.plan.expose}")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
