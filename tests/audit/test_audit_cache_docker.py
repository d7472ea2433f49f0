"""On the real engine: audits through the layer cache report exactly what an audit without it reports."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_audit_docker import DOCKER, _engine_ready, _rootfs

from dockwright import api

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def base_and_child(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A one-layer image (``docker import``) and a child adding a layer on it (``docker commit``)."""
    reason = _engine_ready()
    if reason:
        pytest.skip(reason)
    assert DOCKER is not None
    tag = uuid.uuid4().hex[:8]
    base, child = f"dockwright-cache-test:{tag}", f"dockwright-cache-test:{tag}-child"
    changes = ["USER 10001", 'CMD ["python", "/app/main.py"]']
    argv = [DOCKER, "import"] + [x for c in changes for x in ("--change", c)] + ["-", base]
    subprocess.run(argv, input=_rootfs(), capture_output=True, check=True)
    extra = tmp_path_factory.mktemp("child") / "extra.py"
    extra.write_text("print('more')\n")
    container = subprocess.run(
        [DOCKER, "create", base], capture_output=True, text=True, check=True
    ).stdout.strip()
    try:
        subprocess.run(
            [DOCKER, "cp", str(extra), f"{container}:/app/extra.py"], capture_output=True, check=True
        )
        subprocess.run([DOCKER, "commit", container, child], capture_output=True, check=True)
        yield base, child
    finally:
        subprocess.run([DOCKER, "rm", "-f", container], capture_output=True, check=False)
        subprocess.run([DOCKER, "rmi", "-f", child, base], capture_output=True, check=False)


def _audit(ref: str, cache: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", cache)
    report = api.audit(ref).to_dict()
    report.pop("seconds"), report["image"].pop("layers_read")  # how long, and from where
    return report


def test_cold_shared_base_and_warm_audits_match_the_uncached_report(
    base_and_child: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, child = base_and_child
    plain_base = _audit(base, "off", monkeypatch)
    plain_child = _audit(child, "off", monkeypatch)
    assert len(plain_child["layers"]) == 2 and plain_child["layers"][0] == plain_base["layers"][0]
    cache = str(tmp_path / "cache")
    assert _audit(base, cache, monkeypatch) == plain_base  # cold: every layer parsed, then stored
    assert _audit(child, cache, monkeypatch) == plain_child  # the base layer from the cache
    assert _audit(child, cache, monkeypatch) == plain_child  # warm: the image from the cache
    assert _audit(base, cache, monkeypatch) == plain_base
    assert list((tmp_path / "cache").glob("*/image/*.json")), "the images were remembered"
