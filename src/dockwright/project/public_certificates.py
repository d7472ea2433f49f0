"""Certificate bundles a package ships as its data: public, so the build context keeps them.

What it does: in each package folder of the project (a folder with an ``__init__.py``: a vendored
``lib/certifi/``, the app's own ``certs/``), a file the secret patterns of the .dockerignore would drop
(``*.pem``, ``*.crt``) whose content holds certificates only (PEM ``CERTIFICATE``/``TRUSTED
CERTIFICATE``/``X509 CRL`` blocks, no ``PRIVATE KEY`` and no other block) is a fact: the .dockerignore
re-includes it after the secret patterns (``plan/common.py``), with the reason. A file holding a
private key, or anything that is not PEM certificates, stays out.

Why: a vendored certifi's ``cacert.pem`` matched ``**/*.pem``, so the image had no CA bundle and the app
stopped at its first HTTPS call (``Could not find a suitable TLS CA certificate bundle``). A CA bundle
or a server's public certificate is published data, never a secret.
"""

from __future__ import annotations

import posixpath
import re

from dockwright.project.facts import Evidence
from dockwright.project.tree import ProjectTree
from dockwright.secrets import secret_match

MAX_BYTES = 4 * 1024 * 1024
_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_PUBLIC = frozenset({"CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CRL"})
_TESTS = frozenset({"test", "tests", "testing"})


def public_certificates(tree: ProjectTree) -> tuple[Evidence, ...]:
    """The certificate-only files the secret patterns would drop from the project's package folders."""
    packages = sorted(
        folder
        for folder in {posixpath.dirname(p) for p in tree.python_files if p.endswith("__init__.py")}
        if not _TESTS.intersection(folder.split("/"))  # a test suite's certificates: the app reads none
    )
    out: list[Evidence] = []
    for folder in packages:
        for name in tree.listdir(folder or "."):
            rel = f"{folder}/{name}" if folder else name
            if secret_match(rel) is None or not tree.is_file(rel) or tree.size(rel) > MAX_BYTES:
                continue
            blocks = _BLOCK.findall(tree.read_bytes(rel).decode("latin-1"))
            if blocks and set(blocks) <= _PUBLIC:
                out.append(Evidence(rel, None, f"{len(blocks)} certificate(s), no private key: package data"))
    return tuple(out)
