"""The plan of a ``build`` kept per project, reused while everything its planning read still holds.

A no-change rebuild planned the project again each time (~0.7 s of 1.3 s: docs/lean.md, "Session 26:
speed26"). Now the plan is kept with its read set (:mod:`dockwright.readset`): every file read, folder
listed and path stat'ed while planning, each ``git`` answer, and how long the index listings it used stay
fresh. The next build of the same project with the same options replays those observations (stats and
digests, no detection) and reuses the plan when all hold, else plans again and keeps the new plan.

Key (one entry per project folder and options): the folder, the working directory, ``--file``, the
options. Checked before reuse: dockwright's version and the stat of its own files (code and data
tables), the interpreter, the whole environment (but the shell's ``_``, ``OLDPWD``, ``SHLVL``,
``COLUMNS``, ``LINES``), the earliest expiry of the index answers used, then the read set.

Beside the plans, one memo per project folder (``*.memo``, at most :data:`MAX_MEMOS`): each module's
scan, keyed by the module's path and text (:func:`dockwright.readset.memo`), read before a planning
and written after it (never part of a plan's read set). A build after a source edit, and ``plan`` and
``init`` (:func:`planning_memo`), parse and scan again only the modules whose text changed. It is
dropped with any change to dockwright itself, signed like the plans, and an item holding what looks
like a credential is left out.

Where: ``$XDG_CACHE_HOME/dockwright/plans`` (else ``~/.cache/dockwright/plans``), a folder of the user's
(0700, in a ``dockwright`` folder nobody else writes), entries 0600 written atomically, at most
:data:`MAX_ENTRIES` (the oldest go). Every digest is keyed by a random key of the user's (``plans/key``,
0600), and an entry carries a MAC under it: an entry that is corrupt, of another format or version, not the
user's, or forged is ignored (the project is planned again). A plan holding what looks like a credential (a
password or token in a URL, the value of a secret-named environment variable, a netrc password) is never
written. ``DOCKWRIGHT_PLAN_CACHE=off`` or ``dockwright build --fresh-plan`` plans every time.
"""

from __future__ import annotations

import functools
import hmac
import json
import os
import re
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockwright import __version__, readset
from dockwright.switches import switched_off

if TYPE_CHECKING:
    from dockwright.plan.model import BuildPlan

FORMAT = 1
MAX_ENTRIES = 64
SUFFIX = ".plan"
MEMO_SUFFIX = ".memo"
MAX_MEMOS = 16  # projects whose planning results (each module's scan) are kept
_VOLATILE = frozenset({"_", "OLDPWD", "SHLVL", "COLUMNS", "LINES"})
_PACKAGE = Path(__file__).resolve().parent
# A URL's credentials, found from its "://" (a literal the search skips to: starting at a scheme's
# characters, each pattern took 1.6 ms of a 40 KB plan, 0.013 ms so): a password (redis://:pw@ too),
# a bare token as the user (https://TOKEN@host; ssh's git@ is no secret), a credential in the query
# (?token=, a presigned link's X-Amz-Signature / sig=). Any scheme character before the "://" will
# do: the scheme's first letter is not asked for (a stricter reading would only keep more plans).
_URL_PASSWORD = re.compile(rb"://(?<=[a-z0-9+.-]://)[^/\s:@'\"]*:[^@\s/'\"]+@", re.I)
_URL_USER = re.compile(rb"://(?<=[a-z0-9+.-]://)(?!git@)[\w.%~+-]+@", re.I)
_URL_QUERY = re.compile(
    rb"[?&][\w.-]*(?:token|api_?key|key|secret|password|sig|signature|auth|credential)=[^&\s]", re.I
)


def plans_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """``$XDG_CACHE_HOME/dockwright/plans`` (else ``~/.cache/...``); None when turned off
    (``DOCKWRIGHT_PLAN_CACHE=off``) or on an interpreter whose path checks it cannot record."""
    env = os.environ if environ is None else environ
    if switched_off(env.get("DOCKWRIGHT_PLAN_CACHE")) or sys.version_info < (3, 11):
        return None  # 3.10's pathlib binds os.stat at import: its stats would go unrecorded
    if not hasattr(os, "getuid"):
        return None  # no owner to check an entry against
    base = env.get("XDG_CACHE_HOME") or str(Path("~").expanduser() / ".cache")
    return Path(base) / "dockwright" / "plans"


def _private(path: Path, folder: bool) -> bool:
    """The user's own, readable by nobody else (a folder of another user's, or open to others: unused)."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    return kind(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o077


def _unswappable(path: Path) -> bool:
    """A folder of the user's that nobody else can write: no one else can put a link in place of what
    it holds (``dockwright/`` under a shared cache folder could be another user's)."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o022


def _user_key(folder: Path) -> bytes | None:
    """The user's random key of the plans folder (made on first use), or None when it is not safe."""
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _unswappable(folder.parent):
            return None
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not _private(folder, True):
        return None
    path = folder / "key"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    if not _private(path, False):
        return None
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


_held_code: list[str] = []  # _code_rows() held by the daemon's server (hold_code)


def hold_code() -> None:
    """Keep :func:`_code_rows` for this process and the children it forks: the daemon's server calls
    it once its watch of the package's folders runs (``daemon/server.py``), which stops the server at
    the first change; the children then run the code those rows describe. Stating the package's
    ~500 files took 2-7 ms of every served ``build``."""
    _held_code[:] = [_code_rows()]


def _code_signature(key: bytes) -> str:
    """dockwright itself: its version, the interpreter, and each file of the package (code and data
    tables) by size and modification time (a checkout edited, a wheel of the same version reinstalled)."""
    rows = _held_code[0] if _held_code else _code_rows()
    return readset.digest(key, rows.encode("utf-8", "surrogateescape"))


def _code_rows() -> str:
    rows = [__version__, sys.version, os.path.realpath(sys.executable)]
    stack = [str(_PACKAGE)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif not entry.name.endswith(".pyc"):
                    found = entry.stat(follow_symlinks=False)
                    rows.append(f"{entry.path}:{found.st_size}:{found.st_mtime_ns}")
    return "\n".join(sorted(rows))


def _entry_name(key: bytes, root: Path, options: Mapping[str, Any], given: str | None) -> str:
    wanted = [FORMAT, str(root), str(Path.cwd()), given, sorted((k, repr(v)) for k, v in options.items())]
    return readset.digest(key, json.dumps(wanted).encode("utf-8", "surrogateescape")) + SUFFIX


@functools.cache
def library_folders() -> tuple[str, ...]:
    """dockwright's folder and the interpreter's library folders (what a recording skips); sysconfig
    loads its data module for them, once per process (the daemon's server does it for its children)."""
    import sysconfig

    found = {str(_PACKAGE)}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            found.add(os.path.realpath(path))
            found.add(path)
    return tuple(sorted(found))


def _read(path: Path, key: bytes) -> tuple[dict[str, Any], bytes] | None:
    """An entry's header and pickled plan, when it is the user's and its MAC holds; else None."""
    if not _private(path, False):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    mac, _, body = data.partition(b"\n")
    header, _, plan = body.partition(b"\n")
    if not hmac.compare_digest(mac, readset.digest(key, body).encode("ascii")):
        return None
    try:
        found = json.loads(header)
    except ValueError:
        return None
    return (found, plan) if isinstance(found, dict) else None


def _reusable(header: dict[str, Any], key: bytes, code: str, environment: str) -> bool:
    if header.get("format") != FORMAT or header.get("code") != code or header.get("env") != environment:
        return False
    until = header.get("until")
    if until is not None and (not isinstance(until, (int, float)) or until <= time.time()):
        return False
    observations = header.get("observations")
    return isinstance(observations, list) and readset.changed(key, observations) is None


def _secret_values(environ: Mapping[str, str]) -> list[bytes]:
    """What a kept plan must not hold: secret-named variables' values, netrc passwords."""
    from dockwright.secret_values import secret_name

    found = [v for k, v in environ.items() if secret_name(k) and len(v) >= 6]
    netrc_path = environ.get("NETRC") or str(Path("~").expanduser() / ".netrc")
    if Path(netrc_path).is_file():
        try:
            import netrc

            for _login, _account, password in netrc.netrc(netrc_path).hosts.values():
                if password and len(password) >= 4:
                    found.append(password)
        except (OSError, netrc.NetrcParseError):
            found.append("\0")  # unreadable: refuse rather than guess (no plan holds a NUL)
    return [v.encode("utf-8", "surrogateescape") for v in found]


def carries_secret(blob: bytes, environ: Mapping[str, str]) -> bool:
    """Whether a pickled plan holds a credential in a URL (password, bare token as its user, query
    credential), a value shaped like a provider's credential, a secret variable's value or a netrc
    password."""
    return _carries(blob, _secret_values(environ))


def _carries(blob: bytes, values: list[bytes]) -> bool:
    """:func:`carries_secret` with the secret values already gathered (``_secret_values``)."""
    if _URL_PASSWORD.search(blob) or _URL_USER.search(blob) or _URL_QUERY.search(blob):
        return True
    from dockwright.secret_values import secret_shape

    if secret_shape(blob.decode("latin-1")) is not None:  # a credential's shape, whatever its name
        return True
    return any(value in blob for value in values)


def _store(environ: Mapping[str, str]) -> tuple[Path, bytes] | None:
    """The plans folder and the user's key there, or None when plans are not kept (turned off, unsafe)."""
    folder = plans_folder(environ)
    key = _user_key(folder) if folder is not None else None
    return None if folder is None or key is None else (folder, key)


def keeping(environ: Mapping[str, str] | None = None) -> bool:
    """Whether plans are kept here (turned on, a private folder with the user's key)."""
    return _store(os.environ if environ is None else environ) is not None


def _memo_name(key: bytes, root: Path) -> str:
    return readset.digest(key, json.dumps([FORMAT, "memo", str(root)]).encode("utf-8", "surrogateescape")) + (
        MEMO_SUFFIX
    )


def _read_memo(folder: Path, key: bytes, root: Path, code: str) -> dict[str, bytes]:
    """The memo an earlier planning of ``root`` kept with the same dockwright (else empty)."""
    found = _read(folder / _memo_name(key, root), key)
    if found is None or found[0].get("format") != FORMAT or found[0].get("code") != code:
        return {}
    import pickle

    try:
        memo = pickle.loads(found[1])
    except Exception:  # an entry that does not load is no memo: plan as without it
        return {}
    if not isinstance(memo, dict) or not all(
        isinstance(k, str) and isinstance(v, bytes) for k, v in memo.items()
    ):
        return {}
    return memo


def _write_memo(
    folder: Path,
    key: bytes,
    root: Path,
    code: str,
    memo: dict[str, bytes],
    found: Mapping[str, bytes],
    environ: Mapping[str, str],
) -> None:
    """Keep what this planning looked up or made, when it differs from what was kept; an item holding
    what looks like a credential is left out (as a plan holding one is never written)."""
    values = _secret_values(environ)  # gathered once: a netrc read for each module would cost seconds
    # an item kept before passed the URL and shape checks (they read nothing else): only the secret
    # values, which the environment may have changed since, are looked for in it again
    kept = {
        name: blob
        for name, blob in memo.items()
        if not (any(value in blob for value in values) if found.get(name) == blob else _carries(blob, values))
    }
    if kept == dict(found) or not kept:
        return
    import pickle

    header = {"format": FORMAT, "code": code}
    blob = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    _write(folder, _memo_name(key, root), key, header, blob, MEMO_SUFFIX, MAX_MEMOS)


@contextmanager
def _memo(
    folder: Path, key: bytes, root: Path, code: str, fresh: bool, environ: Mapping[str, str]
) -> Iterator[None]:
    """A memo session over a planning of ``root`` (``fresh``: nothing earlier is used), kept after it."""
    found = {} if fresh else _read_memo(folder, key, root, code)
    with readset.memo_session(key, found) as used:
        yield
    _write_memo(folder, key, root, code, used, found, environ)


@contextmanager
def planning_memo(root: Path, environ: Mapping[str, str] | None = None) -> Iterator[None]:
    """What an earlier planning of ``root`` scanned, for ``plan`` and ``init`` (which keep no plan):
    unchanged modules are not scanned again. Off where kept plans are (``DOCKWRIGHT_PLAN_CACHE=off``)."""
    env = os.environ if environ is None else environ
    store = _store(env)
    if store is None or not root.is_dir():
        yield
        return
    folder, key = store
    with _memo(folder, key, root.resolve(), _code_signature(key), False, env):
        yield


def _write(
    folder: Path,
    name: str,
    key: bytes,
    header: dict[str, Any],
    plan: bytes,
    suffix: str = SUFFIX,
    most: int | None = None,
) -> None:
    """Write an entry atomically, then trim the entries of its ``suffix`` to ``most`` (:func:`_trim`)."""
    body = json.dumps(header, separators=(",", ":")).encode("utf-8", "surrogateescape") + b"\n" + plan
    data = readset.digest(key, body).encode("ascii") + b"\n" + body
    try:
        descriptor, scratch = tempfile.mkstemp(prefix=".entry-", dir=folder)  # 0600
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            Path(scratch).replace(folder / name)
        except BaseException:
            Path(scratch).unlink()
            raise
    except OSError:
        return
    _trim(folder, suffix, most)


def _trim(folder: Path, suffix: str = SUFFIX, most: int | None = None) -> None:
    """At most ``most`` (default MAX_ENTRIES) entries of ``suffix``: the least recently written go."""
    most = MAX_ENTRIES if most is None else most
    try:
        entries = [(p.stat().st_mtime_ns, p) for p in folder.iterdir() if p.name.endswith(suffix)]
    except OSError:
        return
    for _mtime, path in sorted(entries)[:-most]:
        try:
            path.unlink()
        except OSError:
            continue


def _forget(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        return


def _guess(blob: bytes, on_planning: Callable[[BuildPlan], None]) -> None:
    """Hand a kept plan that no longer holds to ``on_planning``; nothing when it does not unpickle."""
    import pickle

    try:
        plan = pickle.loads(blob)
    except Exception:  # an entry that unpickles wrong guesses nothing
        return
    on_planning(plan)


def kept_or_made(
    root: Path,
    options: Mapping[str, Any],
    given: str | None,
    make: Callable[[], BuildPlan],
    *,
    fresh: bool = False,
    environ: Mapping[str, str] | None = None,
    on_planning: Callable[[BuildPlan], None] | None = None,
) -> BuildPlan:
    """The kept plan of ``root`` planned with ``options`` (``given``: ``--file``) when every observation
    of its planning still holds, else ``make()`` recorded and kept (``fresh``: plan, then keep).
    ``on_planning`` is handed the kept plan that no longer holds (or that ``fresh`` passes over) just
    before ``make()`` runs: a guess of what the planning will find (:mod:`dockwright.build_ahead`)."""
    env = os.environ if environ is None else environ
    store = _store(env)
    if store is None:
        return make()
    folder, key = store
    import pickle

    name = _entry_name(key, root, options, given)
    code = _code_signature(key)
    environment = readset.environment_digest(key, env, _VOLATILE)
    found = _read(folder / name, key) if not fresh or on_planning is not None else None
    if found is not None and not fresh:
        try:
            if _reusable(found[0], key, code, environment):
                plan: BuildPlan = pickle.loads(found[1])
                return plan
        except Exception:  # an entry of another dockwright that unpickles wrong: plan again
            pass
    if found is not None and on_planning is not None:
        header, blob = found
        if header.get("format") == FORMAT and header.get("code") == code:  # this dockwright's plan
            _guess(blob, on_planning)
    with _memo(folder, key, root, code, fresh, env):  # read and kept outside the recording: no input
        recorder = readset.start(key, str(root), library_folders())
        try:
            plan = make()
        finally:
            readset.stop(recorder)
    try:
        blob = pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        recorder.refuse("the plan does not pickle")
        blob = b""
    if recorder.refused or carries_secret(blob, env):
        _forget(folder / name)
        return plan
    header = {
        "format": FORMAT,
        "code": code,
        "env": environment,
        "until": None if recorder.until == float("inf") else recorder.until,
        "observations": recorder.observations(),
    }
    _write(folder, name, key, header, blob)
    return plan
