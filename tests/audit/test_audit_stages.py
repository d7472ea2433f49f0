"""The audit in two stages: the checks that do not read the secret scan's hits run while the scan's
worker finishes, and the report is the same as the one made from the whole facts."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import threading
from typing import Any

import pytest
from audit_images import F, Img, base_layer, serve

from dockwright.audit import secret_scan
from dockwright.audit.audit import report_from_facts, run_audit
from dockwright.audit.checks import CHECKS, CheckOptions, reads_secrets, run_checks
from dockwright.audit.checks.common import _dir_totals, dir_totals, share_readings
from dockwright.audit.image import FileEntry, ImageFacts, read_image, read_image_stages
from dockwright.audit.scan_worker import FRAME
from dockwright.audit.secret_scan import WorkerScanner, _Batches, _scan_batch

PEM = b"-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n"


def _image() -> Img:
    return Img(
        [
            [
                *base_layer(),
                F("app/id_rsa", PEM),
                F("app/.env", b"AWS=AKIAABCDEFGHIJKLMNOP\n"),
                F("app/settings.py", b"TOKEN='ghp_" + b"a" * 36 + b"'\n"),
                F("app/.git/HEAD", b"ref: refs/heads/main\n"),
                F("root/.cache/pip/http/x", b"x" * 100),
            ],
            [F("app/id_rsa", kind="whiteout")],
        ]
    )


def _worker_or_skip() -> None:
    probe = WorkerScanner.start()
    if probe is None:
        pytest.skip("one core: the scan runs inline, in one stage")
    probe.close()


def test_with_a_worker_the_first_stage_waits_for_the_scan_and_the_second_is_whole() -> None:
    _worker_or_skip()
    engine = serve(_image())
    with contextlib.closing(read_image_stages(engine, "demo:1", cache=None)) as stages:
        early = next(stages)
        whole = next(stages)
        assert next(stages, None) is None
    assert early.secrets_pending and early.secrets == ()
    assert not whole.secrets_pending
    assert whole.files is early.files
    assert {(s.path, s.kind, s.visible) for s in whole.secrets} == {
        ("app/id_rsa", "private key", False),
        ("app/.env", "AWS access key id", True),
        ("app/settings.py", "GitHub token", True),
    }
    assert whole == read_image(serve(_image()), "demo:1", cache=None)


def test_the_report_of_two_stages_is_the_report_of_the_whole_facts() -> None:
    _worker_or_skip()
    with contextlib.closing(read_image_stages(serve(_image()), "demo:1", cache=None)) as stages:
        early = next(stages)
        staged = report_from_facts(early, CheckOptions(), complete=lambda: next(stages))
    whole = read_image(serve(_image()), "demo:1", cache=None)
    assert staged == report_from_facts(whole, CheckOptions())
    assert {c.id: c.status.value for c in staged.checks}["secrets"] == "FAIL"
    assert run_audit("demo:1", serve(_image())).to_dict() | {"seconds": 0} == staged.to_dict() | {
        "seconds": 0
    }


def test_pending_facts_need_their_complete_stage() -> None:
    whole = read_image(serve(_image()), "demo:1", cache=None)
    pending = dataclasses.replace(whole, secrets=(), secrets_pending=True)
    with pytest.raises(ValueError, match="complete"):
        report_from_facts(pending, CheckOptions())
    with pytest.raises(ValueError, match="secret scan"):
        run_checks(pending, CheckOptions(), [c for c in CHECKS if reads_secrets(c)])


def test_only_the_checks_that_say_so_read_the_secret_scans_hits() -> None:
    whole = read_image(serve(_image()), "demo:1", cache=None)
    assert whole.secrets
    without = dataclasses.replace(whole, secrets=())
    readers = [check for check in CHECKS if reads_secrets(check)]
    assert {check.__name__ for check in readers} == {"check_secrets", "check_dotfiles"}
    others = [check for check in CHECKS if not reads_secrets(check)]
    assert run_checks(whole, CheckOptions(), others) == run_checks(without, CheckOptions(), others)
    assert run_checks(whole, CheckOptions(), readers) != run_checks(without, CheckOptions(), readers)


def test_readings_of_the_early_facts_serve_the_whole_ones() -> None:
    whole = read_image(serve(_image()), "demo:1", cache=None)
    early = dataclasses.replace(whole, secrets=(), secrets_pending=True)
    totals = dir_totals(early)
    share_readings(early, whole)
    assert dir_totals(whole) is totals
    other = dataclasses.replace(whole, files=dict(whole.files))  # another table: not shared
    share_readings(early, other)
    assert dir_totals(other) is not totals and dir_totals(other) == totals


def test_batches_go_to_the_writer_from_the_front_and_to_the_audit_from_the_back() -> None:
    batches = _Batches(depth=4)
    for number in range(3):
        batches.put([FRAME.pack(number, 1), b"x"])
    assert batches.take() == [FRAME.pack(0, 1), b"x"]
    assert batches.take_last() == [FRAME.pack(2, 1), b"x"]
    batches.end()
    assert batches.take() == [FRAME.pack(1, 1), b"x"]
    assert batches.take() is None and batches.take_last() is None


def test_a_full_queue_waits_for_the_writer() -> None:
    batches = _Batches(depth=1)
    batches.put([b"a"])
    done = threading.Event()
    putter = threading.Thread(target=lambda: (batches.put([b"b"]), done.set()))
    putter.start()
    assert not done.wait(0.05)
    assert batches.take() == [b"a"]
    putter.join(5)
    assert done.is_set() and batches.take_last() == [b"b"]


def test_a_batch_scanned_in_the_audit_answers_as_the_worker_would() -> None:
    parts = [FRAME.pack(7, len(PEM)), PEM, FRAME.pack(8, 3), b"abc", FRAME.pack(9, 0), b""]
    assert _scan_batch(parts) == [(7, hashlib.sha256(PEM).hexdigest(), "private key")]


def test_the_audit_scans_the_batches_the_worker_has_not_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that has not sent anything yet: ``finish`` scans every batch itself, and the hits
    are those of the worker, in the order given."""
    _worker_or_skip()
    monkeypatch.setattr(secret_scan, "BATCH", 64)
    scanner = WorkerScanner.start()
    assert scanner is not None
    hold = threading.Event()
    original = secret_scan._write_all
    monkeypatch.setattr(secret_scan, "_write_all", lambda fd, parts: (hold.wait(5), original(fd, parts)))
    hits: list[tuple[str, str, int, str]] = []
    for number in range(20):
        data = PEM if number % 3 == 0 else b"nothing %d" % number
        scanner.submit(hits, f"f{number}", len(data), data)
    scanner.end_input()
    threading.Timer(0.2, hold.set).start()
    scanner.finish()
    scanner.close()
    digest = hashlib.sha256(PEM).hexdigest()
    assert hits == [(f"f{n}", "private key", len(PEM), digest) for n in range(0, 20, 3)]


def _dir_totals_per_file(facts: ImageFacts) -> dict[str, tuple[int, int, FileEntry]]:
    """The reference: each file added to every folder above it, in the order of the file table."""
    totals: dict[str, list[Any]] = {}
    for entry in facts.regular_files():
        at = entry.path.find("/")
        while at >= 0:
            row = totals.setdefault(entry.path[:at], [0, 0, entry])
            row[0] += entry.size
            row[1] += 1
            if entry.size > row[2].size:
                row[2] = entry
            at = entry.path.find("/", at + 1)
    return {folder: (row[0], row[1], row[2]) for folder, row in totals.items()}


def test_folder_totals_summed_by_folder_are_those_of_the_per_file_walk() -> None:
    files = [
        F("top.txt", b"t" * 9),
        F("a/b/c/one", b"1" * 5),
        F("a/x", b"2" * 5),  # as large as a/b/c/one, met later: a's largest stays a/b/c/one
        F("a/b/two", b"3" * 7),
        F("z/y/big", b"4" * 50),
        F("a/b/c/three", b"5" * 7),  # as large as a/b/two, met later
        F("a//odd", b"6" * 1),
        F("z/y/empty", b""),
    ]
    facts = read_image(serve(Img([[*base_layer(), *files]])), "demo:1", cache=None)
    expected = _dir_totals_per_file(facts)
    totals = _dir_totals(facts)
    assert list(totals) == list(expected)
    assert {k: (s, n, e.path) for k, (s, n, e) in totals.items()} == {
        k: (s, n, e.path) for k, (s, n, e) in expected.items()
    }
    assert totals["a"][2].path == "a/b/two" and totals["a/b"][2].path == "a/b/two"
