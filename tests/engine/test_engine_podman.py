"""PodmanEngine against a scripted `podman` executable: the build command (--format docker, the
ignore file, refusals), Buildah's progress, health probes without systemd, one-line errors, and the
engine choice (--engine, DOCKWRIGHT_ENGINE, auto-detection)."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from dockwright import api
from dockwright.cli import main
from dockwright.engine.base import BuildRequest, BuildStep
from dockwright.engine.docker import DockerEngine
from dockwright.engine.podman import RLIMIT_HINT, PodmanEngine, build_command
from dockwright.engine.podman_progress import PodmanProgressReader
from dockwright.engine.select import engine_name, engine_named
from dockwright.errors import ConfigError, EngineError

SCRIPT = """\
import json, os, sys
from pathlib import Path
here = Path(os.environ["FAKE_PODMAN_DIR"])
args = sys.argv[1:]
with (here / "calls.jsonl").open("a") as calls:
    calls.write(json.dumps(args) + "\\n")
if args[0] == "version":
    print("4.3.1")
elif args[0] == "build":
    sys.stdout.write((here / "build.out").read_text())
    sys.exit(int((here / "build.rc").read_text()))
elif args[:2] == ["image", "inspect"]:
    if args[2] == "missing:1":
        sys.stderr.write('Error: missing:1: image not known\\n')
        sys.exit(125)
    print(json.dumps([{"Id": "cd" * 32, "Size": 2048, "Config": {}}]))
elif args[:2] == ["container", "inspect"]:
    status = "healthy" if (here / "probed").exists() else "starting"
    print(json.dumps([{"State": {"Running": True, "Health": {"Status": status}}}]))
elif args[:2] == ["healthcheck", "run"]:
    (here / "probed").write_text("1")
elif args[0] == "run":
    sys.stderr.write('level=error msg="unable to get systemd connection to add healthchecks"\\n')
    sys.stderr.write('level=warning msg="\\\\"/\\\\" is not a shared mount, this could cause issues or missing mounts with rootless containers"\\n')
    if (here / "rlimit").exists():
        sys.stderr.write("Error: crun: setrlimit `RLIMIT_NPROC`: error setting rlimit: Operation not permitted\\n")
        sys.exit(126)
    print("cid")
elif args[0] == "history":
    print(json.dumps([{"CreatedBy": "/bin/sh -c #(nop) CMD []", "created": "2026", "size": 0}]))
"""

BUILD_OUT = """\
[1/2] STEP 1/3: FROM python:3.11.15-slim-bookworm AS builder
[1/2] STEP 2/3: RUN pip wheel -r requirements.txt
--> Using cache 0123456789abcdef
--> 0123456789ab
[1/2] STEP 3/3: COPY . .
--> 4567890abcde
[2/2] STEP 1/2: FROM python:3.11.15-slim-bookworm
[2/2] STEP 2/2: RUN make
compiling
[2/2] COMMIT demo:1
--> 89abcdef0123
Successfully tagged localhost/demo:1
"""

FAILED_OUT = """\
STEP 1/2: FROM python:3.11.15-slim-bookworm
STEP 2/2: RUN make
make: *** No rule to make target.  Stop.
Error: error building at STEP "RUN make": error while running runtime: exit status 2
"""


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "fake"
    folder.mkdir()
    podman = folder / "podman"
    podman.write_text(f"#!{sys.executable}\n{SCRIPT}")
    podman.chmod(podman.stat().st_mode | stat.S_IEXEC)
    (folder / "build.out").write_text(BUILD_OUT)
    (folder / "build.rc").write_text("0")
    monkeypatch.setenv("FAKE_PODMAN_DIR", str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return folder


def calls(folder: Path) -> list[list[str]]:
    return [json.loads(line) for line in (folder / "calls.jsonl").read_text().splitlines()]


def request(tmp_path: Path, **changes: Any) -> BuildRequest:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    fields: dict[str, Any] = {
        "context": str(tmp_path),
        "dockerfile": str(tmp_path / "Dockerfile"),
        "tag": "demo:1",
        **changes,
    }
    return BuildRequest(**fields)


def test_build_command_keeps_the_healthcheck_and_passes_everything(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile.dockerignore").write_text(".git\n")
    argv = build_command(
        "podman",
        request(
            tmp_path,
            build_args=(("VERSION", "1"),),
            secrets=(("pipconf", "/tmp/p.conf"),),
            labels=(("a", "b"),),
            platforms=("linux/arm64",),
            target="runtime",
            network="host",
            no_cache=True,
        ),
    )
    assert argv[:4] == ["podman", "build", "--format", "docker"]
    joined = " ".join(argv)
    for part in (
        f"--ignorefile {tmp_path}/Dockerfile.dockerignore",
        "--build-arg VERSION=1",
        "--secret id=pipconf,src=/tmp/p.conf",
        "--label a=b",
        "--platform linux/arm64",
        "--target runtime",
        "--network host",
        "--no-cache",
    ):
        assert part in joined
    assert argv[-1] == str(tmp_path)


@pytest.mark.parametrize(
    ("changes", "fix"),
    [
        ({"platforms": ("linux/amd64", "linux/arm64")}, "--engine docker"),
        ({"output": "type=registry"}, "--engine docker"),
        ({"reproducible": True, "push": True}, "--engine docker"),
    ],
)
def test_features_podman_lacks_here_are_one_line_errors(
    tmp_path: Path, changes: dict[str, Any], fix: str
) -> None:
    with pytest.raises(EngineError) as caught:
        build_command("podman", request(tmp_path, **changes))
    assert fix in str(caught.value) and "\n" not in str(caught.value)


def test_progress_reader_reads_buildah_steps() -> None:
    reader = PodmanProgressReader()
    events = [event for line in BUILD_OUT.splitlines() for event in reader.feed(line)]
    states = [(e.name, e.state) for e in events if e.state != "log"]
    assert ("[1] step 1/3 FROM python:3.11.15-slim-bookworm AS builder", "done") in states
    assert ("[1] step 2/3 RUN pip wheel -r requirements.txt", "cached") in states
    assert reader.cached == ["[1] step 2/3 RUN pip wheel -r requirements.txt"]
    assert ("[2] step 2/2 RUN make", "log") in [(e.name, e.state) for e in events]
    assert ("[2] commit demo:1", "done") in states


def test_build_through_the_engine(fake: Path, tmp_path: Path) -> None:
    steps: list[BuildStep] = []
    image = PodmanEngine(str(fake / "podman")).build(request(tmp_path, network="host"), steps.append)
    assert image.image_id == "cd" * 32 and image.size == 2048
    assert image.extra["engine"] == "podman"
    assert len(image.cached_steps) == 1
    assert any(s.state == "started" for s in steps)
    build = next(c for c in calls(fake) if c[0] == "build")
    assert build[:3] == ["build", "--format", "docker"]


def test_failed_build_names_the_step_and_keeps_the_log(fake: Path, tmp_path: Path) -> None:
    (fake / "build.out").write_text(FAILED_OUT)
    (fake / "build.rc").write_text("2")
    with pytest.raises(EngineError) as caught:
        PodmanEngine(str(fake / "podman")).build(request(tmp_path))
    first = str(caught.value).splitlines()[0]
    assert first.startswith("build failed: step [1] step 2/2 RUN make failed")
    assert "exit status 2" in first and "full log:" in first
    assert "No rule to make target" in str(caught.value)


def test_health_is_probed_where_no_systemd_timer_runs_it(fake: Path) -> None:
    engine = PodmanEngine(str(fake / "podman"))
    state = engine.container_inspect("c1")["State"]
    assert state["Health"]["Status"] == "healthy"
    assert ["healthcheck", "run", "c1"] in calls(fake)


def test_run_drops_systemd_and_rootless_noise_and_explains_rlimits(fake: Path) -> None:
    engine = PodmanEngine(str(fake / "podman"))
    assert engine.run("demo:1", detach=True).stderr == ""
    (fake / "rlimit").write_text("1")
    result = engine.run("demo:1", detach=True)
    assert result.exit_code == 126 and result.stderr.startswith(RLIMIT_HINT)
    assert "default_ulimits = []" in RLIMIT_HINT


def test_missing_image_and_history(fake: Path) -> None:
    engine = PodmanEngine(str(fake / "podman"))
    with pytest.raises(EngineError, match="no such image in podman's store: missing:1"):
        engine.inspect_image("missing:1")
    assert engine.history("demo:1") == [
        {"CreatedBy": "/bin/sh -c #(nop) CMD []", "Created": "2026", "Size": 0, "Comment": ""}
    ]


def test_engine_choice(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_PODMAN", str(fake / "podman"))
    assert engine_name(engine_named("podman")) == "podman"
    assert engine_name(engine_named("docker")) == "docker"
    monkeypatch.setenv("DOCKWRIGHT_ENGINE", "podman")
    assert engine_name(engine_named(None)) == "podman"
    with pytest.raises(ConfigError, match="docker, podman"):
        engine_named("rkt")


def test_auto_detection_falls_back_to_podman(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKWRIGHT_ENGINE", raising=False)
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setenv("DOCKWRIGHT_PODMAN", str(fake / "podman"))
    monkeypatch.setattr("dockwright.engine.select.DOCKER_SOCKETS", ("/nonexistent/docker.sock",))

    def no_docker(self: DockerEngine) -> str:
        raise EngineError("no Docker engine answers /usr/bin/docker")

    monkeypatch.setattr(DockerEngine, "ping", no_docker)
    assert engine_name(engine_named("auto")) == "podman"
    monkeypatch.setenv("DOCKWRIGHT_PODMAN", str(fake / "absent"))
    with pytest.raises(EngineError) as caught:
        engine_named(None)
    assert "install podman" in str(caught.value) and "--engine" in str(caught.value)


def test_a_configured_docker_daemon_is_not_pinged(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy daemon that answers slowly stays the engine: no fallback to Podman behind the user's back."""
    monkeypatch.delenv("DOCKWRIGHT_ENGINE", raising=False)
    monkeypatch.setenv("DOCKWRIGHT_PODMAN", str(fake / "podman"))
    monkeypatch.setenv("DOCKER_HOST", "unix:///var/run/docker.sock")

    def slow(self: DockerEngine) -> str:
        raise AssertionError("pinged")

    monkeypatch.setattr(DockerEngine, "ping", slow)
    assert engine_name(engine_named(None)) == "docker"


def test_cli_podman_missing_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_PODMAN", str(tmp_path / "no-podman"))
    assert main(["audit", "--engine", "podman", "demo:1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apt-get install podman" in err


def test_api_accepts_an_engine_name(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_PODMAN", str(fake / "podman"))
    with pytest.raises(EngineError, match="no such image in podman's store"):
        api.audit("missing:1", engine="podman")
