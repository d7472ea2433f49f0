"""DockerEngine on the real engine: build a tiny Dockerfile FROM a locally made image, rebuild from
cache, pass a secret that lands in no layer, stream `docker save`, and report a failing step.

Needs a running dockerd, a BuildKit-capable client and a local base image: ``DOCKWRIGHT_TEST_BASE``,
else the first present of ``BASES`` (the sandbox makes the python one; ``local/bookworm:test`` is
``mmdebstrap --variant=minbase bookworm - | docker import - local/bookworm:test``). Nothing is pulled.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest, BuildStep
from dockwright.engine.docker import DockerEngine
from dockwright.errors import EngineError

pytestmark = pytest.mark.docker

BASES = ("local/bookworm:test", "python:3.11.15-slim-bookworm")

DOCKERFILE = """\
FROM {base}
ARG VERSION=0
COPY hello.txt /hello.txt
RUN --mount=type=secret,id=pipconf,target=/root/.config/pip/pip.conf,required=false \\
    if [ -s /root/.config/pip/pip.conf ]; then echo secret-mounted; fi
RUN echo "version $VERSION" > /version && echo wrote-version
"""


@pytest.fixture(scope="module")
def engine() -> DockerEngine:
    engine = DockerEngine()
    try:
        engine.ping()
    except EngineError as error:
        pytest.skip(f"no Docker engine to build with: {error}")
    return engine


@pytest.fixture(scope="module")
def base(engine: DockerEngine) -> str:
    wanted = os.environ.get("DOCKWRIGHT_TEST_BASE")
    for ref in (wanted,) if wanted else BASES:
        try:
            engine.inspect_image(ref)
        except EngineError:
            continue
        return ref
    pytest.skip(f"no local base image (tried {', '.join((wanted,) if wanted else BASES)}); nothing is pulled")


@pytest.fixture
def tag(engine: DockerEngine) -> Iterator[str]:
    name = f"dockwright-test/engine:{uuid.uuid4().hex[:10]}"
    yield name
    subprocess.run([engine.client.path, "rmi", "-f", name], capture_output=True, check=False)


def write_project(folder: Path, base: str, extra: str = "") -> Path:
    folder.mkdir(exist_ok=True)
    # fresh content each run, so the first build really runs the steps after the COPY
    (folder / "hello.txt").write_text(f"hello {uuid.uuid4().hex}\n")
    (folder / "Dockerfile").write_text(DOCKERFILE.format(base=base) + extra)
    return folder


def test_build_rebuild_from_cache_secret_and_save(
    engine: DockerEngine, base: str, tag: str, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "p", base)
    secret = tmp_path / "pip.conf"
    secret.write_text("[global]\nindex-url = https://user:hunter2@127.0.0.1:9/simple\n")
    secret.chmod(0o600)
    request = BuildRequest(
        context=str(project),
        dockerfile=str(project / "Dockerfile"),
        tag=tag,
        build_args=(("VERSION", "1.2.3"),),
        secrets=(("pipconf", str(secret)),),
        labels=(("org.opencontainers.image.version", "1.2.3"),),
        network="host",
    )
    steps: list[BuildStep] = []
    image = engine.build(request, steps.append)
    assert image.image_id.startswith("sha256:") and image.size > 0
    assert Path(str(image.extra["log_file"])).read_text() == image.log
    logs = [s.text for s in steps if s.state == "log"]
    assert "secret-mounted" in logs and "wrote-version" in logs
    info = engine.inspect_image(tag)
    assert info["Config"]["Labels"]["org.opencontainers.image.version"] == "1.2.3"
    assert "hunter2" not in str(engine.history(tag)) and "hunter2" not in str(info)

    again = engine.build(request)
    assert again.image_id == image.image_id
    assert any("RUN echo" in name for name in again.cached_steps), again.cached_steps
    assert any("COPY hello.txt" in name for name in again.cached_steps), again.cached_steps

    stream = engine.save(tag)
    names: list[str] = []
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                names.append(member.name)
                if member.name == "manifest.json":
                    break
    finally:
        stream.close()
    assert "manifest.json" in names


def test_a_failing_step_is_named_with_its_last_lines(
    engine: DockerEngine, base: str, tag: str, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "bad", base, "RUN echo about-to-fail && exit 4\n")
    request = BuildRequest(str(project), str(project / "Dockerfile"), tag, network="host")
    with pytest.raises(EngineError) as caught:
        engine.build(request)
    first, *rest = str(caught.value).splitlines()
    assert first.startswith("build failed: step [") and "RUN echo about-to-fail" in first
    assert "exit code: 4" in first and "(full log: " in first
    assert "  about-to-fail" in rest


def test_a_missing_image_is_one_line(engine: DockerEngine) -> None:
    with pytest.raises(EngineError, match=r"^no such image: dockwright-test/none:missing$"):
        engine.inspect_image("dockwright-test/none:missing")


def test_a_stopped_build_is_cancelled(engine: DockerEngine, base: str, tag: str, tmp_path: Path) -> None:
    """stop_build (dockwright/build_ahead.py) interrupts buildx as Ctrl-C does: the long step is
    cancelled at once, nothing is tagged, and the thread's next build runs."""
    import threading
    import time

    marker = uuid.uuid4().hex
    project = write_project(tmp_path / "slow", base, f"RUN echo {marker} && sleep 120\n")
    request = BuildRequest(str(project), str(project / "Dockerfile"), tag, network="host")
    seen: list[BuildStep] = []
    failures: list[BaseException] = []

    def build() -> None:
        try:
            engine.build(request, seen.append)
        except EngineError as error:
            failures.append(error)

    worker = threading.Thread(target=build)
    worker.start()
    deadline = time.monotonic() + 120
    while not any(marker in step.text for step in seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert worker.ident is not None and any(marker in step.text for step in seen)
    stopped = time.monotonic()
    engine.stop_build(worker.ident)
    worker.join(30)
    assert not worker.is_alive() and time.monotonic() - stopped < 15
    assert [str(error) for error in failures] == ["docker build stopped"]
    with pytest.raises(EngineError):
        engine.inspect_image(tag)
    engine.resume_builds(worker.ident)
    quick = write_project(tmp_path / "quick", base)
    assert engine.build(BuildRequest(str(quick), str(quick / "Dockerfile"), tag, network="host")).image_id
