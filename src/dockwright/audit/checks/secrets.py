"""## What it does
Looks inside the image's small files (under 64 KiB), in every layer, for private keys and tokens:
FAIL, with the layer as evidence; a file deleted or rewritten (a `chown -R`) by a later layer
counts, as its old copy still ships, and the evidence says which of the two.
Keys under a package's `tests` folder in site-packages (or `SelfTest`, pycryptodome's) and snakeoil
certificates are WARN, and so is an AWS access key id in the own files of a distribution installed
from an index (yt-dlp's extractors carry a site's public client key id): a key id names a key, the
secret key beside it is what signs, and the file is published on the index already. The same id in
the app's own files, in the project's own wheel or a git dependency (installed from a file, folder or
URL: PEP 610's `direct_url.json`), or any token or private key there, still fails. trivy reports such
an id wherever it is scanned; it skips site-packages only under the interpreter's own
`/usr/local/lib/pythonX.Y` (its "python" allow rule), where a venv-less `pip install` puts it.
What Debian's (or Alpine's) packages and the interpreter install is not searched (`/usr/share`,
`/usr/include`, `/usr/lib`, dpkg's database, the standard library under `/usr/local/lib/pythonX.Y`),
as trivy's built-in allow rules skip it, except installed distributions (`site-packages`) and files
named like keys (`*.pem`, `*.key`, `id_*`), which are searched wherever they are. Compiled
executables (ELF) are not searched: like trivy, the scan reads text files.

## Why is this bad?
A key in an image is published to everyone who can pull it, and a deleted file is still in the
layer that wrote it. Keys belong in build secrets (while building) or in the environment (at
run time).

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

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap
from dockwright.audit.checks.common import _in_site_packages, published_owner
from dockwright.audit.image import ImageFacts

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


def check_secrets(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Private keys and tokens in small files, in any layer (deleted later still ships in the layer)."""
    title = "No private keys or tokens"
    fail: list[Evidence] = []
    warn: list[Evidence] = []
    kinds: set[str] = set()  # what the warnings are, for the summary
    for hit in facts.secrets:
        detail = hit.kind + _hidden_how(facts, hit.path, hit.visible)
        published = published_owner(facts, hit.path) if hit.kind in _KEY_IDS else None
        if published:
            detail += (
                f" (in {published}'s own files, installed from an index: "
                "a published key id, not a secret key)"
            )
        ev = Evidence("/" + hit.path, hit.layer, hit.size, detail)
        test_key = (_in_site_packages(hit.path) and _TEST_FOLDER.search(hit.path)) or "snakeoil" in hit.path
        if test_key or published:
            kinds.add("test/snakeoil keys" if test_key else "published key ids")
            warn.append(ev)
        else:
            fail.append(ev)
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
        files = len({ev.path for ev in warn})
        copies = f" ({len(warn)} copies: rewritten in a later layer)" if files < len(warn) else ""
        return CheckResult(
            "secrets",
            title,
            Status.WARN,
            f"{files} {' or '.join(sorted(kinds, reverse=True))}{copies}",
            _cap(warn),
            "python",
        )
    return CheckResult("secrets", title, Status.PASS, "none found in files < 64 KiB", group="python")


def _hidden_how(facts: ImageFacts, path: str, visible: bool) -> str:
    """How a hit the final filesystem does not show got hidden: a file still at that path was
    rewritten by a later layer (a ``chown -R``, a reinstall); otherwise it was deleted."""
    if visible:
        return ""
    if path in facts.files:
        return " (rewritten later; this copy still ships)"
    return " (deleted later, still in the layer)"
