"""The client side of dockwright's daemon: a command handed to a warm process that has already
imported dockwright (``dockwright/daemon/server.py``), which forks a child to run it.

A command's own work after an edit is 20-40 ms; loading the ~450 modules it uses takes 0.2-0.3 s of
every fresh process (docs/lean.md). Like ``dockerd`` for the docker CLI, the Gradle daemon, or the
Nx and Turborepo daemons, the first command starts a server that keeps them loaded; the commands
after it connect to its socket and hand over their argument list, working folder (its descriptor),
umask, environment, ignored signals, the standard streams' encodings and the streams themselves (the
file descriptors, ``SCM_RIGHTS``), and, for an audit, the connection its save was sent on (sent by
:mod:`dockwright.launch` before the hand-over). The server forks a child that takes all of them and
runs the command as this process would, in a process group of its own; this process forwards its signals
(what a terminal sends, to that group; SIGTERM and SIGUSR1/2 to the child) and exits as the child
did. Each command runs in a fresh fork of the same loaded state: nothing one command does is seen by
the next. The child runs the command only once the server has told this process its pid, so a
server that dies meanwhile never leaves a command running twice.

When it runs: on Linux (a fork that does not exec is unsafe on macOS once CoreFoundation ran), not
when ``DOCKWRIGHT_DAEMON`` is off (``off``, ``0``, ``no``, ``false``), not in CI (``CI`` set, as Nx and
Turborepo do) unless ``DOCKWRIGHT_DAEMON=on``, and not with ``DOCKER_HOST=ssh://...`` (ssh may ask on
the terminal, which a server's child does not have as its own). ``dockwright daemon status|stop``
manage it, and run in this process. Any failure to hand a command over (no server yet, a server of
another installation or of changed code, a closed standard stream) runs it here, as without the
daemon; a missing or stale server is started once the command is done (at most once a minute).

Where: ``$XDG_RUNTIME_DIR/dockwright`` (the per-user runtime folder), else
``$TMPDIR/dockwright-UID`` (``/tmp``), a folder that must be this user's and closed to others
(mode 0700), as tmux checks its socket folder; the server also checks its peer's user id
(``SO_PEERCRED``). One server per installation: the socket's name is a checksum of what decides the
code a command would run and what it may reach (interpreter and its flags, the module search path,
dockwright's folder and version, the user's groups, the process's namespaces); the server compares
the whole text, and a file it read while loading that changed since (an upgrade, an edit of an
editable install) makes it refuse and exit. It is started with its interpreter's environment only
(module path, locale, home, runtime folder): the first command's tokens do not live on in it.

Imports only the C halves of the standard library's socket and signal modules (``_socket``,
``_signal``: the Python halves load ``enum`` and ``selectors``, 5 ms of a 40 ms served command), and
of dockwright its package (the version) and ``switches`` (which imports nothing): it runs before
anything else of dockwright. ``subprocess`` loads only to start the server.
"""

from __future__ import annotations

# ruff: noqa: PTH100, PTH102, PTH109, PTH112, PTH115, PTH116, PTH117, PTH118, PTH120, SIM105
# os.path, not pathlib (~7 ms to load), and try/except, not contextlib: a served command loads neither
import os
import sys

TYPE_CHECKING = False  # mypy reads it as typing.TYPE_CHECKING; typing itself is not loaded
if TYPE_CHECKING:
    import _socket
    from collections.abc import Callable, Mapping

MAGIC = b"DW2"  # the protocol: also in identity(), so a server of another one is never asked
RUN, STATUS, STOP = b"R", b"Q", b"X"
STARTED, REFUSED, ENDED = b"P", b"S", b"E"  # the server's answers: child's pid, not served, status
DONE = b"D"  # the client's last word: it has the status, its leaving is no hang-up
HEADER = len(MAGIC) + 1 + 4  # magic, kind, body length (4 bytes, big-endian)
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCONT", "SIGWINCH")
GROUP_SIGNALS = ("SIGINT", "SIGHUP", "SIGQUIT", "SIGTSTP", "SIGCONT", "SIGWINCH")  # a terminal's
_ON = ("on", "1", "yes", "true")
RESTART_SECONDS = 60
_SERVER_ENVIRONMENT = frozenset({"HOME", "PATH", "LANG", "LANGUAGE", "TMPDIR", "XDG_RUNTIME_DIR"})

_absent: list[str] = []  # the socket a command found no server at: start one when it is done
_inside: list[int] = []  # in a child of the server: its copy of the client's connection (-1: none)
_after: list[Callable[[], object]] = []  # after_answer's work held until the end is reported


def mark_inside(connection: int = -1) -> None:
    """Called by the server in the child it forked: the command runs in this process, which may
    report its own end on ``connection`` (:func:`report_end`)."""
    _inside.append(connection)


def answering_later() -> bool:
    """Whether work given to :func:`after_answer` waits for the command's end to be reported (a
    served child, whose client leaves at that report) rather than running at once."""
    return bool(_inside) and _inside[0] >= 0


def after_answer(work: Callable[[], object]) -> None:
    """Run ``work`` once the command's answer is out: in a served child, after its end is reported
    to the client (:func:`run_after_answer`, from the exit handler), so the user does not wait for
    it; anywhere else now. For what only a later command reads (a cache's entries): a command that
    ends otherwise (an exception, a flush that fails) runs it at its exit, a killed one loses it,
    and its errors are not shown."""
    if answering_later():
        _after.append(work)
    else:
        work()


def run_after_answer() -> None:
    """The work :func:`after_answer` held, in order; an error in one is dropped (nobody reads the
    streams any more) and the next still runs."""
    while _after:
        work = _after.pop(0)
        try:
            work()
        except Exception:  # the answer is out: nothing to report it to
            pass


def report_end(status: int) -> None:
    """In a served child whose command is done and its output flushed: put ``/dev/null`` over the
    standard streams and tell the client the exit status now, before this process's exit. The exit
    of a fork of the server (unmapping its ~150 MB), the server's wake-up and its report took 3-4 ms
    of every served command; the server still reports the status it reaps, which the client then no
    longer reads (it said DONE).
    Nothing outside a served child."""
    if not _inside or _inside[0] < 0:
        return
    try:  # whoever reads the client's output sees its end with the client's; /dev/null in their place
        # (not closed: a thread's file opened meanwhile would take a standard stream's number)
        null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
        for descriptor in (0, 1, 2):
            os.dup2(null, descriptor)
        os.close(null)
    except OSError:
        return  # the server reports the status it reaps
    try:
        os.write(_inside[0], ENDED + (status & 0xFF).to_bytes(4, "big", signed=True))  # what _exit keeps
    except OSError:
        pass


def wanted(environ: Mapping[str, str]) -> bool:
    """Whether commands go through the daemon: Linux, ``DOCKWRIGHT_DAEMON`` not off, and not in CI
    unless it is on."""
    if not sys.platform.startswith("linux"):
        return False  # macOS: a fork that does not exec is unsafe once CoreFoundation ran (proxies)
    from dockwright.switches import switched_off  # imports nothing

    setting = environ.get("DOCKWRIGHT_DAEMON")
    if switched_off(setting):
        return False
    ci = (environ.get("CI") or "").strip().lower() not in ("", "0", "false", "no")
    return (setting or "").strip().lower() in _ON or not ci


def identity() -> str:
    """What decides the code a command runs here and what it may reach: the interpreter and its
    flags, the module search path (past its first entry: the script's folder, or the working folder
    under ``-m``), this dockwright's folder and version, the user's groups and the process's
    namespaces. The server runs commands only for the same text."""
    import dockwright

    fields = [
        "dockwright",
        dockwright.__version__,
        MAGIC.decode(),  # the request's layout: a server of another checkout with the same version
        os.path.dirname(os.path.abspath(dockwright.__file__ or "")),
        sys.executable,
        sys.prefix,
        sys.version,
        repr(tuple(sys.flags)),
        repr(sys.warnoptions),
        repr(sorted(sys._xoptions.items())),
        f"gid {os.getgid()} groups {sorted(os.getgroups())}",  # `newgrp docker` gets a server of its own
        *_namespaces(),  # a container sharing the runtime folder (toolbox, distrobox) too
        *sys.path[1:],
    ]
    return "\n".join(fields)


def _namespaces() -> list[str]:
    names = []
    for kind in ("mnt", "pid", "net", "user", "ipc", "uts", "cgroup"):
        try:
            names.append(os.readlink(f"/proc/self/ns/{kind}"))
        except OSError:
            names.append(f"{kind}:?")
    return names


def runtime_folder(environ: Mapping[str, str]) -> str | None:
    """The folder of this user's daemon sockets, made when missing; None when it is not this user's
    alone (another owner, a symbolic link, open to the group or others) or cannot be made."""
    uid = os.getuid()
    runtime = environ.get("XDG_RUNTIME_DIR") or ""
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        folder = os.path.join(runtime, "dockwright")
    else:
        temporary = environ.get("TMPDIR") or "/tmp"
        folder = os.path.join(temporary if os.path.isabs(temporary) else "/tmp", f"dockwright-{uid}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        state = os.lstat(folder)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(state.st_mode) or state.st_uid != uid or state.st_mode & 0o077:
        return None
    return folder


def socket_path(environ: Mapping[str, str], text: str | None = None) -> str | None:
    """This installation's socket: ``<folder>/<checksum of identity()>.sock``."""
    folder = runtime_folder(environ)
    if folder is None:
        return None
    import zlib

    checksum = zlib.crc32((text if text is not None else identity()).encode("utf-8", "surrogateescape"))
    return os.path.join(folder, f"{checksum:08x}.sock")


def frame(kind: bytes, fields: list[bytes]) -> bytes:
    """A request: magic, kind, the length of the body, then the body (fields joined by NUL)."""
    body = b"\0".join(fields)
    return MAGIC + kind + len(body).to_bytes(4, "big") + body


def connected(path: str) -> _socket.socket | None:
    """A connection to the server at ``path``; None when none listens there."""
    import _socket

    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def received(connection: _socket.socket, size: int) -> bytes:
    """Exactly ``size`` bytes, or fewer when the other side closed."""
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def served(argv: list[str], save: Callable[[], int] | None = None) -> int | None:
    """Run the command in the daemon when one serves this installation: its exit status, or None
    when the command must run in this process (no daemon wanted or listening, or it refused).
    ``save``: called once a server may take the command, just before connecting to it; the
    descriptor of a connection on which an audit's save was sent (handed over with the streams) or
    -1 (:func:`dockwright.launch.run` passes :func:`dockwright.audit.prefetch.send_early`'s)."""
    environ = os.environ
    if _inside or argv[:1] == ["daemon"] or not wanted(environ):
        return None
    if environ.get("DOCKER_HOST", "").startswith("ssh://"):
        return None  # ssh may ask on the terminal (/dev/tty), which a server's child does not have
    text = identity()
    path = socket_path(environ, text)
    if path is None:
        return None
    try:
        for descriptor in (0, 1, 2):
            os.fstat(descriptor)  # a closed standard stream: nothing to hand over
        cwd = os.getcwd()
    except OSError:
        return None
    sent = save() if save is not None else -1
    connection = connected(path)
    if connection is None:
        _absent.append(path)
        return None
    try:
        return _handed_over(connection, path, text, cwd, argv, sent)
    except KeyboardInterrupt:  # before the command started: nothing ran
        connection.close()
        sys.stderr.write("error: interrupted\n")
        return 2


def request_fields(text: str, cwd: str, argv: list[str], extras: str = "") -> list[bytes]:
    """A run request's fields: identity, working folder, umask, the signals this process ignores
    (a child ignores them too: ``nohup``, a shell's background job), the standard streams' encodings
    and error handlers, what the descriptors after the streams are (``extras``: ``f`` the working
    folder, ``s`` a sent save's connection, in that order), then the argument count,
    ``sys.argv[0]``, the arguments and the environment."""
    if TYPE_CHECKING:
        import signal
    else:
        import _signal as signal  # its C half: the enum classes stay unloaded

    umask = os.umask(0o022)
    os.umask(umask)
    ignored = [
        str(int(getattr(signal, name)))
        for name in (*FORWARDED, "SIGTSTP")
        if signal.getsignal(getattr(signal, name)) == signal.SIG_IGN
    ]
    streams = [
        f"{getattr(stream, 'encoding', '') or ''}:{getattr(stream, 'errors', '') or ''}:"
        f"{int(bool(getattr(stream, 'write_through', False)))}"
        for stream in (sys.stdin, sys.stdout, sys.stderr)
    ]
    fields = [text.encode("utf-8", "surrogateescape"), os.fsencode(cwd), str(umask).encode()]
    fields += [",".join(ignored).encode(), "|".join(streams).encode("utf-8", "replace"), extras.encode()]
    fields += [str(len(argv)).encode(), os.fsencode(sys.argv[0] if sys.argv else "dockwright")]
    fields += [os.fsencode(arg) for arg in argv]
    fields += [key + b"=" + value for key, value in os.environb.items()]
    return fields


def _handed_over(
    connection: _socket.socket, path: str, text: str, cwd: str, argv: list[str], save: int = -1
) -> int | None:
    import _socket
    import struct  # not array: it loads collections.abc

    descriptors = [0, 1, 2]
    extras = ""
    folder = -1
    try:  # the working folder itself: the child enters it even if its path changed meanwhile
        folder = os.open(".", getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_CLOEXEC)
        descriptors.append(folder)
        extras += "f"
    except OSError:
        pass
    if save >= 0:
        descriptors.append(save)
        extras += "s"
    try:
        request = frame(RUN, request_fields(text, cwd, argv, extras))
        rights = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack(f"{len(descriptors)}i", *descriptors))]
        connection.sendmsg([request[:HEADER]], rights)  # socket.send_fds
        connection.sendall(request[HEADER:])
        answer = received(connection, 5)
    except OSError:
        connection.close()
        return None
    finally:
        if folder >= 0:
            os.close(folder)
    if len(answer) != 5 or answer[:1] != STARTED:
        connection.close()  # refused: another installation's, or its code changed (it exits)
        if answer[:1] == REFUSED:
            _absent.append(path)
        return None  # the command runs here, and takes the save sent (prefetch.start_early)
    return _waited(connection, int.from_bytes(answer[1:], "big"))


def _waited(connection: _socket.socket, pid: int) -> int:
    """Forward this process's signals to the child until the server reports how the child ended;
    then end the same way (an exit status, or the same signal). What a terminal sends its foreground
    group (Ctrl-C, Ctrl-\\, a hangup, Ctrl-Z, a resize) goes to the child's process group, the engine's
    CLI in it as it would be in this one's; SIGTERM and SIGUSR1/2, sent to this process by a program,
    go to the child alone. A signal this process ignores is not forwarded."""
    if TYPE_CHECKING:
        import signal
    else:
        import _signal as signal  # its C half: the enum classes stay unloaded

    def forward(number: int, _frame: object) -> None:
        try:
            if number in group:
                os.killpg(pid, number)
            else:
                os.kill(pid, number)
        except OSError:
            pass

    def suspend(_number: int, _frame: object) -> None:
        forward(signal.SIGTSTP, None)  # the child's group stops, then this process, as a shell expects
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        signal.signal(signal.SIGTSTP, suspend)  # continued (fg/bg): the SIGCONT handler wakes the child

    group = {int(getattr(signal, name)) for name in GROUP_SIGNALS}
    for name in FORWARDED:
        number = getattr(signal, name)
        if signal.getsignal(number) != signal.SIG_IGN:
            signal.signal(number, forward)
    if signal.getsignal(signal.SIGTSTP) != signal.SIG_IGN:
        signal.signal(signal.SIGTSTP, suspend)
    answer = b""
    try:
        answer = received(connection, 5)
        if len(answer) == 5 and answer[:1] == ENDED:
            connection.send(DONE)  # the child may still be ending (report_end): no hang-up for it
    except OSError:
        pass
    connection.close()
    if len(answer) != 5 or answer[:1] != ENDED:
        return _lost(pid)
    status = int.from_bytes(answer[1:], "big", signed=True)
    if status >= 0:
        return status
    number = -status
    try:
        signal.signal(number, signal.SIG_DFL)  # SIGKILL (an out-of-memory kill) has no handler to reset
    except (OSError, ValueError):
        pass
    os.kill(os.getpid(), number)
    return 128 + number


def _lost(pid: int) -> int:
    """The server ended before reporting the child's status: wait for the child to end, then say so."""
    import time

    while True:
        try:
            os.kill(pid, 0)
        except OSError:  # gone (or no longer ours to ask)
            break
        time.sleep(0.05)
    sys.stderr.write("error: dockwright's daemon ended before reporting the command's status\n")
    return 2


def start_if_absent() -> None:
    """Start the server a command found missing (or refusing, for changed code), detached from this
    process: it loads dockwright once, listens at the socket, and exits after an idle while
    (``dockwright/daemon/server.py``). Errors are ignored: the next command runs here again."""
    if not _absent:
        return
    path = _absent[0]
    _absent.clear()
    import time

    started = path[: -len(".sock")] + ".started"
    try:  # one start a minute: a server loading (~0.5 s), or one that failed to start, is not raced
        if time.time() - os.stat(started).st_mtime < RESTART_SECONDS:
            return
    except OSError:
        pass
    try:
        os.close(os.open(started, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
        os.utime(started)
    except OSError:
        return
    import subprocess

    # what its interpreter's start reads (the module path, the locale): not the rest of this
    # command's environment (tokens, passwords), which would stay in a long-lived process
    environment = {
        key: value
        for key, value in os.environ.items()
        if key in _SERVER_ENVIRONMENT or key.startswith(("PYTHON", "LC_"))
    }
    if environment.get("PYTHONPATH"):  # entries relative to this folder, as this process read them
        entries = environment["PYTHONPATH"].split(os.pathsep)
        environment["PYTHONPATH"] = os.pathsep.join(os.path.abspath(entry) for entry in entries)
    # -s, -P, -W ...: the same module path and flags (what multiprocessing passes its processes), and
    # every -X option (it passes some of them only)
    given: list[str] = getattr(subprocess, "_args_from_interpreter_flags", list)()
    flags = [flag for index, flag in enumerate(given) if flag != "-X" and given[index - 1 : index] != ["-X"]]
    for key, value in sys._xoptions.items():
        flags += ["-X", key if value is True else f"{key}={value}"]

    try:
        subprocess.Popen(
            [sys.executable, *flags, "-m", "dockwright.daemon", path],
            cwd="/",
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # no terminal: a Ctrl-C meant for a command never reaches it
            close_fds=True,
        )
    except OSError:
        pass


def asked(kind: bytes, path: str) -> str | None:
    """A management request (``STATUS``, ``STOP``) to the server at ``path``: its answer, or None
    when none listens there."""
    connection = connected(path)
    if connection is None:
        return None
    try:
        connection.sendall(frame(kind, []))
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    except OSError:
        return None
    finally:
        connection.close()
    return data.decode("utf-8", "replace")
