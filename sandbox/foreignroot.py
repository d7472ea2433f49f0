"""A foreign-architecture root filesystem made from the amd64 one of the same recipe, without emulation.

``mmdebstrap --arch=arm64`` runs every maintainer script of the stand-in under qemu-user-static: 34 min
on the CI machine, almost all of it dpkg's triggers and py3compile. What those scripts leave behind is
architecture-independent (users and groups, the CA bundle, alternatives, ``.pyc`` files, the sandbox's
own hooks: pip.conf, apt sources, RECORD files), except the dynamic linker's cache. So the arm64 root
starts as the amd64 one and only its amd64 packages change: each is replaced by the arm64 build of the
same package (files, dpkg's file list, maintainer scripts, status stanza with the arm64 Version,
Architecture and dependencies), files the recipe's ``path-exclude`` options keep out stay out, the
/usr-merge diversions and dpkg's architecture files name arm64, and only ``ldconfig`` runs under qemu
(seconds). Nothing is byte-compiled: the amd64 root's ``.pyc`` files are the same bytecode. A root that
still holds an x86-64 ELF file after that is refused (a maintainer script made something this does not
know how to carry over).
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sandbox.config import Suite, log

ELF_X86_64 = 62
STATUS = Path("var/lib/dpkg/status")
INFO = Path("var/lib/dpkg/info")
PYTHON_DIRS = ("/usr/lib/python3/", "/usr/lib/python3.")  # where py3compile compiles packaged modules


@dataclass(frozen=True)
class Arch:
    """A Debian architecture as dpkg names it and as ELF headers say it."""

    name: str  # "arm64"
    elf_machine: int


AMD64 = Arch("amd64", ELF_X86_64)
ARCHES = {"arm64": Arch("arm64", 183)}


# -- dpkg's status file -------------------------------------------------------------------------------


Stanza = list[tuple[str, str]]  # (field, value with continuation lines), dpkg's order


def parse_stanzas(text: str) -> list[Stanza]:
    stanzas: list[Stanza] = []
    for block in text.split("\n\n"):
        fields: Stanza = []
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and fields:
                name, value = fields[-1]
                fields[-1] = (name, f"{value}\n{line}")
            elif ":" in line:
                name, value = line.split(":", 1)
                fields.append((name, value.strip()))
        if fields:
            stanzas.append(fields)
    return stanzas


def format_stanzas(stanzas: list[Stanza]) -> str:
    def line(name: str, value: str) -> str:
        return f"{name}:{value}\n" if value.startswith("\n") else f"{name}: {value}\n"

    return "".join("".join(line(name, value) for name, value in s) + "\n" for s in stanzas)


def _field(stanza: Stanza, name: str) -> str:
    return next((value for field, value in stanza if field == name), "")


# the order dpkg writes a status stanza in (lib/dpkg/parse.c's field table); other fields follow as they come
FIELD_ORDER = (
    "Package", "Essential", "Protected", "Status", "Priority", "Section", "Installed-Size", "Origin",
    "Maintainer", "Bugs", "Architecture", "Multi-Arch", "Source", "Version", "Config-Version", "Replaces",
    "Provides", "Depends", "Pre-Depends", "Recommends", "Suggests", "Breaks", "Conflicts", "Enhances",
    "Conffiles", "Description", "Triggers-Pending", "Triggers-Awaited",
)  # fmt: skip


def status_stanza(control: Stanza, conffiles: list[tuple[str, str]]) -> Stanza:
    """What dpkg records for an unpacked, configured package: its control fields, Status, and
    Conffiles with the shipped files' MD5, in dpkg's order."""
    fields = [(n, v) for n, v in control if n not in ("Status", "Conffiles")]
    fields.append(("Status", "install ok installed"))
    if conffiles:
        fields.append(("Conffiles", "".join(f"\n {path} {md5}" for path, md5 in conffiles)))
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    return sorted(fields, key=lambda field: rank.get(field[0], len(rank)))  # stable: unknown ones keep order


# -- the recipe's dpkg path filters ---------------------------------------------------------------------


def path_filters(mmdebstrap_args: tuple[str, ...]) -> list[tuple[bool, str]]:
    """``--dpkgopt=path-exclude=…``/``path-include=…`` as (include?, pattern), in order."""
    filters = []
    for arg in mmdebstrap_args:
        for kind in ("exclude", "include"):
            prefix = f"--dpkgopt=path-{kind}="
            if arg.startswith(prefix):
                filters.append((kind == "include", arg[len(prefix) :]))
    return filters


def excluded(path: str, filters: list[tuple[bool, str]]) -> bool:
    """dpkg's rule: the last pattern that matches decides (fnmatch without FNM_PATHNAME)."""
    keep = True
    for include, pattern in filters:
        if fnmatch.fnmatchcase(path, pattern):
            keep = include
    return not keep


# -- one package --------------------------------------------------------------------------------------


def _deb_paths(deb: Path) -> list[tuple[str, bool]]:
    """The .deb's data members in order, as dpkg lists them ("/." first), and whether each is a directory."""
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        members = [("/" + m.name.removeprefix("./").rstrip("/"), m.isdir()) for m in archive.getmembers()]
    return [("/." if path == "/" else path, is_dir) for path, is_dir in members]


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()  # dpkg's conffile hash, not a security use


def _info_files(info: Path, name: str) -> list[Path]:
    """``name``'s files in dpkg's info directory (``name.list``, ``name:amd64.postinst``…)."""
    found = []
    for candidate in info.iterdir():
        for prefix in (f"{name}.", f"{name}:{AMD64.name}."):
            rest = candidate.name[len(prefix) :]
            if candidate.name.startswith(prefix) and rest and "." not in rest:
                found.append(candidate)
    return found


def _replace_package(
    root: Path, deb: Path, filters: list[tuple[bool, str]], arch: Arch, scratch: Path
) -> tuple[Stanza, set[str], set[str]]:
    """Swap one amd64 package for ``deb``; its status stanza, the paths it no longer has and its new ones."""
    stage = scratch / deb.stem
    subprocess.run(["dpkg-deb", "--raw-extract", str(deb), str(stage)], check=True)
    control = parse_stanzas((stage / "DEBIAN" / "control").read_text())[0]
    name = _field(control, "Package")
    info = root / INFO
    old_files = _info_files(info, name)
    old_list = next((p for p in old_files if p.suffix == ".list"), None)
    before = set(old_list.read_text().splitlines()) if old_list else set()
    conffile_list = stage / "DEBIAN" / "conffiles"
    conffile_paths = conffile_list.read_text().split() if conffile_list.exists() else []
    conffile_paths = [p for p in conffile_paths if p.startswith("/")]  # drop remove-on-upgrade flags
    conffiles = [(p, _md5(stage / p.lstrip("/"))) for p in conffile_paths if (stage / p.lstrip("/")).exists()]
    paths = _deb_paths(deb)
    for path, is_dir in paths:
        source, target = stage / path.lstrip("/"), root / path.lstrip("/")
        if path in before:
            if not target.is_symlink() and not target.exists():
                continue  # kept out of the amd64 root too (path-exclude, or a recipe hook removed it)
            if is_dir or path in conffile_paths:
                continue  # there already; a conffile keeps the amd64 root's text (a recipe hook may edit it)
        elif excluded(path, filters):
            continue
        if is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)  # under an excluded directory: dpkg makes it too
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        source.replace(target)
    after = {path for path, _ in paths}
    for path in sorted(before - after, reverse=True):
        target = root / path.lstrip("/")
        if target.is_symlink() or target.is_file():
            target.unlink()
        if target.suffix == ".py":  # its bytecode, compiled by the amd64 root's py3compile
            for cached in target.parent.glob(f"__pycache__/{target.stem}.*.pyc"):
                cached.unlink()
    for old in old_files:
        old.unlink()
    info_name = f"{name}:{arch.name}" if _field(control, "Multi-Arch") == "same" else name
    (info / f"{info_name}.list").write_text("".join(f"{path}\n" for path, _ in paths))
    for member in sorted((stage / "DEBIAN").iterdir()):
        if member.name != "control":
            shutil.copy2(member, info / f"{info_name}.{member.name}")
    shutil.rmtree(stage)
    return status_stanza(control, conffiles), before - after, after - before


# -- the whole root -----------------------------------------------------------------------------------


def _x86_64_elf_files(root: Path) -> list[str]:
    found = []
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            with path.open("rb") as handle:
                head = handle.read(20)
            if head[:4] == b"\x7fELF" and int.from_bytes(head[18:20], "little") == ELF_X86_64:
                found.append("/" + str(path.relative_to(root)))
    return found


def _file_triggers(root: Path) -> None:
    """dpkg's file-trigger table from every package's ``triggers`` control file (dpkg writes it on unpack)."""
    entries = []
    for control in (root / INFO).glob("*.triggers"):
        package = control.name.removesuffix(".triggers")
        for line in control.read_text().splitlines():
            words = line.split()
            if len(words) == 2 and words[0].startswith("interest") and words[1].startswith("/"):
                suffix = "/noawait" if words[0] == "interest-noawait" else ""
                entries.append(f"{words[1]} {package}{suffix}\n")
    (root / "var/lib/dpkg/triggers/File").write_text("".join(sorted(entries)))


def _compile_new_sources(root: Path, added: set[str]) -> None:
    """Bytecode for the few Python sources only the foreign build has (``_sysconfigdata__aarch64…``).

    Debian's py3compile compiles every packaged module on install; the amd64 root's ``.pyc`` files
    serve the shared sources, these few run the foreign interpreter once under emulation (seconds).
    """
    sources = sorted(
        p
        for p in added
        if p.startswith(PYTHON_DIRS) and p.endswith(".py") and (root / p.lstrip("/")).is_file()
    )
    if sources:
        subprocess.run(["chroot", str(root), "/usr/bin/python3", "-m", "py_compile", *sources], check=True)


def _rerun_diverting_preinsts(root: Path, replaced: set[str], arch: Arch) -> None:
    """Drop the diversions replaced packages made; their foreign ``preinst install`` makes them again."""
    diversions = root / "var/lib/dpkg/diversions"
    if not diversions.exists():
        return
    lines = diversions.read_text().splitlines()
    triples = [lines[i : i + 3] for i in range(0, len(lines) - 2, 3)]
    owners = sorted({owner for _, _, owner in triples if owner in replaced})
    if not owners:
        return
    debconf = root / "var/cache/debconf"
    kept = {path: path.read_bytes() for path in debconf.iterdir()} if debconf.exists() else {}
    diversions.write_text("".join(f"{line}\n" for t in triples if t[2] not in owners for line in t))
    for owner in owners:
        info = next(
            p for p in (root / INFO).glob(f"{owner}*.list") if p.stem in (owner, f"{owner}:{arch.name}")
        )
        script = info.with_suffix(".preinst")
        if not script.exists():
            continue
        environment = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "DPKG_MAINTSCRIPT_PACKAGE": owner,
            "DPKG_MAINTSCRIPT_ARCH": arch.name,
            "DPKG_MAINTSCRIPT_NAME": "preinst",
            "DPKG_ADMINDIR": "/var/lib/dpkg",
            "DPKG_ROOT": "",
            "DEBIAN_FRONTEND": "noninteractive",
        }
        command = ["chroot", str(root), f"/{INFO}/{script.name}", "install"]
        subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL)
    for path, data in kept.items():  # their debconf questions are answered in the amd64 root already
        path.write_bytes(data)


def _download(suite: Suite, packages: list[str], arch: Arch, into: Path) -> None:
    """The ``arch`` builds of ``packages`` (and their dependencies) from Debian, with no script run."""
    from sandbox import debmirror

    debmirror._download(into, suite, packages, arch.name, "--variant=extract")


def convert(amd64: Path, out: Path, suite: Suite, mmdebstrap_args: tuple[str, ...], arch_name: str) -> None:
    """Write to ``out`` the ``arch_name`` root filesystem of the recipe whose amd64 tarball is ``amd64``."""
    arch = ARCHES[arch_name]
    filters = path_filters(mmdebstrap_args)
    with tempfile.TemporaryDirectory(prefix=f"dw-rootfs-{arch.name}-") as scratch_name:
        scratch = Path(scratch_name)
        root = scratch / "root"
        root.mkdir()
        subprocess.run(["tar", "-xpf", str(amd64), "--numeric-owner", "-C", str(root)], check=True)
        status_file = root / STATUS
        if not status_file.exists():
            raise SystemExit(
                f"sandbox: {amd64} has no dpkg status: only dpkg-installed roots can be converted"
            )
        stanzas = parse_stanzas(status_file.read_text())
        native = [s for s in stanzas if _field(s, "Architecture") == AMD64.name]
        debs = scratch / "debs"
        started = time.monotonic()
        _download(suite, sorted(_field(s, "Package") for s in native), arch, debs)
        downloaded = time.monotonic() - started
        by_name = {}
        for deb in debs.glob(f"*_{arch.name}.deb"):
            by_name[deb.name.split("_", 1)[0]] = deb
        installed = {_field(s, "Package"): s for s in stanzas}
        missing = [_field(s, "Package") for s in native if _field(s, "Package") not in by_name]
        if missing:
            raise SystemExit(f"sandbox: Debian {suite.name} has no {arch.name} build of {', '.join(missing)}")
        changed: dict[str, Stanza] = {}
        gone: set[str] = set()
        added: set[str] = set()
        for name, deb in sorted(by_name.items()):
            if name in installed and _field(installed[name], "Architecture") != AMD64.name:
                continue
            changed[name], removed, new = _replace_package(root, deb, filters, arch, scratch)
            gone |= removed
            added |= new
        still_listed = {
            line for listing in (root / INFO).glob("*.list") for line in listing.read_text().split()
        }
        for path in sorted(gone - still_listed, reverse=True):  # directories no package owns any more
            target = root / path.lstrip("/")
            if target.is_dir() and not target.is_symlink() and not any(target.iterdir()):
                target.rmdir()
        names = [_field(s, "Package") for s in stanzas]
        result = [changed.get(_field(s, "Package"), s) for s in stanzas]
        result += [s for name, s in sorted(changed.items()) if name not in names]
        status_file.write_text(format_stanzas(result))
        for stale in ("status-old", "diversions-old"):
            (root / "var/lib/dpkg" / stale).unlink(missing_ok=True)
        for name in ("arch", "arch-native"):
            (root / "var/lib/dpkg" / name).write_text(f"{arch.name}\n")
        _file_triggers(root)
        _compile_new_sources(root, added)
        # under emulation, seconds: the diversions the replaced packages' preinst made name amd64 paths
        # (/usr-merge protection of the loader and of multilib directories), and the linker's cache
        _rerun_diverting_preinsts(root, set(changed), arch)
        (root / "etc/ld.so.cache").unlink(missing_ok=True)
        subprocess.run(["chroot", str(root), "/sbin/ldconfig"], check=True)
        (root / "var/cache/ldconfig/aux-cache").unlink(missing_ok=True)  # mmdebstrap leaves none either
        leftovers = _x86_64_elf_files(root)
        if leftovers:
            raise SystemExit(
                f"sandbox: the {arch.name} root still holds x86-64 programs no package owns: "
                + ", ".join(leftovers[:5])
            )
        partial = out.with_suffix(".partial")
        subprocess.run(
            ["tar", "--numeric-owner", "--sort=name", "-cf", str(partial), "-C", str(root), "."], check=True
        )
        partial.rename(out)
    log(
        f"images: {out.name}: {len(changed)} {AMD64.name} packages replaced by their {arch.name} builds "
        f"in {time.monotonic() - started:.0f} s ({downloaded:.0f} s fetching them)"
    )
