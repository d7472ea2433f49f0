"""The daemon: one process per installation and user that has loaded dockwright and forks a child
for each command a client hands over (``dockwright/daemon_client.py``).

The parent never runs a command. It loads every module of dockwright once, listens at its socket
(mode 0600, in the user's own folder), and for each request checks the peer's user id (where the
system reports it), that the client's identity text is its own, and that no loaded module's file
changed since it loaded them (an upgrade, an edit of an editable install: it then refuses, stops
listening and exits, and the client runs the command itself and starts a new server). Then it forks.
The child takes the client's standard streams, working folder, umask, environment and argument
list, in a process group of its own, and returns to ``python -m dockwright.daemon``'s top, which
runs the command as a process of its own does (``launch.run``). The parent sends the client the
child's pid, then, once it has reaped the child, its exit status (or the signal that ended it); a
client that goes away (its connection closed) hangs the child's group up, as a closed terminal does.

It exits after ``IDLE_SECONDS`` with no command running or asked for, on ``dockwright daemon stop``
or SIGTERM (once its running children are done). Its own errors go to ``<socket>.log`` beside the
socket. One lock file beside the socket keeps a second server of the same installation from starting.
"""

from __future__ import annotations

# ruff: noqa: PTH101, PTH108, PTH116 - socket and module paths as the os module takes them
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

from dockwright import daemon_client as client

IDLE_SECONDS = 15 * 60  # Gradle's daemon waits 3 hours; a quarter of an hour covers an edit-build loop
LOCK_WAIT_SECONDS = 10.0  # a refusing server finishing its last commands before it exits
MAX_BODY = 8 << 20  # a request's environment and arguments; more is not a client of ours
_CHILD_SIGNALS = ("SIGCHLD", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGTSTP", "SIGCONT")


def serve(argv: list[str]) -> bool:
    """Serve at the socket ``argv[0]`` until idle or stopped: False. In a child forked for a command,
    True, once the child has taken the client's process state (the caller runs the command)."""
    if len(argv) != 1 or not argv[0].endswith(".sock"):
        sys.stderr.write("usage: python -m dockwright.daemon FOLDER/NAME.sock\n")
        return False
    path = argv[0]
    stem = path[: -len(".sock")]
    log = os.open(f"{stem}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    os.dup2(log, 2)
    os.close(log)
    lock = _locked(f"{stem}.lock")
    if lock is None:
        return False  # another server of this installation runs
    text = client.identity()
    if client.socket_path(os.environ, text) != path:
        sys.stderr.write(f"not this installation's socket: {path}\n")
        return False
    tables = _preload()
    import gc

    gc.collect()
    gc.freeze()  # the children's collections skip what the server loaded: no copy of its pages
    return Server(path, text, lock, tables).run()


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


def _preload() -> list[str]:
    """Import every module of dockwright (the commands load theirs lazily: the child finds them
    loaded); a module whose optional dependency is missing stays out, a command loads it as before.
    Then what a command would do first with them and that reads nothing but dockwright's own files:
    parse the knowledge tables, compile the module-level patterns. The tables' files: returned."""
    import importlib
    import pkgutil

    import dockwright
    import dockwright.launch  # the child's entry point
    from dockwright.lazy_re import LazyPattern
    from dockwright.project.tree import parse_all_tables

    for info in pkgutil.walk_packages(dockwright.__path__, "dockwright."):
        if info.name.endswith(".__main__") or info.name.startswith("dockwright.daemon"):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # an optional extra not installed: a command loads it as before
            continue
    for module in list(sys.modules.values()):
        if (getattr(module, "__name__", "") or "").startswith("dockwright."):
            for value in list(vars(module).values()):
                if isinstance(value, LazyPattern):
                    value.compiled()
    return parse_all_tables()


def module_files(extra: list[str]) -> dict[str, tuple[int, int]]:
    """Every loaded module's file, and the ``extra`` files, with its modification time and size."""
    files: dict[str, tuple[int, int]] = {}
    names = [getattr(module, "__file__", None) for module in list(sys.modules.values())] + list(extra)
    for name in names:
        if isinstance(name, str):
            try:
                state = os.stat(name)
            except OSError:
                continue
            files[name] = (state.st_mtime_ns, state.st_size)
    return files


def changed(files: dict[str, tuple[int, int]]) -> bool:
    """Whether a file of ``module_files()`` changed or went since."""
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

    def __init__(self, path: str, text: str, lock: int, tables: list[str]) -> None:
        self.path = path
        self.text = text
        self.lock = lock
        self.files = module_files(tables)
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
            last = time.monotonic()
        self._close_listener()
        return False

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
        """The client closed its connection while its command runs: hang the command's group up."""
        pid = self.watched[descriptor]
        connection = self.children.get(pid)
        if connection is None:
            return
        try:
            if connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                return  # not an end (a client sends nothing after its request)
        except BlockingIOError:
            return
        except OSError:
            pass
        self._unwatch(connection)
        connection.close()
        self.children[pid] = None
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGHUP)

    def _accepted(self) -> bool:
        """Take one request; True in the child forked for it."""
        assert self.listener is not None
        try:
            connection, _address = self.listener.accept()
        except OSError:
            return False
        descriptors: list[int] = []
        try:
            if not _same_user(connection):
                connection.close()
                return False
            connection.settimeout(5.0)
            kind, body, descriptors = _request(connection)
        except (OSError, ValueError):
            for descriptor in descriptors:
                os.close(descriptor)
            connection.close()
            return False
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
        if len(descriptors) != 3 or foreign or self.stopping:
            for descriptor in descriptors:
                os.close(descriptor)
            self._answer_refusal(connection)
            return False
        if changed(self.files):
            for descriptor in descriptors:
                os.close(descriptor)
            self._answer_refusal(connection)
            self.stop()  # the client starts a server of the new code
            return False
        pid = os.fork()
        if pid == 0:
            self._become(connection, fields, descriptors)
            return True
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # also done by the child: the client may signal the group at once
        for descriptor in descriptors:
            os.close(descriptor)
        self.served += 1
        self.children[pid] = connection
        with contextlib.suppress(OSError):
            connection.sendall(client.STARTED + pid.to_bytes(4, "big"))
        self.watched[connection.fileno()] = pid
        self.poller.register(connection, select.POLLIN | select.POLLHUP)
        return False

    @staticmethod
    def _answer_refusal(connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            connection.sendall(client.REFUSED + bytes(4))
        connection.close()

    def _become(self, connection: socket.socket, fields: list[bytes], descriptors: list[int]) -> None:
        """In the child: drop the server's state, take the client's (see the module's notes)."""
        os.setpgid(0, 0)
        client.mark_inside()
        signal.set_wakeup_fd(-1)
        for name in _CHILD_SIGNALS:
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        connection.close()
        if self.listener is not None:
            self.listener.close()
        for other in self.children.values():
            if other is not None:
                other.close()
        for descriptor in (self.wake_read, self.wake_write, self.lock):
            os.close(descriptor)
        for target, descriptor in zip((0, 1, 2), descriptors, strict=True):
            os.dup2(descriptor, target)
            os.close(descriptor)
        cwd, umask, count = fields[1], int(fields[2]), int(fields[3])
        argv = [os.fsdecode(field) for field in fields[4 : 5 + count]]
        os.environb.clear()
        for pair in fields[5 + count :]:
            key, _, value = pair.partition(b"=")
            if key:
                os.environb[key] = value
        os.umask(umask)
        sys.argv = argv
        _take_streams()
        try:
            os.chdir(cwd)
        except OSError as error:
            folder = os.fsdecode(cwd)
            sys.stderr.write(f"error: cannot enter the working folder {folder!r}: {error.strerror}\n")
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
    """A request's kind, body and passed descriptors."""
    header, descriptors, _flags, _address = socket.recv_fds(connection, client.HEADER, 3)
    header += client.received(connection, client.HEADER - len(header))
    if len(header) != client.HEADER or not header.startswith(client.MAGIC):
        raise ValueError("not a request")
    size = int.from_bytes(header[-4:], "big")
    if size > MAX_BODY:
        raise ValueError("request too large")
    body = client.received(connection, size)
    if len(body) != size:
        raise ValueError("cut request")
    return header[len(client.MAGIC) : len(client.MAGIC) + 1], body, list(descriptors)


def _take_streams() -> None:
    """New ``sys`` streams over descriptors 0-2 (now the client's), encoded as the server's were
    (the same locale) unless the client's ``PYTHONIOENCODING`` says otherwise; stdout is line
    buffered at a terminal, stderr always, as at a process's start."""
    encoding, errors = sys.__stdout__.encoding if sys.__stdout__ else "utf-8", "strict"
    chosen = os.environ.get("PYTHONIOENCODING", "")
    if chosen:
        named, _, errors_named = chosen.partition(":")
        encoding = named or encoding
        errors = errors_named or errors
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "rb", closefd=False)), encoding, errors)
    stdout = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "wb", closefd=False)), encoding, errors, line_buffering=os.isatty(1)
    )
    stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "wb", closefd=False)),
        encoding,
        "backslashreplace",
        line_buffering=True,
    )
    for name, stream in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr)):
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)  # what a process's start set: some libraries read these
