"""Certificate bundles a package ships as its data: public, so the build context keeps them.

What it does: in each package folder of the project (a folder with an ``__init__.py``: a vendored
``lib/certifi/``, the app's own ``certs/``), a file the secret patterns of the .dockerignore would drop
(``*.pem``, ``*.crt``, ``*.cer``; no other kind of file) whose content is certificates only (PEM
``CERTIFICATE``/``TRUSTED CERTIFICATE``/``X509 CRL`` blocks of base64, and blank or ``#`` lines
between them; any other line or block keeps it out) is a fact: the .dockerignore
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
from dockwright.project.metadata import TEST_DIRS
from dockwright.project.tree import ProjectTree
from dockwright.secrets import secret_match

MAX_BYTES = 4 * 1024 * 1024
_CERT_SUFFIXES = (".pem", ".crt", ".cer")  # certificate files only: never a dotenv, a key or a token file
# a PEM file of certificates only: each line a block delimiter with a certificate label, base64 inside a
# block, or blank or a comment outside one (certifi's bundle has "# Issuer: ..." lines); anything else in
# it (a key of any label, a password) keeps the file out
_BEGIN = re.compile(r"^-----BEGIN (CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL)-----$")
_END = re.compile(r"^-----END (CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL)-----$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/=]+$")


def public_certificates(tree: ProjectTree) -> tuple[Evidence, ...]:
    """The certificate-only files the secret patterns would drop from the project's package folders."""
    packages = sorted(
        folder
        for folder in {posixpath.dirname(p) for p in tree.python_files if p.endswith("__init__.py")}
        if not set(TEST_DIRS).intersection(
            folder.split("/")
        )  # a test suite's certificates: the app reads none
    )
    out: list[Evidence] = []
    for folder in packages:
        for name in tree.listdir(folder or "."):
            rel = f"{folder}/{name}" if folder else name
            if not name.lower().endswith(_CERT_SUFFIXES) or secret_match(rel) is None:
                continue
            if not tree.is_file(rel) or tree.size(rel) > MAX_BYTES:
                continue
            count = certificates_only(tree.read_bytes(rel))
            if count:
                out.append(Evidence(rel, None, f"{count} certificate(s), no private key: package data"))
    return tuple(out)


def certificates_only(data: bytes) -> int:
    """How many certificate blocks ``data`` holds when it holds nothing else (module doc), else 0."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    count, inside = 0, None
    for raw in text.splitlines():
        line = raw.strip()
        if inside is None:
            begin = _BEGIN.match(line)
            if begin:
                inside = begin.group(1)
            elif line and not line.startswith("#"):
                return 0
        elif (end := _END.match(line)) is not None:
            if end.group(1) != inside:
                return 0
            count, inside = count + 1, None
        elif not _BASE64.match(line):
            return 0
    return count if inside is None else 0
