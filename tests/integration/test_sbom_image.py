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
    for pin in locked:
        # the app's venv copy is the locked one; a stand-in base may carry a system copy beside it
        copies = [d for d in found.python if d.key == pin.name]
        dist = next(d for d in copies if d.version == pin.version)
        assert dist.lock is not None and dist.lock.state == "matches"
        assert dist.record_files > 0 and dist.licence, dist
        assert all(d.lock is not None and d.lock.state != "differs" for d in copies), copies
    assert not found.drift()
    debian = {p.name for p in found.debian}
    # tini is copied as a binary (no dpkg entry); the stand-in's interpreter is Debian's python3.X
    assert "libc6" in debian and any(n.startswith("python3.") for n in debian), sorted(debian)[:20]
    components = json.loads(text)["components"]
    assert len(components) == len(found.python) + len(found.debian)

    _, spdx = api.sbom(built.tag, fmt="spdx-json", engine="docker", context=built.path)
    path = tmp_path / "image.spdx.json"
    path.write_text(spdx)
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    assert validate_full_spdx_document(parse_file(str(path))) == []
