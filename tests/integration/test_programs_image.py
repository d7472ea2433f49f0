"""A service that shells out to ``git``: the program is installed in the runtime and runs there.

The generic checks (builds, answers HTTP, healthy, non-root, audit, dive) run for ``flask-git`` in
test_example_images.py like for every example; these are the programs' own promises: Debian's ``git``
came through the trimmed base's apt step (``--no-install-recommends``: no recommended package such as
``less`` or ``openssh-client``), and the app runs ``git log`` on a repository mounted into the container.
"""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest
from tests.integration.harness import built_example, docker, git_commit
from tests.integration.test_example_images import _wait_http

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

EXAMPLE = "flask-git"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_git_is_installed_without_recommends_and_runs_as_the_app_user(workspace: Path) -> None:
    built = built_example(EXAMPLE, workspace)
    assert [a.name for a in built.plan.runtime_apt] == ["git"]
    done = docker("run", "--rm", "--network", "none", "--entrypoint", "git", built.tag, "--version")
    assert done.stdout.startswith("git version "), done.stdout + done.stderr
    script = "dpkg-query -W -f '${Package} ${Status}\\n' git less openssh-client 2>&1; command -v pip || true"
    listed = docker("run", "--rm", "--network", "none", "--entrypoint", "sh", built.tag, "-c", script).stdout
    assert "git install ok installed" in listed
    assert "less install ok installed" not in listed and "openssh-client install ok installed" not in listed
    assert "/pip" not in listed, "the apt step runs in the trimmed base: its pip is still gone"


def test_the_service_reads_a_mounted_repository_with_git(
    workspace: Path, tmp_path: Path, container_names: list[str]
) -> None:
    built = built_example(EXAMPLE, workspace)
    repository = tmp_path / "repository"
    repository.mkdir()
    (repository / "CHANGELOG.md").write_text("# changes\n")
    git_commit(repository)  # one commit, subject "example"
    port = _free_port()
    container = "dw-it-flask-git-changes"
    container_names.append(container)
    docker(
        "run", "-d", "--name", container, "--network", "host",
        "--volume", f"{repository}:/repo:ro",
        built.tag, "gunicorn", "--bind", f"127.0.0.1:{port}", "app:app",
    )  # fmt: skip
    assert _wait_http(f"http://127.0.0.1:{port}/") == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        assert json.loads(response.read())["git"].startswith("git version ")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/changes", timeout=10) as response:
        changes = json.loads(response.read())["changes"]
    assert len(changes) == 1 and changes[0].endswith(" example"), changes
