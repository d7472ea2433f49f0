"""Secret files planted at any depth of a project never reach the image (real engine, sandbox)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.hostile.conftest import NESTED_SECRETS, REPO, plant_secrets
from tests.integration.harness import build, docker

from dockwright import api

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]


def test_nested_secret_files_are_not_in_the_image(workspace: Path) -> None:
    project = workspace / "sec-nested-secrets"
    shutil.copytree(REPO / "examples" / "flask-requirements", project)
    plant_secrets(project)
    api.init(project, syntax_directive=False)
    tag = "sec-nested-secrets:test"
    build(project, tag)
    try:
        workdir = json.loads(docker("image", "inspect", tag).stdout)[0]["Config"]["WorkingDir"]
        probe = (
            "import os,sys; root=sys.argv[1]; "
            "print('\\n'.join(os.path.relpath(os.path.join(d,f),root) for d,_,fs in os.walk(root) for f in fs))"
        )
        listing = docker(
            "run", "--rm", "--network", "host", "--entrypoint", "python", tag, "-c", probe, workdir
        ).stdout.split()
        assert "app.py" in listing  # the probe sees the copied source
        assert [p for p in NESTED_SECRETS if p in listing] == []
    finally:
        docker("image", "rm", "-f", tag, check=False)
