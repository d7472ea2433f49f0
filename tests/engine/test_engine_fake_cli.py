"""DockerEngine end to end against a scripted `docker` executable: progress events, the failure
message, cached steps, the full log file, a streamed `save`, and that no secret reaches argv or env."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from dockwright import api
from dockwright.build import BuildOptions
from dockwright.cli import main
from dockwright.engine.base import BuildRequest, BuildStep
from dockwright.engine.docker import Client, DockerEngine
from dockwright.errors import ConfigError, EngineError

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """\
import json, os, sys
from pathlib import Path
from typing import Any
here = Path(os.environ["FAKE_DOCKER_DIR"])
args = sys.argv[1:]
with (here / "calls.jsonl").open("a") as calls:
    calls.write(json.dumps({"argv": sys.argv, "env": dict(os.environ)}) + "\\n")
if (here / "no-daemon").exists() and args[0] != "build":
    sys.stderr.write("Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\\n")
    sys.exit(1)
if args[0] == "buildx":
    sys.exit(1)  # a classic client: no buildx ...
if args[:2] == ["build", "--help"]:
    sys.exit(0 if os.environ.get("DOCKER_BUILDKIT") == "1" else 1)  # ... that accepts BuildKit
if args[0] == "version":
    print("20.10.24")
elif args[0] == "build":
    sys.stdout.write((here / "build.out").read_text())
    sys.stdout.flush()
    if (here / "build.hang").exists():  # a long step: until interrupted
        import time
        time.sleep(60)
    (here / "dockerfile-seen").write_text(Path(args[args.index("--file") + 1]).read_text())
    for index, arg in enumerate(args):
        if arg == "--secret":
            src = dict(p.split("=", 1) for p in args[index + 1].split(","))["src"]
            (here / "secret-seen").write_text(Path(src).read_text())
    sys.exit(int((here / "build.rc").read_text()))
elif args[:2] == ["image", "inspect"]:
    print(json.dumps([{"Id": "sha256:" + "ab" * 32, "Size": 123456789, "RepoTags": [args[2]]}]))
elif args[0] == "save":
    sys.stdout.buffer.write((here / "save.bin").read_bytes())
    sys.stdout.flush()
    if (here / "save.fail").exists():
        sys.stderr.write("Error response from daemon: layer vanished\\n")
        sys.exit(1)
"""

OK_OUTPUT = """\
#1 [internal] load build definition from Dockerfile
#1 sha256:fa004bc1290b1f9eb90a9e808be1dc972feff62bd2ea0e071280fb5836ef0c2c
#1 transferring dockerfile: 277B done
#1 DONE 0.0s

#4 [1/3] FROM docker.io/library/python:3.11.15-slim-bookworm
#4 CACHED

#5 [2/3] RUN echo step-one 0
#5 0.095 step-one 0
#5 DONE 0.2s

#6 exporting to image
#6 exporting layers done
#6 writing image sha256:abab done
#6 DONE 0.1s
"""

FAILED_OUTPUT = (
    OK_OUTPUT.split("#6 exporting")[0]
    + "".join(f"#6 [3/3] RUN make\n#6 0.{i:03d} line {i}\n" for i in range(30))
    + """#6 ERROR: executor failed running [/bin/sh -c make]: exit code: 2
------
 > [3/3] RUN make:
------
executor failed running [/bin/sh -c make]: exit code: 2
"""
)


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "fake"
    folder.mkdir()
    docker = folder / "docker"
    docker.write_text(f"#!{sys.executable}\n{SCRIPT}")
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    (folder / "build.out").write_text(OK_OUTPUT)
    (folder / "build.rc").write_text("0")
    monkeypatch.setenv("FAKE_DOCKER_DIR", str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # the fake is a docker client: never auto-detect (no socket here would pick an installed podman)
    monkeypatch.setenv("DOCKWRIGHT_ENGINE", "docker")
    return folder


def engine_for(folder: Path) -> DockerEngine:
    return DockerEngine(Client(str(folder / "docker"), buildx=False))


def calls(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "calls.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def build_calls(folder: Path) -> list[dict[str, Any]]:
    """The real build invocations (not the `build --help` discovery probe)."""
    return [c for c in calls(folder) if c["argv"][1] == "build" and "--help" not in c["argv"]]


def request(tmp_path: Path, **changes: object) -> BuildRequest:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    fields: dict[str, object] = {
        "context": str(tmp_path),
        "dockerfile": str(tmp_path / "Dockerfile"),
        "tag": "demo:1",
        **changes,
    }
    return BuildRequest(**fields)  # type: ignore[arg-type]


def test_build_reports_steps_cached_steps_and_keeps_the_log(fake: Path, tmp_path: Path) -> None:
    steps: list[BuildStep] = []
    image = engine_for(fake).build(request(tmp_path, network="host"), steps.append)
    assert image.image_id == "sha256:" + "ab" * 32 and image.size == 123456789
    assert image.cached_steps == ("[1/3] FROM docker.io/library/python:3.11.15-slim-bookworm",)
    assert ("5", "[2/3] RUN echo step-one 0", "log", "step-one 0") in [
        (s.step_id, s.name, s.state, s.text) for s in steps
    ]
    log_file = Path(str(image.extra["log_file"]))
    assert log_file.read_text() == OK_OUTPUT == image.log
    assert log_file.is_relative_to(tmp_path / "cache" / "dockwright" / "logs")
    (build_call,) = build_calls(fake)
    assert build_call["env"]["DOCKER_BUILDKIT"] == "1"
    argv: list[str] = build_call["argv"]
    assert argv[argv.index("--network") + 1] == "host" and argv[-1] == str(tmp_path)


def test_a_failed_build_names_the_step_and_its_last_lines(fake: Path, tmp_path: Path) -> None:
    (fake / "build.out").write_text(FAILED_OUTPUT)
    (fake / "build.rc").write_text("1")
    with pytest.raises(EngineError) as caught:
        engine_for(fake).build(request(tmp_path))
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("build failed: step [3/3] RUN make failed: executor failed running")
    assert "(full log: " in lines[0]
    assert lines[1:] == [f"  line {i}" for i in range(10, 30)]  # the last 20 log lines


def test_a_frontend_failure_reports_buildkits_last_line(fake: Path, tmp_path: Path) -> None:
    (fake / "build.out").write_text(
        "#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n"
        "failed to solve with frontend dockerfile.v0: failed to create LLB definition: "
        "dockerfile parse error line 2: unknown instruction: RUNX\n"
    )
    (fake / "build.rc").write_text("1")
    with pytest.raises(EngineError, match=r"^build failed: failed to solve .* unknown instruction: RUNX"):
        engine_for(fake).build(request(tmp_path))


def test_no_engine_answering_is_one_clear_line(fake: Path, tmp_path: Path) -> None:
    (fake / "no-daemon").write_text("")
    with pytest.raises(EngineError) as caught:
        engine_for(fake).build(request(tmp_path))
    message = str(caught.value)
    assert message.startswith("no Docker engine answers") and "\n" not in message
    assert build_calls(fake) == []


def test_no_engine_line_names_the_address_the_same_for_build_and_inspect(fake: Path, tmp_path: Path) -> None:
    (fake / "no-daemon").write_text("")
    expected = (
        "no Docker engine answers at unix:///var/run/docker.sock "
        "(is dockerd running? DOCKER_HOST or `docker context use` picks the address)"
    )
    with pytest.raises(EngineError) as built:
        engine_for(fake).build(request(tmp_path))
    assert str(built.value) == expected
    with pytest.raises(EngineError) as inspected:
        engine_for(fake).inspect_image("demo:1")
    assert str(inspected.value) == f"docker image inspect: {expected}"


def test_save_streams_from_the_pipe_and_checks_the_exit(fake: Path, tmp_path: Path) -> None:
    archive = tmp_path / "a.tar"
    member = tmp_path / "manifest.json"
    member.write_text("[]")
    with tarfile.open(archive, "w") as tar:
        tar.add(member, arcname="manifest.json")
    (fake / "save.bin").write_bytes(archive.read_bytes())
    stream = engine_for(fake).save("demo:1")
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            assert [m.name for m in tar] == ["manifest.json"]
    finally:
        stream.close()
    (fake / "save.fail").write_text("")
    failing = engine_for(fake).save("demo:1")
    with pytest.raises(EngineError, match=r"docker save demo:1 failed: .*layer vanished"):
        failing.read()
    failing.close()


def test_the_private_index_reaches_buildkit_only_as_a_secret_file(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    url = "https://user:hunter2@pypi.internal/simple"
    api.build(REPO / "examples" / "flask-requirements", index_url=url, network="host")
    assert (fake / "secret-seen").read_text() == f"[global]\nindex-url = {url}\n"
    for call in calls(fake):
        assert "hunter2" not in json.dumps(call["argv"])
        assert "hunter2" not in json.dumps(call["env"])
    (build_call,) = build_calls(fake)
    argv: list[str] = build_call["argv"]
    secret = argv[argv.index("--secret") + 1]
    assert secret.startswith("id=pipconf,src=")
    assert not Path(secret.split("src=", 1)[1]).exists()


def test_the_planned_dockerfile_mounts_the_private_index_only_when_one_is_given(
    fake: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`build --index-url` (or the user's own pipconf secret) plans the pipconf mount; a plain build
    of a project on PyPI has none (each secret mount delays its step on Docker < 27.3)."""
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    monkeypatch.delenv("DOCKWRIGHT_PRIVATE_INDEX", raising=False)
    project = REPO / "examples" / "flask-requirements"
    mount = "--mount=type=secret,id=pipconf,target=/root/.config/pip/pip.conf"
    api.build(project, network="host")
    assert mount not in (fake / "dockerfile-seen").read_text()
    api.build(project, index_url="https://pypi.internal/simple", network="host")
    assert mount in (fake / "dockerfile-seen").read_text()
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nindex-url = https://pypi.internal/simple\n")
    api.build(project, network="host", build_options=BuildOptions(secrets=(f"id=pipconf,src={conf}",)))
    assert mount in (fake / "dockerfile-seen").read_text()


def test_a_planned_dockerfile_without_the_pipconf_mount_is_refused(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The uv strategy's installer reads no pip.conf; private-index turned off by hand: both refused."""
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    url = "https://pypi.internal/simple"
    with pytest.raises(ConfigError, match="the planned Dockerfile mounts no secret 'pipconf'"):
        api.build(REPO / "examples" / "fastapi-uv", index_url=url, strategy="uv", network="host")
    with pytest.raises(ConfigError, match="private-index off"):
        api.build(REPO / "examples" / "flask-requirements", index_url=url, private_index=False)
    assert not (fake / "calls.jsonl").exists() or build_calls(fake) == []


def test_an_own_dockerfile_without_the_pipconf_mount_is_refused_in_one_line(
    fake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The private index would be silently ignored (pip would install from PyPI): exit 2, naming the fix."""
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    project = tmp_path / "app"
    shutil.copytree(REPO / "examples" / "flask-requirements", project)
    (project / "Dockerfile").write_text("FROM python:3.12-slim\nRUN pip install -r requirements.txt\n")
    url = "https://user:hunter2@pypi.internal/simple"
    assert main(["build", str(project), "--index-url", url, "--progress", "plain"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "mounts no secret 'pipconf'" in err[0]
    assert "dockwright init --force --private-index" in err[0] and "hunter2" not in err[0]
    assert not (fake / "calls.jsonl").exists() or build_calls(fake) == []
    (project / "Dockerfile").write_text(
        "FROM python:3.12-slim\n"
        "RUN --mount=type=secret,target=/root/.config/pip/pipconf pip install -r requirements.txt\n"
    )  # BuildKit names a secret without id after its target's file name
    assert main(["build", str(project), "--index-url", url, "--progress", "plain"]) == 0
    assert len(build_calls(fake)) == 1


def test_cli_build_prints_steps_then_image_id_and_size(
    fake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    project = str(REPO / "examples" / "flask-requirements")
    assert main(["build", project, "--progress", "plain", "--tag", "t:1", "--network", "host"]) == 0
    out = capsys.readouterr().out
    assert "cached  [1/3] FROM docker.io/library/python:3.11.15-slim-bookworm" in out
    assert f"built t:1  sha256:{'ab' * 32}  123.5 MB" in out
    assert main(["build", project, "--progress", "tty", "--tag", "t:1"]) == 0  # the live table renders
    assert "built t:1" in capsys.readouterr().out


def test_cli_build_failure_is_one_line_then_the_steps_tail_exit_2(
    fake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    (fake / "build.out").write_text(FAILED_OUTPUT)
    (fake / "build.rc").write_text("1")
    project = str(REPO / "examples" / "flask-requirements")
    assert main(["build", project, "--progress", "plain"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: build failed: step [3/3] RUN make failed: executor failed")
    assert err[-1] == "  line 29"


def test_cli_several_platforms_with_a_classic_client_say_buildx_is_needed(
    fake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    project = str(REPO / "examples" / "flask-requirements")
    assert main(["build", project, "--platform", "linux/amd64,linux/arm64"]) == 2
    assert "needs docker buildx" in capsys.readouterr().err


def test_cli_dry_run_prints_the_engine_command_and_builds_nothing(
    fake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    token = tmp_path / "token"
    token.write_text("s3cret")
    project = str(REPO / "examples" / "flask-requirements")
    argv = ["build", project, "--dry-run", "--tag", "t:1", "--network", "host"]
    argv += ["--build-arg", "VERSION=9", "--label", "team=web", "--secret", f"id=token,src={token}"]
    argv += ["--cache-from", "type=registry,ref=reg/t:cache"]
    assert main(argv) == 0
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    assert printed.startswith(f"{fake / 'docker'} build ")
    for part in ("--build-arg VERSION=9", "--label team=web", f"--secret id=token,src={token}", "--tag t:1"):
        assert part in printed
    assert "--cache-from type=registry,ref=reg/t:cache" in printed
    assert "s3cret" not in printed
    assert build_calls(fake) == [], "--dry-run runs no build"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--push"], "--push needs docker buildx"),
        (["--build-arg", "NOVALUE"], "--build-arg 'NOVALUE' is not KEY=VALUE"),
        (["--secret", "id=x,src=/nonexistent/file"], "no such file /nonexistent/file"),
        (["--cache-to", "ref=reg/x"], "names no type"),
    ],
)
def test_cli_bad_build_options_are_one_line_exit_2(
    fake: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    project = str(REPO / "examples" / "flask-requirements")
    assert main(["build", project, "--dry-run", *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
def test_the_save_pipe_is_widened_so_one_read_moves_a_megabyte() -> None:
    import fcntl

    from dockwright.engine.cli_engine import PIPE_BYTES, widen_pipe

    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        widen_pipe(pipe)  # type: ignore[arg-type]
        size = fcntl.fcntl(pipe.fileno(), 1032)  # F_GETPIPE_SZ
        os.close(write_end)
    assert size >= min(PIPE_BYTES, int(Path("/proc/sys/fs/pipe-max-size").read_text()))
    widen_pipe(None)  # nothing to widen: no error


def test_the_engine_facts_a_build_asks_first_are_asked_once_and_can_be_asked_ahead(fake: Path) -> None:
    """``prepare`` (run by api.build beside the planning) asks the platform and the builder's driver;
    the build's own asking then reuses the answers: one subprocess each per engine object."""
    engine = DockerEngine(Client(str(fake / "docker"), buildx=True))
    engine.prepare()
    engine.native_platform()
    engine.buildx_driver(None)
    engine.buildx_driver(None)
    argv = [c["argv"][1:3] for c in calls(fake)]
    assert argv.count(["version", "--format"]) == 1
    assert argv.count(["buildx", "inspect"]) == 1


def test_preparing_an_engine_that_does_not_answer_raises_nothing(
    fake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's own asking reports the failure (one line), never the thread that asked ahead."""
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "missing-docker"))
    DockerEngine().prepare()


def test_a_dry_run_build_asks_the_engine_ahead_and_plans_the_same(
    fake: Path, tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = DockerEngine.prepare

    def prepare(self: DockerEngine) -> None:
        asked.append("prepare")
        real(self)

    monkeypatch.setattr(DockerEngine, "prepare", prepare)
    project = tmp_path / "app"
    shutil.copytree(examples_dir / "cli-setuptools", project)
    image = api.build(project, engine=engine_for(fake), build_options=BuildOptions(dry_run=True))
    assert asked == ["prepare"]
    assert image.extra["command"][0] == str(fake / "docker")


def test_preparing_asks_the_driver_while_the_client_is_probed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no client resolved yet, ``prepare`` asks the first client found for the builder's driver
    beside that client's buildx probe, and the build's own asking reuses the answer."""
    log = tmp_path / "calls"
    cli = tmp_path / "docker"
    cli.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        'case "$*" in\n'
        '  "buildx version") echo "github.com/docker/buildx v0.13.1" ;;\n'
        '  "buildx inspect") printf "Name: lab\\nDriver: docker-container\\n" ;;\n'
        '  version*) echo "26.1.5 linux/amd64" ;;\n'
        "  *) exit 1 ;;\n"
        "esac\n"
    )
    cli.chmod(0o755)
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(cli))
    engine = DockerEngine()
    engine.prepare()
    assert engine.buildx_driver(None) == "docker-container"
    assert engine.native_platform() == "linux/amd64"
    calls = log.read_text().splitlines()
    assert sorted(calls) == [
        "buildx inspect",
        "buildx version",
        "info --format {{json .ClientInfo.Plugins}}",  # the plugin's file (none named here)
        "version --format {{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}",
    ]


def test_the_driver_is_asked_through_the_engine_s_one_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``buildx inspect`` runs through ``_cli`` (its timeout and error wording), with the client the
    question is for; an engine that does not answer gives no driver, never an error."""
    import subprocess

    asked: list[tuple[str, tuple[str, ...]]] = []

    def cli(self: DockerEngine, *args: str, executable: str = "", **kwargs: Any) -> Any:
        asked.append((executable, args))
        if args[-1] == "gone":
            raise EngineError("docker buildx did not answer within 120 s")
        return subprocess.CompletedProcess(args, 0, "Name: lab\nDriver: remote\n", "")

    monkeypatch.setattr(DockerEngine, "_cli", cli)
    engine = DockerEngine(Client(str(tmp_path / "docker"), buildx=True))
    assert engine.buildx_driver("lab") == "remote"
    assert engine._driver_of(None, "/opt/other/docker") == "remote"
    assert engine.buildx_driver("gone") == ""
    assert asked == [
        ("", ("buildx", "inspect", "lab")),
        ("/opt/other/docker", ("buildx", "inspect")),
        ("", ("buildx", "inspect", "gone")),
    ]


def test_a_build_after_a_source_edit_starts_from_the_last_plan(
    fake: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The edit leaves the plan as it was: the build started from the kept plan beside the planning is
    taken, and the user's tag moved to it. An edit that changes the plan (another start) stops it and
    removes its image; the new plan's build runs."""
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(fake / "docker"))
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "on")
    monkeypatch.delenv("DOCKWRIGHT_BUILD_AHEAD", raising=False)
    project = tmp_path / "app"
    shutil.copytree(REPO / "examples" / "flask-requirements", project)
    first = api.build(project, network="host", tag="team/app:1")
    assert "built_ahead" not in first.extra  # nothing kept before
    app = project / "app.py"
    app.write_text(app.read_text() + "\n# an edit\n")
    second = api.build(project, network="host", tag="team/app:1")
    assert second.extra["built_ahead"] is True and second.ref == "team/app:1"
    argv = build_calls(fake)[-1]["argv"]
    pending = argv[argv.index("--tag") + 1]
    assert pending.startswith("dockwright-ahead:")
    asked = [call["argv"][1:] for call in calls(fake)]
    assert ["tag", second.image_id, "team/app:1"] in asked and ["image", "rm", pending] in asked
    assert len(build_calls(fake)) == 2
    app.write_text(
        app.read_text().replace("app = Flask", "application = Flask").replace("@app.", "@application.")
    )
    third = api.build(project, network="host", tag="team/app:1")
    assert "built_ahead" not in third.extra
    built_argv = build_calls(fake)[-1]["argv"]
    assert built_argv[built_argv.index("--tag") + 1] == "team/app:1"
    assert "app:application" in (fake / "dockerfile-seen").read_text()
    # the one ahead (the old start) was stopped, maybe before its command ran; its name removed
    removed = [call["argv"][3] for call in calls(fake) if call["argv"][1:3] == ["image", "rm"]]
    assert len(removed) == 2 and removed[0] == pending and removed[1].startswith("dockwright-ahead:")
    monkeypatch.setenv("DOCKWRIGHT_BUILD_AHEAD", "off")
    app.write_text(app.read_text() + "\n# another edit\n")
    count = len(build_calls(fake))
    assert "built_ahead" not in api.build(project, network="host", tag="team/app:1").extra
    assert len(build_calls(fake)) == count + 1


def test_a_stopped_build_ends_at_once_and_the_next_one_runs(fake: Path, tmp_path: Path) -> None:
    """stop_build interrupts the thread's build command (as Ctrl-C: BuildKit cancels its steps)."""
    import threading
    import time

    engine = engine_for(fake)
    (fake / "build.hang").write_text("")
    seen: list[BuildStep] = []
    failures: list[BaseException] = []

    def build() -> None:
        try:
            engine.build(request(tmp_path), seen.append)
        except EngineError as error:
            failures.append(error)

    worker = threading.Thread(target=build)
    worker.start()
    deadline = time.monotonic() + 30
    while not any(step.state == "done" for step in seen) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert worker.ident is not None
    started = time.monotonic()
    engine.stop_build(worker.ident)
    worker.join(20)
    assert not worker.is_alive() and time.monotonic() - started < 15
    assert [str(error) for error in failures] == ["docker build stopped"]
    engine.resume_builds(worker.ident)
    (fake / "build.hang").unlink()
    assert engine.build(request(tmp_path)).image_id == "sha256:" + "ab" * 32


def test_each_tag_keeps_its_newest_build_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build's log goes to a fresh file; the tag's logs past the newest LOGS_PER_TAG go, those of a
    tag that only starts like it (app:1-x after app:1) stay."""
    import time

    from dockwright.engine import cli_engine

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(cli_engine, "LOGS_PER_TAG", 3)
    other = cli_engine.log_path("app:1-x")
    made = []
    for _ in range(5):
        made.append(cli_engine.log_path("app:1"))
        cli_engine.trim_logs("app:1")
        time.sleep(0.01)  # distinct modification times
    left = sorted(p.name for p in cli_engine.log_folder().iterdir())
    assert left == sorted([other.name, *(p.name for p in made[-3:])])


def test_the_start_of_a_threads_build_command_is_told(fake: Path, tmp_path: Path) -> None:
    """notify_start's event is set once the thread's build command has started (the build ahead's
    planning waits for it), and only for that thread; None forgets it."""
    import threading

    engine = engine_for(fake)
    started = threading.Event()
    other = threading.Event()
    engine.notify_start(threading.get_ident(), started)
    engine.notify_start(threading.get_ident() + 1, other)
    assert engine.build(request(tmp_path)).image_id == "sha256:" + "ab" * 32
    assert started.is_set() and not other.is_set()
    started.clear()
    engine.build(request(tmp_path))
    assert not started.is_set()  # told once, for the command that followed it
    engine.notify_start(threading.get_ident() + 1, None)
    assert engine._start_events == {}


def test_a_stopped_thread_runs_no_more_engine_commands(fake: Path) -> None:
    """After stop_build, the thread's next CLI call (an inspect, a pull) fails at once."""
    import threading

    engine = engine_for(fake)
    errors: list[str] = []

    def ask() -> None:
        engine.stop_build(threading.get_ident())
        try:
            engine.inspect_image("demo:1")
        except EngineError as error:
            errors.append(str(error))

    worker = threading.Thread(target=ask)
    worker.start()
    worker.join(10)
    assert errors == ["docker build stopped"]
    assert worker.ident is not None
    engine.resume_builds(worker.ident)
    assert engine.inspect_image("demo:1")["Id"] == "sha256:" + "ab" * 32


def test_the_buildx_plugin_is_started_as_the_cli_starts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI names its buildx plugin's file: a build starts that file with ``buildx`` first and the
    CLI's path in DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND, as docker/cli does; ``--dry-run`` still
    shows ``docker buildx build``. A file outside Docker's plugin folders (a snap's) is not used."""
    from dockwright.engine.docker import PLUGIN_CALLER, Client, buildx_plugin

    config = tmp_path / "config"
    (config / "cli-plugins").mkdir(parents=True)
    plugin = config / "cli-plugins" / "docker-buildx"
    elsewhere = tmp_path / "snap" / "docker-buildx"
    elsewhere.parent.mkdir()
    for made in (plugin, elsewhere):
        made.write_text("#!/bin/sh\n")
        made.chmod(0o755)
    cli = tmp_path / "docker"
    named = tmp_path / "named"
    cli.write_text(
        "#!/bin/sh\n"
        f'[ "$1 $2" = "info --format" ] && printf \'[{{"Name":"buildx","Path":"%s"}}]\' "$(cat {named})"\n'
    )
    cli.chmod(0o755)
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    named.write_text(str(plugin))
    assert buildx_plugin(str(cli)) == str(plugin)
    named.write_text(str(elsewhere))
    assert buildx_plugin(str(cli)) == ""
    client = Client(str(cli), buildx=True, plugin=str(plugin))
    argv = [*client.build_prefix(), "--tag", "app:1", "."]
    assert client.launched(argv) == [str(plugin), "buildx", "build", "--load", "--tag", "app:1", "."]
    assert client.build_env() == {PLUGIN_CALLER: str(cli)}
    plain = Client(str(cli), buildx=True)
    assert plain.launched(argv) == argv and plain.build_env() == {}
