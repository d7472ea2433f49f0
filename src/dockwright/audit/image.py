"""ImageFacts: what an image is, read from its config and its layers streamed from ``docker save``.

The ``docker save`` stream is read once, front to back (:mod:`dockwright.audit.tarwalk`), never written
to disk; each layer is walked straight from that reader's buffer.
Both layouts are understood: the legacy docker-archive (``manifest.json``, ``<id>/layer.tar``) and the
OCI layout (``index.json``, ``blobs/sha256/...``, layers possibly gzip-compressed). Each layer is read as
a stream too and reduced to a file table (path, kind, size, mode, uid, gid, whiteouts), so memory grows
with the number of files, not with bytes. The manifest may come after the layers: tables are keyed by
their archive path and ordered at the end.
"""

from __future__ import annotations

import bz2
import contextlib
import functools
import hashlib
import heapq
import io
import json
import lzma
import posixpath
import re
import struct
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from dockwright.audit.elf import ELF_MAGIC, PREFIX_LIMIT, ElfDeps, ElfError, deps_of_bytes, read_deps
from dockwright.audit.gunzip import errors as _gzip_errors
from dockwright.audit.gunzip import open_gzip
from dockwright.audit.layer_cache import LayerCache, cache_root
from dockwright.audit.prefetch import folders_likely, ref_key
from dockwright.audit.scan_worker import SECRET_PATTERNS as _SECRET_PATTERNS
from dockwright.audit.secret_scan import InlineScanner, Scanner, WorkerScanner
from dockwright.audit.tarwalk import StreamCutError, TarFormatError, TarMember, TarWalker
from dockwright.daemon_client import after_answer, answering_later
from dockwright.errors import EngineError

if TYPE_CHECKING:
    from dockwright.engine.base import Engine
    from dockwright.engine.store_folders import StoreLayers

SMALL_FILE = 64 * 1024  # files up to this size are scanned for keys and tokens while streaming
_JSON_LIMIT = 16 << 20

# Files whose content is kept (small, and needed by the checks).
_CAPTURE = (
    *("etc/passwd", "etc/group", "etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status"),
    "etc/ld.so.conf",  # the dynamic loader's search folders (the shared-libs check)
)
# distroless's dpkg status (one stanza per file); the loader's ld.so.conf.d/*.conf and musl's
# /etc/ld-musl-<arch>.path
_CAPTURE_DIRS = ("var/lib/dpkg/status.d/", "etc/ld.so.conf.d/", "etc/ld-musl-")
# Always read: what installed distributions declare, for the checks (pip-in-runtime reads METADATA's
# Requires-Dist; secrets matches a hit against the RECORD of the distribution that installed it). Of a
# METADATA only the headers are kept (the long description after the first blank line is dropped).
_DIST_INFO = re.compile(r"-packages/[^/]+\.dist-info/(?:METADATA|RECORD)$")
_METADATA = "/METADATA"
# Read only for an inventory (``sbom``): Python distributions' metadata and Debian copyright files.
_INVENTORY = re.compile(
    r"(?:^|/)[^/]+\.dist-info/(?:METADATA|RECORD|direct_url\.json|INSTALLER)$|^usr/share/doc/[^/]+/copyright$"
)

# Always read as well: the locks and project files the app's tree copies, outside site-packages (a
# library's own requirements file vouches for nothing): they show which distributions came from a package
# index (audit/checks/dist_origin.py), where no dist-info says so for a wheel installed by name.
LOCK_FILES = re.compile(
    r"(?:^|/)(?:[^/]*requirements[^/]*\.(?:txt|lock)|uv\.lock|poetry\.lock|pylock(?:\.[^/]+)?\.toml"
    r"|pyproject\.toml)$"
)

_NO_SCAN_SUFFIXES = (
    *(".pyc", ".so", ".png", ".jpg", ".gif", ".ico"),
    *(".gz", ".zip", ".whl", ".mo", ".a", ".o"),
)
# Content the OS packages and the interpreter own is not scanned: those files come from Debian's (or
# Alpine's) packages and the interpreter's build, and a test key inside one is not a key the build put
# there. Still scanned there: installed distributions (site-packages; dist-packages under /usr/local:
# the app's own package may be one) and files named like keys (``*.pem``, ``*.key``, ``id_*``: a key
# copied into /usr/share is found). Source: trivy's built-in secret allow rules "usr-dirs"
# (^usr/(share|include|lib)/) and "python" (^usr/local/lib/pythonX.Y/), narrowed as above
# (pkg/fanal/secret/builtin-allow-rules.go); also dpkg's database (file lists, checksums). Compiled
# executables (ELF) are not searched anywhere, as trivy searches text files only.
_SYSTEM_TREES = ("usr/share/", "usr/include/", "usr/lib/", "var/lib/dpkg/")
_ELF = b"\x7fELF"
_INTERPRETER_TREE = "usr/local/lib/python"
_KEY_NAMES = (".pem", ".key", ".p12", ".pfx")

# What a cached layer table depends on besides the layer's bytes (see layer_cache): bump TABLE_FORMAT
# when _record/_read_layer change what they keep; the tables of this module are hashed in.
TABLE_FORMAT = 6

_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"


class FileEntry(NamedTuple):
    """One path of a layer (or of the final view): where it came from and what it is.

    A named tuple, immutable like the frozen dataclasses around it: the audit makes one per path of
    every layer, and a tuple is made ~3x faster than a frozen dataclass (no ``object.__setattr__``
    per field)."""

    path: str  # relative to /, no leading slash
    kind: str  # "file" | "dir" | "symlink" | "hardlink" | "other"
    size: int
    mode: int
    uid: int
    gid: int
    layer: int  # index in ImageFacts.layers
    link: str = ""


@dataclass(frozen=True)
class SecretHit:
    path: str
    layer: int
    kind: str
    size: int
    visible: bool  # still in the final filesystem (False: deleted later, but readable from the layer)
    sha256: str = ""  # the file's content digest (hex): compared with its distribution's RECORD


@dataclass(frozen=True)
class HiddenCopy:
    """Bytes of a layer that a later layer overwrites or deletes: wasted.

    Each hidden copy is counted once; the copy that stays visible is never waste."""

    path: str
    layer: int
    size: int
    by_layer: int
    how: str  # "overwritten" | "deleted"


@dataclass(frozen=True)
class ImageConfig:
    user: str = ""
    healthcheck: tuple[str, ...] | None = None  # Test array; ("NONE",) = disabled on purpose
    healthcheck_interval_s: float = 30.0
    healthcheck_start_period_s: float = 0.0
    healthcheck_retries: int = 3
    labels: tuple[tuple[str, str], ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    exposed_ports: tuple[str, ...] = ()
    working_dir: str = ""
    stop_signal: str = ""

    def env_value(self, name: str) -> str | None:
        for key, value in self.env:
            if key == name:
                return value
        return None

    def label(self, name: str) -> str | None:
        return dict(self.labels).get(name)


@dataclass(frozen=True)
class HistoryEntry:
    created_by: str
    created: str
    empty_layer: bool
    layer: int | None  # index of the layer it made, None for metadata-only steps


@dataclass(frozen=True)
class LayerFacts:
    index: int
    digest: str  # diff id (sha256 of the uncompressed tar) when known
    archive_path: str
    archive_size: int  # bytes of the layer blob in the save stream (compressed when it is)
    size: int  # bytes of regular files the layer adds
    files: int
    dirs: int
    symlinks: int
    whiteouts: int
    opaque_dirs: int
    created_by: str
    wasted: int  # bytes of this layer hidden by later layers
    error: str = ""


@dataclass(frozen=True)
class PathSize:
    path: str
    size: int
    files: int = 0


@dataclass(frozen=True)
class ImageFacts:
    ref: str
    image_id: str
    created: str
    os: str
    architecture: str
    size: int
    config: ImageConfig
    history: tuple[HistoryEntry, ...]
    layers: tuple[LayerFacts, ...]
    files: Mapping[str, FileEntry] = field(repr=False)  # final view, after whiteouts
    hidden: tuple[HiddenCopy, ...] = field(repr=False, default=())
    # dive's "wasted bytes": every copy of a file path that more than one layer holds, the visible one
    # included (a whiteout of the file itself counts the copy it hides; files under a deleted directory
    # are not counted). ``wasted_bytes`` counts only the hidden copies: the visible copy is not waste.
    dive_wasted_bytes: int = 0
    secrets: tuple[SecretHit, ...] = ()
    packages: frozenset[str] = frozenset()  # dpkg packages installed in the final view
    passwd: tuple[tuple[str, int, int, str, str], ...] = ()  # name, uid, gid, home, shell
    os_release: str = ""
    notes: tuple[str, ...] = ()
    # content of the small files read while streaming that are still visible (dpkg status, passwd; with
    # ``inventory`` also dist-info METADATA/RECORD/direct_url.json and /usr/share/doc/*/copyright)
    contents: Mapping[str, bytes] = field(repr=False, default_factory=dict)
    # True while the secret scan of the small files still runs (``secrets`` is empty until then):
    # the first stage of :func:`read_image_stages`, for the checks that do not read ``secrets``
    secrets_pending: bool = False
    # the dynamic-linking needs of the ELF files of the app's environment (see ``elf_candidate``) that
    # are still visible: path -> DT_NEEDED, RPATH, RUNPATH (read while streaming, :mod:`.elf`)
    elf: Mapping[str, ElfDeps] = field(repr=False, default_factory=dict)
    # where the layers were read: "archive" (the engine's export, a registry's blobs), "store" (the
    # engine's unpacked layer folders, no export made), "cache" (an image read before)
    layers_read: str = field(default="archive", compare=False)  # how, not what: facts compare alike

    @property
    def wasted_bytes(self) -> int:
        return sum(copy.size for copy in self.hidden)

    @property
    def dive_user_wasted_ratio(self) -> float:
        """dive's user-wasted ratio: dive's wasted bytes over the bytes of every layer but the first."""
        user = sum(layer.size for layer in self.layers[1:])
        return self.dive_wasted_bytes / user if user else 0.0

    @property
    def content_size(self) -> int:
        return sum(e.size for e in self.files.values() if e.kind == "file")

    def regular_files(self) -> Iterator[FileEntry]:
        return iter(self._regular_files)

    @cached_property
    def _regular_files(self) -> tuple[FileEntry, ...]:
        """The regular files of the final view, in its order: picked out once (the report and the
        checks walk them ~10 times; a filtering generator each time cost ~1 ms per 5,000 files)."""
        return tuple(e for e in self.files.values() if e.kind == "file")

    def resolve(self, path: str) -> FileEntry | None:
        """The entry at ``path`` after following symlinks inside the image (None when dangling)."""
        for _ in range(16):
            entry = self.files.get(path)
            if entry is None or entry.kind != "symlink":
                return entry
            base = "" if entry.link.startswith("/") else posixpath.dirname(path)
            path = posixpath.normpath(posixpath.join("/", base, entry.link)).lstrip("/")
        return None

    def top_level(self, totals: Mapping[str, Sequence[Any]] | None = None) -> tuple[PathSize, ...]:
        """Each top-level folder and file of the final view with its bytes and regular files, the
        largest first. ``totals``: every folder's (bytes, files, ...) when computed already (the
        checks' one pass over the files: :func:`dockwright.audit.checks.common.dir_totals`); then
        only the files at the top are looked for (most images have none)."""
        sizes: dict[str, Sequence[int]]
        if totals is None:
            counted: dict[str, list[int]] = {}
            for entry in self.regular_files():
                top = "/" + entry.path.split("/", 1)[0]
                row = counted.setdefault(top, [0, 0])
                row[0] += entry.size
                row[1] += 1
            sizes = dict(counted)
        else:
            sizes = {"/" + path: row for path, row in totals.items() if "/" not in path}
            in_folders = sum(row[1] for row in sizes.values())
            if in_folders != len(self._regular_files):
                for entry in self._regular_files:
                    if "/" not in entry.path:
                        sizes["/" + entry.path] = (entry.size, 1)
        rows = (PathSize(p, row[0], row[1]) for p, row in sizes.items())
        return tuple(sorted(rows, key=lambda r: (-r.size, r.path)))

    def largest_files(self, limit: int = 15) -> tuple[PathSize, ...]:
        top = heapq.nsmallest(
            limit, self.regular_files(), key=lambda e: (-e.size, e.path)
        )  # = sorted()[:limit]
        return tuple(PathSize("/" + e.path, e.size, 1) for e in top)

    def largest_dirs(
        self,
        limit: int = 15,
        max_depth: int = 6,
        totals: Mapping[str, Sequence[Any]] | None = None,
    ) -> tuple[PathSize, ...]:
        """Directories holding the most bytes, skipping a parent when one child holds >= 80% of it.

        ``totals``: every folder's (bytes, files, ...) when computed already (the checks' one pass)."""
        sizes: Mapping[str, Sequence[int]]
        if totals is None:
            sizes = _folder_sizes(self.regular_files(), max_depth)
        else:  # the folders at most max_depth deep
            sizes = {path: row for path, row in totals.items() if path.count("/") < max_depth}
        ranked = sorted(sizes.items(), key=lambda kv: (-kv[1][0], kv[0]))[: limit * 6]
        chosen: list[tuple[str, Sequence[int]]] = []
        for path, row in ranked:
            dominated = any(
                other.startswith(path + "/") and orow[0] >= 0.8 * row[0] for other, orow in ranked
            )
            if not dominated:
                chosen.append((path, row))
            if len(chosen) == limit:
                break
        return tuple(PathSize("/" + p, r[0], r[1]) for p, r in chosen)


def _folder_sizes(files: Iterable[FileEntry], max_depth: int) -> dict[str, list[int]]:
    """Each folder at most ``max_depth`` deep holding regular files → [bytes, files]."""
    sizes: dict[str, list[int]] = {}
    for entry in files:
        path, size = entry.path, entry.size
        at, depth = path.find("/"), 0
        while at >= 0 and depth < max_depth:  # each parent folder, at most max_depth deep
            row = sizes.get(path[:at])
            if row is None:
                sizes[path[:at]] = [size, 1]
            else:
                row[0] += size
                row[1] += 1
            at, depth = path.find("/", at + 1), depth + 1
    return sizes


# --------------------------------------------------------------------------------------------------
# streaming reader


class _Table:
    """The file table of one layer while streaming (mutable, internal)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, int, int, int, int, str]] = {}
        self.whiteouts: list[str] = []
        self.opaque: list[str] = []
        self.secrets: list[tuple[str, str, int, str]] = []  # path, kind, size, sha256
        self.captured: dict[str, bytes] = {}
        self.elf: dict[str, ElfDeps] = {}
        self.archive_size = 0
        self.error = ""
        self.inventory = False  # also capture the _INVENTORY files
        self.from_cache = False
        self.encoded = ""  # its cache entry as JSON, but for the secrets (see _table_text)


class _Prefixed(io.RawIOBase):
    """A reader that first returns ``prefix`` and then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            if size < 0:
                data, self._prefix = self._prefix + self._stream.read(), b""
                return data
            data, self._prefix = self._prefix[:size], self._prefix[size:]
            if len(data) < size:
                data += self._stream.read(size - len(data))
            return data
        return self._stream.read(size)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _norm(name: str) -> str:
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name.strip("/")


_INLINE = InlineScanner()


# what an unreadable layer raises (its gzip reader's own errors are added: audit/gunzip.py)
_BAD_LAYER: tuple[type[BaseException], ...] = (TarFormatError, OSError, EOFError, lzma.LZMAError)


def _read_layer(stream: IO[bytes], table: _Table, scanner: Scanner = _INLINE) -> None:
    peek = getattr(stream, "peek", None)  # the save reader's member stream, a BufferedReader
    head = bytes(peek(4)[:4]) if peek is not None else b""
    if len(head) < 4:  # no peek, or a short one: read the head and put it back in front
        head = stream.read(4)
        stream = _Prefixed(head, stream)  # type: ignore[assignment]
    if head.startswith(_ZSTD):
        try:
            import zstandard  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            table.error = "zstd-compressed layer (install 'zstandard' to read it)"
            return
        stream = zstandard.ZstdDecompressor().stream_reader(stream)
        head = b""
    try:
        walker = TarWalker(_decompressed(stream, head))
        for member in walker:
            _record(walker, member, table, scanner)
    except StreamCutError:
        raise  # the image archive itself is cut: not this layer's fault
    except _BAD_LAYER + _gzip_errors() as error:
        table.error = f"unreadable layer: {error}"


def _decompressed(source: IO[bytes], head: bytes) -> IO[bytes]:
    """The layer's tar stream, gzip/bzip2/xz-compressed or not (what tarfile's ``r|*`` detects)."""
    if head.startswith(b"\x1f\x8b\x08"):
        return open_gzip(source)
    if head[:3] == b"BZh":
        return bz2.BZ2File(source)
    if head.startswith((b"\x5d\x00\x00\x80", b"\xfd7zXZ")):
        return lzma.LZMAFile(source)
    return source


# tar type flag -> FileEntry.kind (tarfile's REGULAR_TYPES are files; anything else is "other")
_KINDS = {
    **dict.fromkeys((b"0", b"\0", b"7", b"S"), "file"),
    b"5": "dir",
    b"2": "symlink",
    b"1": "hardlink",
}


def _record(layer: TarWalker, member: TarMember, table: _Table, scanner: Scanner) -> None:
    # runs for every member of every layer: kept to plain string operations
    path = member.name
    if path.startswith(("/", "./")) or path.endswith("/") or "\\" in path:
        path = _norm(path)
    if not path or path == ".":  # the layer's root (some writers name it): not a file of the image
        return
    if path[path.rfind("/") + 1 :].startswith(".wh."):
        directory, base = posixpath.split(path)
        if base == ".wh..wh..opq":
            table.opaque.append(directory)
        elif not base.startswith(".wh..wh."):
            table.whiteouts.append(posixpath.join(directory, base[4:]))
        return
    kind = _KINDS.get(member.type, "other")
    if kind != "file":
        link = _norm(member.linkname) if kind == "hardlink" else member.linkname if kind == "symlink" else ""
        table.entries[path] = (kind, 0, member.mode, member.uid, member.gid, link)
        return
    size = member.size
    table.entries[path] = (kind, size, member.mode, member.uid, member.gid, "")
    if size:
        record_content(layer, path, size, member.mode, table, scanner)


def record_content(
    layer: TarWalker, path: str, size: int, mode: int, table: _Table, scanner: Scanner
) -> None:
    """What the checks read of a regular file's bytes under the name ``path``: its ELF needs, a captured
    copy, the secret scan (``layer`` reads the bytes: the tar walker's member, or a file of a layer's
    folder, which also judges a hard link's bytes under the link's own name)."""
    if (
        ("-packages/" in path or "/bin/" in path)
        and size > 52
        and elf_candidate(path, mode)
        and layer.peek(4) == ELF_MAGIC
    ):
        table.elf[path] = _elf_deps(layer, size)
        return  # compiled code: no key or token is searched in it (see _SYSTEM_TREES)
    wanted = (
        path in _CAPTURE
        or path.startswith(_CAPTURE_DIRS)
        or (".dist-info/" in path and _DIST_INFO.search(path) is not None)
        or (LOCK_FILES.search(path) is not None and "-packages/" not in path and not system_owned(path))
        or (table.inventory and _INVENTORY.search(path) is not None)
    )
    scan = size <= SMALL_FILE and not path.endswith(_NO_SCAN_SUFFIXES) and not system_owned(path)
    if not (wanted or scan):
        return
    data = layer.read(max(size, 0) if wanted and size <= _JSON_LIMIT else SMALL_FILE)
    if wanted:
        # a METADATA's headers only: its description can be most of it (every reader stops there)
        table.captured[path] = data.split(b"\n\n", 1)[0] if path.endswith(_METADATA) else data
    if scan and not data.startswith(_ELF):
        scanner.submit(table.secrets, path, size, data)


# Where the app's own compiled code is: what pip/uv installed (site-packages, dist-packages, but Debian's
# own /usr/lib/python3/dist-packages, which dpkg keeps whole) and programs in a bin/ folder outside
# the OS's and the interpreter's (a virtualenv's bin/, the app's). The OS's own ELF files are dpkg's.
_OS_BIN = ("usr/", "bin/", "sbin/", "lib/", "lib64/", "opt/conda/bin/")


def elf_candidate(path: str, mode: int) -> bool:
    """Whether ``path`` (a regular file) is read for its dynamic-linking needs when it is ELF:
    a shared object or an executable of site-packages, or an executable in an app's ``bin/``."""
    name = path[path.rfind("/") + 1 :]
    if "/site-packages/" in path or "/dist-packages/" in path:
        if path.startswith("usr/lib/python3/"):
            return False
        return name.endswith(".so") or ".so." in name or bool(mode & 0o111)
    return "/bin/" in path and bool(mode & 0o111) and not path.startswith(_OS_BIN)


def _elf_deps(layer: TarWalker, size: int) -> ElfDeps:
    try:
        if layer.sparse:  # read in one piece (rare: a sparse ELF file), its first bytes only
            return deps_of_bytes(layer.read(min(size, PREFIX_LIMIT)))
        return read_deps(layer.read, layer.skip, size)
    except (ElfError, struct.error) as error:
        return ElfDeps((), error=str(error))


def system_owned(path: str) -> bool:
    """Whether the secret scan leaves ``path``'s content alone (see ``_SYSTEM_TREES``)."""
    if path.startswith(_SYSTEM_TREES):
        kept = "/site-packages/"
    elif path.startswith(_INTERPRETER_TREE):
        kept = "-packages/"
    else:
        return False
    return kept not in path and not path.endswith(_KEY_NAMES) and "/id_" not in path


@dataclass
class _Archive:
    tables: dict[str, _Table] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    inventory: bool = False
    scanner: Scanner = _INLINE
    encode: bool = False  # encode each table's cache entry when its walk ends (a cache is in use)
    read_from: str = "archive"  # or "store" (the engine's layer folders), "cache" (the layer cache)


def _looks_like_tar(head: bytes) -> bool:
    return (
        head.startswith((_GZIP, _ZSTD)) or head[257:262] == b"ustar" or (len(head) >= 512 and not any(head))
    )


def read_archive(
    stream: IO[bytes],
    *,
    inventory: bool = False,
    cache: LayerCache | None = None,
    diff_ids: frozenset[str] = frozenset(),
    scanner: Scanner = _INLINE,
    wait_for_scan: bool = True,
) -> _Archive:
    """Read a whole ``docker save`` stream once; layer tables keyed by their path in the archive.

    ``inventory``: also keep the Python distributions' metadata and Debian copyright files (``sbom``).
    ``cache``: a layer whose content digest it knows is skipped, not parsed (``diff_ids``: the image's,
    from the engine, to recognise podman's ``<diff id>.tar`` names). ``scanner``: where small files are
    scanned for secrets (a :class:`WorkerScanner` beside the walk); its hits are in the tables on
    return, or, with ``wait_for_scan=False``, once the caller's ``scanner.finish()`` returns."""
    # each table's cache entry encoded as its walk ends, beside the next layers' bytes; a served
    # command stores them after its answer (after_answer), so none of it runs before
    encode = cache is not None and not answering_later()
    archive = _Archive(inventory=inventory, scanner=scanner, encode=encode)
    outer = TarWalker(stream)
    started = False
    try:
        for member in outer:
            started = True
            name = _norm(member.name)
            if member.issym() or member.islnk():
                target = member.linkname
                if member.issym():
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
                archive.aliases[name] = _norm(target)
                continue
            if not member.isfile():
                continue
            # docker: <id>/layer.tar; podman's docker-archive: <diff id>.tar at the top
            known = _cached_table(cache, name, member.size, inventory, diff_ids)
            if known is not None:
                archive.tables[name] = known  # its bytes are skipped by the tar reader
                continue
            if name.endswith(("layer.tar", "layer.tar.gz")) or (name.endswith(".tar") and "/" not in name):
                _add_layer(archive, name, member.size, outer.member_stream())  # type: ignore[arg-type]
            elif name.startswith("blobs/") or name.endswith((".json", "/json")) or name == "repositories":
                head = outer.peek(512)
                if name.startswith("blobs/") and _looks_like_tar(head):
                    _add_layer(archive, name, member.size, outer.member_stream())  # type: ignore[arg-type]
                elif head.lstrip()[:1] in (b"{", b"[") and member.size <= _JSON_LIMIT:
                    with contextlib.suppress(ValueError):
                        archive.documents[name] = json.loads(outer.read(member.size))
    except TarFormatError as error:
        if not started and not isinstance(error, StreamCutError):
            raise EngineError(f"image archive is not a tar stream: {error}") from error
        raise EngineError(f"image archive is truncated or corrupt: {error}") from error
    if wait_for_scan:
        scanner.finish()
    else:
        scanner.end_input()
    return archive


def read_folders(
    layers: StoreLayers, *, inventory: bool = False, cache: LayerCache | None = None
) -> _Archive:
    """The archive ``docker save`` would give, read from the engine's unpacked layers instead
    (:mod:`dockwright.engine.store_folders`): the same tables (:mod:`dockwright.audit.folder_walk`),
    keyed by their folder's path; a layer the cache knows by its diff id is not walked. A table's
    ``archive_size`` is 0: no archive was made. OSError when a folder cannot be walked (removed while
    read, a path longer than the system takes): the caller reads the export instead."""
    from dockwright.audit.folder_walk import walk_folder

    archive = _Archive(inventory=inventory, read_from="store")
    names = [_norm(str(folder)) for folder in layers.folders]  # as _pick_manifest reads them
    for name, folder, diff_id in zip(names, layers.folders, layers.diff_ids, strict=True):
        table = _load_table(cache, diff_id, inventory) if cache is not None else None
        if table is None:
            table = _Table()
            table.inventory = inventory
            walk_folder(folder, table, _INLINE, _record, record_content)  # type: ignore[arg-type]
        archive.tables[name] = table
    archive.documents["manifest.json"] = [{"Config": "config.json", "Layers": names}]
    archive.documents["config.json"] = json.loads(layers.config)
    return archive


def _add_layer(archive: _Archive, name: str, size: int, stream: IO[bytes]) -> None:
    table = _Table()
    table.archive_size = size
    table.inventory = archive.inventory
    _read_layer(stream, table, archive.scanner)
    if archive.encode and not table.error:
        table.encoded = _encode_table(table)
    archive.tables[name] = table


# --------------------------------------------------------------------------------------------------
# from the archive to ImageFacts


def _resolve_alias(archive: _Archive, name: str) -> str:
    for _ in range(8):
        if name in archive.tables or name not in archive.aliases:
            return name
        name = archive.aliases[name]
    return name


def _blob(digest: str) -> str:
    algo, _, hexa = digest.partition(":")
    return f"blobs/{algo}/{hexa}"


def _pick_manifest(archive: _Archive, ref: str) -> tuple[dict[str, Any], list[str], list[str]]:
    """(image config, layer archive paths, layer blob digests) — from manifest.json, else index.json."""
    docs = archive.documents
    manifest = docs.get("manifest.json")
    if isinstance(manifest, list) and manifest:
        entry = next((m for m in manifest if ref and ref in (m.get("RepoTags") or ())), manifest[0])
        config = docs.get(_norm(str(entry.get("Config", ""))), {})
        layers = [_norm(str(p)) for p in entry.get("Layers") or ()]
        return (config if isinstance(config, dict) else {}), layers, ["" for _ in layers]
    index = docs.get("index.json")
    for _ in range(4):  # nested indexes (multi-platform)
        if not isinstance(index, dict):
            break
        manifests = index.get("manifests") or []
        if not manifests:
            break
        chosen = next(
            (m for m in manifests if (m.get("platform") or {}).get("architecture") in ("amd64", None)),
            manifests[0],
        )
        doc = docs.get(_blob(str(chosen.get("digest", ""))))
        if isinstance(doc, dict) and "layers" in doc:
            config = docs.get(_blob(str((doc.get("config") or {}).get("digest", ""))), {})
            digests = [str(layer.get("digest", "")) for layer in doc["layers"]]
            return (config if isinstance(config, dict) else {}), [_blob(d) for d in digests], digests
        index = doc
    raise EngineError("image archive has neither manifest.json nor a usable index.json")


def _config(raw: Mapping[str, Any]) -> ImageConfig:
    health = raw.get("Healthcheck") or None
    test = tuple(str(t) for t in (health or {}).get("Test") or ()) or None

    def secs(key: str, default: float) -> float:
        value = (health or {}).get(key)
        return float(value) / 1e9 if value else default

    env = []
    for item in raw.get("Env") or ():
        key, _, value = str(item).partition("=")
        env.append((key, value))
    return ImageConfig(
        user=str(raw.get("User") or ""),
        healthcheck=test,
        healthcheck_interval_s=secs("Interval", 30.0),
        healthcheck_start_period_s=secs("StartPeriod", 0.0),
        healthcheck_retries=int((health or {}).get("Retries") or 3),
        labels=tuple(sorted((str(k), str(v)) for k, v in (raw.get("Labels") or {}).items())),
        env=tuple(env),
        entrypoint=tuple(str(a) for a in raw.get("Entrypoint") or ()),
        cmd=tuple(str(a) for a in raw.get("Cmd") or ()),
        exposed_ports=tuple(sorted(str(p) for p in (raw.get("ExposedPorts") or {}))),
        working_dir=str(raw.get("WorkingDir") or ""),
        stop_signal=str(raw.get("StopSignal") or ""),
    )


def _dpkg_packages(text: str) -> set[str]:
    packages: set[str] = set()
    for stanza in re.split(r"\n\s*\n", text):
        name = re.search(r"^Package:\s*(\S+)", stanza, re.M)
        status = re.search(r"^Status:\s*(.+)$", stanza, re.M)
        if name and (status is None or status[1].strip().endswith(" installed")):
            packages.add(name[1])
    return packages


def _passwd(text: str) -> tuple[tuple[str, int, int, str, str], ...]:
    rows = []
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) >= 7 and parts[2].isdigit() and parts[3].isdigit():
            rows.append((parts[0], int(parts[2]), int(parts[3]), parts[5], parts[6]))
    return tuple(rows)


def _hide(view: dict[str, FileEntry], path: str, by: int, how: str, hidden: list[HiddenCopy]) -> None:
    entry = view.pop(path, None)
    if entry is not None and entry.kind == "file" and entry.size:
        hidden.append(HiddenCopy(entry.path, entry.layer, entry.size, by, how))


def _hide_tree(
    view: dict[str, FileEntry], roots: set[str], by: int, how: str, hidden: list[HiddenCopy], keep: bool
) -> None:
    """Hide every path under one of ``roots`` (and, unless ``keep``, the roots themselves)."""
    if not roots:
        return
    doomed = []
    for path in view:
        probe = path if not keep else posixpath.dirname(path)
        while True:
            if probe in roots:
                doomed.append(path)
                break
            if not probe or "/" not in probe:
                if "" in roots and keep:
                    doomed.append(path)
                break
            probe = probe.rsplit("/", 1)[0]
    for path in doomed:
        _hide(view, path, by, how, hidden)


def build_facts(archive: _Archive, *, ref: str = "", inspect: Mapping[str, Any] | None = None) -> ImageFacts:
    config_doc, layer_paths, _ = _pick_manifest(archive, ref)
    inspect = inspect or {}
    raw_config = config_doc.get("config") or inspect.get("Config") or {}
    diff_ids = list((config_doc.get("rootfs") or {}).get("diff_ids") or ())

    history: list[HistoryEntry] = []
    next_layer = 0
    for item in config_doc.get("history") or ():
        empty = bool(item.get("empty_layer"))
        layer = None if empty or next_layer >= len(layer_paths) else next_layer
        if not empty:
            next_layer += 1
        history.append(
            HistoryEntry(str(item.get("created_by", "")), str(item.get("created", "")), empty, layer)
        )
    created_by = {h.layer: h.created_by for h in history if h.layer is not None}

    view: dict[str, FileEntry] = {}
    hidden: list[HiddenCopy] = []
    dive_wasted = 0  # dive's definition, counted alongside (see ImageFacts.dive_wasted_bytes)
    dive_counted: set[tuple[str, int]] = set()
    captured: dict[str, tuple[int, bytes]] = {}
    elf: dict[str, tuple[int, ElfDeps]] = {}
    notes: list[str] = []
    stats: list[dict[str, Any]] = []
    for index, name in enumerate(layer_paths):
        table = archive.tables.get(_resolve_alias(archive, name))
        if table is None:
            table = _Table()
            table.error = f"layer {name} is missing from the archive"
        if table.error:
            notes.append(f"layer {index}: {table.error}")
        # deletions apply to the lower layers' view, before this layer's own entries
        for path in table.whiteouts:
            gone = view.get(path)
            if gone is not None and gone.kind != "dir" and (path, gone.layer) not in dive_counted:
                dive_wasted += gone.size
        _hide_tree(view, set(table.opaque), index, "deleted", hidden, keep=True)
        _hide_tree(view, set(table.whiteouts), index, "deleted", hidden, keep=False)
        counts = {"file": 0, "dir": 0, "symlink": 0}
        size = 0
        for path, (kind, fsize, mode, uid, gid, link) in table.entries.items():
            old = view.get(path)
            if old is not None and old.kind != "dir" and kind != "dir":
                if (path, old.layer) not in dive_counted:
                    dive_wasted += old.size
                dive_wasted += fsize
                dive_counted.add((path, index))
            if old is not None and not (old.kind == "dir" and kind == "dir"):
                _hide(view, path, index, "overwritten", hidden)
                if old.kind == "dir":
                    _hide_tree(view, {path}, index, "overwritten", hidden, keep=True)
            view[path] = FileEntry(path, kind, fsize, mode, uid, gid, index, link)
            if kind in counts:
                counts[kind] += 1
            size += fsize
        for path, data in table.captured.items():
            captured[path] = (index, data)
        for path, deps in table.elf.items():
            elf[path] = (index, deps)
        stats.append(
            {
                "index": index,
                "digest": str(diff_ids[index]) if index < len(diff_ids) else "",
                "archive_path": name,
                "archive_size": table.archive_size,
                "size": size,
                "files": counts["file"],
                "dirs": counts["dir"],
                "symlinks": counts["symlink"],
                "whiteouts": len(table.whiteouts),
                "opaque_dirs": len(table.opaque),
                "created_by": created_by.get(index, ""),
                "error": table.error,
            }
        )
    wasted_by_layer: dict[int, int] = {}
    for copy in hidden:
        wasted_by_layer[copy.layer] = wasted_by_layer.get(copy.layer, 0) + copy.size
    layers = tuple(LayerFacts(wasted=wasted_by_layer.get(s["index"], 0), **s) for s in stats)

    def text_of(path: str) -> str:
        entry = view.get(path)
        if entry is None or path not in captured or captured[path][0] != entry.layer:
            return ""
        return captured[path][1].decode("utf-8", "replace")

    packages = _dpkg_packages(text_of("var/lib/dpkg/status"))
    for path in captured:
        if path.startswith(_CAPTURE_DIRS):
            packages |= _dpkg_packages(text_of(path))
    size = int(inspect.get("Size") or 0) or sum(layer.size for layer in layers)
    return ImageFacts(
        ref=ref,
        image_id=str(inspect.get("Id") or ""),
        created=str(config_doc.get("created") or inspect.get("Created") or ""),
        os=str(config_doc.get("os") or inspect.get("Os") or ""),
        architecture=str(config_doc.get("architecture") or inspect.get("Architecture") or ""),
        size=size,
        config=_config(raw_config),
        history=tuple(history),
        layers=layers,
        files=view,
        hidden=tuple(hidden),
        dive_wasted_bytes=dive_wasted,
        secrets=_secret_hits(archive, layer_paths, view),
        packages=frozenset(packages),
        passwd=_passwd(text_of("etc/passwd")),
        os_release=_pretty_name(text_of("etc/os-release") or text_of("usr/lib/os-release")),
        notes=tuple(notes),
        contents={
            path: data
            for path, (layer, data) in captured.items()
            if path in view and view[path].layer == layer
        },
        elf={path: deps for path, (layer, deps) in elf.items() if path in view and view[path].layer == layer},
        layers_read=archive.read_from,
    )


def _secret_hits(
    archive: _Archive, layer_paths: Sequence[str], view: Mapping[str, FileEntry]
) -> tuple[SecretHit, ...]:
    """The secret scan's hits of every layer, in layer order (``visible``: the path's final copy)."""
    hits = []
    for index, name in enumerate(layer_paths):
        table = archive.tables.get(_resolve_alias(archive, name))
        for path, kind, size, digest in table.secrets if table is not None else ():
            entry = view.get(path)
            visible = entry is not None and entry.layer == index
            hits.append(SecretHit(path, index, kind, size, visible, digest))
    return tuple(hits)


def with_scanned_secrets(facts: ImageFacts, archive: _Archive) -> ImageFacts:
    """``facts`` (built while the secret scan still ran) with the scan's hits, now in ``archive``."""
    _, layer_paths, _ = _pick_manifest(archive, facts.ref)
    return replace(facts, secrets=_secret_hits(archive, layer_paths, facts.files), secrets_pending=False)


def _pretty_name(text: str) -> str:
    match = re.search(r'^PRETTY_NAME="?([^"\n]*)"?', text, re.M)
    return match[1] if match else ""


def facts_from_archive(
    stream: IO[bytes], *, ref: str = "", inspect: Mapping[str, Any] | None = None, inventory: bool = False
) -> ImageFacts:
    """ImageFacts from a ``docker save`` stream (legacy or OCI layout)."""
    return build_facts(read_archive(stream, inventory=inventory), ref=ref, inspect=inspect)


# --------------------------------------------------------------------------------------------------
# the layer cache: tables by content digest (dockwright.audit.layer_cache)

_BLOB = re.compile(r"^blobs/(sha256|sha512)/([0-9a-f]{64,128})$")
_DIFF_TAR = re.compile(r"^([0-9a-f]{64})\.tar$")


def analysis_fingerprint() -> str:
    """What a cached table depends on besides the layer's bytes: its format and this module's tables."""
    from dockwright import __version__

    parts = (
        TABLE_FORMAT,
        __version__,
        SMALL_FILE,
        _JSON_LIMIT,
        _CAPTURE,
        _CAPTURE_DIRS,
        _INVENTORY.pattern,
        _DIST_INFO.pattern,
        LOCK_FILES.pattern,
        tuple((kind, pattern.pattern) for kind, pattern in _SECRET_PATTERNS),
        _NO_SCAN_SUFFIXES,
        _SYSTEM_TREES,
        _INTERPRETER_TREE,
        _KEY_NAMES,
        _ELF,
        _OS_BIN,
        PREFIX_LIMIT,
    )
    return "v" + hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def default_cache() -> LayerCache | None:
    root = cache_root()
    return LayerCache(root, analysis_fingerprint()) if root is not None else None


def _content_key(name: str, diff_ids: frozenset[str]) -> str | None:
    """The content digest an archive path names: an OCI blob, or podman's ``<diff id>.tar``."""
    blob = _BLOB.match(name)
    if blob:
        return f"{blob[1]}:{blob[2]}"
    diff = _DIFF_TAR.match(name)
    if diff and f"sha256:{diff[1]}" in diff_ids:
        return f"sha256:{diff[1]}"
    return None


def _table_kind(inventory: bool) -> str:
    return "layer_inventory" if inventory else "layer"


def _encode_table(table: _Table) -> str:
    """The table's cache entry as JSON text, without its secrets (the last key, added by
    :func:`_table_text`): everything else is final when the layer's walk ends, so the audit encodes it
    then, while the next layers' bytes arrive, instead of after the last byte (~70 ms on a 577 MB image)."""
    doc = {
        "entries": [[path, *row] for path, row in table.entries.items()],
        "whiteouts": table.whiteouts,
        "opaque": table.opaque,
        "captured": {path: data.decode("latin-1") for path, data in table.captured.items()},
        "elf": {path: list(deps) for path, deps in table.elf.items()},
        "archive_size": table.archive_size,
    }
    return json.dumps(doc, separators=(",", ":"))


def _table_text(table: _Table) -> str:
    """The table's cache entry (read back by :func:`_table_from_doc`) as JSON text."""
    head = table.encoded or _encode_table(table)
    secrets = json.dumps([list(hit) for hit in table.secrets], separators=(",", ":"))
    return f'{head[:-1]},"secrets":{secrets}}}'


def _load_table(cache: LayerCache, key: str, inventory: bool) -> _Table | None:
    """The layer table the cache holds under the content digest ``key``, else None."""
    doc = cache.load(_table_kind(inventory), key)
    return _table_from_doc(doc, inventory) if doc is not None else None


def _table_from_doc(doc: Mapping[str, Any], inventory: bool) -> _Table | None:
    table = _Table()
    try:
        for path, kind, size, mode, uid, gid, link in doc["entries"]:
            table.entries[str(path)] = (str(kind), int(size), int(mode), int(uid), int(gid), str(link))
        table.whiteouts = [str(p) for p in doc["whiteouts"]]
        table.opaque = [str(p) for p in doc["opaque"]]
        table.secrets = [(str(p), str(k), int(n), str(d)) for p, k, n, d in doc["secrets"]]
        table.captured = {str(p): str(d).encode("latin-1") for p, d in doc["captured"].items()}
        table.archive_size = int(doc["archive_size"])
        for path, (needed, rpath, runpath, soname, error) in doc["elf"].items():
            deps = ElfDeps(tuple(str(n) for n in needed), str(rpath), str(runpath), str(soname), str(error))
            table.elf[str(path)] = deps
    except (KeyError, TypeError, ValueError, AttributeError, UnicodeEncodeError):
        return None
    table.inventory = inventory
    table.from_cache = True
    return table


def _cached_table(
    cache: LayerCache | None, name: str, size: int, inventory: bool, diff_ids: frozenset[str]
) -> _Table | None:
    key = _content_key(name, diff_ids) if cache is not None else None
    if cache is None or key is None:
        return None
    table = _load_table(cache, key, inventory)
    return table if table is not None and table.archive_size == size else None


def _image_key(inspect: Mapping[str, Any]) -> str:
    image_id = str(inspect.get("Id") or "")
    return f"sha256:{image_id}" if re.fullmatch(r"[0-9a-f]{64}", image_id) else image_id


def _inspect_diff_ids(inspect: Mapping[str, Any]) -> list[str]:
    return [str(d) for d in (inspect.get("RootFS") or {}).get("Layers") or ()]


def _archive_from_cache(cache: LayerCache, inspect: Mapping[str, Any], inventory: bool) -> _Archive | None:
    """The archive of an image read before (same id, same diff ids), rebuilt from the cache alone."""
    diff_ids = _inspect_diff_ids(inspect)
    doc = cache.load("image", _image_key(inspect)) if diff_ids else None
    if doc is None or doc.get("diff_ids") != diff_ids or not isinstance(doc.get("config"), dict):
        return None
    paths = [str(p) for p in doc.get("layers") or ()]
    if len(paths) != len(diff_ids):
        return None
    archive = _Archive(inventory=inventory, read_from="cache")
    for path, diff_id in zip(paths, diff_ids, strict=True):
        # the blob's own digest first: its entry has that blob's archive size (a diff id's entry may
        # come from another image that stored the layer compressed differently)
        key = _content_key(path, frozenset(diff_ids)) or diff_id
        table = _load_table(cache, key, inventory)
        if table is None:
            return None
        archive.tables[path] = table
    archive.documents["manifest.json"] = [{"Config": "config.json", "Layers": paths}]
    archive.documents["config.json"] = doc["config"]
    return archive


def _remember(cache: LayerCache, archive: _Archive, ref: str, inspect: Mapping[str, Any]) -> None:
    """Store the tables parsed from this save (by blob digest and diff id), and the image when whole."""
    try:
        config_doc, layer_paths, _ = _pick_manifest(archive, ref)
    except EngineError:
        return
    diff_ids = [str(d) for d in (config_doc.get("rootfs") or {}).get("diff_ids") or ()]
    kind = _table_kind(archive.inventory)
    whole = len(diff_ids) == len(layer_paths) > 0
    stored = False
    for index, name in enumerate(layer_paths):
        path = _resolve_alias(archive, name)
        table = archive.tables.get(path)
        if table is None or table.error:
            whole = False
            continue
        if table.from_cache:
            continue
        keys = {_content_key(path, frozenset(diff_ids))}
        if index < len(diff_ids):
            keys.add(diff_ids[index])
        for key in keys - {None}:
            cache.store(kind, str(key), _table_text(table))
            stored = True
    image_key = _image_key(inspect)
    if whole and image_key and _inspect_diff_ids(inspect) == diff_ids:
        cache.store("image", image_key, {"config": config_doc, "layers": layer_paths, "diff_ids": diff_ids})
        stored = True
    if stored:
        cache.prune()


def read_image(
    engine: Engine,
    ref: str,
    *,
    inventory: bool = False,
    cache: LayerCache | None = None,
    stream: IO[bytes] | None = None,
) -> ImageFacts:
    """Inspect ``ref`` through the engine and stream its layers from ``docker save``.

    ``inventory``: keep the files an SBOM reads (:attr:`ImageFacts.contents`). ``cache`` (default: the
    user's, :func:`default_cache`): layers read before are not parsed again, and an image read before
    is not saved again. A name the cache has not seen is saved at once and inspected while the engine
    prepares the export (Docker writes the whole export before its first byte); a name seen before is
    inspected first, as its image is likely read already. ``stream``: that save, started by the caller
    (:func:`dockwright.audit.prefetch.start_save`); it is read or closed here."""
    with contextlib.closing(
        read_image_stages(engine, ref, inventory=inventory, cache=cache, stream=stream)
    ) as stages:
        facts = next(stages)
        for facts in stages:  # noqa: B007 - the last stage is the whole
            pass
    return facts


def read_image_stages(
    engine: Engine,
    ref: str,
    *,
    inventory: bool = False,
    cache: LayerCache | None = None,
    stream: IO[bytes] | None = None,
) -> Generator[ImageFacts, None, None]:
    """:func:`read_image` in two stages when the secret scan runs in a worker: first the facts of the
    read with ``secrets_pending`` (the worker may still be scanning the stream's last files), then,
    when the caller asks for the next, the whole facts. One stage (the whole) otherwise. The caller
    closes the generator (``contextlib.closing``): that stops the save and the worker."""
    cache = cache if cache is not None else default_cache()
    scanner: WorkerScanner | None = None  # started with the save: it boots while the engine exports
    folders = getattr(engine, "store_layers", None)  # the engine's own copy of the layers, if readable
    if (
        stream is None
        and (cache is None or cache.load("ref", ref_key(ref)) is None)
        and not (folders is not None and folders_likely())
    ):
        with contextlib.suppress(EngineError):  # the inspect says why
            stream = engine.save(ref)
    if stream is not None:
        scanner = WorkerScanner.start()
    try:
        inspect = engine.inspect_image(ref)
        archive = _archive_from_cache(cache, inspect, inventory) if cache is not None else None
        if archive is not None:
            if cache is not None:
                after_answer(functools.partial(_store_ref, cache, ref, inspect))
        elif (
            stream is None
            and folders is not None
            and (archive := _from_folders(folders, inspect, inventory, cache))
        ):
            _keep(cache, archive, ref, inspect)
        else:
            if stream is None:
                stream = engine.save(ref)
                scanner = WorkerScanner.start()
            archive = read_archive(
                stream,
                inventory=inventory,
                cache=cache,
                diff_ids=frozenset(_inspect_diff_ids(inspect)),
                scanner=scanner or _INLINE,
                wait_for_scan=scanner is None,
            )
            stream.close()
            if scanner is not None:
                early = _with_history(engine, ref, build_facts(archive, ref=ref, inspect=inspect))
                yield replace(early, secrets_pending=True)
                scanner.finish()
                _keep(cache, archive, ref, inspect)
                yield with_scanned_secrets(early, archive)
                return
            _keep(cache, archive, ref, inspect)
    finally:
        if stream is not None:
            stream.close()  # unread (the image was in the cache): the engine's save is stopped
        if scanner is not None:
            scanner.close()
    yield _with_history(engine, ref, build_facts(archive, ref=ref, inspect=inspect))


def _from_folders(
    folders: Callable[[Mapping[str, Any]], StoreLayers | None],
    inspect: Mapping[str, Any],
    inventory: bool,
    cache: LayerCache | None,
) -> _Archive | None:
    """The image read from the engine's layer folders (``folders``: the engine's ``store_layers``),
    or None when they are not readable here or cannot be walked (the export is read instead)."""
    layers = folders(inspect)
    if layers is None:
        return None
    try:
        return read_folders(layers, inventory=inventory, cache=cache)
    except OSError:  # removed while read, a path longer than the system takes
        return None


def _keep(cache: LayerCache | None, archive: _Archive, ref: str, inspect: Mapping[str, Any]) -> None:
    """Store what this read parsed (:func:`_remember`) and the name's image (:func:`_store_ref`) in
    the cache, once the command's answer is out where that can wait (a served command: its client
    has left; :func:`dockwright.daemon_client.after_answer`), else now."""
    if cache is not None:
        after_answer(functools.partial(_remember_all, cache, archive, ref, inspect))


def _remember_all(cache: LayerCache, archive: _Archive, ref: str, inspect: Mapping[str, Any]) -> None:
    _remember(cache, archive, ref, inspect)
    _store_ref(cache, ref, inspect)


def _store_ref(cache: LayerCache | None, ref: str, inspect: Mapping[str, Any]) -> None:
    if cache is not None and inspect.get("Id"):
        cache.store("ref", ref_key(ref), {"id": str(inspect["Id"])})


def _with_history(engine: Engine, ref: str, facts: ImageFacts) -> ImageFacts:
    """``facts``, with the engine's history when the image's config has none."""
    if facts.history:
        return facts
    rows = engine.history(ref)
    history = tuple(
        HistoryEntry(str(r.get("CreatedBy", "")), str(r.get("Created", "")), not r.get("Size"), None)
        for r in reversed(rows)
    )
    return replace(facts, history=history)
