"""The secret scan in a worker process files the same hits, in the same order, as the scan inline."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from typing import Any

import pytest

from dockwright.audit import secret_scan
from dockwright.audit.scan_worker import FRAME, scan_secrets, serve
from dockwright.audit.secret_scan import Hits, InlineScanner, Scanner, ScanWorkerError, WorkerScanner

KEY = b"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"
FILES: list[tuple[str, bytes]] = [
    ("etc/ssl/private/server.key", KEY),
    ("app/settings.py", b"AWS = 'AKIAQ3EGRT5LXN2WV7HZ'\n"),
    ("app/plain.py", b"print('hello')\n" * 2000),  # ~30 kB, nothing in it
    ("app/.tokens", b"token = ghp_" + b"a" * 36 + b"\n"),
    ("usr/lib/python3/tz.py", b"ASIA = 'Asia/Tokyo'\n"),  # the prefilter passes, no key
    ("app/slack.txt", b"xoxb-1234567890-abcdef\n"),
    ("app/empty", b""),
    ("app/gitlab", b"glpat-" + b"x" * 20 + b"\n"),
]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _scan(scanner: Scanner, copies: int = 1) -> list[Hits]:
    tables: list[Hits] = [[], []]
    for number in range(copies):
        for index, (path, data) in enumerate(FILES):
            scanner.submit(tables[index % 2], f"{number}/{path}", len(data), data)
    scanner.finish()
    scanner.close()
    return tables


def _worker() -> WorkerScanner:
    scanner = WorkerScanner.start()
    if scanner is None:
        pytest.skip("one core: no worker")
    return scanner


def test_the_worker_files_the_inline_hits_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_scan, "BATCH", 4096)  # many batches, frames across the worker's reads
    inline = _scan(InlineScanner(), copies=40)
    assert sum(map(len, inline)) == 5 * 40
    assert inline[0][:2] == [
        ("0/etc/ssl/private/server.key", "private key", len(KEY), _sha(KEY)),
        ("1/etc/ssl/private/server.key", "private key", len(KEY), _sha(KEY)),
    ]
    assert [hit[1] for hit in inline[1][:4]] == [
        "AWS access key id",
        "GitHub token",
        "Slack token",
        "GitLab token",
    ]
    assert _scan(_worker(), copies=40) == inline


def test_the_hits_name_each_kind() -> None:
    kinds = [scan_secrets(data) for _, data in FILES]
    assert kinds == [
        "private key",
        "AWS access key id",
        None,
        "GitHub token",
        None,
        "Slack token",
        None,
        "GitLab token",
    ]


def test_a_worker_given_nothing_finds_nothing() -> None:
    scanner = _worker()
    scanner.finish()
    scanner.close()


def test_an_unused_worker_is_stopped() -> None:
    scanner = _worker()
    scanner.submit([], "a", 3, b"abc")
    scanner.close()  # no finish: the audit took the image from its cache


class _Trickle(io.RawIOBase):
    """A pipe that returns at most 5 bytes a read."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk, self._data = self._data[:5], self._data[5:]
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_the_worker_reads_frames_split_across_reads() -> None:
    frames = b"".join(FRAME.pack(n, len(d)) + d for n, (_, d) in enumerate(FILES))
    out = io.BytesIO()
    serve(io.BufferedReader(_Trickle(frames), buffer_size=16), out)
    kinds = {0: "private key", 1: "AWS access key id", 3: "GitHub token", 5: "Slack token", 7: "GitLab token"}
    assert out.getvalue().decode() == "".join(
        f"{n} {_sha(FILES[n][1])} {kind}\n" for n, kind in kinds.items()
    )


def test_input_cut_inside_a_frame_fails_the_worker() -> None:
    with pytest.raises(SystemExit):
        serve(io.BytesIO(FRAME.pack(0, 10) + b"abc"), io.BytesIO())


def _fake(code: str) -> WorkerScanner:
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
    )
    return WorkerScanner(process)


def test_a_worker_that_dies_is_an_error_not_missing_findings() -> None:
    scanner = _fake("import sys; sys.exit(3)")
    scanner.submit([], "app/key", len(KEY), KEY)
    with pytest.raises(ScanWorkerError, match="exit code 3"):
        scanner.finish()
    scanner.close()


@pytest.mark.parametrize("answer", ["7 private key", "0 a kind of its own", "zero private key"])
def test_a_worker_answering_nonsense_is_an_error(answer: str) -> None:
    scanner = _fake(f"import sys; sys.stdin.buffer.read(); print({answer!r})")
    scanner.submit([], "app/key", len(KEY), KEY)
    with pytest.raises(ScanWorkerError, match="answered"):
        scanner.finish()
    scanner.close()


def test_aws_documentation_placeholders_are_not_keys() -> None:
    doc = b"credentials like `AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`\n"
    assert scan_secrets(doc) is None
    assert scan_secrets(b"session ASIAJEXAMPLEXEG2JI7Q\n") is not None  # EXAMPLE not at the end
    assert scan_secrets(b"key = AKIAQ3EGRT5LXN2WV7HZ\n") == "AWS access key id"
