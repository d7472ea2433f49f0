"""Rootless Podman: dockwright builds one example with an unprivileged user's Podman, runs it, and the
app answers HTTP from inside a user namespace (its PID 1 is the image's UID 10001 mapped to one of the
user's subordinate IDs on the host).

``python -m sandbox up`` makes the leg (sandbox/rootless.py: the user, its subordinate IDs, storage
driver, containers.conf and base image) and ``python -m sandbox env`` names the user's ``podman`` in
``DOCKWRIGHT_SANDBOX_ROOTLESS_PODMAN``; where the machine cannot run it, the test skips with the reason
``up`` recorded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox.config import settings
from sandbox.rootless import EXAMPLE, USER, unavailable_file
from tests.integration.harness import REPO, git_commit

from dockwright import api
from dockwright.engine.podman import PodmanEngine

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]

TAG = "localhost/dockwright-it/rootless-flask-bare:test"
CONTAINER = "dw-it-rootless"


@pytest.fixture(scope="module")
def engine() -> PodmanEngine:
    path = os.environ.get("DOCKWRIGHT_SANDBOX_ROOTLESS_PODMAN")
    if not path or not Path(path).exists():
        why = unavailable_file(settings())
        reason = why.read_text().strip() if why.exists() else "python -m sandbox up did not make it"
        pytest.skip(f"no rootless podman leg: {reason}")
    return PodmanEngine(path)


def _user_copy() -> Path:
    """The example in a folder the unprivileged user can read (pytest's tmp dirs are root's alone)."""
    import pwd

    account = pwd.getpwnam(USER)
    folder = Path(tempfile.mkdtemp(prefix="dw-it-rootless-"))
    folder.chmod(0o755)
    path = folder / EXAMPLE
    shutil.copytree(REPO / "examples" / EXAMPLE, path)
    api.init(path, syntax_directive=False)
    git_commit(path)
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            os.chown(Path(root) / name, account.pw_uid, account.pw_gid, follow_symlinks=False)
    return path


@pytest.fixture(scope="module")
def built(engine: PodmanEngine, monkeypatch_module: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch_module.setenv("DOCKWRIGHT_PODMAN", engine.path)
    path = _user_copy()
    started = time.monotonic()
    image = api.build(path, tag=TAG, network="host", engine="podman", syntax_directive=False)
    print(
        f"\nrootless podman build of {EXAMPLE}: {time.monotonic() - started:.1f} s, {image.size / 1e6:.1f} MB"
    )
    assert image.extra["command"][:4] == [engine.path, "build", "--format", "docker"]
    # the cache mounts work rootless (they did not where a rootful Buildah had made $TMPDIR/buildah-cache)
    assert "The cache has been disabled" not in image.log
    yield path
    engine.remove(CONTAINER)
    subprocess.run([engine.path, "rmi", "-f", TAG], capture_output=True, check=False)
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _subordinate_start() -> int:
    line = next(x for x in Path("/etc/subuid").read_text().splitlines() if x.split(":")[0] == USER)
    return int(line.split(":")[1])


def test_rootless_podman_builds_runs_and_answers(engine: PodmanEngine, built: Path) -> None:
    info = subprocess.run(
        [engine.path, "info", "--format", "{{.Host.Security.Rootless}}"], capture_output=True, text=True
    )
    assert info.stdout.strip() == "true", info.stderr
    plan = api.plan(built, syntax_directive=False)
    env = {f.value: "test-value" for f in plan.facts.app.required_env}
    started = engine.run(TAG, detach=True, name=CONTAINER, network="host", env=env)
    assert started.exit_code == 0, started.stderr
    deadline = time.monotonic() + 60
    status = 0
    while status != 200 and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{plan.expose}/", timeout=3) as response:
                status = response.status
        except OSError:
            time.sleep(0.5)
    assert status == 200, engine.logs(CONTAINER)[-2000:]
    state = engine.container_inspect(CONTAINER)["State"]
    uid = next(
        line.split()[1]
        for line in (Path("/proc") / str(state["Pid"]) / "status").read_text().splitlines()
        if line.startswith("Uid:")
    )
    # the image's UID 10001 is subordinate ID 10000 of the user (namespace UID 0 is the user itself)
    assert int(uid) == _subordinate_start() + 10001 - 1
    health = ""
    while health != "healthy" and time.monotonic() < deadline + 30:
        health = (engine.container_inspect(CONTAINER)["State"].get("Health") or {}).get("Status", "")
        time.sleep(0.5)
    assert health == "healthy"
    seconds = engine.stop(CONTAINER)
    print(f"rootless podman stop took {seconds:.2f} s")
    assert seconds < 10
