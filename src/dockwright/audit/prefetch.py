"""Start an image's export before the audit loads what reads it.

Docker writes the whole export before its first byte (0.6-0.9 s for a 137 MB image): everything
the audit does before asking for it adds to its time, everything after runs beside the engine. This
module imports only what the ask needs (the engine is already made), so ``run_audit`` starts the
save before it loads the tar reader, the layer cache's tables and the checklist (~40 ms of imports).

The ``dockwright`` command asks even earlier (:func:`start_early`, called by
:mod:`dockwright.launch` before click, the verbs and the engine's modules load: ~50 ms): when its
arguments are exactly an audit of a local engine's image, in forms this module knows, the save is
sent on the Engine API's socket at once and ``start_save`` hands that stream to the audit. Anything
else (an option it does not know, ``--from registry``, ``--platform``, another engine, a remote or
named Docker client) starts nothing, and the command runs as it would have. A command the daemon
serves asks sooner still: its client sends the save (:func:`send_early`) before it hands the command
over, and passes the connection with its streams (:func:`adopt_sent` in the served child).

Until the save is sent, only ``os``, ``atexit`` and ``_socket`` are imported (``typing``, ``pathlib``,
``json``, ``socket`` and ``hashlib`` took 25-100 ms on the shared 2-core machine, all before the
request): the paths are ``os.path``'s, the types are read by mypy alone, and the modules that read the
answer load once it is sent.
"""

# ruff: noqa: PTH110, PTH111, PTH118, PTH208 - os.path, not pathlib: see the module's notes

from __future__ import annotations

import atexit
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    import _socket
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import IO

    from dockwright.engine.base import Engine

_OFF = ("off", "0", "no", "false")  # dockwright.switches.OFF: nothing of dockwright loads before the save


def cache_folder(environ: Mapping[str, str] | None = None) -> str | None:
    """The layer cache's folder (:mod:`dockwright.audit.layer_cache`): ``$DOCKWRIGHT_AUDIT_CACHE``,
    else ``$XDG_CACHE_HOME/dockwright/audit``, else ``~/.cache/dockwright/audit``; None when
    ``DOCKWRIGHT_AUDIT_CACHE`` turns it off."""
    env = os.environ if environ is None else environ
    chosen = env.get("DOCKWRIGHT_AUDIT_CACHE", "").strip()
    if chosen.lower() in _OFF:
        return None
    if chosen:
        return chosen
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dockwright", "audit")


def folders_likely(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the audit may read an image's layers in Docker's store instead of saving it
    (:mod:`dockwright.engine.store_folders`): the store is root's, so this process must be root, and
    ``DOCKWRIGHT_AUDIT_FOLDERS`` not off. The audit then inspects the image before it asks for a save,
    and asks only when the folders are not there or not the image's."""
    env = os.environ if environ is None else environ
    if env.get("DOCKWRIGHT_AUDIT_FOLDERS", "").strip().lower() in _OFF:
        return False
    return hasattr(os, "geteuid") and os.geteuid() == 0


def ref_key(ref: str) -> str:
    """The layer cache's key for an image name (its ``ref`` entries: the names audited before).

    SHA-256 from the interpreter's own module where it has one (``_sha2``, ``_sha256`` before 3.12:
    0.3 ms to load against 2-2.5 ms for ``hashlib``, which loads OpenSSL's; the daemon's client runs
    this before every served audit), else ``hashlib``'s: the same digest."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    digest: str = sha256(ref.encode("utf-8", "surrogateescape")).hexdigest()
    return "sha256:" + digest


def seen_before(ref: str, root: str | Path) -> bool:
    """An audit (of any table format) recorded this name under the cache folder ``root``: a file
    ``root/*/ref/<key>.json`` (as ``Path.glob`` reads ``*``: any name, hidden ones too)."""
    try:
        folders = os.listdir(root)
    except OSError:
        return False
    if not folders:
        return False
    name = ref_key(ref).replace(":", "-", 1) + ".json"
    return any(os.path.exists(os.path.join(root, folder, "ref", name)) for folder in folders)


def start_save(engine: Engine, ref: str) -> IO[bytes] | None:
    """``engine.save(ref)`` started now, unless the layer cache has seen the name (its image is then
    likely cached: :func:`dockwright.audit.image.read_image` inspects it first and saves only when
    needed) or the engine refuses (the inspect then says why). The caller closes what it gets."""
    from dockwright.errors import EngineError

    early = _take_early(engine, ref)
    if early is not None:
        return early
    root = cache_folder()
    if root is not None and seen_before(ref, root):
        return None
    if getattr(engine, "store_layers", None) is not None and folders_likely():
        return None
    try:
        return engine.save(ref)
    except EngineError:
        return None


# `dockwright audit`'s options (cli/audit_cmd.py), copied because click is not loaded yet;
# tests/audit/test_prefetch_options.py pins every table to the click command's parameters, so a new
# option or choice fails that test until it is sorted here. Those taking a value, the flag:
_VALUE_OPTIONS = frozenset(
    ("--context", "--max-size", "--engine", "--from", "--env-file", "--network", "--format", "-o", "--output")
)
_FLAGS = frozenset(("--run",))
# options after which the command reads no image from the engine (or prints help): nothing is sent
_DECLINED = frozenset(("--platform", "--explain", "--list-checks", "-h", "--help"))
# a choice's values that read the image from Docker (the save is sent), and the others (it is not)
_CHOICES = {
    "--engine": ("auto", "docker"),
    "--from": ("auto", "engine"),
    "--format": ("text", "json", "html"),
}
_DECLINED_CHOICES = {"--engine": ("podman",), "--from": ("registry",), "--format": ()}
# the options whose value click reads as a number (a positive one: the audit refuses the others)
_NUMBERS = frozenset(("--max-size",))


def command_image(args: Sequence[str]) -> str | None:
    """IMAGE when ``args`` (the command line after ``dockwright``) are ``[--debug] audit IMAGE
    [OPTION...]`` that reads IMAGE from Docker: every option one of the audit's own, written
    ``--name value``, ``--name=value`` or ``-o value``, no value starting with ``-``, ``--engine`` docker
    or auto, ``--from`` engine or auto. Anything else is None: help, ``--explain``, ``--list-checks``,
    ``--platform``, ``--from registry``, ``--engine podman``, ``--``, a second IMAGE, an option or a
    value click or the command would refuse."""
    rest = list(args)
    while rest and rest[0] == "--debug":
        rest.pop(0)
    if not rest or rest.pop(0) != "audit":
        return None
    images: list[str] = []
    while rest:
        token = rest.pop(0)
        if not token.startswith("-"):
            images.append(token)
            continue
        name, equals, value = token.partition("=")
        if name in _FLAGS and not equals:
            continue
        if name in _DECLINED or name not in _VALUE_OPTIONS or (equals and not name.startswith("--")):
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-") or value not in _CHOICES.get(name, (value,)):
            return None
        if name in _NUMBERS and not _positive_number(value):
            return None
    if (_option(args, "--env-file") or _option(args, "--network")) and "--run" not in args:
        return None  # a usage error
    return images[0] if len(images) == 1 and images[0] else None


def _positive_number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def _option(args: Sequence[str], name: str) -> str | None:
    """The last value of option ``name`` in arguments :func:`command_image` accepted."""
    found = None
    for index, token in enumerate(args):
        if token == name and index + 1 < len(args):
            found = args[index + 1]
        elif token.startswith(name + "="):
            found = token.partition("=")[2]
    return found


# the save start_early sent: (Engine API socket, image name, stream), until run_audit takes it
_EARLY: list[tuple[str, str, IO[bytes]]] = []


def start_early(args: Sequence[str], environ: Mapping[str, str] | None = None) -> bool:
    """Send the save of the image ``dockwright ARGS`` audits, before the command line is parsed,
    when :func:`command_image` names one, the engine chosen is Docker (``--engine``, else
    ``DOCKWRIGHT_ENGINE``, else auto) read through its API socket as :class:`DockerEngine` would
    (:func:`dockwright.engine.docker_api.local_socket`), and the layer cache has not seen the name.
    True when a save was sent; the audit takes it in :func:`start_save`, else it is closed at exit.
    A save already sent for this command (:func:`send_early`, by the daemon's client) is taken, not
    sent again; one this command does not take is closed."""
    try:
        sent = _sent_save(args, environ)
    finally:
        drop_sent()  # sent for a command this process's checks decline now: nothing reads it
    if sent is None:
        return False
    path, ref, connection = sent
    # sent: what reads the answer loads while the engine exports
    from dockwright.engine.docker_api import DockerApi
    from dockwright.engine.readahead import ReadAhead
    from dockwright.errors import EngineError

    try:
        stream: IO[bytes] = ReadAhead(DockerApi.save_answer(connection, ref))  # type: ignore[assignment]
    except (OSError, EngineError):
        connection.close()
        return False
    if not _EARLY:
        atexit.register(_close_early)
    _close_early()
    _EARLY.append((path, ref, stream))
    return True


def _sent_save(
    args: Sequence[str], environ: Mapping[str, str] | None
) -> tuple[str, str, _socket.socket] | None:
    """The Engine API socket, the image and the connection that sent its save (the one
    :data:`_SENT` holds, else a new one), when ``args`` audit an image :func:`start_early` asks for."""
    environ = os.environ if environ is None else environ
    ref = command_image(args)
    if ref is None:
        return None
    engine = (_option(args, "--engine") or environ.get("DOCKWRIGHT_ENGINE") or "auto").strip().lower()
    if engine not in ("auto", "docker"):
        return None
    from dockwright.engine.api_socket import local_socket, save_target, send_get

    path = local_socket(environ)
    root = cache_folder(environ)
    if path is None or (root is not None and seen_before(ref, root)) or folders_likely(environ):
        return None
    if _SENT:
        return path, ref, _SENT.pop()
    try:
        return path, ref, send_get(path, save_target(ref), None)
    except (OSError, ValueError):  # ValueError: a name that is not UTF-8
        return None  # the audit asks again, through the engine, and says why


def send_early(args: Sequence[str], environ: Mapping[str, str] | None = None) -> int | None:
    """For the daemon's client, before it hands the command over: send the save :func:`start_early`
    would send (~10 ms sooner than the served child could); the connection's descriptor, which the
    client passes to the server with its streams, or None when nothing was sent. The connection stays
    here until :func:`drop_sent` (handed over) or :func:`start_early` (the command runs in this
    process after all)."""
    sent = _sent_save(args, environ)
    if sent is None:
        return None
    _SENT.append(sent[2])
    return sent[2].fileno()


def adopt_sent(descriptor: int) -> None:
    """In a served child: the connection its client sent the save on (received by the server), for
    :func:`start_early` to read; a descriptor that is not a stream socket is closed (the command
    then sends its own)."""
    import _socket
    import stat

    drop_sent()
    try:
        if stat.S_ISSOCK(os.fstat(descriptor).st_mode):
            sent = _socket.socket(fileno=descriptor)
            if sent.type == _socket.SOCK_STREAM:
                _SENT.append(sent)
                return
            sent.detach()
    except OSError:
        pass
    os.close(descriptor)


def drop_sent() -> None:
    """Close a sent save's connection that nothing will read here (handed over, or declined)."""
    while _SENT:
        _SENT.pop().close()


# a save sent for this command before it ran here (send_early, adopt_sent), until start_early takes it
_SENT: list[_socket.socket] = []


def _take_early(engine: Engine, ref: str) -> IO[bytes] | None:
    """The save :func:`start_early` sent, when it is ``ref``'s through ``engine``'s socket; one that is
    not is closed (nothing else would read it)."""
    if not _EARLY:
        return None
    path, name, stream = _EARLY.pop()
    if name == ref and getattr(engine, "api_socket", None) == path:
        return stream
    stream.close()
    return None


def _close_early() -> None:
    while _EARLY:
        _EARLY.pop()[2].close()
