"""The secret patterns, their scan, and the worker process that runs it beside the audit.

This module imports nothing but ``re``, ``struct`` and ``sys``: the audit runs it as a script by its
path (``python -I -S .../scan_worker.py``), without site-packages or the dockwright package, so the
worker starts in ~10 ms of CPU while the engine prepares the export. :mod:`dockwright.audit.secret_scan`
feeds it.

Protocol: stdin carries frames (``<II``: a sequence number and a length, then that many bytes, one
file's head) until EOF; then the worker writes one line per file that holds a secret
(``SEQUENCE SHA256 KIND``: the file's sha256 in hex, which the audit compares with the ``RECORD`` of
the distribution that installed it) and exits 0.
"""

from __future__ import annotations

import re
import struct
import sys

TYPE_CHECKING = False  # typing itself is not imported: ~5 ms of the worker's start
if TYPE_CHECKING:
    from typing import IO

# Secret patterns: a cheap substring prefilter (in scan_secrets), then a regex for the kind.
SECRET_PATTERNS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    # a PEM block: the marker on a line of its own (a library naming the marker in a string literal,
    # e.g. cryptography's OpenSSH parser, is not a key)
    ("private key", re.compile(rb"(?m)^[ \t]*-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[ \t]*\r?$")),
    # AWS's documentation placeholders end in EXAMPLE (AKIAIOSFODNN7EXAMPLE, in SDK docstrings such as
    # twilio's): not keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html;
    # gitleaks' aws-access-token rule allows `.+EXAMPLE$` the same way)
    ("AWS access key id", re.compile(rb"\b(?:AKIA|ASIA)(?![0-9A-Z]{9}EXAMPLE\b)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(rb"\b(?:ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\b")),
    ("Slack token", re.compile(rb"\bxox[baprs]-[A-Za-z0-9-]{10,}")),
    ("GitLab token", re.compile(rb"\bglpat-[A-Za-z0-9_-]{20}\b")),
)

FRAME = struct.Struct("<II")
BATCH = 1 << 20


def scan_secrets(data: bytes) -> str | None:
    """The kind of the first secret pattern ``data`` holds, else None."""
    # unrolled: this runs for every small file of the image
    if not (
        b"PRIVATE KEY-----" in data
        or b"AKIA" in data
        or b"ASIA" in data
        or b"ghp_" in data
        or b"github_pat_" in data
        or b"xox" in data
        or b"glpat-" in data
    ):
        return None
    for kind, pattern in SECRET_PATTERNS:
        if pattern.search(data):
            return kind
    return None


def hit_digest(data: bytes) -> str:
    """The sha256 (hex) of a file that holds a secret (hits are rare: hashlib is imported on the first)."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """Scan the framed files of ``source`` (a buffered reader: ``read(n)`` returns ``n`` bytes until
    its end) to its end, then write the hits to ``sink``."""
    found: list[str] = []  # held to the end: a pipe full of hits would block the audit's writer
    read = source.read
    while header := read(FRAME.size):
        if len(header) < FRAME.size:
            raise SystemExit("secret scan worker: input ends inside a frame")
        sequence, length = FRAME.unpack(header)
        data = read(length)
        if len(data) < length:
            raise SystemExit("secret scan worker: input ends inside a frame")
        kind = scan_secrets(data)
        if kind:
            found.append(f"{sequence} {hit_digest(data)} {kind}\n")
    sink.write("".join(found).encode("ascii"))
    sink.flush()


if __name__ == "__main__":
    with open(sys.stdin.fileno(), "rb", buffering=BATCH, closefd=False) as stdin:
        serve(stdin, sys.stdout.buffer)
