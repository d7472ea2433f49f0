r"""## What it does
Finds package caches in the image: `~/.cache/pip`, `uv`, `pypoetry`, `poetry`, `pipenv`, `pdm`,
`pip-tools`; leftover `*.whl` files (beyond the interpreter's bundled ones and the wheels a package
ships inside its own folder as data, such as virtualenv's `seed/wheels/embed`); apt's package lists,
downloaded `.deb` archives and binary caches. FAIL from 64 KiB of caches or any leftover wheel,
WARN below.

## Why is this bad?
A cache is what the installer downloaded to build the image, not what the app runs: its bytes are
pulled by every deployment and never read. Removed in a later layer, they still ship in the layer
that wrote them.

## Example
```Dockerfile
RUN pip install -r requirements.txt
RUN apt-get update && apt-get install -y libpq5
```

## Use instead
```Dockerfile
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
```
"""

from __future__ import annotations

import re

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap, _ev
from dockwright.audit.image import FileEntry, ImageFacts
from dockwright.output import fmt_bytes

ID = "caches"
TITLE = "Prebuilt wheels, no package caches"
GROUP = "checklist"


_CACHE = re.compile(r"(?:^|/)\.cache/(pip|uv|pypoetry|poetry|pipenv|pdm|pip-tools)(?:/|$)")


_ALLOWED_WHEELS = ("/ensurepip/_bundled/", "usr/share/python-wheels/")


# Where apt leaves caches (first matching prefix wins); the official Debian images' docker-clean removes them.
_APT_CACHES = (
    ("var/lib/apt/lists/", "apt package lists"),
    ("var/cache/apt/archives/", "downloaded .deb archives"),
    ("var/cache/apt/", "apt binary caches (pkgcache.bin)"),
)


_SITE = re.compile(r"/(?:site|dist)-packages/")


def _package_data(path: str) -> bool:
    """A wheel inside a distribution's own folder of site-packages (``virtualenv/seed/wheels/embed/``):
    data the package reads at run time (virtualenv seeds new environments from it), not a leftover of
    the install; a wheel at the top of site-packages is one."""
    match = _SITE.search(path)
    return match is not None and "/" in path[match.end() :]


def check_caches(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Prebuilt wheels and no package caches: pip/uv/poetry caches, leftover *.whl, apt lists and caches."""
    title = "Prebuilt wheels, no package caches"
    caches: dict[str, list[FileEntry]] = {}
    wheels = []
    for entry in facts.regular_files():
        # the regex holds ".cache/" literally: the substring test first skips most files for less
        match = _CACHE.search(entry.path) if ".cache/" in entry.path else None
        if match:
            caches.setdefault(entry.path[: match.end(1)], []).append(entry)
        elif (
            entry.path.endswith(".whl")
            and not any(a in "/" + entry.path for a in _ALLOWED_WHEELS)
            and not _package_data(entry.path)
        ):
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
