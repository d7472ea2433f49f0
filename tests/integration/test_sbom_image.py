"""`dockwright sbom` of a real built image (flask-requirements): every locked distribution is found at
its locked version with the lock's hashes, the Debian packages come from dpkg's status, and both
documents validate against their schemas."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.integration.harness import built_example

from dockwright import api
from dockwright.audit.inventory import project_lock
from dockwright.sbom.cyclonedx_json import validate_cyclonedx

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]


def test_sbom_of_a_built_image_matches_its_lock(workspace: Path, tmp_path: Path) -> None:
    built = built_example("flask-requirements", workspace)
    started = time.monotonic()
    found, text = api.sbom(built.tag, engine="docker", context=built.path)
    print(f"\nsbom (cyclonedx) of {built.tag}: {time.monotonic() - started:.1f} s")
    validate_cyclonedx(text)
    locked, lock_file = project_lock(built.path)
    assert lock_file and locked
    by_key = {d.key: d for d in found.python}
    for pin in locked:
        dist = by_key[pin.name]
        assert dist.version == pin.version and dist.lock is not None and dist.lock.state == "matches"
        assert dist.record_files > 0 and dist.licence, dist
    assert not found.drift()
    debian = {p.name for p in found.debian}
    assert {"libc6", "tini", "python3.11"} <= debian, sorted(debian)[:20]
    components = json.loads(text)["components"]
    assert len(components) == len(found.python) + len(found.debian)

    _, spdx = api.sbom(built.tag, fmt="spdx-json", engine="docker", context=built.path)
    path = tmp_path / "image.spdx.json"
    path.write_text(spdx)
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    assert validate_full_spdx_document(parse_file(str(path))) == []
