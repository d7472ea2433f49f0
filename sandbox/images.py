"""Stand-in base images made from Debian packages with mmdebstrap, tagged with the names Dockerfiles use."""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sandbox.config import DOCKER, SUITE, Settings, log

DATA = Path(__file__).resolve().parent / "data"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_NO_SHELL = (
    'rm -f "$1"/bin/sh "$1"/bin/dash "$1"/bin/bash "$1"/usr/bin/sh "$1"/usr/bin/dash "$1"/usr/bin/bash'
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


def python_slim(tag: str, settings: Settings) -> Recipe:
    """``python:X.Y.Z-slim-bookworm``: Debian's python3, pip and venv; pip and apt use the sandbox."""
    hooks = (
        # PEP 668 marker off: the official image lets pip install into the system interpreter
        'rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED',
        'ln -sf /usr/bin/python3 "$1"/usr/local/bin/python && ln -sf /usr/bin/pip3 "$1"/usr/local/bin/pip',
        f'printf "[global]\\nindex-url = {settings.pypi_url}\\n" > "$1"/etc/pip.conf',
        f'echo "deb [trusted=yes] {settings.deb_url} ./" > "$1"/etc/apt/sources.list',
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
    args = (
        "--variant=minbase",
        # libpython3.11: the official image's Python is built --enable-shared (PyInstaller, Nuitka need it)
        "--include=python3,python3-pip,python3-venv,libpython3.11,ca-certificates",
        *(f"--dpkgopt={opt}" for opt in (*excludes, "path-include=/usr/share/doc/*/copyright")),
        *(f"--customize-hook={hook}" for hook in hooks),
    )
    changes = ("ENV LANG=C.UTF-8", f"ENV PATH={PATH}", 'CMD ["python3"]')
    key = f"python-slim:{settings.pypi_url}:{settings.deb_url}:{(DATA / 'docker-clean').read_text()}"
    return Recipe(key, args, ((tag, changes),))


def distroless(kind: str) -> Recipe:
    """``gcr.io/distroless/{python3,cc}-debian12[:nonroot]``: libraries only, no shell, nonroot = 65532."""
    packages = {
        "python3": "python3,ca-certificates",
        "cc": "libc6,libgcc-s1,libstdc++6,libssl3,zlib1g",
    }[kind]
    args = (
        "--variant=extract",
        f"--include={packages}",
        f"--customize-hook={_DISTROLESS_USERS}",
        f"--customize-hook={_NO_SHELL}",
    )
    entry = ('ENTRYPOINT ["/usr/bin/python3.11"]',) if kind == "python3" else ()
    base = f"gcr.io/distroless/{kind}-debian12"
    common = (f"ENV PATH={PATH}", "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", *entry)
    return Recipe(
        f"distroless-{kind}",
        args,
        (
            (base, (*common, "USER 0", "WORKDIR /")),
            (f"{base}:latest", (*common, "USER 0", "WORKDIR /")),
            (f"{base}:nonroot", (*common, "USER 65532", "WORKDIR /home/nonroot")),
        ),
    )


def recipes_for(names: set[str], settings: Settings) -> list[Recipe]:
    recipes: dict[str, Recipe] = {}
    for name in sorted(names):
        if name.startswith("python:") and "slim" in name:
            recipes[name] = python_slim(name, settings)
        elif name.startswith("gcr.io/distroless/python3-debian12"):
            recipes["python3"] = distroless("python3")
        elif name.startswith("gcr.io/distroless/cc-debian12"):
            recipes["cc"] = distroless("cc")
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
        [DOCKER, "image", "inspect", "--format", '{{index .Config.Labels "dockwright.sandbox.recipe"}}', tag],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() if out.returncode == 0 else None


def rootfs_tarball(settings: Settings, recipe: Recipe) -> Path:
    """The recipe's root filesystem tarball in the cache, made with mmdebstrap when missing."""
    tarball = settings.cache / "rootfs" / f"{_digest(recipe)}.tar"
    if not tarball.exists():
        log(f"images: making the root filesystem for {recipe.tags[0][0]} (mmdebstrap)")
        tarball.parent.mkdir(parents=True, exist_ok=True)
        partial = tarball.with_suffix(".partial")
        subprocess.run(
            ["mmdebstrap", "--format=tar", *recipe.mmdebstrap, SUITE, str(partial)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        partial.rename(tarball)
    return tarball


def recipe_digest(recipe: Recipe) -> str:
    """The label value that marks an image made from this recipe (any engine)."""
    return _digest(recipe)


def ensure_images(settings: Settings, names: set[str]) -> None:
    recipes = recipes_for(names, settings)
    current = {f"{_digest(recipe)}.tar" for recipe in recipes}
    for stale in (settings.cache / "rootfs").glob("*.tar"):
        if stale.name not in current:
            stale.unlink()  # a root filesystem no recipe makes any more
    for recipe in recipes:
        digest = _digest(recipe)
        if all(_current_label(tag) == digest for tag, _ in recipe.tags):
            log(f"images: cached {', '.join(tag for tag, _ in recipe.tags)}")
            continue
        tarball = rootfs_tarball(settings, recipe)
        for tag, changes in recipe.tags:
            command = [DOCKER, "import"]
            for change in (*changes, f"LABEL dockwright.sandbox.recipe={digest}"):
                command += ["--change", change]
            subprocess.run([*command, str(tarball), tag], check=True, stdout=subprocess.DEVNULL)
            log(f"images: tagged {tag}")


def present_tags() -> list[str]:
    """Tags of sandbox-made images the engine holds now."""
    out = subprocess.run(
        [
            DOCKER,
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
    return sorted(line for line in out.stdout.split() if line.startswith(("python:", "gcr.io/distroless/")))
