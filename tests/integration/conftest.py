"""Integration tests: every example is initialised, built on a real engine and run (offline sandbox).

Start the sandbox first: ``python -m sandbox up`` (README, "Test sandbox"). Without it these tests skip,
saying why. Images are built once per session; each example's build log is kept for the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox.config import DOCKER
from tests.integration.harness import REDIS, docker, sandbox_missing


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that empty the build cache run last, so the example builds before them stay cached."""
    items.sort(key=lambda item: item.get_closest_marker("prunes_build_cache") is not None)


@pytest.fixture(scope="session")
def sandbox() -> None:
    reason = sandbox_missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("examples")


@pytest.fixture
def container_names() -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for name in names:
        docker("rm", "-f", name, check=False)


@pytest.fixture(scope="session", autouse=True)
def earlier_containers_removed() -> None:
    """Containers a run stopped midway left behind (``dw-it-*``: their tests' teardown never ran) hold
    their names, and a later run's ``docker run --name`` then fails on the conflict."""
    if not Path(DOCKER).exists():
        return  # the sandbox fixture says why every test skips (no engine: nothing left to remove)
    found = docker("ps", "-aq", "--filter", "name=^dw-it-", check=False)
    if found.returncode == 0 and found.stdout.split():
        docker("rm", "-f", *found.stdout.split(), check=False)


@pytest.fixture(scope="session", autouse=True)
def redis_stopped_at_the_end() -> Iterator[None]:
    yield
    REDIS.stop()
