"""The Pro shipping checklist and the Python-aware findings, one function per check.

A check is ``check(facts: ImageFacts, options: CheckOptions) -> CheckResult``; ``CHECKS`` is the one
ordered registry. Each result carries evidence ``(path, layer, bytes, detail)`` so a reader can verify it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dockwright.audit.image import FileEntry, ImageFacts
from dockwright.errors import DockwrightError
from dockwright.output import fmt_bytes
from dockwright.secrets import SECRET_PATTERNS, secret_match, unexcluded_secrets

if TYPE_CHECKING:
    from dockwright.dockerfile.ignore import DockerIgnore
    from dockwright.engine.base import Engine

MIB = 1024 * 1024
MB = 1_000_000
_T = TypeVar("_T")


class Status(str, enum.Enum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True)
class Evidence:
    path: str
    layer: int | None = None
    bytes: int = 0
    detail: str = ""


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    status: Status
    summary: str
    evidence: tuple[Evidence, ...] = ()
    group: str = "checklist"  # "checklist" (the seeds' Pro shipping checklist) | "python" (findings)


@dataclass(frozen=True)
class ProcessResult:
    returncode: int
    stdout: str
    stderr: str


def _run_process(argv: Sequence[str], timeout: float) -> ProcessResult:
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False)
    return ProcessResult(done.returncode, done.stdout, done.stderr)


def _which(name: str) -> str | None:
    return shutil.which(name)


@dataclass(frozen=True)
class CheckOptions:
    context: Path | None = None
    max_size_mb: float | None = None
    max_size_origin: str = "--max-size"
    run: bool = False
    engine: Engine | None = None
    which: Callable[[str], str | None] = _which
    run_process: Callable[[Sequence[str], float], ProcessResult] = _run_process
    run_timeout_s: float = 180.0
    sleep: Callable[[float], None] = time.sleep
    # Variables the app needs at run time (``--env-file``), passed to the container ``--run`` starts.
    run_env: tuple[tuple[str, str], ...] = ()
    run_network: str | None = None  # network of the container --run starts (e.g. "host")


Check = Callable[[ImageFacts, CheckOptions], CheckResult]

EVIDENCE_LIMIT = 20


def _cap(items: Iterable[Evidence], limit: int = EVIDENCE_LIMIT) -> tuple[Evidence, ...]:
    rows = sorted(items, key=lambda e: (-e.bytes, e.path))
    if len(rows) <= limit:
        return tuple(rows)
    rest = rows[limit - 1 :]
    more = Evidence("…", None, sum(e.bytes for e in rest), f"and {len(rest)} more")
    return (*rows[: limit - 1], more)


def _ev(entry: FileEntry, detail: str = "", size: int | None = None) -> Evidence:
    return Evidence("/" + entry.path, entry.layer, entry.size if size is None else size, detail)


_MEMO: dict[tuple[int, str], tuple[weakref.ref[ImageFacts], object]] = {}


def _memo(facts: ImageFacts, name: str, compute: Callable[[ImageFacts], _T]) -> _T:
    """``compute(facts)`` once per ImageFacts (the checks share a few passes over every file)."""
    key = (id(facts), name)
    held = _MEMO.get(key)
    if held is not None and held[0]() is facts:
        return held[1]  # type: ignore[return-value]
    value = compute(facts)
    _MEMO[key] = (weakref.ref(facts), value)
    weakref.finalize(facts, _MEMO.pop, key, None)
    return value


def _dir_totals(facts: ImageFacts) -> dict[str, tuple[int, int, FileEntry]]:
    """Every folder holding regular files → (bytes, files, its first largest file), in one pass."""
    totals: dict[str, list[Any]] = {}
    for entry in facts.regular_files():
        path = entry.path
        at = path.find("/")
        while at >= 0:
            row = totals.get(path[:at])
            if row is None:
                totals[path[:at]] = [entry.size, 1, entry]
            else:
                row[0] += entry.size
                row[1] += 1
                if entry.size > row[2].size:
                    row[2] = entry
            at = path.find("/", at + 1)
    return {folder: (row[0], row[1], row[2]) for folder, row in totals.items()}


def dir_totals(facts: ImageFacts) -> dict[str, tuple[int, int, FileEntry]]:
    """:func:`_dir_totals` of ``facts``, computed once (the checks and the report's largest folders)."""
    return _memo(facts, "dir_totals", _dir_totals)


def _group_dirs(facts: ImageFacts, roots: Iterable[str], detail: str) -> list[Evidence]:
    """One evidence row per root directory: total bytes of its files, layer of its largest file."""
    totals = dir_totals(facts)
    out = []
    for root in sorted(set(roots)):
        row = totals.get(root)
        if row is not None:
            size, count, biggest = row
            out.append(Evidence("/" + root, biggest.layer, size, f"{count} files; {detail}"))
    return out


def _in_site_packages(path: str) -> bool:
    return "/site-packages/" in path or "/dist-packages/" in path


# ---------------------------------------------------------------------------------------------- checklist

_DOCKERIGNORE_PROBES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("virtualenv", ".venv/bin/python", (".venv", "venv", "env", ".virtualenv")),
    ("__pycache__", "pkg/__pycache__/mod.cpython-311.pyc", ("__pycache__",)),
    (".git", ".git/HEAD", (".git",)),
)


def ignore_file(context: Path) -> tuple[Path, Path]:
    """The ignore file BuildKit reads for the app at ``context``, and the build context it applies to:
    a uv workspace member's ``MEMBER/Dockerfile.dockerignore`` at the workspace root, else the
    context's ``.dockerignore`` (``context`` may be the workspace root or the member's folder)."""
    from dockwright.project.workspace import locate

    own = context / ".dockerignore"
    try:
        workspace = locate(context).workspace
    except DockwrightError:
        return own, context
    if workspace is None:
        return own, context
    root = Path(workspace.context)
    if workspace.kind in ("uv-workspace", "path-dependencies") and workspace.member.value != ".":
        return root / workspace.member.value / "Dockerfile.dockerignore", root
    return root / ".dockerignore", root


def check_dockerignore(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Tight .dockerignore: venvs, __pycache__, .git and .env are left out of the build context."""
    title = "Tight .dockerignore"
    if options.context is None:
        return CheckResult(
            "dockerignore", title, Status.SKIP, "give --context PATH to check the build context"
        )
    ignore, context = ignore_file(options.context)
    if not ignore.is_file():
        return CheckResult(
            "dockerignore",
            title,
            Status.FAIL,
            "the build context has no .dockerignore",
            (Evidence(str(ignore)),),
        )
    from dockwright.dockerfile.ignore import DockerIgnore  # only with --context

    rules = DockerIgnore.parse(ignore.read_text(encoding="utf-8", errors="replace"))
    evidence = []
    worst = Status.PASS
    for label, probe, names in _DOCKERIGNORE_PROBES:
        present = [n for n in names if (context / n).exists()]
        if label == "__pycache__":
            present = [str(p.relative_to(context)) for p in _first_pycache(context)]
        paths = [probe] + [posixpath.join(p, "x") for p in present]
        leaked = [p for p in paths if not rules.excluded(p)]
        if not leaked:
            continue
        status = Status.FAIL if present else Status.WARN
        worst = Status.FAIL if Status.FAIL in (worst, status) else Status.WARN
        where = ", ".join(present) if present else "not present now, but nothing excludes it"
        evidence.append(Evidence(str(ignore), None, 0, f"{label} not excluded ({where})"))
    leaked_secrets = unexcluded_secrets(rules)
    if leaked_secrets:
        present = _secrets_in_context(context, rules)
        status = Status.FAIL if present else Status.WARN
        worst = Status.FAIL if Status.FAIL in (worst, status) else Status.WARN
        where = ", ".join(present[:5]) if present else "not present now, but nothing excludes them"
        patterns = " ".join(e.pattern for e in leaked_secrets)
        evidence.append(Evidence(str(ignore), None, 0, f"secret files not excluded: {patterns} ({where})"))
    summary = (
        "venv, __pycache__, .git and secret files (.env, keys, tokens) at any depth are excluded"
        if worst is Status.PASS
        else (f"{len(evidence)} of {len(_DOCKERIGNORE_PROBES) + 1} must-exclude items are not excluded")
    )
    return CheckResult("dockerignore", title, worst, summary, tuple(evidence))


_CONTEXT_SKIP = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__"})


def _secrets_in_context(root: Path, rules: DockerIgnore, cap: int = 20000) -> list[str]:
    """Secret files (by the shared table) that the build context would carry; symlinks not followed."""
    found: list[str] = []
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _CONTEXT_SKIP)
        for name in sorted(files):
            seen += 1
            if seen > cap:
                return found
            rel = posixpath.relpath(posixpath.join(folder, name), root).replace(os.sep, "/")
            if secret_match(rel) is not None and not rules.excluded(rel):
                found.append(rel)
    return found


def _first_pycache(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("__pycache__"):
        if ".venv" in path.parts or "venv" in path.parts or ".git" in path.parts:
            continue
        found.append(path)
        if len(found) >= 3:
            break
    return found


_TOOLCHAIN = re.compile(
    r"^(?:[a-z0-9_]+-linux-gnu[a-z]*-)?(gcc|g\+\+|cc|c\+\+|cpp|clang|clang\+\+|make|gmake|cmake|ld|ld\.bfd|as|rustc|cargo)"
    r"(?:-\d+(?:\.\d+)*)?$"
)
_BIN_DIRS = ("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin")
_BIN_PREFIXES = tuple(folder + "/" for folder in _BIN_DIRS)
_TOOLCHAIN_PACKAGES = re.compile(
    r"^(build-essential|gcc(-\d+)?|g\+\+(-\d+)?|cpp(-\d+)?|make|clang(-\d+)?|libc6-dev|binutils)$"
)
_DEV_PACKAGE = re.compile(r"^(?!libpython|python3).+-dev$")


def check_toolchain(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Multi-stage: no compilers, make or build-essential in the runtime; -dev headers are a warning."""
    title = "Multi-stage, no toolchains in runtime"
    fail: list[Evidence] = []
    for entry in facts.files.values():
        if not entry.path.startswith(_BIN_PREFIXES):
            continue  # the split below, for every file of the image, cost more than the check
        directory, name = posixpath.split(entry.path)
        if (
            directory in _BIN_DIRS
            and entry.kind in ("file", "symlink", "hardlink")
            and _TOOLCHAIN.match(name)
        ):
            target = facts.resolve(entry.path)
            if target is not None and target.kind in ("file", "hardlink"):
                fail.append(_ev(entry, "compiler/build tool", target.size))
    for package in sorted(facts.packages):
        if _TOOLCHAIN_PACKAGES.match(package):
            fail.append(Evidence("/var/lib/dpkg/status", None, 0, f"package {package} installed"))
    headers: dict[str, list[FileEntry]] = {}
    for entry in facts.regular_files():
        if entry.path.startswith(("usr/include/", "usr/local/include/")) and entry.path.endswith(
            (".h", ".hpp")
        ):
            rest = entry.path.split("include/", 1)[1]
            top = rest.split("/", 1)[0] if "/" in rest else "(top)"
            if top.startswith("python"):
                continue
            headers.setdefault(entry.path.split("include/", 1)[0] + "include/" + top, []).append(entry)
    warn = [
        Evidence("/" + root, files[0].layer, sum(f.size for f in files), f"{len(files)} header files")
        for root, files in headers.items()
    ]
    warn += [
        Evidence("/var/lib/dpkg/status", None, 0, f"package {p} installed")
        for p in sorted(facts.packages)
        if _DEV_PACKAGE.match(p) and not _TOOLCHAIN_PACKAGES.match(p)
    ]
    if fail:
        return CheckResult(
            "toolchain",
            title,
            Status.FAIL,
            f"{len(fail)} toolchain items in the runtime image",
            _cap(fail + warn),
        )
    if warn:
        return CheckResult(
            "toolchain", title, Status.WARN, "development headers or -dev packages in the runtime", _cap(warn)
        )
    return CheckResult("toolchain", title, Status.PASS, "no compiler, make or -dev headers (beyond Python's)")


_CACHE = re.compile(r"(?:^|/)\.cache/(pip|uv|pypoetry|poetry|pipenv|pdm|pip-tools)(?:/|$)")
_ALLOWED_WHEELS = ("/ensurepip/_bundled/", "usr/share/python-wheels/")


# Where apt leaves caches (first matching prefix wins); the official Debian images' docker-clean removes them.
_APT_CACHES = (
    ("var/lib/apt/lists/", "apt package lists"),
    ("var/cache/apt/archives/", "downloaded .deb archives"),
    ("var/cache/apt/", "apt binary caches (pkgcache.bin)"),
)


def check_caches(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Prebuilt wheels and no package caches: pip/uv/poetry caches, leftover *.whl, apt lists and caches."""
    title = "Prebuilt wheels, no package caches"
    caches: dict[str, list[FileEntry]] = {}
    wheels = []
    for entry in facts.regular_files():
        match = _CACHE.search(entry.path)
        if match:
            caches.setdefault(entry.path[: match.end(1)], []).append(entry)
        elif entry.path.endswith(".whl") and not any(a in "/" + entry.path for a in _ALLOWED_WHEELS):
            wheels.append(_ev(entry, "leftover wheel"))
        elif entry.path.startswith("var/") and entry.size and not entry.path.endswith("/lock"):
            for prefix, _ in _APT_CACHES:
                if entry.path.startswith(prefix):
                    caches.setdefault(prefix.rstrip("/"), []).append(entry)
                    break
    kinds = dict((p.rstrip("/"), what) for p, what in _APT_CACHES)
    evidence = [
        Evidence(
            "/" + root,
            max(files, key=lambda f: f.size).layer,
            sum(f.size for f in files),
            f"{len(files)} files; {kinds.get(root, 'package cache')}",
        )
        for root, files in caches.items()
    ]
    evidence += wheels
    total = sum(e.bytes for e in evidence)
    if not evidence:
        return CheckResult(
            "caches", title, Status.PASS, "no pip/uv/poetry cache, leftover wheels or apt caches"
        )
    status = Status.FAIL if total >= 64 * 1024 or wheels else Status.WARN
    return CheckResult("caches", title, status, f"{fmt_bytes(total)} of caches and leftovers", _cap(evidence))


def check_user(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Non-root user with a fixed numeric UID (names are accepted when /etc/passwd maps them to >= 10000)."""
    title = "Non-root user with fixed UID"
    user = facts.config.user.strip()
    name = user.split(":", 1)[0]
    where = Evidence("Config.User", None, 0, f"User={user!r}")
    if name in ("", "root", "0"):
        return CheckResult(
            "user", title, Status.FAIL, "runs as root" if name else "no USER: runs as root", (where,)
        )
    if name.isdigit():
        return CheckResult("user", title, Status.PASS, f"runs as UID {name}", (where,))
    row = next((r for r in facts.passwd if r[0] == name), None)
    if row is None:
        return CheckResult(
            "user", title, Status.WARN, f"user name {name!r} not in /etc/passwd; use a numeric UID", (where,)
        )
    passwd = Evidence(
        "/etc/passwd",
        facts.files["etc/passwd"].layer if "etc/passwd" in facts.files else None,
        0,
        f"{name} → uid {row[1]}",
    )
    if row[1] == 0:
        return CheckResult("user", title, Status.FAIL, f"{name!r} is UID 0 (root)", (where, passwd))
    if row[1] >= 10000:
        return CheckResult("user", title, Status.PASS, f"{name!r} is UID {row[1]}", (where, passwd))
    return CheckResult(
        "user", title, Status.WARN, f"{name!r} is UID {row[1]}: name-only USER, UID < 10000", (where, passwd)
    )


_OMIT_VALUES = {"none", "omitted", "disabled", "off", "false", "0"}


# a HEALTHCHECK instruction in history: "/bin/sh -c #(nop) HEALTHCHECK ..." (classic, Buildah) or
# "HEALTHCHECK &{[...] ...}" (BuildKit)
_HEALTHCHECK_STEP = re.compile(r"^(?:/bin/sh -c #\(nop\)\s+)?HEALTHCHECK\b(.*)$", re.S)


def _dropped_healthcheck(facts: ImageFacts) -> tuple[int | None, str] | None:
    """The last history step that set a HEALTHCHECK (not NONE), when the config has none: dropped."""
    for entry in reversed(facts.history):
        match = _HEALTHCHECK_STEP.match(entry.created_by.strip())
        if match:
            first = match[1].split()[:1]
            if first and "NONE" in first[0]:  # "NONE" or BuildKit's &{["NONE"] ...}
                return None
            return entry.layer, entry.created_by.strip()
    return None


def check_healthcheck(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Healthcheck present, or consciously omitted (HEALTHCHECK NONE, or a *healthcheck label/env = none)."""
    title = "Healthcheck present or consciously omitted"
    test = facts.config.healthcheck
    if test and test[0] == "NONE":
        return CheckResult(
            "healthcheck",
            title,
            Status.PASS,
            "omitted on purpose (HEALTHCHECK NONE)",
            (Evidence("Config.Healthcheck", None, 0, "NONE"),),
        )
    if test:
        return CheckResult(
            "healthcheck",
            title,
            Status.PASS,
            "probe: " + " ".join(test[1:])[:120],
            (Evidence("Config.Healthcheck", None, 0, " ".join(test)[:200]),),
        )
    for key, value in (*facts.config.labels, *facts.config.env):
        if "healthcheck" in key.lower() and value.strip().lower() in _OMIT_VALUES:
            return CheckResult(
                "healthcheck",
                title,
                Status.PASS,
                f"omitted on purpose ({key}={value})",
                (Evidence(key, None, 0, value),),
            )
    dropped = _dropped_healthcheck(facts)
    if dropped is not None:
        return CheckResult(
            "healthcheck",
            title,
            Status.FAIL,
            "the Dockerfile's HEALTHCHECK is not in the image config: the image was written in OCI format "
            "(Podman/Buildah's default), which has no healthcheck field; rebuild with `--format docker` "
            "(dockwright build --engine podman passes it)",
            (Evidence("history", dropped[0], 0, dropped[1][:200]),),
        )
    ports = facts.config.exposed_ports
    if ports:
        return CheckResult(
            "healthcheck",
            title,
            Status.FAIL,
            f"web image (EXPOSE {', '.join(ports)}) without HEALTHCHECK",
            (Evidence("Config.ExposedPorts", None, 0, ", ".join(ports)),),
        )
    return CheckResult(
        "healthcheck", title, Status.WARN, "no HEALTHCHECK and no marker that it was left out on purpose"
    )


_OCI = "org.opencontainers.image."


def check_labels(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """OCI labels with a version (title, revision, source, created recommended)."""
    title = "OCI labels with a version"
    oci = {k[len(_OCI) :]: v for k, v in facts.config.labels if k.startswith(_OCI)}
    evidence = tuple(Evidence("Config.Labels", None, 0, f"{_OCI}{k}={v}") for k, v in sorted(oci.items()))
    if not oci:
        return CheckResult("labels", title, Status.FAIL, "no org.opencontainers.image.* labels")
    version = oci.get("version", "").strip()
    if not version:
        return CheckResult(
            "labels", title, Status.FAIL, "no org.opencontainers.image.version label", evidence
        )
    if version.lower() in ("latest", "unknown") or "$" in version:
        return CheckResult(
            "labels", title, Status.WARN, f"version label is {version!r}, not a version", evidence
        )
    missing = [
        k for k in ("title", "revision", "created") if oci.get(k, "").strip().lower() in ("", "unknown")
    ]
    if missing:
        return CheckResult(
            "labels", title, Status.WARN, f"version {version}; missing {', '.join(missing)}", evidence
        )
    return CheckResult("labels", title, Status.PASS, f"version {version}", evidence)


def check_scan(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Security scan with Trivy or Grype when one is on PATH (CRITICAL → FAIL, HIGH → WARN)."""
    title = "Security scan"
    ref = facts.ref or facts.image_id
    for tool in ("trivy", "grype"):
        if options.which(tool):
            break
    else:
        return CheckResult("scan", title, Status.SKIP, "neither trivy nor grype is on PATH: not scanned")
    argv = (
        ["trivy", "image", "--quiet", "--format", "json", "--scanners", "vuln", ref]
        if tool == "trivy"
        else ["grype", ref, "-o", "json", "-q"]
    )
    try:
        done = options.run_process(argv, 900.0)
        data = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        return CheckResult("scan", title, Status.WARN, f"{tool} failed: {error}")
    if not isinstance(data, dict):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return CheckResult("scan", title, Status.WARN, f"{tool} could not scan: {last}")
    found: list[tuple[str, str, str]] = []
    if tool == "trivy":
        for result in data.get("Results") or ():
            for vuln in result.get("Vulnerabilities") or ():
                found.append(
                    (
                        str(vuln.get("Severity", "")).upper(),
                        str(vuln.get("VulnerabilityID", "")),
                        str(vuln.get("PkgName", "")),
                    )
                )
    else:
        for match in data.get("matches") or ():
            vuln = match.get("vulnerability") or {}
            found.append(
                (
                    str(vuln.get("severity", "")).upper(),
                    str(vuln.get("id", "")),
                    str((match.get("artifact") or {}).get("name", "")),
                )
            )
    counts = {s: sum(1 for f in found if f[0] == s) for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW")}
    summary = f"{tool}: " + ", ".join(f"{n} {s.lower()}" for s, n in counts.items())
    evidence = tuple(
        Evidence(pkg, None, 0, f"{sev} {vid}") for sev, vid, pkg in found if sev in ("CRITICAL", "HIGH")
    )[:EVIDENCE_LIMIT]
    status = Status.FAIL if counts["CRITICAL"] else Status.WARN if counts["HIGH"] else Status.PASS
    return CheckResult("scan", title, status, summary, evidence)


def _command(facts: ImageFacts) -> list[str]:
    argv = [*facts.config.entrypoint, *facts.config.cmd]
    if len(argv) >= 3 and argv[0] in ("/bin/sh", "sh", "/bin/bash", "bash") and argv[1] == "-c":
        try:
            return argv[:2] + shlex.split(argv[2]) + argv[3:]
        except ValueError:
            return argv
    return argv


def _python_unbuffered_flag(argv: Sequence[str]) -> bool:
    for i, arg in enumerate(argv):
        if re.fullmatch(r"(?:.*/)?python[0-9.]*", arg):
            for flag in argv[i + 1 :]:
                if not flag.startswith("-") or flag == "-m" or flag == "-c":
                    break
                if flag == "-Xunbuffered" or (
                    not flag.startswith("--") and "u" in flag[1:] and flag[1:].isalpha()
                ):
                    return True
    return False


def check_logs(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Logs to stdout unbuffered: PYTHONUNBUFFERED set, or ``python -u`` in the command."""
    title = "Logs to stdout (unbuffered)"
    value = facts.config.env_value("PYTHONUNBUFFERED")
    if value:
        return CheckResult(
            "logs",
            title,
            Status.PASS,
            f"PYTHONUNBUFFERED={value}",
            (Evidence("Config.Env", None, 0, f"PYTHONUNBUFFERED={value}"),),
        )
    argv = _command(facts)
    if _python_unbuffered_flag(argv):
        return CheckResult(
            "logs",
            title,
            Status.PASS,
            "python -u in the command",
            (Evidence("Config.Cmd", None, 0, " ".join(argv)[:200]),),
        )
    return CheckResult(
        "logs",
        title,
        Status.FAIL,
        "no PYTHONUNBUFFERED and no python -u: logs arrive late or are lost",
        (Evidence("Config.Env", None, 0, "PYTHONUNBUFFERED not set"),),
    )


def check_size(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Image size under the target from --max-size or [tool.dockwright] max-size-mb."""
    title = "Size under target"
    size = f"{fmt_bytes(facts.size)}"
    if options.max_size_mb is None:
        return CheckResult(
            "size", title, Status.SKIP, f"{size}; no target (--max-size or [tool.dockwright] max-size-mb)"
        )
    limit = options.max_size_mb * MB
    evidence = tuple(Evidence(p.path, None, p.size, "top-level path") for p in facts.top_level()[:5])
    if facts.size > limit:
        return CheckResult(
            "size",
            title,
            Status.FAIL,
            f"{size} > {options.max_size_mb:g} MB ({options.max_size_origin})",
            evidence,
        )
    return CheckResult(
        "size",
        title,
        Status.PASS,
        f"{size} ≤ {options.max_size_mb:g} MB ({options.max_size_origin})",
        evidence,
    )


def check_waste(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Bytes that later layers overwrite or delete (each hidden copy once; the kept copy is not waste)."""
    title = "No bytes hidden by later layers"
    wasted = facts.wasted_bytes
    evidence = _cap(
        Evidence("/" + c.path, c.layer, c.size, f"{c.how} in layer {c.by_layer}") for c in facts.hidden
    )
    if wasted == 0:
        return CheckResult("waste", title, Status.PASS, "no layer hides bytes of another")
    status = Status.WARN if wasted >= MIB else Status.PASS
    dive = (
        f"; dive counts {fmt_bytes(facts.dive_wasted_bytes)}, the visible copies of rewritten files included"
    )
    return CheckResult(
        "waste", title, status, f"{fmt_bytes(wasted)} in {len(facts.hidden)} hidden copies{dive}", evidence
    )


_INITS = ("tini", "dumb-init", "catatonit", "s6-svscan")
_SHELLS = ("/bin/sh", "sh", "/bin/bash", "bash", "/usr/bin/sh", "/usr/bin/bash")


def check_signals(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Signals reach the app: exec-form ENTRYPOINT/CMD (no ``sh -c`` wrapper), an init as PID 1."""
    title = "Exec form, signals reach the app"
    argv = [*facts.config.entrypoint, *facts.config.cmd]
    shown = Evidence("Config.Entrypoint+Cmd", None, 0, json.dumps(argv)[:200])
    if not argv:
        return CheckResult("signals", title, Status.WARN, "no ENTRYPOINT or CMD", (shown,))
    rest = argv
    if posixpath.basename(argv[0]) in _INITS:  # look past the init and its flags
        rest = argv[1:]
        while rest and rest[0].startswith("-"):
            rest = rest[1:]
    if len(rest) >= 3 and rest[0] in _SHELLS and rest[1] == "-c" and not rest[2].strip().startswith("exec "):
        return CheckResult(
            "signals",
            title,
            Status.FAIL,
            "shell-form command: the shell does not forward SIGTERM to the app (use exec form or `exec`)",
            (shown,),
        )
    if posixpath.basename(argv[0]) in _INITS:
        return CheckResult(
            "signals", title, Status.PASS, f"{posixpath.basename(argv[0])} is PID 1, exec form", (shown,)
        )
    return CheckResult(
        "signals", title, Status.WARN, "exec form, but no init (tini/dumb-init) as PID 1", (shown,)
    )


def check_startup(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """With --run: time until healthy (or first output) and how long ``docker stop`` takes."""
    title = "Starts fast, stops fast"
    if not options.run:
        return CheckResult("startup", title, Status.SKIP, "give --run to start the container and time it")
    engine = options.engine
    if engine is None:
        return CheckResult("startup", title, Status.SKIP, "no engine to run the image")
    name = f"dockwright-audit-{uuid.uuid4().hex[:10]}"
    health = facts.config.healthcheck
    probing = bool(health) and health is not None and health[0] != "NONE"
    cfg = facts.config
    budget = (
        min(
            options.run_timeout_s,
            cfg.healthcheck_start_period_s + cfg.healthcheck_interval_s * (cfg.healthcheck_retries + 1) + 15,
        )
        if probing
        else 30.0
    )
    evidence: list[Evidence] = []
    ready: float | None = None
    problem = ""
    start = time.monotonic()
    stop = 0.0
    try:
        started = engine.run(
            facts.ref or facts.image_id,
            detach=True,
            name=name,
            env=dict(options.run_env) or None,
            network=options.run_network,
        )
        if started.exit_code != 0:
            problem = "could not start: " + (started.stderr.strip().splitlines() or ["?"])[-1][:200]
        while not problem and ready is None:
            elapsed = time.monotonic() - start
            state = engine.container_inspect(name).get("State") or {}
            status = ((state.get("Health") or {}).get("Status") or "") if probing else ""
            if probing and status == "healthy":
                ready = elapsed
                evidence.append(Evidence("State.Health", None, 0, f"healthy after {elapsed:.1f} s"))
            elif probing and status == "unhealthy":
                problem = f"unhealthy after {elapsed:.1f} s"
            elif not probing and engine.logs(name).strip():
                ready = elapsed
                evidence.append(Evidence("logs", None, 0, f"first output after {elapsed:.1f} s"))
            elif not state.get("Running", True):
                code = int(state.get("ExitCode") or 0)
                if code == 0 and not probing:
                    ready = elapsed
                    evidence.append(Evidence("State", None, 0, f"exited 0 after {elapsed:.1f} s"))
                else:
                    problem = f"exited with code {code} after {elapsed:.1f} s"
            elif elapsed > budget:
                problem = f"not {'healthy' if probing else 'talking'} after {budget:.0f} s"
            else:
                options.sleep(0.25)
        stop = engine.stop(name, timeout=10)
        evidence.append(Evidence("docker stop", None, 0, f"{stop:.1f} s"))
    except DockwrightError as error:
        problem = f"could not run the container: {error}"
    finally:
        with contextlib.suppress(Exception):  # cleanup only; the result above matters
            engine.remove(name)
    if problem:
        return CheckResult("startup", title, Status.FAIL, problem, tuple(evidence))
    status = Status.WARN if stop > 5 else Status.PASS
    summary = f"ready in {ready:.1f} s, docker stop {stop:.1f} s" + (
        " (SIGTERM ignored?)" if stop > 5 else ""
    )
    return CheckResult("startup", title, status, summary, tuple(evidence))


# ---------------------------------------------------------------------------------------------- python


def _site_trees(facts: ImageFacts) -> dict[str, frozenset[str]]:
    """site-packages/dist-packages roots → names of the distributions installed there."""
    return _memo(facts, "site_trees", _find_site_trees)


def _find_site_trees(facts: ImageFacts) -> dict[str, frozenset[str]]:
    trees: dict[str, set[str]] = {}
    for path, entry in facts.files.items():
        for marker in ("/site-packages/", "/dist-packages/"):
            at = path.find(marker)
            if at >= 0:
                root = path[: at + len(marker) - 1]
                rest = path[at + len(marker) :]
                first = rest.split("/", 1)[0]
                names = trees.setdefault(root, set())
                if (
                    first.endswith((".dist-info", ".egg-info")) and entry.kind == "dir" and "/" not in rest
                ) or first.endswith((".dist-info", ".egg-info")):
                    names.add(first.split("-", 1)[0].lower())
                break
    return {root: frozenset(names) for root, names in trees.items()}


_BOOTSTRAP = {"pip", "setuptools", "wheel", "distribute"}


def _app_venv(facts: ImageFacts) -> str | None:
    """The virtualenv the app runs in: the first PATH entry ``X/bin`` with an ``X/pyvenv.cfg``, else None."""
    for entry in (facts.config.env_value("PATH") or "").split(":"):
        root = entry.strip("/").removesuffix("/bin")
        if entry.rstrip("/").endswith("/bin") and f"{root}/pyvenv.cfg" in facts.files:
            return root
    return None


def _pinned_tooling(options: CheckOptions) -> tuple[set[str], str]:
    """With --context: the installer tools the project's lock pins as run-time dependencies (Dash
    requires setuptools, older libraries import pkg_resources), and the lock file; else nothing."""
    if options.context is None:
        return set(), ""
    from dockwright.audit.inventory import project_lock

    try:
        locked, lock_file = project_lock(options.context)
    except DockwrightError:
        return set(), ""
    return {p.name.lower() for p in locked} & _BOOTSTRAP, lock_file


def check_pip_in_runtime(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """pip/setuptools/wheel left in a runtime whose command does not use them (with --context, a tool
    the project's lock pins is one of the app's own dependencies, not a leftover).

    When the app runs in a virtualenv (its ``bin`` first on PATH), only that venv is the app's
    environment: the base image's own pip outside it cannot be removed without whiteouts that hide
    no bytes, and the venv's interpreter does not import it (a venv leaves out the system
    site-packages by default); it is reported in the summary, not warned about. (dockwright's own slim
    runtime is a copy of the base without it: nothing is left to report, docs/strategies.md.)"""
    title = "No pip/setuptools/wheel in the runtime"
    command = " ".join(_command(facts))
    venv = _app_venv(facts)
    declared, lock_file = _pinned_tooling(options)
    evidence: list[Evidence] = []
    outside: list[Evidence] = []
    for root, names in sorted(_site_trees(facts).items()):
        for name in sorted(names & _BOOTSTRAP):
            if re.search(rf"\b{name}\b", command) or name in declared:
                continue
            found = _group_dirs(facts, [f"{root}/{name}"], "installer tooling")
            if venv is None or root.startswith(venv + "/"):
                evidence += found
            else:
                outside += found
    if not evidence:
        summary = "no installer tooling left"
        if venv is not None:
            summary = f"no installer tooling in the app's venv /{venv}"
            if outside:
                summary += (
                    f" (the base image's {fmt_bytes(sum(e.bytes for e in outside))} of it stays outside "
                    "the venv)"
                )
        kept = sorted(declared & {n for names in _site_trees(facts).values() for n in names})
        if kept:
            summary += f"; {', '.join(kept)} pinned by {lock_file}: a declared run-time dependency, kept"
        return CheckResult("pip-in-runtime", title, Status.PASS, summary, tuple(outside), group="python")
    total = sum(e.bytes for e in evidence)
    return CheckResult(
        "pip-in-runtime",
        title,
        Status.WARN,
        f"{fmt_bytes(total)} of installer tooling the app does not run",
        _cap(evidence),
        "python",
    )


def check_site_trees(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Two site-packages trees holding application packages (beyond pip/setuptools/wheel)."""
    title = "One site-packages tree"
    trees = {root: names - _BOOTSTRAP for root, names in _site_trees(facts).items()}
    used = {root: names for root, names in trees.items() if names}
    evidence = [
        dataclasses.replace(ev, detail=f"{ev.detail} ({len(used[ev.path.lstrip('/')])} distributions)")
        for ev in _group_dirs(facts, used, "site-packages tree")
    ]
    if len(used) > 1:
        return CheckResult(
            "site-trees",
            title,
            Status.WARN,
            f"{len(used)} site-packages trees with packages",
            tuple(evidence),
            "python",
        )
    return CheckResult(
        "site-trees",
        title,
        Status.PASS,
        f"{len(used)} site-packages tree with packages",
        tuple(evidence),
        "python",
    )


def check_site_tests(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Test and doc folders shipped inside site-packages."""
    title = "No tests/docs inside site-packages"
    roots = set()
    for entry in facts.regular_files():
        if not _in_site_packages(entry.path):
            continue
        parts = entry.path.split("/")
        for i, part in enumerate(parts[:-1]):
            if (
                part in ("tests", "test", "docs", "doc")
                and i > 0
                and parts[i - 1] not in ("site-packages", "dist-packages")
            ):
                roots.add("/".join(parts[: i + 1]))
                break
    evidence = _group_dirs(facts, roots, "tests/docs")
    total = sum(e.bytes for e in evidence)
    status = Status.WARN if total >= MIB else Status.PASS
    summary = f"{fmt_bytes(total)} in {len(evidence)} test/doc folders" if evidence else "none"
    return CheckResult("site-tests", title, status, summary, _cap(evidence), "python")


_PYC_TAG = re.compile(r"\.(cpython|pypy)-?(\d+)")


_INTERPRETER = re.compile(r"(?:usr/(?:local/)?)?bin/python3\.(\d+)")


def _interpreters(facts: ImageFacts) -> set[str]:
    found = set()
    for path in facts.files:
        match = _INTERPRETER.fullmatch(path) if "bin/python3." in path else None
        if match:
            found.add(f"3{match[1]}")
    return found


def check_bytecode(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """``__pycache__`` against the image's bytecode policy (informational); stale foreign .pyc → WARN."""
    title = "Bytecode matches the policy"
    dont_write = bool(facts.config.env_value("PYTHONDONTWRITEBYTECODE"))
    workdir = facts.config.working_dir.strip("/")
    app_roots = tuple(r + "/" for r in {workdir, "app"} if r)
    pyc = [
        e
        for e in facts.regular_files()
        if e.path.endswith(".pyc") and (e.path.startswith(app_roots) or _in_site_packages(e.path))
    ]
    versions = _interpreters(facts)
    stale = []
    for entry in pyc:
        match = _PYC_TAG.search(posixpath.basename(entry.path))
        if match and match[1] == "cpython" and versions and match[2] not in versions:
            stale.append(
                _ev(entry, f"compiled for cpython-{match[2]}, image has {', '.join(sorted(versions))}")
            )
    if stale:
        return CheckResult(
            "bytecode",
            title,
            Status.WARN,
            f"{len(stale)} .pyc for another Python (copied from the build context?)",
            _cap(stale),
            "python",
        )
    nbytes = sum(e.size for e in pyc)
    if dont_write and pyc:
        summary = (
            f"{len(pyc)} .pyc ({fmt_bytes(nbytes)}) compiled at build; "
            "PYTHONDONTWRITEBYTECODE stops runtime writes"
        )
    elif dont_write:
        summary = "no .pyc, PYTHONDONTWRITEBYTECODE set: compiled in memory at each start"
    elif pyc:
        summary = f"{len(pyc)} .pyc ({fmt_bytes(nbytes)}); PYTHONDONTWRITEBYTECODE not set"
    else:
        summary = "no .pyc and PYTHONDONTWRITEBYTECODE not set: the app may write __pycache__ at run time"
    return CheckResult("bytecode", title, Status.PASS, summary, group="python")


_OS_TREES = ("etc/", "usr/", "lib/", "lib64/", "bin/", "sbin/", "var/lib/")


def _os_or_package_file(path: str) -> bool:
    """A file of the OS or of an installed package (not the app's copied source): CA bundles, configs."""
    return path.lstrip("/").startswith(_OS_TREES) or _in_site_packages(path)


def check_dotfiles(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """No ``.git`` directories or secret files (``dockwright.secrets``: .env, keys, tokens) in the image.

    FAIL outside site-packages, WARN inside it."""
    title = "No .git or secret files in the image"
    fail: list[Evidence] = []
    warn: list[Evidence] = []
    gits = set()
    by_content = {hit.path for hit in facts.secrets}
    for entry in facts.files.values():
        parts = entry.path.split("/") if ".git" in entry.path else ()
        if ".git" in parts[:-1] or (parts and parts[-1] == ".git" and entry.kind == "dir"):
            gits.add("/".join(parts[: parts.index(".git") + 1]))
        elif entry.kind == "file" and (secret := secret_match(entry.path)) is not None:
            if not secret.anywhere and _os_or_package_file(entry.path):
                continue  # system files share these names (CA bundles, a mirror's /etc/pip.conf)
            if entry.path in by_content:
                continue  # the key material itself is reported by check_secrets
            (warn if _in_site_packages(entry.path) else fail).append(_ev(entry, secret.reason))
    for ev in _group_dirs(facts, gits, "git repository") or [
        Evidence("/" + g, None, 0, "git repository") for g in gits
    ]:
        (warn if _in_site_packages(ev.path) else fail).append(ev)
    if fail:
        return CheckResult(
            "dotfiles", title, Status.FAIL, f"{len(fail)} .git/secret items", _cap(fail + warn), "python"
        )
    if warn:
        return CheckResult(
            "dotfiles",
            title,
            Status.WARN,
            f"{len(warn)} .git/secret items inside site-packages",
            _cap(warn),
            "python",
        )
    return CheckResult("dotfiles", title, Status.PASS, "none", group="python")


def check_secrets(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Private keys and tokens in small files, in any layer (deleted later still ships in the layer)."""
    title = "No private keys or tokens"
    fail: list[Evidence] = []
    warn: list[Evidence] = []
    for hit in facts.secrets:
        detail = hit.kind + ("" if hit.visible else " (deleted later, still in the layer)")
        ev = Evidence("/" + hit.path, hit.layer, hit.size, detail)
        benign = (_in_site_packages(hit.path) and re.search(r"/tests?/", hit.path)) or "snakeoil" in hit.path
        (warn if benign else fail).append(ev)
    if fail:
        return CheckResult(
            "secrets",
            title,
            Status.FAIL,
            f"{len(fail)} files with keys or tokens",
            _cap(fail + warn),
            "python",
        )
    if warn:
        return CheckResult(
            "secrets", title, Status.WARN, f"{len(warn)} test/snakeoil keys", _cap(warn), "python"
        )
    return CheckResult("secrets", title, Status.PASS, "none found in files < 64 KiB", group="python")


# Debian's base setuid/setgid binaries (login, passwd, mount ...): present in every Debian image.
_BASE_SETUID = {
    "usr/bin/chfn",
    "usr/bin/chsh",
    "usr/bin/gpasswd",
    "usr/bin/newgrp",
    "usr/bin/passwd",
    "usr/bin/su",
    "usr/bin/mount",
    "usr/bin/umount",
    "usr/bin/chage",
    "usr/bin/expiry",
    "usr/sbin/unix_chkpwd",
    "bin/su",
    "bin/mount",
    "bin/umount",
    "sbin/unix_chkpwd",
    "usr/bin/wall",
    "usr/bin/ssh-agent",
}


def check_setuid(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """setuid/setgid binaries beyond Debian's base set."""
    title = "No extra setuid/setgid binaries"
    base: list[Evidence] = []
    extra: list[Evidence] = []
    for entry in facts.regular_files():
        if entry.mode & 0o6000:
            bits = "setuid" if entry.mode & 0o4000 else "setgid"
            (base if entry.path in _BASE_SETUID else extra).append(_ev(entry, f"{bits} mode {entry.mode:o}"))
    if extra:
        return CheckResult(
            "setuid",
            title,
            Status.WARN,
            f"{len(extra)} setuid/setgid binaries beyond the base OS",
            _cap(extra + base),
            "python",
        )
    summary = f"only Debian's base set ({len(base)})" if base else "none"
    return CheckResult("setuid", title, Status.PASS, summary, _cap(base), "python")


def check_shell(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Whether a shell exists (informational: handy for debugging, attack surface otherwise)."""
    title = "Shell in the image (informational)"
    for path in ("bin/sh", "bin/bash", "usr/bin/sh", "usr/bin/bash", "bin/busybox", "bin/ash"):
        entry = facts.resolve(path)
        if entry is not None:
            return CheckResult(
                "shell",
                title,
                Status.PASS,
                f"/{path} present",
                (Evidence("/" + path, entry.layer, entry.size, "shell"),),
                "python",
            )
    return CheckResult("shell", title, Status.PASS, "no shell (distroless-style)", group="python")


def check_lock(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """With --context: every locked distribution is installed at the locked version (none drifted)."""
    title = "Installed versions match the lock"
    if options.context is None:
        return CheckResult(
            "lock", title, Status.SKIP, "give --context PATH to compare with its lock", group="python"
        )
    from dockwright.audit.inventory import check_against_lock, project_lock, python_dists

    try:
        locked, lock_file = project_lock(options.context)
    except DockwrightError as error:
        return CheckResult("lock", title, Status.SKIP, f"lock not read: {error}", group="python")
    if not lock_file:
        return CheckResult("lock", title, Status.SKIP, "the project pins nothing in a lock", group="python")
    checked = check_against_lock(python_dists(facts), locked, lock_file)
    drifted = [d for d in checked if d.lock is not None and d.lock.state == "differs"]
    if drifted:
        evidence = [
            Evidence(d.path, d.layer, 0, f"installed {d.version}, {lock_file} pins {d.lock.locked_version}")
            for d in drifted
            if d.lock is not None
        ]
        names = ", ".join(f"{d.name} {d.version}" for d in drifted[:5])
        return CheckResult(
            "lock",
            title,
            Status.FAIL,
            f"{len(drifted)} differ from {lock_file}: {names}",
            _cap(evidence),
            "python",
        )
    matched = sum(1 for d in checked if d.lock is not None and d.lock.state == "matches")
    return CheckResult(
        "lock",
        title,
        Status.PASS,
        f"{matched} of {len(locked)} locked packages installed as pinned",
        group="python",
    )


CHECKS: tuple[Check, ...] = (
    check_dockerignore,
    check_toolchain,
    check_caches,
    check_user,
    check_healthcheck,
    check_labels,
    check_scan,
    check_logs,
    check_size,
    check_waste,
    check_signals,
    check_startup,
    check_pip_in_runtime,
    check_bytecode,
    check_site_tests,
    check_site_trees,
    check_dotfiles,
    check_secrets,
    check_setuid,
    check_shell,
    check_lock,
)


def prepare() -> None:
    """Compile what the checks match every path of an image against (the secret-file patterns), so
    that ``run_audit`` does it while the engine exports the image rather than after the read."""
    for entry in SECRET_PATTERNS:
        secret_match(entry.probe)


def run_checks(
    facts: ImageFacts, options: CheckOptions, checks: Sequence[Check] = CHECKS
) -> tuple[CheckResult, ...]:
    return tuple(check(facts, options) for check in checks)
