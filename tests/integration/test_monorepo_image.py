"""The monorepo example built from the folder holding each service and the library it installs by path
(examples/monorepo: services/api on uv, services/worker on requirements ``-e ../../libs/common``).

One test for both services (they share the base, tini and backend layers): the build runs at the
repository root through ``dockwright build services/<name>``, the library is an installed wheel in the
venv (no path hook, no source folder in /app), and each service answers through it.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest
from tests.integration.harness import PYPI, REPO, TAG_PREFIX, build, docker, git_commit
from tests.integration.test_example_images import _wait_http

from dockwright import api

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

SITE_AND_APP = "ls /opt/venv/lib/python3*/site-packages; echo ---; ls -A /app"


def _contents(tag: str) -> tuple[set[str], set[str]]:
    listed = docker("run", "--rm", "--network", "none", "--entrypoint", "sh", tag, "-c", SITE_AND_APP).stdout
    site, app = (set(part.split()) for part in listed.split("---"))
    return site, app


def test_both_services_build_from_the_repository_root_with_the_library_as_a_wheel(
    workspace: Path, container_names: list[str]
) -> None:
    repo = workspace / "monorepo"
    shutil.copytree(REPO / "examples" / "monorepo", repo)
    for service in ("api", "worker"):
        api.init(repo / "services" / service, syntax_directive=False, index_url=PYPI)
    git_commit(repo)
    tags = {service: f"{TAG_PREFIX}/monorepo-{service}:test" for service in ("api", "worker")}
    for service, tag in tags.items():
        image = build(repo / "services" / service, tag)
        assert image.ref, image.log
        site, app = _contents(tag)
        assert "common" in site and "packaging" in site, "the library and its locked dependency"
        assert not {n for n in site if n.endswith(".pth")}, "a wheel, not an editable install"
        assert service in app and not {"libs", "services", "common"} & app, "the service's source only"

    container = "dw-it-monorepo-api"
    container_names.append(container)
    docker("run", "-d", "--name", container, "--network", "host", tags["api"])
    assert _wait_http("http://127.0.0.1:8000/") == 200
    with urllib.request.urlopen("http://127.0.0.1:8000/", timeout=5) as response:
        body = json.loads(response.read())
    assert body["greeting"] == "Hello, api!" and body["common"] == "1.4.0"
    assert body["from"].startswith("/opt/venv/lib/"), body

    done = docker("run", "--rm", "--network", "none", tags["worker"], "Ann", "My_Lib")
    lines = done.stdout.splitlines()
    assert lines[:2] == ["Hello, ann!", "Hello, my-lib!"], done.stdout + done.stderr
    assert lines[-1].startswith("(common 1.4.0 from /opt/venv/lib/"), done.stdout
