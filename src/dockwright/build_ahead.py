"""A build started from the last plan while ``dockwright build`` plans the project again.

After a source edit the kept plan no longer holds (its planning read the edited module), so the build
plans again before the engine starts: 0.2-0.3 s on a small app, most of it the planner's imports, in
front of a 0.2 s cached rebuild. Most edits leave the plan as it was. :class:`BuildAhead` starts the
build the last plan asks for at once, beside the planning, and that build is *taken* only when the new
plan asks the engine for exactly the same build (:func:`asked`): the same Dockerfile and .dockerignore
texts, build args (``CREATED`` aside: the clock), secrets' contents, tag, target and options. Otherwise
it is stopped (the CLI interrupted: BuildKit cancels its steps) and the new plan's build runs as
before. The result never depends on the guess, only the time does.

Until it is taken nothing of it shows: its progress is held back, its image carries a name of its own
(``dockwright-ahead:...``), and the user's tag moves to it only once the new plan agrees. A build that
is not taken leaves no name and no image behind. A failed build is reported only when taken: the new
plan's build would have failed the same way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import secrets
import socket
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from dockwright.engine.base import BuildRequest, BuildStep, Image
from dockwright.errors import DockwrightError

AHEAD_REPOSITORY = "dockwright-ahead"  # the name a build ahead's image has until it is taken
LAUNCH_WAIT_SECONDS = 0.5  # the most the planning waits for the build ahead's command to start
TOKEN_BYTES = 6  # the HEX of a pending name dockwright-ahead:HOST-PID-HEX
CLOCK_ARGS = frozenset({"CREATED"})  # build args made from the clock at each build


class AheadEngine(Protocol):
    """What an engine offers for a build ahead: a build, stopping one, and moving a name."""

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image: ...

    def stop_build(self, thread: int) -> None: ...

    def resume_builds(self, thread: int) -> None: ...

    def notify_start(self, thread: int, started: threading.Event | None) -> None: ...

    def tag_image(self, image: str, ref: str) -> None: ...

    def untag(self, ref: str) -> None: ...


def can_build_ahead(engine: object) -> bool:
    """Whether ``engine`` can stop a build and move a tag (the Docker engine)."""
    names = ("stop_build", "resume_builds", "notify_start", "tag_image", "untag")
    return all(callable(getattr(engine, name, None)) for name in names)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def asked(request: BuildRequest) -> tuple[object, ...]:
    """What a build request asks of the engine, comparable between two requests made in one run: the
    Dockerfile and the .dockerignore BuildKit reads beside it by content (a rendered Dockerfile lives
    in a temporary folder of its own each time), secrets by content, build args but the clock's."""
    dockerfile = Path(request.dockerfile)
    beside = dockerfile.with_name(dockerfile.name + ".dockerignore")
    rest = dataclasses.replace(
        request,
        dockerfile=dockerfile.name,
        build_args=tuple((k, v) for k, v in request.build_args if k not in CLOCK_ARGS),
        secrets=(),
    )
    held = tuple((ident, _digest(Path(source))) for ident, source in request.secrets)
    return (rest, _digest(dockerfile), _digest(beside), held)


def _host() -> str:
    """This machine's name as a tag's characters (the leading part of a pending tag)."""
    return "".join(c if c.isalnum() or c in "._-" else "-" for c in socket.gethostname())[:48] or "host"


def _join(thread: threading.Thread) -> None:
    """Wait for ``thread`` even through a second Ctrl-C (re-raised once it has ended): its request's
    context deletes the temporary secret files (pip.conf, netrc, tokens) only when it is left."""
    interrupted: BaseException | None = None
    while thread.is_alive():
        try:
            thread.join()
        except KeyboardInterrupt as error:
            interrupted = error
    if interrupted is not None:
        raise interrupted


def _sweep(engine: AheadEngine) -> None:
    """Remove the pending names of builds ahead of this machine whose process is gone (killed before
    it could clean up): ``dockwright-ahead:HOST-PID-HEX``. Such a build left its log behind, named
    after that name (``cli_engine.log_path``; a build taken or dropped renames or removes it), so the
    logs folder is read, not the engine: its image list took ~40 ms of the engine's time, beside the
    build it slowed. A name too long for a log's name (a host name over ~25 characters) is not swept."""
    from dockwright.engine.cli_engine import log_folder, log_prefix

    host = _host()
    start = log_prefix(f"{AHEAD_REPOSITORY}:{host}")
    for log in log_folder().glob(start + "*.log"):
        pid, _, rest = log.name[len(start) :].partition("-")
        token = rest.partition("-")[0]
        tag = f"{AHEAD_REPOSITORY}:{host}-{pid}-{token}"
        if not pid.isdigit() or int(pid) == os.getpid() or len(token) != TOKEN_BYTES * 2:
            continue
        if len(log_prefix(tag)) != len(start) + len(pid) + len(token) + 2:
            continue  # the name was cut (log_prefix keeps 60 characters): not this one
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            engine.untag(tag)
            with contextlib.suppress(OSError):
                log.unlink()
        except OSError:
            continue  # alive, another user's


def _swept(engine: AheadEngine) -> None:
    """:func:`_sweep`, its errors ignored (a name left behind is swept by a later run)."""
    with contextlib.suppress(Exception):
        _sweep(engine)


def _forget_logs(tag: str) -> None:
    """Remove the logs of a build ahead that was not taken (named after its pending tag)."""
    from dockwright.engine.cli_engine import log_folder, log_prefix

    for log in log_folder().glob(log_prefix(tag) + "*.log"):
        with contextlib.suppress(OSError):
            log.unlink()


def _renamed_log(log: Path, tag: str) -> str:
    """The build log moved to the name a build of ``tag`` gives its log; where it was when it cannot."""
    from dockwright.engine.cli_engine import log_path, trim_logs

    try:
        named = log_path(tag)
        log.replace(named)
    except OSError:
        return str(log)
    trim_logs(tag)
    return str(named)


class BuildAhead:
    """One build ahead: started by :meth:`start`, then :meth:`take` or :meth:`drop` (which does nothing
    once it was taken)."""

    def __init__(self, engine: AheadEngine) -> None:
        self._engine = engine
        # HOST-PID-HEX: what _sweep reads when this process is gone
        self.pending_tag = f"{AHEAD_REPOSITORY}:{_host()}-{os.getpid()}-{secrets.token_hex(TOKEN_BYTES)}"
        self._lock = threading.Lock()
        self._held: list[BuildStep] | None = []  # progress until taken; None: passed on as it comes
        self._on_step: Callable[[BuildStep], None] | None = None
        self._asked: tuple[object, ...] | None = None
        self._ready = threading.Event()  # the request is known, or it could not be made
        self._launched = threading.Event()  # its first build command started, or it ended
        self._image: Image | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._ended = False  # its image renamed, or dropped

    @classmethod
    def start(
        cls,
        engine: AheadEngine,
        prepare: Callable[[], AbstractContextManager[BuildRequest]],
        after: threading.Thread | None = None,
    ) -> BuildAhead:
        """Start the build ``prepare`` asks for (its request's context holds its secrets), once
        ``after`` (the engine's warm-up) has ended, in a thread planning does not record."""
        ahead = cls(engine)
        ahead._thread = threading.Thread(
            target=ahead._run, args=(prepare, after), name="dockwright-engine-ahead", daemon=True
        )
        ahead._thread.start()
        return ahead

    def _run(
        self, prepare: Callable[[], AbstractContextManager[BuildRequest]], after: threading.Thread | None
    ) -> None:
        try:
            self._engine.notify_start(threading.get_ident(), self._launched)
            if after is not None:
                after.join()
            with prepare() as request:
                self._asked = asked(request)
                self._ready.set()
                # beside the build, never after it: listing the engine's images took ~40 ms, which a
                # warm rebuild (0.15-0.2 s) waited for when the build ended after the planning
                sweep = threading.Thread(target=_swept, args=(self._engine,), name="dockwright-engine-sweep")
                sweep.daemon = True
                sweep.start()
                pending = dataclasses.replace(request, tag=self.pending_tag)
                self._image = self._engine.build(pending, self._step)
        except BaseException as error:  # kept for take(): the new plan's build would meet it too
            self._error = error
        finally:
            with contextlib.suppress(Exception):
                self._engine.notify_start(threading.get_ident(), None)
            self._ready.set()
            self._launched.set()

    def wait_launched(self, timeout: float = LAUNCH_WAIT_SECONDS) -> None:
        """Wait until its first build command has started (the root image's, when that is built
        first), it ended, or ``timeout`` seconds passed. The planning waits for it: a planning thread
        holds the interpreter's lock and the build's preparation, a few engine questions and file
        reads, waited up to the switch interval (5 ms) after each of them: the command started ~12 ms
        after the thread did, ~18 ms beside a planning (flask-requirements, served)."""
        self._launched.wait(timeout)

    def _step(self, event: BuildStep) -> None:
        with self._lock:
            if self._held is not None:
                self._held.append(event)
                return
            on_step = self._on_step
        if on_step is not None:
            on_step(event)

    def take(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None) -> Image | None:
        """The image built ahead, named ``request.tag``, when it was asked what ``request`` asks (its
        progress shown through ``on_step``, its failure raised); else None, the build ahead stopped."""
        self._ready.wait()
        if self._asked is None or self._asked != asked(request):
            self.drop()
            return None
        with self._lock:
            held, self._held = self._held or [], None
            self._on_step = on_step
            for event in held:  # under the lock: the build's next events wait behind these
                if on_step is not None:
                    on_step(event)
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error  # drop() still removes what a failed build may have named
        assert self._image is not None
        image = self._image
        try:
            self._engine.tag_image(image.image_id or self.pending_tag, request.tag)
        except DockwrightError:
            self.drop()  # the new plan's build runs as if none had been started
            return None
        self._ended = True
        self._untag()  # the image stays under the user's tag
        extra = {**image.extra, "built_ahead": True}
        if isinstance(extra.get("log_file"), str):  # named after the user's tag, as any build's log
            extra["log_file"] = _renamed_log(Path(extra["log_file"]), request.tag)
        return dataclasses.replace(image, ref=request.tag, extra=extra)

    def drop(self) -> None:
        """Stop the build ahead and remove what it made (its image, unless another name holds it)."""
        if self._ended:
            return
        self._ended = True
        with self._lock:
            self._held = []  # its progress is never shown
            self._on_step = None
        thread = self._thread
        if thread is not None and thread.ident is not None:
            if thread.is_alive():
                self._engine.stop_build(thread.ident)
            _join(thread)  # its secrets' files go when it leaves the request's context
            self._engine.resume_builds(thread.ident)
        if self._asked is not None:  # a build started: stopped late, it may have loaded its image
            self._untag()
            _forget_logs(self.pending_tag)

    def _untag(self) -> None:
        with contextlib.suppress(DockwrightError):  # cleaning up never hides the build's result
            self._engine.untag(self.pending_tag)
