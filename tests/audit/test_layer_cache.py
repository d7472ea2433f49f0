"""The audit's layer cache: same facts with and without it, keyed by content, bounded, versioned."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path
from typing import IO, Any

import pytest
from audit_images import F, FakeEngine, Img, app_layer, base_layer, oci_archive, sha

from dockwright.audit import image as image_module
from dockwright.audit.audit import report_from_facts
from dockwright.audit.checks import CheckOptions
from dockwright.audit.image import ImageFacts, default_cache, read_image
from dockwright.audit.layer_cache import LayerCache, cache_root


class CountingEngine(FakeEngine):
    """Serves OCI archives with an inspect that names the layers (RootFS.Layers), like Docker's."""

    def __init__(self) -> None:
        super().__init__({})
        self.saved: list[str] = []

    def add(self, ref: str, img: Img, *, compress: bool = False, image_id: str = "") -> None:
        data = oci_archive(img, ref, compress=compress)
        diff_ids = [sha(tar) for tar in _layer_tars(img)]
        inspect = {
            "Id": image_id or sha(json.dumps(diff_ids).encode() + ref.encode()),
            "RepoTags": [ref],
            "Size": 0,
            "Config": img.config,
            "RootFS": {"Type": "layers", "Layers": diff_ids},
        }
        self.images[ref] = (data, inspect)

    def save(self, ref: str) -> IO[bytes]:
        self.saved.append(ref)
        return super().save(ref)


def _layer_tars(img: Img) -> list[bytes]:
    from audit_images import layer_tar

    return [layer_tar(layer) for layer in img.layers]


def _report(facts: ImageFacts) -> dict[str, Any]:
    data = report_from_facts(facts, CheckOptions()).to_dict()
    data.pop("seconds"), data["image"].pop("layers_read")  # how long, and from where
    return data


def _facts_equal(a: ImageFacts, b: ImageFacts) -> None:
    assert a == b  # what they say (``layers_read`` is not compared)
    assert dataclasses.asdict(a) | {"layers_read": ""} == dataclasses.asdict(b) | {"layers_read": ""}
    assert list(a.files) == list(b.files)  # the same order too (reports sort, but not everything)
    assert _report(a) == _report(b)


def _img_with_secret() -> Img:
    extra = [
        F("app/key.pem", b"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"),
        F("app/old.txt", b"x" * 5000),
        F("app/.wh.gone"),
    ]
    return Img([base_layer(), app_layer() + extra, [F("app/old.txt", kind="whiteout")]])


def test_cache_root_follows_the_environment(tmp_path: Path) -> None:
    assert cache_root({"DOCKWRIGHT_AUDIT_CACHE": "off"}) is None
    assert cache_root({"DOCKWRIGHT_AUDIT_CACHE": str(tmp_path)}) == tmp_path
    assert cache_root({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "dockwright" / "audit"


@pytest.mark.parametrize("inventory", [False, True])
def test_facts_are_the_same_cold_warm_and_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inventory: bool
) -> None:
    engine = CountingEngine()
    engine.add("demo:1", _img_with_secret())
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", "off")
    assert default_cache() is None
    plain = read_image(engine, "demo:1", inventory=inventory)  # no cache
    cache = LayerCache(tmp_path, "vtest")
    cold = read_image(engine, "demo:1", inventory=inventory, cache=cache)
    warm = read_image(engine, "demo:1", inventory=inventory, cache=cache)
    assert engine.saved == ["demo:1", "demo:1"], "the warm read saves nothing"
    assert plain.secrets and plain.hidden
    _facts_equal(plain, cold)
    _facts_equal(plain, warm)


def test_a_new_image_on_a_known_base_parses_only_its_own_layers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = CountingEngine()
    engine.add("base:1", Img([base_layer()]))
    engine.add("app:1", _img_with_secret())
    cache = LayerCache(tmp_path, "vtest")
    read_image(engine, "base:1", cache=cache)
    parsed: list[int] = []
    real = image_module._read_layer

    def counting(stream: IO[bytes], table: Any, *scanner: Any) -> None:
        parsed.append(1)
        real(stream, table, *scanner)

    monkeypatch.setattr(image_module, "_read_layer", counting)
    facts = read_image(engine, "app:1", cache=cache)
    assert len(parsed) == 2, "the base layer came from the cache"
    monkeypatch.setattr(image_module, "_read_layer", real)
    _facts_equal(facts, read_image(engine, "app:1", cache=None))


def test_compressed_blobs_are_keyed_by_blob_digest_and_diff_id(tmp_path: Path) -> None:
    engine = CountingEngine()
    img = _img_with_secret()
    engine.add("gz:1", img, compress=True)
    cache = LayerCache(tmp_path, "vtest")
    cold = read_image(engine, "gz:1", cache=cache)
    stored = {p.name for p in (tmp_path / "vtest" / "layer").iterdir()}
    for tar in _layer_tars(img):
        assert "sha256-" + sha(tar).split(":")[1] + ".json" in stored  # diff id
    assert len(stored) == 2 * len(img.layers)  # and the gzip blob's own digest
    _facts_equal(cold, read_image(engine, "gz:1", cache=cache))


def test_the_image_entry_needs_the_same_id_and_diff_ids(tmp_path: Path) -> None:
    engine = CountingEngine()
    engine.add("demo:1", _img_with_secret(), image_id=sha(b"one"))
    cache = LayerCache(tmp_path, "vtest")
    read_image(engine, "demo:1", cache=cache)
    data, inspect = engine.images["demo:1"]
    other = {**inspect, "RootFS": {"Layers": inspect["RootFS"]["Layers"][:-1]}}
    engine.images["demo:1"] = (data, other)
    read_image(engine, "demo:1", cache=cache)
    assert engine.saved == ["demo:1", "demo:1"], "diff ids differ: saved again"
    engine.images["demo:1"] = (data, {**inspect, "Id": sha(b"two")})
    read_image(engine, "demo:1", cache=cache)
    assert len(engine.saved) == 3, "another id: saved again"


def test_a_new_fingerprint_or_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    engine = CountingEngine()
    img = _img_with_secret()
    engine.add("demo:1", img)
    read_image(engine, "demo:1", cache=LayerCache(tmp_path, "vone"))
    read_image(engine, "demo:1", cache=LayerCache(tmp_path, "vtwo"))
    assert len(engine.saved) == 2, "another analysis fingerprint shares nothing"
    for entry in (tmp_path / "vtwo").rglob("*.json"):
        entry.write_text('{"entries": [["x"]]}' if "layer" in entry.parts else "[]")
    facts = read_image(engine, "demo:1", cache=LayerCache(tmp_path, "vtwo"))
    assert len(engine.saved) == 3
    _facts_equal(facts, read_image(engine, "demo:1", cache=None))


def test_the_fingerprint_follows_the_table_format(monkeypatch: pytest.MonkeyPatch) -> None:
    before = image_module.analysis_fingerprint()
    monkeypatch.setattr(image_module, "TABLE_FORMAT", image_module.TABLE_FORMAT + 1)
    assert image_module.analysis_fingerprint() != before
    monkeypatch.setattr(image_module, "SMALL_FILE", image_module.SMALL_FILE * 2)
    assert len({before, image_module.analysis_fingerprint()}) == 2


def test_store_load_and_prune_least_recently_used(tmp_path: Path) -> None:
    cache = LayerCache(tmp_path, "vtest", max_bytes=3000)
    assert cache.load("layer", "sha256:" + "0" * 64) is None
    cache.store("layer", "../../etc/passwd", {"x": 1})  # not a digest: never a path
    assert not list(tmp_path.rglob("*.json"))
    keys = ["sha256:" + str(n) * 64 for n in range(5)]
    for number, key in enumerate(keys):
        cache.store("layer", key, {"pad": "x" * 900})
        path = next(tmp_path.rglob(f"*{key[7:]}.json"))
        os.utime(path, (1000 + number, 1000 + number))
    assert cache.load("layer", keys[0]) == {"pad": "x" * 900}  # used now: kept
    cache.prune()
    left = {p.name for p in tmp_path.rglob("*.json")}
    assert sum(p.stat().st_size for p in tmp_path.rglob("*.json")) <= 3000
    assert f"sha256-{keys[0][7:]}.json" in left and f"sha256-{keys[1][7:]}.json" not in left


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    engine = CountingEngine()
    engine.add("demo:1", _img_with_secret())
    facts = read_image(engine, "demo:1", cache=LayerCache(blocker, "vtest"))
    _facts_equal(facts, read_image(engine, "demo:1", cache=None))


def test_facts_from_an_archive_use_no_cache() -> None:
    img = _img_with_secret()
    facts = image_module.facts_from_archive(io.BytesIO(oci_archive(img, "demo:1")), ref="demo:1")
    assert facts.secrets and len(facts.layers) == 3


class ClosingStream(io.BytesIO):
    closed_by_reader = False

    def close(self) -> None:
        ClosingStream.closed_by_reader = True
        super().close()


class OrderEngine(CountingEngine):
    """Records the order of inspect and save; its save stream records being closed."""

    def save(self, ref: str) -> IO[bytes]:
        self.saved.append(ref)
        self.calls.append(f"save {ref}")
        return ClosingStream(self._get(ref)[0])


def test_a_new_name_is_saved_before_the_inspect_and_a_known_one_after(tmp_path: Path) -> None:
    engine = OrderEngine()
    engine.add("demo:1", _img_with_secret())
    cache = LayerCache(tmp_path, "vtest")
    read_image(engine, "demo:1", cache=cache)
    assert engine.calls == ["save demo:1", "inspect demo:1"], "the export starts first"
    engine.calls.clear()
    read_image(engine, "demo:1", cache=cache)
    assert engine.calls == ["inspect demo:1"], "seen before: inspected first, read from the cache"
    engine.add("demo:1", Img([base_layer()]), image_id="sha256:" + "e" * 64)  # rebuilt under that name
    engine.calls.clear()
    read_image(engine, "demo:1", cache=cache)
    assert engine.calls == ["inspect demo:1", "save demo:1"]


def test_an_image_cached_under_another_name_stops_the_early_save(tmp_path: Path) -> None:
    engine = OrderEngine()
    engine.add("demo:1", _img_with_secret(), image_id="sha256:" + "a" * 64)
    cache = LayerCache(tmp_path, "vtest")
    first = read_image(engine, "demo:1", cache=cache)
    engine.images["alias:2"] = engine.images["demo:1"]
    ClosingStream.closed_by_reader = False
    engine.calls.clear()
    again = read_image(engine, "alias:2", cache=cache)
    assert engine.calls == ["save alias:2", "inspect alias:2"]
    assert ClosingStream.closed_by_reader, "the unread save is closed"
    _facts_equal(dataclasses.replace(first, ref="alias:2"), again)


def test_a_missing_image_is_the_inspects_error(tmp_path: Path) -> None:
    from dockwright.errors import EngineError

    engine = OrderEngine()
    with pytest.raises(EngineError) as caught:
        read_image(engine, "nope:1", cache=LayerCache(tmp_path, "vtest"))
    assert engine.calls[-1] == "inspect nope:1"
    assert str(caught.value) == "no such image: nope:1"  # the fake's inspect error


def test_run_audit_starts_the_save_first_and_closes_it_on_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit asks for a new name's export before anything else (prefetch.start_save), a name
    audited before is inspected first, and a save started before an input error is stopped."""
    from dockwright.audit.audit import run_audit
    from dockwright.errors import ConfigError

    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", str(tmp_path / "cache"))
    engine = OrderEngine()
    engine.add("demo:1", _img_with_secret())
    first = run_audit("demo:1", engine)
    assert engine.calls == ["save demo:1", "inspect demo:1"]
    engine.calls.clear()
    again = run_audit("demo:1", engine)
    assert engine.calls == ["inspect demo:1"], "seen before: inspected first, read from the cache"
    assert dataclasses.replace(again, seconds=0) == dataclasses.replace(first, seconds=0)
    engine.add("other:1", _img_with_secret())
    ClosingStream.closed_by_reader = False
    with pytest.raises(ConfigError):
        run_audit("other:1", engine, max_size_mb=-1)
    assert engine.calls[-1] == "save other:1" and ClosingStream.closed_by_reader


def test_a_served_audit_stores_its_tables_after_its_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a served child the cache's work waits until the client has its answer
    (``daemon_client.after_answer``): no table is encoded while the save streams, none is stored
    before the answer, and the next audit finds all of them."""
    from dockwright import daemon_client

    monkeypatch.setattr(daemon_client, "_inside", [99])  # a served child: its copy of the connection
    monkeypatch.setattr(daemon_client, "_after", [])
    encoded: list[object] = []
    real_encode = image_module._encode_table
    monkeypatch.setattr(
        image_module, "_encode_table", lambda table: encoded.append(table) or real_encode(table)
    )
    engine = CountingEngine()
    engine.add("demo:1", _img_with_secret())
    cache = LayerCache(tmp_path, "vtest")
    cold = read_image(engine, "demo:1", cache=cache)
    assert not encoded, "nothing is encoded before the answer"
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "nothing is stored before the answer"
    daemon_client.run_after_answer()
    assert encoded and [p for p in tmp_path.rglob("*") if p.is_file()]
    warm = read_image(engine, "demo:1", cache=cache)
    assert engine.saved == ["demo:1"], "the next audit reads the cache"
    _facts_equal(cold, warm)
