"""The ``dockwright`` command's early save (audit.prefetch.start_early, launch): which command lines
start it (an audit of a local Docker image, in forms the pre-scan knows) and which are left alone,
and how the audit takes the save (or how an unclaimed one is closed)."""

from __future__ import annotations

import json
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.engine.test_docker_api import Daemon, archive

from dockwright import launch
from dockwright.audit import prefetch
from dockwright.audit.prefetch import command_image, start_early, start_save
from dockwright.engine.docker import DockerEngine

SAVE = "GET /images/get?names=team%2Fapp%3A1 HTTP/1.0"


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "team/app:1"],
        ["--debug", "audit", "team/app:1"],
        ["audit", "--format", "json", "team/app:1"],
        ["audit", "team/app:1", "--format=html", "-o", "report.html"],
        ["audit", "team/app:1", "--output", "r.json", "--max-size", "250"],
        ["audit", "team/app:1", "--context", "app", "--engine", "docker", "--from", "engine"],
        ["audit", "team/app:1", "--engine=auto", "--from=auto"],
        ["audit", "team/app:1", "--run", "--env-file", "app.env", "--network", "host"],
        ["audit", "127.0.0.1:3150/team/app@sha256:" + "ab" * 32],
    ],
)
def test_an_audit_of_an_engine_image_is_recognised(args: list[str]) -> None:
    image = command_image(args)
    assert image is not None and image == next(a for a in args if "app" in a and not a.endswith(".html"))


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["audit"],
        ["lint", "Dockerfile"],
        ["build", "."],
        ["--version"],
        ["-h", "audit", "team/app:1"],
        ["audit", "team/app:1", "--help"],
        ["audit", "team/app:1", "-h"],
        ["audit", "--explain", "lock"],
        ["audit", "--list-checks"],
        ["audit", "team/app:1", "other/app:2"],  # click refuses a second IMAGE
        ["audit", "team/app:1", "--from", "registry"],
        ["audit", "team/app:1", "--from=registry"],
        ["audit", "team/app:1", "--platform", "linux/arm64"],
        ["audit", "team/app:1", "--engine", "podman"],
        ["audit", "team/app:1", "--engine", "Docker"],  # not one of click's choices
        ["audit", "team/app:1", "--format", "yaml"],
        ["audit", "team/app:1", "--max-size", "big"],
        ["audit", "team/app:1", "--max-size", "0"],
        ["audit", "team/app:1", "--env-file", "app.env"],  # needs --run: a usage error
        ["audit", "team/app:1", "--network=host"],
        ["audit", "team/app:1", "--context"],  # a value missing
        ["audit", "team/app:1", "--context", "--run"],  # a value that looks like an option
        ["audit", "team/app:1", "-o=r.json"],
        ["audit", "team/app:1", "-or.json"],
        ["audit", "team/app:1", "--run=yes"],
        ["audit", "team/app:1", "--con", "app"],  # click has no abbreviations
        ["audit", "team/app:1", "--debug"],  # the group's option, not the audit's
        ["audit", "--", "team/app:1"],
        ["audit", "-"],
        ["audit", ""],
    ],
)
def test_anything_else_is_left_alone(args: list[str]) -> None:
    assert command_image(args) is None


@pytest.fixture
def daemon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Daemon]:
    folder = tempfile.mkdtemp(prefix="dw-early-", dir="/tmp")  # a socket path must stay short
    served = Daemon(f"{folder}/docker.sock")
    served.answers["/images/get?names=team%2Fapp%3A1"] = (200, archive())
    for name in ("DOCKWRIGHT_DOCKER", "DOCKER_CONTEXT", "DOCKWRIGHT_ENGINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{served.path}")
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", folder)  # no docker CLI: only the socket answers
    try:
        yield served
    finally:
        prefetch._close_early()
        prefetch.drop_sent()
        served.close()
        shutil.rmtree(folder, ignore_errors=True)


def _drain(stream: object) -> bytes:
    data = b""
    while chunk := stream.read(1 << 16):  # type: ignore[attr-defined]
        data += chunk
    return data


def test_the_audit_takes_the_save_sent_before_the_command_line_was_parsed(daemon: Daemon) -> None:
    assert start_early(["audit", "team/app:1", "--format", "json"])
    engine = DockerEngine()
    stream = start_save(engine, "team/app:1")
    assert stream is not None
    try:
        assert _drain(stream) == archive()
    finally:
        stream.close()
    assert daemon.requests == [SAVE], "one save: the one sent early"
    again = start_save(engine, "team/app:1")  # sent now; the daemon records it before it answers
    assert again is not None
    try:
        assert _drain(again) == archive()
    finally:
        again.close()
    assert daemon.requests == [SAVE, SAVE]


def test_a_save_the_audit_does_not_take_is_closed(daemon: Daemon) -> None:
    daemon.answers["/images/get?names=other%3A1"] = (200, archive())
    assert start_early(["audit", "team/app:1"])
    early = prefetch._EARLY[0][2]
    stream = start_save(DockerEngine(), "other:1")  # another name: its own save
    assert stream is not None and early.closed
    stream.close()
    assert start_early(["audit", "team/app:1"])
    early = prefetch._EARLY[0][2]
    prefetch._close_early()  # what the command's exit does when no audit took it
    assert early.closed and not prefetch._EARLY


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["audit", "team/app:1", "--engine", "podman"], {}),
        (["audit", "team/app:1"], {"DOCKWRIGHT_ENGINE": "podman"}),
        (["audit", "team/app:1"], {"DOCKWRIGHT_DOCKER": "/opt/docker"}),  # that client is run
        (["audit", "team/app:1"], {"DOCKER_HOST": "tcp://10.0.0.2:2376"}),
        (["audit", "team/app:1"], {"DOCKER_CONTEXT": "remote", "DOCKER_HOST": None}),
        (["audit", "team/app:1"], {"DOCKER_HOST": "unix:///nonexistent/docker.sock"}),
        (["audit", "team/app:1", "--platform", "linux/amd64"], {}),
    ],
)
def test_nothing_is_sent_for_another_engine_or_client(
    daemon: Daemon, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str | None]
) -> None:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name)
        else:
            monkeypatch.setenv(name, value)
    assert not start_early(args)
    assert daemon.requests == [] and not prefetch._EARLY


def test_an_explicit_docker_engine_overrides_the_environment(
    daemon: Daemon, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_ENGINE", "podman")  # --engine wins, as in engine_named
    assert start_early(["audit", "team/app:1", "--engine", "docker"])


def test_a_name_audited_before_is_not_saved_early(daemon: Daemon, tmp_path: Path) -> None:
    """As in start_save: its image is likely cached, and the audit inspects it first."""
    entry = tmp_path / "cache" / "v1" / "ref" / (prefetch.ref_key("team/app:1").replace(":", "-") + ".json")
    entry.parent.mkdir(parents=True)
    entry.write_text(json.dumps({"id": "sha256:" + "ab" * 32}))
    assert not start_early(["audit", "team/app:1"])
    assert daemon.requests == []


def test_a_save_the_daemons_client_sent_is_taken_not_sent_again(daemon: Daemon) -> None:
    """The client sends the save before the hand-over (send_early) and passes the connection; the
    served child adopts its copy (adopt_sent) and start_early reads it: one request in all."""
    import os

    sent = prefetch.send_early(["audit", "team/app:1"])
    assert sent is not None
    child_copy = os.dup(sent)  # what SCM_RIGHTS gives the child
    prefetch.drop_sent()  # the client's copy, closed once the child has its own
    prefetch.adopt_sent(child_copy)
    assert start_early(["audit", "team/app:1"])
    _the_save_is_read_once(daemon)
    assert not prefetch._SENT


def test_a_sent_save_is_taken_when_the_command_runs_in_the_clients_process(daemon: Daemon) -> None:
    """No daemon took the command: it runs where the save was sent, and reads it."""
    assert prefetch.send_early(["audit", "team/app:1"]) is not None
    assert start_early(["audit", "team/app:1"])
    assert not prefetch._SENT
    _the_save_is_read_once(daemon)


def test_a_sent_save_the_command_declines_is_closed(daemon: Daemon, tmp_path: Path) -> None:
    """Between the client's send and the child's check another audit recorded the name: the child
    declines the early save (as start_save would) and closes the connection it was given."""
    import os

    sent = prefetch.send_early(["audit", "team/app:1"])
    assert sent is not None
    child_copy = os.dup(sent)
    prefetch.drop_sent()
    prefetch.adopt_sent(child_copy)
    adopted = str(Path(f"/proc/self/fd/{child_copy}").readlink())  # socket:[INODE]
    entry = tmp_path / "cache" / "v1" / "ref" / (prefetch.ref_key("team/app:1").replace(":", "-") + ".json")
    entry.parent.mkdir(parents=True)
    entry.write_text(json.dumps({"id": "sha256:" + "ab" * 32}))
    assert not start_early(["audit", "team/app:1"])
    assert not prefetch._SENT and not prefetch._EARLY
    try:
        now = str(Path(f"/proc/self/fd/{child_copy}").readlink())
    except OSError:
        now = ""
    assert now != adopted, "the adopted connection is closed"


def test_a_passed_descriptor_that_is_no_stream_socket_is_closed() -> None:
    import os

    read_end, write_end = os.pipe()
    prefetch.adopt_sent(read_end)
    assert not prefetch._SENT
    os.close(write_end)
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    prefetch.adopt_sent(theirs.detach())
    assert not prefetch._SENT
    ours.close()


def test_nothing_is_sent_early_for_other_commands(daemon: Daemon) -> None:
    assert prefetch.send_early(["build", "."]) is None
    assert prefetch.send_early(["audit", "team/app:1", "--engine", "podman"]) is None
    assert daemon.requests == [] and not prefetch._SENT


def test_the_command_runs_the_pre_scan_then_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(prefetch, "start_early", lambda args: calls.append(("early", list(args))))
    monkeypatch.setattr("dockwright.cli.main", lambda argv=None: calls.append(("cli", argv)) or 0)
    assert launch.main(["audit", "x:1"]) == 0
    assert calls == [("early", ["audit", "x:1"]), ("cli", ["audit", "x:1"])]
    monkeypatch.setattr(sys, "argv", ["dockwright", "lint"])
    calls.clear()
    assert launch.main() == 0
    assert calls == [("early", ["lint"]), ("cli", None)]


def test_the_relay_pipe_is_widened_before_the_relay_writes() -> None:
    """Linux holds a pipe's lock while a splice from a socket waits for data: a resize after the
    relay started would wait for the engine's first byte."""
    import fcntl

    from dockwright.engine.docker_api import _Relay

    mine, theirs = socket.socketpair()
    relay = _Relay.start(theirs)
    assert relay is not None
    try:
        assert fcntl.fcntl(relay._output.fileno(), 1032) >= 1 << 20  # F_GETPIPE_SZ
    finally:
        mine.close()
        relay.close()
        theirs.close()


def test_the_name_key_is_hashlibs_sha256() -> None:
    """ref_key takes SHA-256 from the interpreter's own module where it has one: the same key."""
    import hashlib

    for ref in ("team/app:1", "registry.example:5000/a/b@sha256:" + "ab" * 32, "caf\u00e9:1", "x" * 500):
        assert prefetch.ref_key(ref) == "sha256:" + hashlib.sha256(ref.encode()).hexdigest()


def _the_save_is_read_once(daemon: Daemon) -> None:
    """The audit's save stream gives the archive the engine sent, asked of it once in all (the sent
    save was read, no second one sent)."""
    stream = start_save(DockerEngine(), "team/app:1")
    assert stream is not None
    try:
        assert _drain(stream) == archive()
    finally:
        stream.close()
    assert daemon.requests == [SAVE]
