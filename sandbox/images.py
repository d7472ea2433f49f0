"""Stand-in base images made from Debian packages with mmdebstrap, tagged with the names Dockerfiles use."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sandbox import foreignroot, uvimage
from sandbox.config import Settings, Suite, docker_client, log, suite_of

DATA = Path(__file__).resolve().parent / "data"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_NO_SHELL = (
    'rm -f "$1"/bin/sh "$1"/bin/dash "$1"/bin/bash "$1"/usr/bin/sh "$1"/usr/bin/dash "$1"/usr/bin/bash'
)
# Debian's python3-pip needs python3-wheel (trixie: and python3-packaging), installed without the RECORD
# file pip needs to upgrade them; the official image has neither, so a lock pinning them must install.
# Write a RECORD from dpkg's file list for every Debian dist-info but pip's own (trixie only: the
# bookworm recipe predates this and its images stay valid).
_RECORDS = (
    'for info in "$1"/usr/lib/python3/dist-packages/*.dist-info; do '
    'case "$info" in */pip-*) continue;; esac; [ -e "$info/RECORD" ] && continue; '
    'pkg=$(chroot "$1" dpkg -S "${info#"$1"}" | cut -d: -f1); '
    'chroot "$1" dpkg -L "$pkg" | while read -r f; do '
    '[ -f "$1$f" ] && case "$f" in /usr/lib/python3/dist-packages/*) '
    'echo "${f#/usr/lib/python3/dist-packages/},,";; esac; done > "$info/RECORD"; done'
)
_DISTROLESS_USERS = (
    'printf "root:x:0:0:root:/root:/sbin/nologin\\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\\n'
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\\n" > "$1"/etc/passwd && '
    'printf "root:x:0:\\nnobody:x:65534:\\nnonroot:x:65532:\\n" > "$1"/etc/group && '
    'mkdir -p "$1"/tmp "$1"/home/nonroot "$1"/root && chmod 1777 "$1"/tmp '
    '&& chown 65532:65532 "$1"/home/nonroot'
)


@dataclass(frozen=True)
class Recipe:
    """How one root filesystem is made, and the image config each tag made from it gets."""

    key: str
    mmdebstrap: tuple[str, ...]
    tags: tuple[tuple[str, tuple[str, ...]], ...]  # (tag, docker import --change lines)
    suite: Suite | None  # not part of the digest: bookworm's recipes predate it (their images stay valid)
    # writes the root tarball for an architecture instead of mmdebstrap (None: made from Debian packages)
    maker: Callable[[Settings, str, Path], None] | None = None


def uv_image() -> Recipe:
    """``ghcr.io/astral-sh/uv:<tools-uv.txt's pin>``: ``/uv`` and ``/uvx`` from uv's wheels (uvimage.py)."""
    return Recipe(
        uvimage.recipe_key(), (), ((uvimage.tag(), uvimage.CHANGES),), None, maker=uvimage.make_root
    )


def python_slim(tag: str, settings: Settings, suite: Suite) -> Recipe:
    """``python:X.Y.Z-slim-<suite>``: Debian's python3, pip and venv; pip and apt use the sandbox.

    The interpreter is the suite's python3 (bookworm 3.11, trixie 3.13) whatever X.Y the tag names.
    """
    hooks: tuple[str, ...] = (
        # PEP 668 marker off: the official image lets pip install into the system interpreter
        'rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED',
        'ln -sf /usr/bin/python3 "$1"/usr/local/bin/python && ln -sf /usr/bin/pip3 "$1"/usr/local/bin/pip',
        # trusted-host: pip keeps no HTTP cache for a plain-http index unless trusted, and does for
        # PyPI (HTTPS); without it a pip cache mount stays empty here as it never does for users
        f'printf "[global]\\nindex-url = {settings.pypi_url}\\ntrusted-host = {_host(settings.pypi_url)}\\n" '
        '> "$1"/etc/pip.conf',
        # uv's system-level config: its [pip] table serves `uv pip` as pip.conf serves pip (uv 0.13.9
        # reads a top-level index-url there too, but for every command, uv sync included)
        'mkdir -p "$1"/etc/uv',
        f'printf \'[pip]\\nindex-url = "{settings.pypi_url}"\\n\' > "$1"/etc/uv/uv.toml',
        f'echo "deb [trusted=yes] {settings.deb_url_of(suite)} ./" > "$1"/etc/apt/sources.list',
        'rm -f "$1"/etc/apt/sources.list.d/*',
        # apt keeps no caches, as in the official image (the audit's cache check depends on it)
        f"copy-in {DATA / 'docker-clean'} /etc/apt/apt.conf.d",
        # with that config `apt-get clean` no longer knows the cache files' names: remove them here
        'rm -f "$1"/var/cache/apt/*.bin',
    )
    # the official slim images install no docs, man pages or translations (kept out of later layers too)
    excludes = [
        f"path-exclude=/usr/share/{d}/*" for d in ("doc", "man", "info", "locale", "groff", "lintian")
    ]
    if suite.name != "bookworm":
        hooks = (*hooks, _RECORDS)
    args = (
        "--variant=minbase",
        # libpython3.X: the official image's Python is built --enable-shared (PyInstaller, Nuitka need it)
        f"--include=python3,python3-pip,python3-venv,libpython{suite.python},ca-certificates",
        *(f"--dpkgopt={opt}" for opt in (*excludes, "path-include=/usr/share/doc/*/copyright")),
        *(f"--customize-hook={hook}" for hook in hooks),
    )
    changes = ("ENV LANG=C.UTF-8", f"ENV PATH={PATH}", 'CMD ["python3"]')
    key = (
        f"python-slim:{settings.pypi_url}:{settings.deb_url_of(suite)}:{(DATA / 'docker-clean').read_text()}"
    )
    if suite.name != "bookworm":
        key += f":{suite.name}"
    if suite.python != _tag_minor(tag):
        log(
            f"images: {tag} is a stand-in running Debian {suite.name}'s CPython {suite.python}, not "
            f"{_tag_minor(tag)}: Debian {suite.name} packages no other and no registry here ships a "
            "relocatable build (README, Test sandbox: what that weakens)"
        )
    return Recipe(key, args, ((tag, changes),), suite)


def node_slim(tag: str, settings: Settings, suite: Suite) -> Recipe:
    """``node:X.Y.Z-<suite>-slim``: Debian's nodejs and npm (apt uses the sandbox mirror).

    The Node is the suite's nodejs package (trixie: 20.19) whatever version the tag names; the
    frontend stage's Dockerfile is the same, only `node --version` differs (README, Test sandbox).
    """
    hooks: tuple[str, ...] = (
        f'echo "deb [trusted=yes] {settings.deb_url_of(suite)} ./" > "$1"/etc/apt/sources.list',
        'rm -f "$1"/etc/apt/sources.list.d/*',
        f"copy-in {DATA / 'docker-clean'} /etc/apt/apt.conf.d",
        'rm -f "$1"/var/cache/apt/*.bin',
    )
    excludes = [
        f"path-exclude=/usr/share/{d}/*" for d in ("doc", "man", "info", "locale", "groff", "lintian")
    ]
    args = (
        "--variant=minbase",
        "--include=nodejs,npm,ca-certificates",
        *(f"--dpkgopt={opt}" for opt in (*excludes, "path-include=/usr/share/doc/*/copyright")),
        *(f"--customize-hook={hook}" for hook in hooks),
    )
    changes = ("ENV LANG=C.UTF-8", f"ENV PATH={PATH}", 'CMD ["node"]')
    key = f"node-slim:{settings.deb_url_of(suite)}:{(DATA / 'docker-clean').read_text()}:{suite.name}"
    log(
        f"images: {tag} is a stand-in running Debian {suite.name}'s nodejs and npm packages, not Node "
        f"{tag.split(':', 1)[1].split('-')[0]}: no registry here serves the official node image "
        "(README, Test sandbox: what that weakens)"
    )
    return Recipe(key, args, ((tag, changes),), suite)


def _host(url: str) -> str:
    return url.split("//", 1)[1].split("/", 1)[0].split(":", 1)[0]


def _tag_minor(tag: str) -> str:
    return ".".join(tag.split(":", 1)[1].split("-")[0].split(".")[:2])


def distroless(kind: str, suite: Suite) -> Recipe:
    """``gcr.io/distroless/{python3,cc}-debianN[:nonroot]``: libraries only, no shell, nonroot = 65532."""
    libssl = "libssl3" if suite.name == "bookworm" else "libssl3t64"  # trixie's 64-bit time_t rename
    packages = {
        "python3": "python3,ca-certificates",
        "cc": f"libc6,libgcc-s1,libstdc++6,{libssl},zlib1g",
    }[kind]
    # the users (root, nobody, nonroot 65532) and no shell, as in distroless; extract hooks, because
    # mmdebstrap runs no customize hook for --variant=extract
    hooks = [_DISTROLESS_USERS, _NO_SHELL]
    if suite.name != "bookworm":
        # Debian 13 ships its files under /usr only and leaves /lib64 etc. to base-files, which an
        # extract-only root lacks: without the links there is no ELF loader (distroless debian13 is
        # merged-/usr too; bookworm's libc6 still ships /lib64 and distroless debian12 is not merged)
        hooks.insert(0, 'for d in bin sbin lib lib64; do [ -e "$1/$d" ] || ln -s "usr/$d" "$1/$d"; done')
    args = (
        "--variant=extract",
        f"--include={packages}",
        *(f"--extract-hook={hook}" for hook in hooks),
    )
    entry = (f'ENTRYPOINT ["/usr/bin/python{suite.python}"]',) if kind == "python3" else ()
    base = f"gcr.io/distroless/{kind}-{suite.distroless}"
    common = (f"ENV PATH={PATH}", "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", *entry)
    return Recipe(
        f"distroless-{kind}" if suite.name == "bookworm" else f"distroless-{kind}-{suite.name}",
        args,
        (
            (base, (*common, "USER 0", "WORKDIR /")),
            (f"{base}:latest", (*common, "USER 0", "WORKDIR /")),
            (f"{base}:nonroot", (*common, "USER 65532", "WORKDIR /home/nonroot")),
        ),
        suite,
    )


def recipes_for(names: set[str], settings: Settings) -> list[Recipe]:
    recipes: dict[str, Recipe] = {}
    for name in sorted(names):
        suite = suite_of(name)
        if suite is not None and name.startswith("python:") and "slim" in name:
            recipes[name] = python_slim(name, settings, suite)
        elif suite is not None and name.startswith("node:") and "slim" in name:
            recipes[name] = node_slim(name, settings, suite)
        elif suite is not None and name.startswith(f"gcr.io/distroless/python3-{suite.distroless}"):
            recipes[f"python3-{suite.name}"] = distroless("python3", suite)
        elif suite is not None and name.startswith(f"gcr.io/distroless/cc-{suite.distroless}"):
            recipes[f"cc-{suite.name}"] = distroless("cc", suite)
        elif name == uvimage.tag():
            recipes[name] = uv_image()
        elif "alpine" in name:
            log(f"images: {name} cannot be made from Debian packages; the alpine strategy is planned only")
        else:
            log(f"images: no recipe for {name}; builds that use it will fail")
    return list(recipes.values())


def _digest(recipe: Recipe) -> str:
    # the checkout's own path is not part of the recipe (the key already holds the data files' content),
    # so every clone of the repository reuses the same images
    text = json.dumps([recipe.key, recipe.mmdebstrap, recipe.tags]).replace(str(DATA), "<sandbox-data>")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _current_label(tag: str) -> str | None:
    out = subprocess.run(
        [
            docker_client(),
            "image",
            "inspect",
            "--format",
            '{{index .Config.Labels "dockwright.sandbox.recipe"}}',
            tag,
        ],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() if out.returncode == 0 else None


def _rootfs_digest(recipe: Recipe) -> str:
    """The root filesystem's own digest: tags that differ only in name share one tarball."""
    suite = recipe.suite.name if recipe.suite is not None else ""
    text = json.dumps([recipe.key, recipe.mmdebstrap, suite]).replace(str(DATA), "<sandbox-data>")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def rootfs(settings: Settings, recipe: Recipe, arch: str = "amd64") -> Path:
    """The recipe's root filesystem tarball for ``arch`` (made once; cached under the cache's rootfs/).

    amd64 is made by mmdebstrap; a foreign one from the amd64 one by sandbox/foreignroot.py (no
    maintainer script under emulation: about 2 min instead of 34).
    """
    tarball = settings.cache / "rootfs" / _rootfs_name(recipe, arch)
    if tarball.exists():
        return tarball
    tarball.parent.mkdir(parents=True, exist_ok=True)
    if recipe.maker is not None:
        recipe.maker(settings, arch, tarball)
        return tarball
    assert recipe.suite is not None  # a Debian recipe names its suite
    if arch != "amd64":
        amd64 = rootfs(settings, recipe)
        log(f"images: making the {arch} root filesystem for {recipe.tags[0][0]} from the amd64 one")
        foreignroot.convert(amd64, tarball, recipe.suite, recipe.mmdebstrap, arch)
        return tarball
    log(f"images: making the {arch} root filesystem for {recipe.tags[0][0]} (mmdebstrap)")
    partial = tarball.with_suffix(".partial")
    subprocess.run(
        ["mmdebstrap", f"--arch={arch}", "--format=tar", *recipe.mmdebstrap, recipe.suite.name, str(partial)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    partial.rename(tarball)
    return tarball


def _rootfs_name(recipe: Recipe, arch: str) -> str:
    """``<digest>.tar``; a foreign one also names the converter's digest (a changed converter remakes it)."""
    digest = _rootfs_digest(recipe)
    if arch == "amd64":
        return f"{digest}.tar"
    if recipe.maker is not None:  # its key names the maker's code already
        return f"{digest}-{arch}.tar"
    converter = hashlib.sha256(Path(foreignroot.__file__).read_bytes()).hexdigest()[:8]
    return f"{digest}-{arch}-{converter}.tar"


def recipe_digest(recipe: Recipe) -> str:
    """The label value that marks an image made from this recipe (any engine)."""
    return _digest(recipe)


def ensure_images(settings: Settings, names: set[str]) -> None:
    recipes = recipes_for(names, settings)
    current = {_rootfs_name(recipe, arch) for recipe in recipes for arch in ("amd64", *foreignroot.ARCHES)}
    for stale in (settings.cache / "rootfs").glob("*.tar"):
        if stale.name not in current:
            stale.unlink()  # a root filesystem no recipe (or converter) makes any more
    for recipe in recipes:
        ensure_recipe(settings, recipe)


def ensure_recipe(settings: Settings, recipe: Recipe) -> None:
    """The recipe's tags in the engine (imported again only when their label names another recipe)."""
    digest = _digest(recipe)
    if all(_current_label(tag) == digest for tag, _ in recipe.tags):
        log(f"images: cached {', '.join(tag for tag, _ in recipe.tags)}")
        return
    tarball = rootfs(settings, recipe)
    for tag, changes in recipe.tags:
        command = [docker_client(), "import"]
        for change in (*changes, f"LABEL dockwright.sandbox.recipe={digest}"):
            command += ["--change", change]
        subprocess.run([*command, str(tarball), tag], check=True, stdout=subprocess.DEVNULL)
        log(f"images: tagged {tag}")


def present_tags() -> list[str]:
    """Tags of sandbox-made images the engine holds now."""
    out = subprocess.run(
        [
            docker_client(),
            "image",
            "ls",
            "--filter",
            "label=dockwright.sandbox.recipe",
            "--format",
            "{{.Repository}}:{{.Tag}}",
        ],
        capture_output=True,
        text=True,
    )
    # images built FROM a stand-in inherit its label; list only the stand-ins themselves
    return sorted(
        line
        for line in out.stdout.split()
        if line.startswith(("python:", "gcr.io/distroless/", f"{uvimage.REPOSITORY}:"))
    )
