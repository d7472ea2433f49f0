r"""## What it does
Reads the compiled code of the app's environment (the ELF shared objects and executables of
site-packages, and the executables of a `bin/` folder outside the OS's: a virtualenv's, the app's)
while the image streams, and looks up every shared library they need (`DT_NEEDED`) the way the
dynamic loader would, in the image's own files: the file's `RUNPATH`/`RPATH` (`$ORIGIN` expanded:
a manylinux wheel's `<package>.libs` folder), the image's `LD_LIBRARY_PATH`, the folders of
`/etc/ld.so.conf` and `/etc/ld.so.conf.d/*.conf` (musl: `/etc/ld-musl-<arch>.path`), and `/lib`,
`/usr/lib` and their multiarch folders (`/usr/lib/x86_64-linux-gnu`). FAIL for each library found
nowhere, naming the file that needs it and, when dockwright's native table knows it, the Debian
package that ships it. A library another file of the environment carries as its `SONAME` or file
name counts as found (a package that loads it first, by name).

## Why is this bad?
The image builds, and the app dies at its first import of the module: `ImportError: libGL.so.1:
cannot open shared object file: No such file or directory`. A wheel vendors most of what it links,
but not the system libraries it expects on every desktop (OpenGL, GLib, X11, OpenMP), and a slim
base image has none of them.

## Example
```Dockerfile
FROM python:3.12-slim-bookworm
RUN pip install --no-cache-dir opencv-python
```
(`cv2/cv2.abi3.so needs libGL.so.1 (Debian: libgl1)`)

## Use instead
```Dockerfile
FROM python:3.12-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir opencv-python
```
(or `opencv-python-headless`, which needs none of them)
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap
from dockwright.audit.elf import ElfDeps
from dockwright.audit.image import FileEntry, ImageFacts

ID = "shared-libs"
TITLE = "Native code finds its shared libraries"
GROUP = "python"

# The loader's own folders (glibc's trusted directories, musl's default path) and Debian's multiarch
# folders by image architecture (https://wiki.debian.org/Multiarch/Tuples).
_DEFAULT_DIRS = ("lib", "usr/lib", "lib64", "usr/lib64")
_MUSL_DIRS = ("lib", "usr/local/lib", "usr/lib")
_TRIPLETS = {
    "amd64": "x86_64-linux-gnu",
    "arm64": "aarch64-linux-gnu",
    "arm": "arm-linux-gnueabihf",
    "386": "i386-linux-gnu",
    "ppc64le": "powerpc64le-linux-gnu",
    "s390x": "s390x-linux-gnu",
    "riscv64": "riscv64-linux-gnu",
    "mips64le": "mips64el-linux-gnuabi64",
}


class _Image:
    """Path lookups in the image's final view, symlinks followed in every component."""

    def __init__(self, facts: ImageFacts) -> None:
        self.files = facts.files
        self._dirs: dict[str, str | None] = {}

    def real(self, path: str, hops: int = 40) -> str | None:
        """The path ``path`` leads to, each symlink on the way followed (None: a loop); whether
        something is there is the caller's lookup."""
        parts = [p for p in path.strip("/").split("/") if p and p != "."]
        done: list[str] = []
        while parts and hops > 0:
            part = parts.pop(0)
            if part == "..":
                if done:
                    done.pop()
                continue
            entry = self.files.get("/".join([*done, part]))
            if entry is None:  # a folder a layer made without an entry of its own, or nothing
                done.append(part)
                continue
            if entry.kind == "symlink":
                hops -= 1
                target = entry.link
                parts = [p for p in target.split("/") if p and p != "."] + parts
                if target.startswith("/"):
                    done = []
                continue
            if entry.kind == "hardlink":
                return self.real(entry.link, hops - 1) if not parts else None
            done.append(part)
        return "/".join(done) if not parts else None

    def folder(self, path: str) -> str | None:
        """The folder ``path`` leads to (symlinks followed), None when something else is there."""
        if path not in self._dirs:
            real = self.real(path)
            entry = self.files.get(real) if real is not None else None
            self._dirs[path] = real if entry is None or entry.kind == "dir" else None
        return self._dirs[path]

    def find(self, folder: str, name: str) -> str | None:
        """The regular file ``folder/name`` leads to (through symlinks), None when there is none."""
        path = f"{folder}/{name}"
        entry = self.files.get(path)
        if entry is None:
            return None
        if entry.kind == "file":
            return path
        real = self.real(path)
        target = self.files.get(real) if real else None
        return real if target is not None and target.kind == "file" else None


def _conf_dirs(facts: ImageFacts) -> list[str]:
    """The folders of /etc/ld.so.conf (``include`` globs followed) and musl's ld-musl-<arch>.path."""
    out: list[str] = []
    seen: set[str] = set()

    def read(path: str, depth: int) -> None:
        if path in seen or depth > 8:
            return
        seen.add(path)
        text = facts.contents.get(path, b"").decode("utf-8", "replace")
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if line.startswith("include"):
                pattern = line[len("include") :].strip().lstrip("/")
                for name in sorted(facts.contents):
                    if fnmatch.fnmatchcase(name, pattern):
                        read(name, depth + 1)
            elif line and not line.startswith("hwcap"):
                out.extend(d.strip("/") for d in line.replace(",", " ").split() if d.startswith("/"))

    read("etc/ld.so.conf", 0)
    for path in sorted(facts.contents):
        if path.startswith("etc/ld-musl-") and path.endswith(".path"):
            text = facts.contents[path].decode("utf-8", "replace")
            out.extend(d.strip("/") for d in text.replace(":", "\n").split() if d.startswith("/"))
    return out


def _system_dirs(facts: ImageFacts) -> tuple[str, ...]:
    triplet = _TRIPLETS.get(facts.architecture)
    triplets = [triplet] if triplet else list(_TRIPLETS.values())
    musl = any(path.startswith("lib/ld-musl-") for path in facts.files if path.startswith("lib/ld-"))
    dirs = list(_MUSL_DIRS if musl else _DEFAULT_DIRS)
    dirs += [f"{root}/{t}" for t in triplets for root in ("lib", "usr/lib")]
    paths = (facts.config.env_value("LD_LIBRARY_PATH") or "").split(":")
    env = [d.strip("/") for d in paths if d.startswith("/")]
    return tuple(dict.fromkeys([*env, *_conf_dirs(facts), *dirs]))


def _own_dirs(path: str, deps: ElfDeps) -> Iterator[str]:
    """The folders the file's own RUNPATH (else RPATH) names, ``$ORIGIN`` its own folder."""
    origin = "/" + posixpath.dirname(path)
    for item in (deps.runpath or deps.rpath).split(":"):
        folder = item.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
        if folder.startswith("/") and "$" not in folder:
            yield posixpath.normpath(folder).strip("/")


def _entry_size(facts: ImageFacts, path: str) -> tuple[int | None, int]:
    entry: FileEntry | None = facts.files.get(path)
    return (entry.layer, entry.size) if entry is not None else (None, 0)


def _short(path: str) -> str:
    """``path`` from its site-packages folder on (``cv2/cv2.abi3.so``), else whole."""
    for marker in ("/site-packages/", "/dist-packages/"):
        if marker in path:
            return path.partition(marker)[2]
    return "/" + path


class _Links:
    """Each ELF file's needs, looked up: what it lacks itself, and which files of the environment it
    loads (through which it may lack more)."""

    def __init__(self, facts: ImageFacts) -> None:
        image = _Image(facts)
        system = [real for folder in _system_dirs(facts) if (real := image.folder(folder)) is not None]
        loaded = {deps.soname for deps in facts.elf.values() if deps.soname}
        loaded |= {posixpath.basename(path) for path in facts.elf}
        self.lacks: dict[str, list[str]] = {}  # path -> libraries it needs that are nowhere
        self.loads: dict[str, list[str]] = {}  # path -> files of facts.elf it loads
        self.unread: dict[str, str] = {}
        self.needs = 0
        for path, deps in sorted(facts.elf.items()):
            if deps.error:
                self.unread[path] = deps.error
                continue
            own = [real for folder in _own_dirs(path, deps) if (real := image.folder(folder)) is not None]
            for name in deps.needed:
                self.needs += 1
                if "/" in name:
                    found = image.real(name) if name.startswith("/") else name
                else:
                    found = next(filter(None, (image.find(folder, name) for folder in (*own, *system))), None)
                if found is not None and found in facts.elf:
                    self.loads.setdefault(path, []).append(found)
                elif found is None and name not in loaded:
                    self.lacks.setdefault(path, []).append(name)

    def through(self, path: str) -> dict[str, str]:
        """Libraries ``path`` lacks through the files it loads → the first such file it loads."""
        out: dict[str, str] = {}
        seen = {path}
        todo = [(child, child) for child in self.loads.get(path, ())]
        while todo:
            child, first = todo.pop(0)
            if child in seen:
                continue
            seen.add(child)
            for name in self.lacks.get(child, ()):
                out.setdefault(name, first)
            todo += [(grand, first) for grand in self.loads.get(child, ())]
        return out


def check_shared_libs(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Libraries the ELF files of site-packages and the app's bin/ need that the image lacks."""
    if not facts.elf:
        summary = "no compiled code in site-packages or an app's bin/"
        return CheckResult(ID, TITLE, Status.PASS, summary, (), GROUP)
    links = _Links(facts)
    unread = [
        Evidence("/" + path, *_entry_size(facts, path), f"not read: {why}")
        for path, why in links.unread.items()
    ]
    if not links.lacks:
        summary = f"{links.needs} needs of {len(facts.elf) - len(unread)} ELF files all found"
        if unread:
            summary += f"; {len(unread)} files not read"
        return CheckResult(ID, TITLE, Status.PASS, summary, _cap(unread), GROUP)
    # (not loaded while the image streams)
    from dockwright.project.native import native_table
    from dockwright.project.python_version import debian_suites

    table = native_table()
    release = re.search(r"^Debian GNU/Linux \d+ \((\w+)\)", facts.os_release)
    suite = debian_suites().get(release[1]) if release else None
    apt: dict[str, str] = {}  # missing library -> its Debian package ("" when unknown)

    def named(name: str) -> str:
        row = table.apt_for(name)  # bookworm's name, the suite's (trixie's t64 renames) when known
        package = (suite.apt_name(row.apt) if suite else row.apt) if row else ""
        apt[name] = package
        return f"{name} (Debian: {package})" if package else name

    missing: list[Evidence] = []
    for path, lacking in links.lacks.items():
        detail = "needs " + ", ".join(map(named, lacking))
        missing.append(Evidence("/" + path, *_entry_size(facts, path), detail))
    # the files nothing else loads (the modules Python imports) that lack a library, themselves or
    # through the libraries they load: those name the import that fails
    loaded = {child for children in links.loads.values() for child in children}
    roots = []
    for path in sorted(set(facts.elf) - loaded):
        through = {} if path in links.lacks else links.through(path)
        if through:
            detail = ", ".join(f"{named(n)} through {posixpath.basename(by)}" for n, by in through.items())
            missing.append(Evidence("/" + path, *_entry_size(facts, path), "needs " + detail))
        if through or path in links.lacks:
            roots.append(_short(path))
    debs = sorted(a for a in set(apt.values()) if a)
    dpkg = bool(facts.packages)  # the advice is an apt-get line only where apt is
    advice = f"; apt-get install -y --no-install-recommends {' '.join(debs)}" if debs and dpkg else ""
    shown = ", ".join(roots[:3]) + (f" and {len(roots) - 3} more" if len(roots) > 3 else "")
    summary = (
        f"{len(apt)} shared {'library' if len(apt) == 1 else 'libraries'} not in the image "
        f"({', '.join(sorted(apt))}), needed by {shown}{advice}"
    )
    return CheckResult(ID, TITLE, Status.FAIL, summary, _cap(missing + unread), GROUP)
