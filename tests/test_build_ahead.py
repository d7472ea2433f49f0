"""A build of the last plan started while the project is planned again (dockwright/build_ahead.py): taken
only when the new plan asks for the same build, its progress held back until then; stopped and removed
otherwise; and `dockwright build` after a source edit uses it (the engine scripted, no daemon)."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from dockwright import api
from dockwright.build_ahead import AHEAD_REPOSITORY, BuildAhead, asked, can_build_ahead
from dockwright.engine.base import BuildRequest, BuildStep, Image
from dockwright.errors import EngineError

STEPS = [BuildStep("1", "FROM python", "cached"), BuildStep("2", "COPY . .", "done")]


class AheadFake:
    """An engine that builds in the calling thread: its steps, then (``hold``) a wait that only
    ``stop_build`` ends, then an image named by the request's tag."""

    def __init__(self, *, hold: bool = False, error: str | None = None) -> None:
        self.hold = hold
        self.error = error
        self.calls: list[tuple[str, ...]] = []
        self.names: dict[str, str] = {}  # name -> image ID
        self._stop = threading.Event()
        self.building = threading.Event()
        self.starts: dict[int, threading.Event] = {}

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        self.calls.append(("build", request.tag))
        started = self.starts.pop(threading.get_ident(), None)
        if started is not None:  # as the CLI engine sets it once its command runs
            started.set()
        for step in STEPS:
            if on_step is not None:
                on_step(step)
        self.building.set()
        if self.hold and self._stop.wait(10):
            raise EngineError("docker build stopped")
        if self.error:
            raise EngineError(self.error)
        self.names[request.tag] = "sha256:" + "cd" * 32
        return Image(request.tag, "sha256:" + "cd" * 32, 42, extra={"command": ["docker", "build"]})

    def stop_build(self, thread: int) -> None:
        self.calls.append(("stop",))
        self._stop.set()

    def resume_builds(self, thread: int) -> None:
        self.calls.append(("resume",))
        self._stop.clear()

    def notify_start(self, thread: int, started: threading.Event | None) -> None:
        if started is None:
            self.starts.pop(thread, None)
        else:
            self.starts[thread] = started

    def tag_image(self, image: str, ref: str) -> None:
        self.calls.append(("tag", image, ref))
        self.names[ref] = image

    def untag(self, ref: str) -> None:
        self.calls.append(("untag", ref))
        self.names.pop(ref, None)


def request(folder: Path, **changes: Any) -> BuildRequest:
    dockerfile = folder / "Dockerfile"
    if not dockerfile.exists():
        dockerfile.write_text("FROM scratch\nCOPY . .\n")
    fields: dict[str, Any] = {
        "context": str(folder),
        "dockerfile": str(dockerfile),
        "tag": "app:1",
        "build_args": (("VERSION", "1.0"), ("CREATED", "2026-12-01T10:00:00Z")),
        **changes,
    }
    return BuildRequest(**fields)


def started(engine: AheadFake, made: BuildRequest) -> BuildAhead:
    @contextmanager
    def prepare() -> Iterator[BuildRequest]:
        yield made

    return BuildAhead.start(engine, prepare)


def test_the_same_build_is_taken_renamed_with_its_progress_held_until_then(tmp_path: Path) -> None:
    engine = AheadFake()
    ahead = started(engine, request(tmp_path))
    engine.building.wait(5)
    seen: list[BuildStep] = []
    later = request(tmp_path, build_args=(("VERSION", "1.0"), ("CREATED", "2026-12-01T10:00:09Z")))
    image = ahead.take(later, seen.append)  # a later clock: the same build
    assert image is not None and seen == STEPS
    assert image.ref == "app:1" and image.extra["built_ahead"] is True
    assert engine.calls[0] == ("build", ahead.pending_tag)
    assert ahead.pending_tag.startswith(f"{AHEAD_REPOSITORY}:")
    assert engine.names == {"app:1": "sha256:" + "cd" * 32}  # the pending name is gone
    ahead.drop()
    assert ("stop",) not in engine.calls


@pytest.mark.parametrize(
    "change",
    [
        {"build_args": (("VERSION", "2.0"), ("CREATED", "x"))},
        {"tag": "app:2"},
        {"target": "builder"},
        {"no_cache": True},
    ],
)
def test_another_build_stops_the_one_ahead_and_leaves_no_name(tmp_path: Path, change: dict[str, Any]) -> None:
    engine = AheadFake()
    ahead = started(engine, request(tmp_path))
    seen: list[BuildStep] = []
    assert ahead.take(request(tmp_path, **change), seen.append) is None
    assert seen == []  # its progress was never shown
    assert engine.names == {}  # the image it made is removed with its name


def test_a_build_still_running_is_stopped(tmp_path: Path) -> None:
    engine = AheadFake(hold=True)
    ahead = started(engine, request(tmp_path))
    assert engine.building.wait(5)
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY app.py .\n")  # the new plan's Dockerfile
    assert ahead.take(request(tmp_path), None) is None
    assert engine.calls[-3:] == [("stop",), ("resume",), ("untag", ahead.pending_tag)]
    assert engine.names == {}


def test_a_failure_of_the_same_build_is_the_builds_failure(tmp_path: Path) -> None:
    engine = AheadFake(error="RUN make: exit code 2")
    ahead = started(engine, request(tmp_path))
    with pytest.raises(EngineError, match="exit code 2"):
        ahead.take(request(tmp_path), None)
    ahead.drop()
    assert engine.names == {}


def test_a_request_that_could_not_be_made_guesses_nothing(tmp_path: Path) -> None:
    engine = AheadFake()

    @contextmanager
    def prepare() -> Iterator[BuildRequest]:
        raise EngineError("stale lock in the last plan")
        yield request(tmp_path)  # pragma: no cover

    ahead = BuildAhead.start(engine, prepare)
    assert ahead.take(request(tmp_path), None) is None
    assert [c for c in engine.calls if c[0] == "build"] == []


def test_the_planning_waits_until_the_build_command_started_or_could_not(tmp_path: Path) -> None:
    """wait_launched ends when the engine's command has started (the fake's build sets the event it
    was given), or when the request could not be made; never later than its timeout."""
    import time

    engine = AheadFake(hold=True)
    ahead = started(engine, request(tmp_path))
    began = time.monotonic()
    ahead.wait_launched(5)
    assert engine.calls[0][0] == "build" and time.monotonic() - began < 4
    assert engine.starts == {}
    ahead.drop()

    @contextmanager
    def failing() -> Iterator[BuildRequest]:
        raise EngineError("no engine")
        yield request(tmp_path)  # pragma: no cover

    began = time.monotonic()
    BuildAhead.start(engine, failing).wait_launched(5)
    assert time.monotonic() - began < 4 and engine.starts == {}  # forgotten, not left behind
    slow = threading.Event()

    @contextmanager
    def waiting() -> Iterator[BuildRequest]:
        slow.wait(10)
        yield request(tmp_path)

    began = time.monotonic()
    late = BuildAhead.start(engine, waiting)
    late.wait_launched(0.1)
    assert time.monotonic() - began < 4
    slow.set()
    late.drop()


def test_dropping_without_taking_stops_it(tmp_path: Path) -> None:
    engine = AheadFake(hold=True)
    ahead = started(engine, request(tmp_path))
    assert engine.building.wait(5)
    ahead.drop()  # the planning failed, say
    ahead.drop()
    assert engine.calls.count(("stop",)) == 1 and engine.names == {}


def test_asked_compares_files_by_content(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        folder.mkdir()
        (folder / "Dockerfile").write_text("FROM scratch\n")
        (folder / "Dockerfile.dockerignore").write_text(".git\n")
        (folder / "netrc").write_text("machine index login u password p\n")
    first = request(tmp_path, dockerfile=str(one / "Dockerfile"), secrets=(("netrc", str(one / "netrc")),))
    second = dataclasses.replace(
        first, dockerfile=str(two / "Dockerfile"), secrets=(("netrc", str(two / "netrc")),)
    )
    assert asked(first) == asked(second)  # two rendered copies of one Dockerfile, two copies of a secret
    (two / "netrc").write_text("machine index login u password q\n")
    assert asked(first) != asked(second)
    (two / "netrc").write_text("machine index login u password p\n")
    (two / "Dockerfile.dockerignore").write_text("")
    assert asked(first) != asked(second)


def test_only_an_engine_that_stops_builds_and_moves_tags_builds_ahead() -> None:
    from dockwright.engine.docker import DockerEngine
    from dockwright.engine.podman import PodmanEngine

    assert can_build_ahead(DockerEngine()) and can_build_ahead(AheadFake())
    assert not can_build_ahead(PodmanEngine())


def test_a_tag_the_engine_refuses_leaves_the_build_to_the_new_plan(tmp_path: Path) -> None:
    engine = AheadFake()

    def refuse(image: str, ref: str) -> None:
        raise EngineError("docker tag: no space left")

    engine.tag_image = refuse  # type: ignore[method-assign]
    ahead = started(engine, request(tmp_path))
    assert ahead.take(request(tmp_path), None) is None
    assert engine.names == {}  # the build ahead's image is gone with its name


def test_cleaning_up_never_hides_the_result(tmp_path: Path) -> None:
    engine = AheadFake()

    def unanswered(ref: str) -> None:
        raise EngineError("docker image rm: the engine's answer was cut")

    engine.untag = unanswered  # type: ignore[method-assign]
    ahead = started(engine, request(tmp_path))
    image = ahead.take(request(tmp_path), None)
    assert image is not None and image.ref == "app:1"
    dropped = started(engine, request(tmp_path))
    assert dropped.take(request(tmp_path, tag="app:2"), None) is None  # and no error either


def test_a_second_interrupt_still_waits_for_the_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The thread's request context deletes the secrets' temporary files: it is waited for even when
    Ctrl-C comes again during the wait (then raised once it has ended)."""
    from dockwright import build_ahead

    done = threading.Event()
    worker = threading.Thread(target=lambda: done.wait(5))
    worker.start()
    calls: list[int] = []
    real_join = threading.Thread.join

    def join(self: threading.Thread, timeout: float | None = None) -> None:
        calls.append(1)
        if len(calls) == 1:
            done.set()
            raise KeyboardInterrupt
        real_join(self, timeout)

    monkeypatch.setattr(threading.Thread, "join", join)
    with pytest.raises(KeyboardInterrupt):
        build_ahead._join(worker)
    assert not worker.is_alive() and len(calls) >= 2


def test_pending_names_of_builds_whose_process_is_gone_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed run's build ahead left its log, named after its pending name: the sweep reads the logs
    folder (never the engine's image list) and removes the names of this host's dead processes."""
    import subprocess
    import sys

    from dockwright import build_ahead
    from dockwright.engine.cli_engine import log_folder, log_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = int(gone.stdout)
    host = build_ahead._host()
    tags = [
        f"{host}-{dead}-aaaaaaaaaaaa",
        f"{host}-{os.getpid()}-bbbbbbbbbbbb",
        f"elsewhere-{dead}-cccccccccccc",
    ]
    logs = {tag: log_path(f"{AHEAD_REPOSITORY}:{tag}") for tag in tags}
    other = log_path("app:1")
    engine = AheadFake()
    build_ahead._sweep(engine)
    assert engine.calls == [("untag", f"{AHEAD_REPOSITORY}:{host}-{dead}-aaaaaaaaaaaa")]
    assert sorted(log_folder().iterdir()) == sorted([other, *(logs[tag] for tag in tags[1:])])


def test_a_dropped_build_leaves_no_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockwright.engine.cli_engine import log_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    engine = AheadFake()
    ahead = started(engine, request(tmp_path))
    engine.building.wait(5)
    log = log_path(ahead.pending_tag)
    kept = log_path("app:1")
    assert ahead.take(request(tmp_path, tag="app:2"), None) is None
    assert not log.exists() and kept.exists()


def test_an_exported_cache_or_push_builds_nothing_ahead() -> None:
    from dockwright.build import BuildOptions

    engine = AheadFake()
    assert api._builds_ahead(engine, (), None, None)  # type: ignore[arg-type]
    for options in (
        BuildOptions(cache_to=("type=inline",)),
        BuildOptions(push=True),
        BuildOptions(dry_run=True),
    ):
        assert not api._builds_ahead(engine, (), None, options)  # type: ignore[arg-type]
    assert not api._builds_ahead(engine, ("linux/arm64",), None, None)  # type: ignore[arg-type]
    assert not api._builds_ahead(engine, (), "type=oci,dest=a.tar", None)  # type: ignore[arg-type]
