"""CliEngine: what DockerEngine and PodmanEngine share, because both drive a CLI with Docker's verbs.

``run``, ``stop``, ``rm``, ``logs``, ``container inspect``, ``image inspect`` and ``save`` take the same
arguments on both CLIs, and a build is the same loop: run the command, feed each output line to a
progress reader, keep the full log in a file, turn a failure into one headline. A subclass names its
executable and supplies what really differs: the build command, its progress reader, the engine's
error lines, the ``ping``, ``history`` rows, and the Image a finished build reports.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, cast

from dockwright.engine.base import BuildRequest, BuildStep, Image, RunResult
from dockwright.engine.progress import ProgressReader
from dockwright.engine.readahead import ReadAhead
from dockwright.errors import EngineError

STOP_SECONDS = 10.0  # an interrupted build command's time to cancel before it is killed


def _interrupt(process: subprocess.Popen[str]) -> None:
    """Interrupt a build command (SIGINT: buildx and podman cancel the build, as on Ctrl-C); killed
    when it has not ended within :data:`STOP_SECONDS`."""
    if process.poll() is not None:
        return
    try:
        process.send_signal(signal.SIGINT)
    except (OSError, ValueError):  # Windows takes no SIGINT: the CLI is ended
        with contextlib.suppress(OSError):
            process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()


def log_folder() -> Path:
    """Where build logs go: ``$XDG_CACHE_HOME/dockwright/logs`` (else the temp dir)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(cache) / "dockwright" / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    return folder


def log_prefix(tag: str) -> str:
    """The start of the name of every log of a build of ``tag``."""
    return "build-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in tag)[:60] + "-"


LOGS_PER_TAG = 10  # the newest build logs kept of each tag (every build writes one)
_LOG_NAME = re.compile(r"[a-z0-9_]{8}\.log")  # what mkstemp adds to a tag's prefix


def log_path(tag: str) -> Path:
    """A fresh file for a build's full log, in :func:`log_folder`."""
    descriptor, name = tempfile.mkstemp(prefix=log_prefix(tag), suffix=".log", dir=log_folder())
    os.close(descriptor)
    return Path(name)


def trim_logs(tag: str) -> None:
    """Remove the logs named like ``tag``'s (:func:`log_prefix`, then mkstemp's 8 characters: not
    the logs of a tag whose name only starts like it) past the newest :data:`LOGS_PER_TAG`; errors
    ignored. Tags that :func:`log_prefix` spells alike (``app:dev`` and ``app-dev``, names alike in
    their first 60 characters) share those 10. A log a build, ~10 kB: a machine that builds all day
    kept thousands, and the build ahead's sweep read the folder through them. Called once the build's
    command runs: never on the path to its start."""
    folder, prefix = log_folder(), log_prefix(tag)
    try:
        with os.scandir(folder) as entries:
            logs = [
                (entry.stat().st_mtime_ns, entry.path)
                for entry in entries
                if entry.name.startswith(prefix) and _LOG_NAME.fullmatch(entry.name, len(prefix))
            ]
    except OSError:
        return
    for _mtime, path in sorted(logs)[:-LOGS_PER_TAG]:
        with contextlib.suppress(OSError):
            Path(path).unlink()


PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = 1031  # Linux fcntl


def widen_pipe(pipe: IO[bytes] | None, size: int = PIPE_BYTES) -> None:
    """Grow a pipe's kernel buffer (Linux; 64 kB by default) so one read moves up to ``size`` bytes.

    The reading thread takes the GIL back after every read while the parser holds it (up to the 5 ms
    switch interval each time): with 64 kB reads the save trickled in at a few MB/s while the audit
    parsed. Elsewhere, or past the system's limit, the pipe stays as it is."""
    if pipe is None or not sys.platform.startswith("linux"):
        return
    import fcntl

    with contextlib.suppress(OSError, ValueError):
        fcntl.fcntl(pipe.fileno(), _F_SETPIPE_SZ, size)


class ProcessStream(io.RawIOBase):
    """The stdout of a running process as a binary stream.

    At end of stream the process is waited for and a non-zero exit becomes an EngineError carrying
    its last stderr line; closing early stops the process.
    """

    def __init__(self, process: subprocess.Popen[bytes], errors: IO[bytes], what: str) -> None:
        super().__init__()
        assert process.stdout is not None
        self._process = process
        self._out = process.stdout
        self._errors = errors
        self._what = what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._out.readinto(buffer)  # type: ignore[attr-defined]
        if not count:
            self._finish()
            return 0
        return int(count)

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            return self.readall()
        data = self._out.read(size)  # unbuffered: what one system call returned, no copy
        if not data:
            self._finish()
            return b""
        return data

    def _finish(self) -> None:
        code = self._process.wait()
        if code != 0:
            self._errors.seek(0)
            lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
            raise EngineError(f"{self._what} failed: {(lines or ['exit code ' + str(code)])[-1]}")

    def close(self) -> None:
        if not self.closed:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            self._out.close()
            self._errors.close()
        super().close()


class CliEngine(ABC):
    """The Engine protocol over a Docker-compatible CLI; subclasses fill in what differs."""

    name = "cli"  # the CLI's name in error messages ("docker", "podman")
    save_args: tuple[str, ...] = ("save",)  # the arguments before the image reference

    def __init__(self) -> None:
        self._builds: dict[int, subprocess.Popen[str]] = {}  # each building thread's command
        self._stopped: set[int] = set()  # threads whose builds stop_build stopped
        self._start_events: dict[int, threading.Event] = {}  # set when the thread's command starts

    @property
    @abstractmethod
    def executable(self) -> str:
        """The CLI to run (found lazily: constructing an engine runs nothing)."""

    # --- what each engine says differently -------------------------------------------------------

    def error_line(self, stderr: str) -> str:
        """The one line of a failed command's stderr that explains it."""
        return (stderr.strip().splitlines() or ["(no output)"])[-1]

    @abstractmethod
    def missing_image(self, ref: str, stderr: str) -> str | None:
        """The error for an image the store lacks (``stderr`` of a failed inspect), else None."""

    @abstractmethod
    def build_command(self, request: BuildRequest) -> list[str]:
        """The exact command :meth:`build` runs for ``request`` (``build --dry-run`` prints it)."""

    @abstractmethod
    def ping(self) -> str:
        """The engine's version; EngineError (one line) when it does not answer."""

    @abstractmethod
    def progress_reader(self) -> ProgressReader:
        """A fresh reader of this CLI's build output."""

    def run_stderr(self, exit_code: int, stderr: str) -> str:
        """What a ``run`` reports on stderr: the CLI's, less noise, plus a fix the engine did not name."""
        return stderr

    def build_env(self) -> Mapping[str, str]:
        """Variables the build command needs on top of the environment."""
        return {}

    def launched(self, argv: list[str]) -> list[str]:
        """The command started for the build command ``argv`` (the one ``--dry-run`` prints)."""
        return argv

    @abstractmethod
    def build_failure(self, reader: ProgressReader, text: str, log_file: Path) -> str:
        """The one-headline message of a failed build."""

    @abstractmethod
    def built_image(
        self, request: BuildRequest, argv: list[str], reader: ProgressReader, text: str, log_file: Path
    ) -> Image:
        """The Image a successful build reports."""

    # --- shared ------------------------------------------------------------------------------------

    def _started(self, thread: int, process: subprocess.Popen[str]) -> None:
        self._builds[thread] = process
        if thread in self._stopped:  # stopped between the check and the start
            _interrupt(process)
        started = self._start_events.pop(thread, None)
        if started is not None:
            started.set()

    def notify_start(self, thread: int, started: threading.Event | None) -> None:
        """Set ``started`` when the next build command of the thread ``thread`` has started (None:
        forget an event that was not set)."""
        if started is None:
            self._start_events.pop(thread, None)
        else:
            self._start_events[thread] = started

    def stop_build(self, thread: int) -> None:
        """Stop the build the thread ``thread`` runs (the CLI interrupted as by Ctrl-C, so BuildKit
        cancels its steps), and every build command that thread would start next; its :meth:`build`
        then raises EngineError. :meth:`resume_builds` lets the thread build again."""
        self._stopped.add(thread)
        process = self._builds.get(thread)
        if process is not None:
            _interrupt(process)

    def resume_builds(self, thread: int) -> None:
        """Undo :meth:`stop_build` for ``thread`` (after it has ended)."""
        self._stopped.discard(thread)

    def _cli(
        self, *args: str, timeout: float = 120, check: bool = True, executable: str = ""
    ) -> subprocess.CompletedProcess[str]:
        """``args`` run by the engine's CLI (``executable``: another client of it, e.g. one a probe has
        not chosen yet); a timeout, a CLI that cannot run and (with ``check``) a failure are one-line
        EngineErrors."""
        program = executable or self.executable
        if threading.get_ident() in self._stopped:  # a stopped build starts nothing more
            raise EngineError(f"{self.name} build stopped")
        try:
            done = subprocess.run(
                [program, *args], capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise EngineError(f"{self.name} {args[0]} did not answer within {timeout:.0f} s") from error
        except OSError as error:
            raise EngineError(f"cannot run {program}: {error.strerror or error}") from error
        if check and done.returncode != 0:
            raise EngineError(f"{self.name} {args[0]}: {self.error_line(done.stderr)}")
        return done

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        argv = self.build_command(request)
        self.ping()
        reader = self.progress_reader()
        log_lines: list[str] = []
        log_file = log_path(request.tag)
        thread = threading.get_ident()
        try:
            with (
                log_file.open("w", encoding="utf-8") as log,
                subprocess.Popen(
                    self.launched(argv),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                    env={**os.environ, **self.build_env()},
                ) as process,
            ):
                self._started(thread, process)
                trim_logs(request.tag)
                assert process.stdout is not None
                try:
                    for line in process.stdout:
                        log.write(line)
                        log.flush()
                        log_lines.append(line)
                        for event in reader.feed(line):
                            if on_step:
                                on_step(event)
                except BaseException:
                    _interrupt(process)  # the caller stopped reading: the build stops too
                    raise
                finally:
                    self._builds.pop(thread, None)
                code = process.wait()
        except OSError as error:
            raise EngineError(f"cannot run {argv[0]}: {error.strerror or error}") from error
        text = "".join(log_lines)
        if code != 0 and thread in self._stopped:
            raise EngineError(f"{self.name} build stopped")
        if code != 0:
            raise EngineError(self.build_failure(reader, text, log_file))
        return self.built_image(request, argv, reader, text, log_file)

    def inspect_image(self, ref: str) -> dict[str, Any]:
        done = self._cli("image", "inspect", ref, check=False)
        if done.returncode != 0:
            raise EngineError(
                self.missing_image(ref, done.stderr)
                or f"{self.name} image inspect: {self.error_line(done.stderr)}"
            )
        data: list[dict[str, Any]] = json.loads(done.stdout)
        return data[0]

    def save(self, ref: str) -> IO[bytes]:
        """The image as a docker-archive tar streamed from the CLI's pipe (never written to disk);
        reading to the end checks that the CLI succeeded. The command starts at once: the audit
        inspects the image while the engine prepares the export (a missing image is then one clear
        line from the inspect)."""
        # stderr only (tiny) goes to a temp file; the archive itself never touches disk
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - owned and closed by ProcessStream
        try:
            process = subprocess.Popen(
                [self.executable, *self.save_args, ref],
                stdout=subprocess.PIPE,
                stderr=errors,
                stdin=subprocess.DEVNULL,
                bufsize=0,  # one read() is one system call: see ReadAhead
            )
        except OSError as error:
            errors.close()
            raise EngineError(f"cannot run {self.executable}: {error.strerror or error}") from error
        widen_pipe(process.stdout)
        # read ahead in a thread: the save never waits on the audit's parsing
        # unbuffered: the tar reader asks for large reads and takes short ones
        return cast("IO[bytes]", ReadAhead(ProcessStream(process, errors, f"{self.name} save {ref}")))

    def run(
        self,
        ref: str,
        args: Sequence[str] = (),
        *,
        detach: bool = False,
        name: str | None = None,
        entrypoint: Sequence[str] | None = None,
        network: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> RunResult:
        argv = ["run"]
        argv += ["-d"] if detach else ["--rm"]
        if name:
            argv += ["--name", name]
        if network:
            argv += ["--network", network]
        for key, value in (env or {}).items():
            argv += ["--env", f"{key}={value}"]
        extra: list[str] = []
        if entrypoint:
            argv += ["--entrypoint", entrypoint[0]]
            extra = list(entrypoint[1:])
        done = self._cli(*argv, ref, *extra, *args, timeout=timeout or 300, check=False)
        return RunResult(done.returncode, done.stdout, self.run_stderr(done.returncode, done.stderr))

    def container_inspect(self, name: str) -> dict[str, Any]:
        data: list[dict[str, Any]] = json.loads(self._cli("container", "inspect", name).stdout)
        return data[0]

    def stop(self, name: str, timeout: int = 10) -> float:
        """Stop a container; return the seconds the CLI's ``stop`` took."""
        started = time.monotonic()
        self._cli("stop", "--time", str(timeout), name, timeout=timeout + 60)
        return time.monotonic() - started

    def remove(self, name: str) -> None:
        self._cli("rm", "-f", name, check=False)

    def logs(self, name: str) -> str:
        done = self._cli("logs", name, check=False)
        return done.stdout + done.stderr
