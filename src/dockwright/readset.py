"""What planning read (its read set), recorded while a plan is made, and whether every answer still holds.

A kept plan (:mod:`dockwright.kept_plan`) is reused only while each observation its planning made holds,
the technique of build systems that record a read set (ccache's direct mode, Shake, Bazel's action
cache). While a :class:`Recorder` is active, every question a planning thread asks is kept with its
answer, whichever module asks it:

- a file opened for reading (the ``open`` audit event): its stat signature and a keyed digest of its bytes;
- a folder listed (``os.listdir``/``os.scandir``): a digest of its names and their kinds (link, folder,
  regular file, other: ProjectTree answers ``is_file``/``is_dir`` from its listings);
- a path stat'ed (``os.stat``/``os.lstat``, under ``Path.exists/is_file/is_dir/resolve``): its kind only
  (missing, folder, file, executable file; a link with its target, which ``resolve`` follows), so a
  file's edit matters only where it is read;
- a size (:meth:`dockwright.project.tree.ProjectTree.size`, :func:`note_size`);
- a ``git`` run that only reads (``subprocess.run``: cat-file, rev-list, ...): its arguments, folder and a
  digest of its exit status and output, asked again on reuse;
- the clock: a listing of the index kept "while fresh" bounds the plan's life (:func:`kept_until`).

A planning may also keep a memo (:func:`memo_session`, :func:`memo`): results of pure functions of what
it read (each module's scan, keyed by its text), which the kept plan's store holds from one planning to
the next, so a planning after a source edit scans again only the modules that changed.

Anything else that may differ on the next run refuses the plan (:func:`refuse`): another program, the
network outside an index answer kept on disk, a FIFO or device read. Paths of the interpreter's
libraries and of dockwright itself are not recorded (the caller keys on their versions). The engine
warm-up thread (``dockwright-engine-*``) is not planning and is not recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

MAX_READ_BYTES = 64 * 1024 * 1024  # a bigger file read while planning refuses the plan (digest cost)
RECENT_SECONDS = 2.0  # a file changed this close to the recording is checked by digest, never by stat
_NETWORK_EVENTS = frozenset(
    {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "urllib.Request"}
)
_PROGRAM_EVENTS = frozenset({"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"})
_GIT_READS = frozenset(
    {"cat-file", "rev-list", "rev-parse", "log", "show", "ls-files", "ls-tree", "describe", "show-ref"}
)
_RUN_ENV_PREFIXES = ("GIT_", "LC_", "LANG")  # values a recorded git run sets itself (kept to replay it)

_REAL_STAT = os.stat
_REAL_LSTAT = os.lstat
_REAL_RUN = subprocess.run
_LOCAL = threading.local()
_LOCK = threading.Lock()
_ACTIVE: Recorder | None = None
_HOOKED = False


class Recorder:
    """The observations of one planning: ``answers`` maps (kind, subject) to what was answered."""

    def __init__(self, key: bytes, root: str, skip: tuple[str, ...]) -> None:
        self.key = key
        self.root = root.rstrip("/") + "/"
        self.skip = tuple(s.rstrip("/") + "/" for s in skip if s)
        self.answers: dict[tuple[str, str], Any] = {}
        self.until = float("inf")
        self.refused: list[str] = []
        self.started = time.time()
        self._lock = threading.Lock()
        self.replaced: tuple[Any, Any, Any] = (_REAL_STAT, _REAL_LSTAT, _REAL_RUN)

    def refuse(self, why: str) -> None:
        with self._lock:
            if why not in self.refused:
                self.refused.append(why)

    def note(self, kind: str, subject: str, answer: Callable[[], Any]) -> None:
        """Keep the first answer to a question (``answer`` is asked only then)."""
        if (kind, subject) in self.answers or self._skipped(subject):
            return
        value = answer()
        with self._lock:
            self.answers.setdefault((kind, subject), value)

    def _skipped(self, path: str) -> bool:
        return not path.startswith(self.root) and path.startswith(self.skip)

    def observations(self) -> list[list[Any]]:
        """The answers as JSON-ready rows ``[kind, subject, answer]``, in a stable order."""
        return [[kind, subject, answer] for (kind, subject), answer in sorted(self.answers.items())]


def digest(key: bytes, data: bytes) -> str:
    """A keyed digest (HMAC-SHA256): what a kept entry holds of a value, never the value itself."""
    return hmac.new(key, data, hashlib.sha256).hexdigest()[:40]


def _absolute(path: Any) -> str | None:
    if isinstance(path, int) or path is None:
        return None
    try:
        text = os.fsdecode(path)
    except TypeError:
        return None
    return text if text.startswith("/") else str(Path.cwd() / text)  # `..` kept: a link decides


def _kind(key: bytes, path: str, follow: bool) -> str:
    """What a stat answered: missing, dir, file, file+x, other, or ``link:`` and a keyed digest of the
    link's target (``Path.resolve`` reads it: a link pointed elsewhere is another answer)."""
    try:
        found = (_REAL_STAT if follow else _REAL_LSTAT)(path)
    except (OSError, ValueError):
        return "missing"
    mode = found.st_mode
    if stat.S_ISLNK(mode):
        try:
            target = Path(path).readlink()
        except (OSError, ValueError):
            return "link"
        return "link:" + digest(key, os.fsencode(target))
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file+x" if mode & stat.S_IXUSR else "file"
    return "other"


def _signature(found: os.stat_result) -> str:
    return f"{found.st_size}:{found.st_mtime_ns}:{found.st_ctime_ns}:{found.st_ino}"


def _file_answer(key: bytes, path: str, since: float | None) -> list[str]:
    """``["file", stat signature ("" when changed since ``since`` - 2 s), digest]``, or the kind of a
    path that is no regular file (``["missing"]``, ``["dir"]``, ``["other"]``)."""
    try:
        found = _REAL_STAT(path)
    except (OSError, ValueError):
        return ["missing"]
    if stat.S_ISDIR(found.st_mode):
        return ["dir"]
    if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_READ_BYTES:
        return ["other"]
    mac = hmac.new(key, b"", hashlib.sha256)
    try:
        with Path(path).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                mac.update(chunk)
    except OSError:
        return ["unreadable"]
    recent = since is not None and found.st_mtime_ns >= (since - RECENT_SECONDS) * 1e9
    return ["file", "" if recent else _signature(found), mac.hexdigest()[:40]]


def _listing(key: bytes, path: str) -> str:
    try:
        with os.scandir(path) as entries:
            names = sorted(
                f"{e.name}\0{'l' if e.is_symlink() else 'd' if e.is_dir() else 'f' if e.is_file() else 'o'}"
                for e in entries
            )
    except (OSError, ValueError):
        return "missing"
    return digest(key, "\n".join(names).encode("utf-8", "surrogateescape"))


def _recording() -> Recorder | None:
    """The active recorder, for a planning thread that is not inside the recorder's own work."""
    recorder = _ACTIVE
    if recorder is None or getattr(_LOCAL, "busy", False):
        return None
    if threading.current_thread().name.startswith("dockwright-engine"):
        return None
    return recorder


@contextmanager
def _busy() -> Iterator[None]:
    _LOCAL.busy = True
    try:
        yield
    finally:
        _LOCAL.busy = False


def _writing(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    written = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    return isinstance(flags, int) and bool(flags & written)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _ACTIVE is None:
        return
    recorder = _recording()
    if recorder is None:
        return
    try:
        with _busy():
            _observe(recorder, event, args)
    except Exception as error:  # an audit hook's error would be the caller's: refuse the plan instead
        recorder.refuse(f"recording failed at {event}: {type(error).__name__}")


def _observe(recorder: Recorder, event: str, args: tuple[Any, ...]) -> None:
    if event == "open":
        read = _absolute(args[0])
        if read is not None and not _writing(args[1], args[2] if len(args) > 2 else None):
            recorder.note("read", read, lambda: _file_answer(recorder.key, read, recorder.started))
            if recorder.answers.get(("read", read), ["file"])[0] in ("other", "unreadable"):
                recorder.refuse(f"{read}: read while planning, not a regular file that can be digested")
    elif event in ("os.listdir", "os.scandir"):
        listed = _absolute("." if args[0] is None else args[0])
        if listed is not None:
            recorder.note("list", listed, lambda: _listing(recorder.key, listed))
    elif event == "subprocess.Popen":
        if not getattr(_LOCAL, "running", False):
            recorder.refuse(f"a program ran while planning ({os.fsdecode(args[0] or '')})")
    elif event in _PROGRAM_EVENTS:
        recorder.refuse(f"a program ran while planning ({event})")
    elif event in _NETWORK_EVENTS and not getattr(_LOCAL, "fetching", False):
        recorder.refuse("the network was asked while planning")


def _stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
    follow = kwargs.get("follow_symlinks", True)
    return _stat_noted(_REAL_STAT, "stat" if follow else "lstat", path, args, kwargs)


def _lstat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
    return _stat_noted(_REAL_LSTAT, "lstat", path, args, kwargs)


def _stat_noted(
    real: Callable[..., os.stat_result], kind: str, path: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> os.stat_result:
    recorder = _recording()
    if recorder is None or kwargs.get("dir_fd") is not None:
        return real(path, *args, **kwargs)
    try:
        with _busy():
            where = _absolute(path)
            if where is not None:
                recorder.note(kind, where, lambda: _kind(recorder.key, where, kind == "stat"))
    except Exception as error:
        recorder.refuse(f"recording failed at {kind}: {type(error).__name__}")
    return real(path, *args, **kwargs)


def _run(*popenargs: Any, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    recorder = _recording()
    if recorder is None:
        return _REAL_RUN(*popenargs, **kwargs)
    _LOCAL.running = True
    try:
        done = _REAL_RUN(*popenargs, **kwargs)
    except BaseException:
        recorder.refuse("a program run while planning failed to finish")
        raise
    finally:
        _LOCAL.running = False
    with _busy():
        _note_run(recorder, popenargs[0] if popenargs else kwargs.get("args"), kwargs, done)
    return done


def _note_run(recorder: Recorder, argv: Any, kwargs: dict[str, Any], done: Any) -> None:
    words = [os.fsdecode(a) for a in argv] if isinstance(argv, (list, tuple)) else None
    captured = kwargs.get("capture_output") or kwargs.get("stdout") == subprocess.PIPE
    if not words or _git_reading(words) is None or not captured or kwargs.get("input"):
        recorder.refuse(f"a program ran while planning ({words[0] if words else argv!r})")
        return
    env = kwargs.get("env")
    setting: dict[str, str] = {}
    if env is not None:
        setting = {k: v for k, v in env.items() if os.environ.get(k) != v}
        if any(not k.startswith(_RUN_ENV_PREFIXES) for k in setting):
            recorder.refuse("a git run with its own environment while planning")
            return
    cwd = kwargs.get("cwd")
    call = {
        "argv": words,
        "cwd": None if cwd is None else os.fsdecode(cwd),
        "set": setting,
        "unset": sorted(k for k in os.environ if env is not None and k not in env),
    }
    subject = json.dumps(call, sort_keys=True)
    recorder.note("run", subject, lambda: _run_digest(recorder.key, done.returncode, done.stdout))


def _git_reading(words: list[str]) -> str | None:
    """The subcommand of a ``git`` run that only reads (so replaying it changes nothing), else None."""
    if PurePath(words[0]).name != "git":
        return None
    rest = iter(words[1:])
    for word in rest:
        if word in ("-c", "-C"):
            next(rest, None)
        elif not word.startswith("-"):
            return word if word in _GIT_READS else None
    return None


def _run_digest(key: bytes, returncode: int, stdout: Any) -> str:
    out = stdout.encode("utf-8", "surrogateescape") if isinstance(stdout, str) else (stdout or b"")
    return digest(key, f"{returncode}\n".encode() + out)


def _rerun(key: bytes, subject: str) -> str:
    call = json.loads(subject)
    env = {k: v for k, v in os.environ.items() if k not in call["unset"]}
    env.update(call["set"])
    try:
        done = _REAL_RUN(call["argv"], cwd=call["cwd"], env=env, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return "failed"
    return _run_digest(key, done.returncode, done.stdout)


def start(key: bytes, root: str, skip: tuple[str, ...] = ()) -> Recorder:
    """Begin recording (one planning at a time in a process: a second one records nothing)."""
    global _ACTIVE, _HOOKED
    recorder = Recorder(key, root, skip)
    with _LOCK:
        if not _HOOKED:
            sys.addaudithook(_hook)  # for the process's life: it returns at once when nothing records
            _HOOKED = True
        if _ACTIVE is not None:
            recorder.refuse("another planning was being recorded")
            return recorder
        recorder.replaced = (os.stat, os.lstat, subprocess.run)  # restored as found (a test's patch)
        os.stat, os.lstat, subprocess.run = _stat, _lstat, _run
        _ACTIVE = recorder
    return recorder


def stop(recorder: Recorder) -> None:
    global _ACTIVE
    with _LOCK:
        if _ACTIVE is recorder:
            os.stat, os.lstat, subprocess.run = recorder.replaced
            _ACTIVE = None


def recording() -> bool:
    """Whether this thread's questions are being recorded for a kept plan."""
    return _recording() is not None


@contextmanager
def unrecorded() -> Iterator[None]:
    """Reads whose answer the caller bounds otherwise are no observation (an index listing kept on disk:
    a plan made with it holds until it expires, :func:`kept_until`, whatever another planning writes
    there meanwhile)."""
    outer = getattr(_LOCAL, "busy", False)
    _LOCAL.busy = True
    try:
        yield
    finally:
        _LOCAL.busy = outer


def outside_project(path: str) -> bool:
    """Whether a planning is being recorded and ``path`` is outside the folder it plans: such a folder
    is asked about name by name (a stat each), never listed, so a plan depends only on the names it
    asked there (a file added beside the project, in /tmp or a home folder, changes no plan)."""
    recorder = _recording()
    return recorder is not None and not (path.rstrip("/") + "/").startswith(recorder.root)


def refuse(why: str) -> None:
    """Planning used something no kept plan can check again (no-op when nothing records)."""
    recorder = _recording()
    if recorder is not None:
        recorder.refuse(why)


class _Memo:
    def __init__(self, key: bytes, found: Mapping[str, bytes]) -> None:
        self.key = key
        self.found = found
        self.used: dict[str, bytes] = {}


_MEMO: _Memo | None = None


@contextmanager
def memo_session(key: bytes, found: Mapping[str, bytes]) -> Iterator[dict[str, bytes]]:
    """Make :func:`memo` answer from ``found`` (what an earlier planning kept) while the block runs;
    yields what the block's planning looked up or made, for the caller to keep. Not nested: an inner
    session of the same process answers nothing (its planning computes)."""
    global _MEMO
    session = _Memo(key, found)
    with _LOCK:
        outer = _MEMO
        if outer is None:
            _MEMO = session
    try:
        yield session.used
    finally:
        with _LOCK:
            if _MEMO is session:
                _MEMO = None


def memo_active() -> bool:
    """Whether :func:`memo` keeps results now (a planning inside :func:`memo_session`)."""
    return _MEMO is not None


def memo(kind: str, inputs: Any, make: Callable[[], bytes | None]) -> bytes | None:
    """``make()``'s bytes, or the bytes an earlier planning kept for the same ``kind`` and ``inputs``
    (JSON-ready: everything ``make`` reads, such as a module's path and text). ``make`` must be a pure
    function of ``inputs`` and of dockwright's code (a kept memo is dropped when either changes); a
    ``None`` it returns (an answer this machine could not give) is never kept.
    Outside a :func:`memo_session`, ``make()``."""
    session = _MEMO
    if session is None:
        return make()
    name = digest(session.key, json.dumps([kind, inputs]).encode("utf-8", "surrogateescape"))
    found = session.used.get(name) or session.found.get(name)
    if found is None:
        found = make()
    if found is not None:
        session.used[name] = found
    return found


def kept_until(moment: float) -> None:
    """Planning used an answer that holds until ``moment`` (an index listing kept while fresh)."""
    recorder = _recording()
    if recorder is not None:
        with recorder._lock:
            recorder.until = min(recorder.until, moment)


def note_size(path: str, size: int) -> None:
    """Planning used a file's size (without reading it)."""
    recorder = _recording()
    if recorder is not None:
        recorder.note("size", _absolute(path) or path, lambda: str(size))


@contextmanager
def network_answer() -> Iterator[None]:
    """An index request whose answer the caller bounds with :func:`kept_until` (or refuses); one that
    fails refuses the plan (a failure is not kept)."""
    _LOCAL.fetching = True
    try:
        yield
    except BaseException:
        refuse("an index request failed while planning")
        raise
    finally:
        _LOCAL.fetching = False


def _size(path: str) -> str:
    try:
        return str(_REAL_STAT(path).st_size)
    except (OSError, ValueError):
        return "missing"


def changed(key: bytes, observations: list[list[Any]]) -> str | None:
    """The first observation that no longer holds (``kind subject``), else None; runs last."""
    rows = sorted(observations, key=lambda row: row[0] == "run")
    for kind, subject, answer in rows:
        if kind in ("stat", "lstat"):
            now: Any = _kind(key, subject, kind == "stat")
        elif kind == "size":
            now = _size(subject)
        elif kind == "list":
            now = _listing(key, subject)
        elif kind == "read":
            if answer and answer[0] == "file" and answer[1]:
                try:
                    if _signature(_REAL_STAT(subject)) == answer[1]:
                        continue
                except (OSError, ValueError):
                    return f"{kind} {subject}"
            now = _file_answer(key, subject, None)
            if now[0] == "file" and answer and answer[0] == "file" and now[2] == answer[2]:
                continue
        elif kind == "run":
            now = _rerun(key, subject)
        else:
            return f"{kind} {subject}"
        if now != answer:
            return f"{kind} {subject}"
    return None


def environment_digest(key: bytes, environ: Mapping[str, str], volatile: frozenset[str]) -> str:
    """A keyed digest of the whole environment but the shell's own bookkeeping (``volatile``)."""
    items = sorted((k, v) for k, v in environ.items() if k not in volatile)
    return digest(key, json.dumps(items).encode("utf-8", "surrogateescape"))
