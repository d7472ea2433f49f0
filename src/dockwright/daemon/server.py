"""The daemon: one process per installation and user that has loaded dockwright and forks a child
for each command a client hands over (``dockwright/daemon_client.py``).

The parent never runs a command. It loads every module of dockwright once, listens at its socket
(mode 0600, in the user's own folder), and for each request checks the peer's user id (where the
system reports it), that the client's identity text is its own, and that no file it read while
loading changed since (an upgrade, an edit of an editable install; seen by inotify, ``watch.py``,
else by stating them: it then refuses, stops listening and exits, and the client runs the command
itself and starts a new server). Then it forks.
The child takes the client's standard streams, working folder, umask, environment and argument
list (and an audit's save the client already sent: ``prefetch.adopt_sent``), in a process group of
its own, and returns to ``python -m dockwright.daemon``'s top, which
runs the command as a process of its own does (``launch.run``). The parent sends the client the
child's pid, then, once it has reaped the child, its exit status (or the signal that ended it); a
client that goes away (its connection closed) hangs the child's group up, as a closed terminal does.

It exits after ``IDLE_SECONDS`` with no command running or asked for, on ``dockwright daemon stop``
or SIGTERM (once its running children are done). Its own errors go to ``<socket>.log`` beside the
socket. One lock file beside the socket keeps a second server of the same installation from starting.
"""

from __future__ import annotations

# ruff: noqa: PTH101, PTH108, PTH116, PTH120 - socket and module paths as the os module takes them
import contextlib
import fcntl
import io
import os
import select
import signal
import socket
import struct
import sys
import time
from collections.abc import Iterable

from dockwright import daemon_client as client
from dockwright.audit import prefetch
from dockwright.daemon.watch import Watch, watched_folders

IDLE_SECONDS = 15 * 60  # Gradle's daemon waits 3 hours; a quarter of an hour covers an edit-build loop
LOCK_WAIT_SECONDS = 10.0  # a refusing server finishing its last commands before it exits
MAX_BODY = 8 << 20  # a request's environment and arguments; more is not a client of ours
_ARGV = 8  # the index of the first argument in a run request (daemon_client.request_fields)
_EXTRAS = (b"", b"f", b"s", b"fs")  # the descriptors a run request may send after its streams
_CHILD_SIGNALS = (
    "SIGCHLD",
    "SIGTERM",
    "SIGHUP",
    "SIGQUIT",
    "SIGUSR1",
    "SIGUSR2",
    "SIGTSTP",
    "SIGCONT",
    "SIGWINCH",
)


def serve(argv: list[str]) -> bool:
    """Serve at the socket ``argv[0]`` until idle or stopped: False. In a child forked for a command,
    True, once the child has taken the client's process state (the caller runs the command)."""
    if len(argv) != 1 or not argv[0].endswith(".sock"):
        sys.stderr.write("usage: python -m dockwright.daemon FOLDER/NAME.sock\n")
        return False
    path = argv[0]
    stem = path[: -len(".sock")]
    lock = _locked(f"{stem}.lock")
    if lock is None:
        return False  # another server of this installation runs
    log = os.open(f"{stem}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    os.dup2(log, 2)
    os.close(log)
    text = client.identity()
    if client.socket_path(os.environ, text) != path:
        sys.stderr.write(f"not this installation's socket: {path}\n")
        return False
    files = _preload()
    import gc

    gc.collect()
    gc.freeze()  # the children's collections skip what the server loaded: no copy of its pages
    return Server(path, text, lock, files).run()


def _locked(path: str) -> int | None:
    """The lock file's descriptor, held (waiting up to ``LOCK_WAIT_SECONDS``); None when taken."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    waited_until = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return descriptor
        except OSError:
            if time.monotonic() > waited_until:
                os.close(descriptor)
                return None
            time.sleep(0.1)


def _preload() -> dict[str, tuple[int, int]]:
    """Import every module of dockwright (the commands load theirs lazily: the child finds them
    loaded); a module whose optional dependency is missing stays out, a command loads it as before.
    Then what a command would do first with them and that reads nothing but dockwright's own files:
    parse the knowledge tables, compile the module-level patterns. Returned: every file read while
    loading (an audit hook notes each open, with its state then) and every loaded module's file."""
    import importlib
    import pkgutil

    read: dict[str, tuple[int, int]] = {}
    loading = [True]

    def noted(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and loading and isinstance(args[0], str) and args[0] not in read:
            read.update(file_states([args[0]]))

    sys.addaudithook(noted)  # cannot be removed: it does nothing once loading is done
    try:
        import dockwright
        import dockwright.launch  # the child's entry point
        from dockwright.lazy_re import compile_all
        from dockwright.project.tree import parse_all_tables

        for info in pkgutil.walk_packages(dockwright.__path__, "dockwright."):
            if info.name.endswith(".__main__") or info.name.startswith("dockwright.daemon"):
                continue
            try:
                importlib.import_module(info.name)
            except Exception:  # an optional extra not installed: a command loads it as before
                continue
        compile_all()
        parse_all_tables()
        _warm()
    finally:
        loading.clear()
    loaded = [getattr(module, "__file__", None) for module in list(sys.modules.values())]
    return {**file_states(name for name in loaded if isinstance(name, str)), **read}


def _warm() -> None:
    """Load what commands load from outside dockwright on first use, found by comparing the modules
    loaded before and after a served planning and build: sysconfig's data module (the interpreter's
    library folders, which a plan's recording skips), the codec project files are read with, and
    click's text wrapper (its messages). Then what a planning builds from dockwright's own tables:
    the rules every .dockerignore holds, the uv pin, the secret-file matchers (with the patterns of
    ``compile_all``, a planning compiled ~50 expressions, ~4 ms; now 0-2)."""
    import importlib

    from dockwright import kept_plan, secrets
    from dockwright.dockerfile.ignore import warm_rules
    from dockwright.plan.common import ALWAYS_IGNORE
    from dockwright.plan.installer import uv_version

    kept_plan.library_folders()
    warm_rules(rule for rule, _why in ALWAYS_IGNORE)  # every plan's .dockerignore has them
    uv_version()  # dockwright's uv pin, read from its data folder
    secrets._any_secret()  # the secret-file patterns' matchers, built from dockwright's own table
    secrets._required_pieces()
    for name in ("encodings.utf_8_sig", "click._textwrap"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def file_states(names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Each file's modification time and size (a file that cannot be stated is left out)."""
    files: dict[str, tuple[int, int]] = {}
    for name in names:
        try:
            state = os.stat(name)
        except OSError:
            continue
        files[name] = (state.st_mtime_ns, state.st_size)
    return files


def changed(files: dict[str, tuple[int, int]]) -> bool:
    """Whether a file of ``file_states()`` changed or went since."""
    for name, known in files.items():
        try:
            state = os.stat(name)
        except OSError:
            return True
        if (state.st_mtime_ns, state.st_size) != known:
            return True
    return False


class Server:
    """The parent's loop: accept, check, fork; reap and report; exit when idle or stopped."""

    def __init__(self, path: str, text: str, lock: int, files: dict[str, tuple[int, int]]) -> None:
        self.path = path
        self.text = text
        self.lock = lock
        self.files = files
        self.watch: Watch | None = None  # the files' folders watched: no stat of them per request
        self.started = time.time()
        self.served = 0
        self.stopping = False
        self.children: dict[int, socket.socket | None] = {}  # pid -> the client's connection
        self.watched: dict[int, int] = {}  # a client connection's descriptor -> its child's pid
        self.listener: socket.socket | None = None
        self.inode = 0
        self.wake_read, self.wake_write = os.pipe()  # not inherited by the commands' programs
        os.set_blocking(self.wake_read, False)
        os.set_blocking(self.wake_write, False)
        self.poller = select.poll()

    def run(self) -> bool:
        if os.path.lexists(self.path):
            os.unlink(self.path)  # a server that died: the lock is ours
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        os.chmod(self.path, 0o600)
        self.inode = os.stat(self.path).st_ino
        listener.listen(64)
        self.listener = listener
        signal.set_wakeup_fd(self.wake_write, warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda _n, _f: None)  # wakes the poll (set_wakeup_fd)
        signal.signal(signal.SIGTERM, lambda _n, _f: self.stop())
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        self.poller.register(listener, select.POLLIN)
        self.poller.register(self.wake_read, select.POLLIN)
        self._watch()
        last = time.monotonic()
        while True:
            if self.stopping and not self.children:
                break
            if not self.children and time.monotonic() - last >= IDLE_SECONDS:
                break
            timeout = None if self.children else max(0.0, IDLE_SECONDS - (time.monotonic() - last)) * 1000
            for descriptor, _events in self.poller.poll(timeout):
                if descriptor == self.wake_read:
                    self._drain()
                    self._reap()
                elif self.listener is not None and descriptor == self.listener.fileno():
                    if self._accepted():
                        return True  # the child: run the command
                elif descriptor in self.watched:
                    self._client_gone(descriptor)
                elif self.watch is not None and descriptor == self.watch.fileno() and self.watch.changed():
                    self.poller.unregister(descriptor)
                    self.stop()  # a file it loaded changed: the next command starts a server of the new code
            last = time.monotonic()
        self._close_listener()
        return False

    def _watch(self) -> None:
        """Watch the loaded files' folders (``watch.py``); then state them once, for a change made
        before the watch began, and hold the code's description for the plans' keys
        (:func:`dockwright.kept_plan.hold_code`). Without a watch every request states them
        (:func:`changed`) and every command describes the code again."""
        import dockwright

        try:
            watch = Watch(watched_folders(self.files, os.path.dirname(dockwright.__file__ or "")))
        except (OSError, AttributeError):  # no inotify here: state the files at each request
            return
        self.watch = watch
        self.poller.register(watch.fileno(), select.POLLIN)
        if changed(self.files):
            self.stop()
            return
        from dockwright import kept_plan

        kept_plan.hold_code()  # watched from here on: a change stops the server

    def stop(self) -> None:
        """Serve no more: stop listening now, exit once the running commands are done."""
        self.stopping = True
        self._close_listener()

    def _close_listener(self) -> None:
        if self.listener is None:
            return
        self.poller.unregister(self.listener)
        self.listener.close()
        self.listener = None
        try:
            if os.stat(self.path).st_ino == self.inode:
                os.unlink(self.path)
        except OSError:
            pass

    def _drain(self) -> None:
        try:
            while os.read(self.wake_read, 512):
                pass
        except BlockingIOError:
            pass

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.children.pop(pid, None)
            if connection is None:
                continue
            self._unwatch(connection)
            code = os.waitstatus_to_exitcode(status)
            with contextlib.suppress(OSError):
                connection.sendall(client.ENDED + code.to_bytes(4, "big", signed=True))
            connection.close()

    def _unwatch(self, connection: socket.socket) -> None:
        descriptor = connection.fileno()
        if self.watched.pop(descriptor, None) is not None:
            self.poller.unregister(descriptor)

    def _client_gone(self, descriptor: int) -> None:
        """The client closed its connection while its command runs: hang the command's group up;
        unless it said DONE first (it has the status the child reported before its exit)."""
        pid = self.watched[descriptor]
        connection = self.children.get(pid)
        if connection is None:
            return
        done = False
        try:
            data = connection.recv(4096, socket.MSG_DONTWAIT)
            if data and client.DONE not in data:
                return  # not an end: a client sends nothing else after its request (read and dropped)
            done = bool(data)
        except BlockingIOError:
            return
        except OSError:
            pass
        self._unwatch(connection)
        connection.close()
        self.children[pid] = None  # still running until reaped: no status to send
        if done:
            return
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGHUP)
            os.killpg(pid, signal.SIGCONT)  # a group stopped by Ctrl-Z takes the hangup, as the kernel does

    def _accepted(self) -> bool:
        """Take one request; True in the child forked for it."""
        assert self.listener is not None
        try:
            connection, _address = self.listener.accept()
        except OSError:
            return False
        try:
            if not _same_user(connection):
                connection.close()
                return False
            connection.settimeout(5.0)
            kind, body, descriptors = _request(connection)
        except (OSError, ValueError):
            connection.close()
            return False
        if kind != client.RUN:
            for descriptor in descriptors:  # only a command's request passes any
                os.close(descriptor)
        if kind == client.STATUS:
            self._answer(connection, self.status_text())
        elif kind == client.STOP:
            self.stop()
            self._answer(connection, f"stopped: pid {os.getpid()}\n")
        elif kind == client.RUN:
            return self._run(connection, body, descriptors)
        else:
            connection.close()
        return False

    @staticmethod
    def _answer(connection: socket.socket, text: str) -> None:
        with contextlib.suppress(OSError):
            connection.sendall(text.encode("utf-8"))
        connection.close()

    def status_text(self) -> str:
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started))
        return (
            f"pid: {os.getpid()}\nsocket: {self.path}\nstarted: {started}\ncommands served: {self.served}\n"
            f"commands running: {len(self.children)}\nexits after idle: {IDLE_SECONDS} s\n"
        )

    def _run(self, connection: socket.socket, body: bytes, descriptors: list[int]) -> bool:
        fields = body.split(b"\0")
        foreign = fields[0].decode("utf-8", "surrogateescape") != self.text
        stale = not foreign and (self.watch.changed() if self.watch is not None else changed(self.files))
        # after the streams: the working folder (f), an audit's sent save (s), as request_fields says
        whole = len(fields) >= _ARGV and fields[5] in _EXTRAS and len(descriptors) == 3 + len(fields[5])
        if not whole or foreign or stale or self.stopping:
            for descriptor in descriptors:
                os.close(descriptor)
            self._answer_refusal(connection)
            if stale:
                self.stop()  # the client starts a server of the new code
            return False
        go_read, go_write = os.pipe()
        # none runs a server handler in the child
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for descriptor in (*descriptors, go_read, go_write):
                os.close(descriptor)
            self._answer_refusal(connection)  # the client runs the command itself
            return False
        if pid == 0:
            os.close(go_write)
            self._become(connection, fields, descriptors, go_read, blocked)
            return True
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(go_read)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # also done by the child: the client may signal the group at once
        for descriptor in descriptors:
            os.close(descriptor)
        self.served += 1
        self.children[pid] = connection
        try:
            connection.sendall(client.STARTED + pid.to_bytes(4, "big"))
            os.write(go_write, b"g")  # the client knows the child: it may run (never twice)
        except OSError:
            pass  # the client is gone: the child ends without running the command
        os.close(go_write)
        self.watched[connection.fileno()] = pid
        self.poller.register(connection, select.POLLIN | select.POLLHUP)
        return False

    @staticmethod
    def _answer_refusal(connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            connection.sendall(client.REFUSED + bytes(4))
        connection.close()

    def _become(
        self,
        connection: socket.socket,
        fields: list[bytes],
        descriptors: list[int],
        go: int,
        mask: set[int | signal.Signals],
    ) -> None:
        """In the child: drop the server's state, take the client's (see the module's notes), wait for
        the server's go (sent once the client knows this pid), then let signals in. A failure here
        ends the child: nothing of it goes back through the server's frames."""
        try:
            os.setpgid(0, 0)
            client.mark_inside(os.dup(connection.fileno()))  # its end reported on it (report_end)
            signal.set_wakeup_fd(-1)
            for name in _CHILD_SIGNALS:
                signal.signal(getattr(signal, name), signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            ignored = [int(number) for number in fields[3].split(b",") if number]
            for number in ignored:  # what the client ignores (nohup, a background job) stays ignored
                signal.signal(number, signal.SIG_IGN)
            connection.close()
            if self.listener is not None:
                self.listener.close()
            for other in self.children.values():
                if other is not None:
                    other.close()
            for descriptor in (self.wake_read, self.wake_write, self.lock):
                os.close(descriptor)
            if self.watch is not None:
                self.watch.close()
            for target, descriptor in zip((0, 1, 2), descriptors[:3], strict=True):
                os.dup2(descriptor, target)
                os.close(descriptor)
            cwd, umask, count = fields[1], int(fields[2]), int(fields[6])
            argv = [os.fsdecode(field) for field in fields[_ARGV - 1 : _ARGV + count]]
            os.environb.clear()
            for pair in fields[_ARGV + count :]:
                key, _, value = pair.partition(b"=")
                if key:
                    os.environb[key] = value
            time.tzset()  # TZ is the client's now
            os.umask(umask)
            sys.argv = argv
            _take_streams(fields[4].decode("utf-8", "replace").split("|"))
            extras = dict(zip(fields[5].decode("ascii", "replace"), descriptors[3:], strict=True))
            _enter(cwd, extras.get("f"))
            if "s" in extras:
                prefetch.adopt_sent(extras["s"])  # the save the client sent: the audit reads it
            if os.read(go, 1) != b"g":
                os._exit(0)  # the server could not tell the client: the client runs the command
            os.close(go)
        except BaseException as error:  # a child must not return into the server
            with contextlib.suppress(Exception):
                sys.stderr.write(f"error: dockwright's daemon could not start the command: {error}\n")
                sys.stderr.flush()
            os._exit(2)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _enter(cwd: bytes, folder: int | None) -> None:
    """Enter the client's working folder: the descriptor it sent (the folder itself, whatever its
    path now), else its path."""
    try:
        if folder is not None:
            os.fchdir(folder)
            os.close(folder)
        else:
            os.chdir(cwd)
    except OSError as error:
        named = os.fsdecode(cwd)
        sys.stderr.write(f"error: cannot enter the working folder {named!r}: {error.strerror}\n")
        sys.stderr.flush()
        os._exit(2)


def _same_user(connection: socket.socket) -> bool:
    """Whether the peer runs as this user (``SO_PEERCRED``; where the system has none, the socket's
    folder, this user's alone, is the check)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return bool(uid == os.getuid())


def _request(connection: socket.socket) -> tuple[bytes, bytes, list[int]]:
    """A request's kind, body and passed descriptors (closed here when the request is not whole)."""
    header, descriptors, _flags, _address = socket.recv_fds(connection, client.HEADER, 5)  # 0-2, folder, save
    try:
        header += client.received(connection, client.HEADER - len(header))
        if len(header) != client.HEADER or not header.startswith(client.MAGIC):
            raise ValueError("not a request")
        size = int.from_bytes(header[-4:], "big")
        if size > MAX_BODY:
            raise ValueError("request too large")
        body = client.received(connection, size)
        if len(body) != size:
            raise ValueError("cut request")
    except (OSError, ValueError):
        for descriptor in descriptors:
            os.close(descriptor)
        raise
    return header[len(client.MAGIC) : len(client.MAGIC) + 1], body, list(descriptors)


def _take_streams(chosen: list[str]) -> None:
    """New ``sys`` streams over descriptors 0-2 (now the client's), each as the client's was
    (``ENCODING:ERRORS:WRITE_THROUGH``; the server's own where a part is missing), newlines as
    written (as at a process's start outside Windows); stdout line buffered at a terminal, stderr
    always, unless written through (``-u``)."""
    own = [sys.__stdin__, sys.__stdout__, sys.__stderr__]
    made = []
    for index, (mode, stream) in enumerate(zip(("rb", "wb", "wb"), own, strict=True)):
        encoding, _, rest = (chosen[index] if index < len(chosen) else "").partition(":")
        errors, _, through = rest.partition(":")
        encoding = encoding or (stream.encoding if stream else "utf-8")
        errors = errors or (stream.errors if stream and stream.errors else "strict")
        raw = io.FileIO(index, mode, closefd=False)
        buffered: io.BufferedReader | io.BufferedWriter = (
            io.BufferedReader(raw) if mode == "rb" else io.BufferedWriter(raw)
        )
        lines = through != "1" and index > 0 and (index == 2 or os.isatty(index))
        wrapped = io.TextIOWrapper(buffered, encoding, errors, newline="\n", line_buffering=lines)
        if through == "1":
            wrapped.reconfigure(write_through=True)
        made.append(wrapped)
    for name, stream in zip(("stdin", "stdout", "stderr"), made, strict=True):
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)  # what a process's start set: some libraries read these
