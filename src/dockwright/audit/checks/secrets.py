"""## What it does
Looks inside the image's small files (under 64 KiB), in every layer, for private keys and tokens,
and in its configuration: the environment (`ENV`) and the build history (a `RUN` records the build
arguments it used, `--build-arg TOKEN=...` included). Where a key sits decides how bad it is:

- **FAIL**: the app's own files (its tree, its config), the environment and the history; the
  project's own wheel or a git dependency (installed from a file, folder or URL: PEP 610's
  `direct_url.json`; or named by a `pyproject.toml` of the image); a distribution nothing in the
  image shows came from a package index (a wheel installed by name from a `--find-links` folder
  records no origin: the secure default); a file of an installed distribution whose content differs
  from the sha256 its `RECORD` gives (changed after install); any file no installed distribution
  lists. The evidence names the layer; a file deleted or rewritten (a `chown -R`) by a later layer
  counts, as its old copy still ships, and the evidence says which of the two.
- **WARN**: a file a distribution installed from an index lists in its `RECORD`, unchanged (its
  sha256 matches the `RECORD`'s). "From an index" is what a lock of the image shows (the app's tree
  copies it), or with `--context` the project's lock (a package project's image, dockwright's
  included, keeps none: its runtime has the venv only): a requirements file naming the distribution
  (at its version when pinned) with no `--find-links`/`--no-index`, a `uv.lock` registry source by
  URL, a `poetry.lock` or `pylock.toml` index package; and no build step or `ENV` of the image, nor a
  Dockerfile, `pip.conf`, `uv.toml` or `pyproject.toml` of the context, installing from a folder
  (`--find-links`, a flat index). A distribution installed from a file, folder or URL (PEP 610's
  `direct_url.json`) stays the project's own whatever a lock pins. A library's example or test key
  (autobahn's cryptosign docstring, Twisted's test certificates) is published on the index already,
  and the image leaks nothing that `pip download` does not; the evidence names the distribution.
  Scanners still report it, so it is worth knowing about. A file under a distribution's `tests`
  folder (or `SelfTest`) unchanged from its `RECORD` is WARN when nothing in the image shows where the
  distribution came from (an image whose lock stayed in the builder stage, as dockwright's): test
  material; the project's own distribution (installed from a file, or named by a `pyproject.toml`)
  still fails.
  Without a `RECORD` to compare with, keys
  under a package's `tests` folder in site-packages (or `SelfTest`, pycryptodome's), snakeoil
  certificates, and an AWS access key id in the own files of a distribution installed from an index
  (a key id names a key; the secret key beside it is what signs) are WARN too.

trivy reports such keys wherever it scans; it skips site-packages only under the interpreter's own
`/usr/local/lib/pythonX.Y` (its "python" allow rule), where a venv-less `pip install` puts it.
What Debian's (or Alpine's) packages and the interpreter install is not searched (`/usr/share`,
`/usr/include`, `/usr/lib`, dpkg's database, the standard library under `/usr/local/lib/pythonX.Y`),
as trivy's built-in allow rules skip it, except installed distributions (`site-packages`) and files
named like keys (`*.pem`, `*.key`, `id_*`), which are searched wherever they are. Compiled
executables (ELF) are not searched: like trivy, the scan reads text files.

With `--context PATH`, the project's own modules the image carries are read from the context as the
plan reads them (a setting given a literal secret, a value shaped like a key: the plan's warning) and
each is a WARN naming the line and the setting, never the value.

## Why is this bad?
A key in an image is published to everyone who can pull it: a deleted file is still in the
layer that wrote it, and `docker inspect` and `docker history` print the image's `ENV` and build
history. Keys belong in build secrets (while building) or in the environment given at run
time (`docker run -e`, the orchestrator's secrets), never in the image's own `ENV`.

## Example
```Dockerfile
COPY id_ed25519 /root/.ssh/id_ed25519
RUN pip install git+ssh://git@github.com/acme/private.git && rm /root/.ssh/id_ed25519
```

## Use instead
```Dockerfile
RUN --mount=type=ssh pip install git+ssh://git@github.com/acme/private.git
```
(`docker build --ssh default .`)
"""

from __future__ import annotations

import re
from pathlib import Path

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap
from dockwright.audit.checks.common import _in_site_packages
from dockwright.audit.checks.dist_info import record_owner
from dockwright.audit.checks.dist_origin import published_owner
from dockwright.audit.image import ImageFacts, SecretHit
from dockwright.audit.scan_worker import scan_secrets

# a package's test folder: `tests`, `test`, and pycryptodome's `SelfTest` (its self-test keys:
# https://www.pycryptodome.org/src/installation#testing)
_TEST_FOLDER = re.compile(r"/(tests?|SelfTest)/")

# Kinds that identify a key rather than being one: an AWS access key id (AKIA/ASIA...) is the public half
# of a key pair, sent in the clear with every signed request; the secret access key signs
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
_KEY_IDS = frozenset({"AWS access key id"})

ID = "secrets"
TITLE = "No private keys or tokens"
GROUP = "python"
READS_SECRETS = True  # ImageFacts.secrets: runs once the secret scan is done (registry.reads_secrets)

# why a distribution's file is its own (the secure default when nothing shows an index)
_NOT_PUBLISHED = {
    "file": "installed from a file, folder or URL: the project's own, not published",
    "own": "the project's own distribution (a pyproject.toml of the image names it), not published",
    "unknown": (
        "which no lock of the image (nor of --context) pins from a package index: a wheel installed by "
        "name from a --find-links folder records no origin, so it counts as the project's own"
    ),
}

# what the warnings are, for the summary (in this order)
_SHIPPED = "keys shipped unchanged by published distributions"
_TEST = "test/snakeoil keys"
_KEY_ID = "published key ids"
_LITERAL = "literal secrets of the project's modules (--context)"


def check_secrets(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Private keys and tokens in small files, in any layer (deleted later still ships in the layer),
    in the environment and in the build history; WARN only for what a published library ships."""
    title = "No private keys or tokens"
    fail: list[Evidence] = _in_config(facts)
    warn: list[Evidence] = []
    kinds: set[str] = set()
    shippers: set[str] = set()
    for hit in facts.secrets:
        why, detail, shipper = _judge(facts, hit, options.context)
        how = hit.kind + _hidden_how(facts, hit.path, hit.visible) + detail
        ev = Evidence("/" + hit.path, hit.layer, hit.size, how)
        if why is None:
            fail.append(ev)
            continue
        kinds.add(why)
        warn.append(ev)
        shippers.update([shipper] if shipper else [])
    if options.context is not None:  # the project's modules setting a secret to a literal (the plan's)
        from dockwright.audit.context_literals import context_literals  # loads the project's reader

        literals = context_literals(facts, options.context)
        warn += literals
        kinds.update([_LITERAL] if literals else [])
    if fail:
        return CheckResult(
            "secrets",
            title,
            Status.FAIL,
            f"{len(fail)} files or settings with keys or tokens",
            _cap(fail + warn),
            "python",
        )
    if warn:
        files = len({ev.path for ev in warn})
        copies = f" ({len(warn)} copies: rewritten in a later layer)" if files < len(warn) else ""
        what = " or ".join(k for k in (_SHIPPED, _TEST, _KEY_ID, _LITERAL) if k in kinds)
        by = f" ({', '.join(sorted(shippers))})" if shippers else ""
        return CheckResult("secrets", title, Status.WARN, f"{files} {what}{by}{copies}", _cap(warn), "python")
    return CheckResult(
        "secrets", title, Status.PASS, "none found in files < 64 KiB, ENV or history", group="python"
    )


def _judge(facts: ImageFacts, hit: SecretHit, context: Path | None) -> tuple[str | None, str, str]:
    """Why ``hit`` is only a warning (None: it fails), what the evidence adds about the file's owner,
    and the published distribution that ships it unchanged (else ""); ``context``: the project, whose
    locks show which distributions came from a package index (an image without a lock of its own)."""
    if not _in_site_packages(hit.path):
        return (_TEST if "snakeoil" in hit.path else None), "", ""
    owner = record_owner(facts, hit.path, context)
    if owner is not None and owner.sha256 and hit.sha256:
        if owner.sha256 == hit.sha256 and owner.published:
            detail = (
                f" (in {owner.dist}'s files, unchanged: its sha256 matches the RECORD of a "
                "distribution installed from an index, where it is public already)"
            )
            return _SHIPPED, detail, owner.dist
        if owner.sha256 == hit.sha256 and owner.origin == "unknown" and _TEST_FOLDER.search(hit.path):
            # a distribution's own test material, as it installed it, when nothing shows its origin (an
            # image whose lock stayed in the builder): the project's own (file, pyproject) still fails
            detail = f" (in {owner.dist}'s test files, unchanged: its sha256 matches the RECORD)"
            return _TEST, detail, ""
        if owner.sha256 != hit.sha256 and hit.visible:
            return (
                None,
                f" (in {owner.dist}'s files, changed after install: its sha256 differs from RECORD)",
                "",
            )
    if owner is not None and owner.origin in _NOT_PUBLISHED:
        return None, f" (in {owner.dist}, {_NOT_PUBLISHED[owner.origin]})", ""
    if _TEST_FOLDER.search(hit.path) or "snakeoil" in hit.path:
        return _TEST, "", ""
    published = published_owner(facts, hit.path, context) if hit.kind in _KEY_IDS else None
    if published:
        detail = (
            f" (in {published}'s own files, installed from an index: a published key id, not a secret key)"
        )
        return _KEY_ID, detail, ""
    return None, "", ""


# an ENV step, as BuildKit (`ENV K=V`) and the classic builder (`/bin/sh -c #(nop)  ENV K=V`) record it
_ENV_STEP = re.compile(r"\s*(?:/bin/sh -c #\(nop\)\s+)?ENV\s")


def _in_config(facts: ImageFacts) -> list[Evidence]:
    """Keys and tokens in the image's environment and in its build history (``RUN |1 TOKEN=... sh -c``:
    a build argument a step used; an ``ENV`` step is the environment's own, reported there)."""
    found: list[Evidence] = []
    for key, value in facts.config.env:
        kind = scan_secrets(f"{key}={value}".encode())
        if kind:
            found.append(
                Evidence(
                    f"ENV {key}", None, 0, f"{kind} (in the image's environment: docker inspect prints it)"
                )
            )
    for number, step in enumerate(facts.history, 1):
        kind = scan_secrets(step.created_by.encode())
        if kind and not _ENV_STEP.match(step.created_by):
            # the step is named by its number and instruction, never quoted: the quote would hold the key
            instruction = step.created_by.split(None, 1)[0] if step.created_by.strip() else "?"
            detail = f"{kind} (in the build history: docker history prints it; pass it as a build secret)"
            found.append(Evidence(f"history step {number} ({instruction})", step.layer, 0, detail))
    return found


def _hidden_how(facts: ImageFacts, path: str, visible: bool) -> str:
    """How a hit the final filesystem does not show got hidden: a file still at that path was
    rewritten by a later layer (a ``chown -R``, a reinstall); otherwise it was deleted."""
    if visible:
        return ""
    if path in facts.files:
        return " (rewritten later; this copy still ships)"
    return " (deleted later, still in the layer)"
