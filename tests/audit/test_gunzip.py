"""Gzip layers (containerd image store, registries) read through isal when installed, else zlib: same facts."""

from __future__ import annotations

import gzip
import io

import pytest
from audit_images import F, Img, base_layer, oci_archive, with_gzip_blobs

from dockwright.audit import gunzip
from dockwright.audit.image import facts_from_archive


@pytest.fixture(params=["isal", "zlib"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "isal":
        pytest.importorskip("isal")
    else:
        monkeypatch.setattr(gunzip, "_igzip", lambda: None)  # as on a machine without an isal wheel
    return str(request.param)


def _table(archive: bytes) -> tuple[list[tuple[str, int]], list[tuple[int, int]]]:
    facts = facts_from_archive(io.BytesIO(archive), ref="demo:1")
    assert not facts.notes
    files = sorted((path, entry.size) for path, entry in facts.files.items())
    return files, [(layer.files, layer.size) for layer in facts.layers]


def test_both_readers_give_the_table_of_the_plain_layers(reader: str) -> None:
    img = Img([base_layer(), [F("opt/venv/lib/big.bin", 3_000_000), F("app/main.py", 120)]])
    assert _table(oci_archive(img)) == _table(oci_archive(img, compress=False))


def test_corrupt_deflate_data_is_a_note_with_either_reader(reader: str) -> None:
    whole = gzip.compress(bytes(range(256)) * 400, mtime=0)
    damaged = whole[:20] + b"\xff" * 64 + whole[84:]  # deflate blocks overwritten mid-stream
    archive = with_gzip_blobs(oci_archive(Img([base_layer()])), damaged)
    facts = facts_from_archive(io.BytesIO(archive))
    assert facts.notes and "layer 0" in facts.notes[0]
