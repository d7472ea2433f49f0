"""The audit reads Docker's unpacked layer folders instead of a save, where it may, with the same result.

Unit tests build a fake data root (image database, layer database, overlay2 folders) and check every
condition :func:`store_layers` verifies; the engine tests load a crafted image (whiteouts, an opaque
folder, hard links, setuid, symlinks, a key) into the real engine and compare the folder read with the
save's, table by table and report by report.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.audit.audit_images import F, Img, base_layer, legacy_archive

from dockwright.audit import image as audit_image
from dockwright.audit.folder_walk import walk_folder
from dockwright.audit.prefetch import folders_likely
from dockwright.engine import store_folders
from dockwright.engine.store_folders import StoreLayers, store_layers

# ---------------------------------------------------------------------------------------------------
# a fake data root


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fake_store(tmp_path: Path, layers: int = 3) -> tuple[Path, dict[str, Any]]:
    """A data root holding one image of ``layers`` layers, and the inspect Docker gives for it."""
    root = tmp_path / "data-root"
    images = root / "image" / "overlay2"
    diff_ids = [f"sha256:{_sha(f'layer {i}'.encode())}" for i in range(layers)]
    config = json.dumps({"rootfs": {"type": "layers", "diff_ids": diff_ids}, "config": {}}).encode()
    image_hex = _sha(config)
    (images / "imagedb" / "content" / "sha256").mkdir(parents=True)
    (images / "imagedb" / "content" / "sha256" / image_hex).write_bytes(config)
    chain = ""
    folders = []
    for index, diff_id in enumerate(diff_ids):
        chain = diff_id if not chain else "sha256:" + _sha(f"{chain} {diff_id}".encode())
        entry = images / "layerdb" / "sha256" / chain.split(":")[1]
        entry.mkdir(parents=True)
        (entry / "diff").write_text(diff_id)
        (entry / "cache-id").write_text(f"cache{index}")
        folder = root / "overlay2" / f"cache{index}" / "diff"
        (folder / f"layer{index}").mkdir(parents=True)
        folders.append(str(folder))
    inspect = {
        "Id": f"sha256:{image_hex}",
        "RootFS": {"Layers": diff_ids},
        "GraphDriver": {
            "Name": "overlay2",
            "Data": {"UpperDir": folders[-1], "LowerDir": ":".join(reversed(folders[:-1]))},
        },
    }
    return root, inspect


@pytest.fixture
def native_overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    parameters = tmp_path / "parameters"
    parameters.mkdir()
    (parameters / "metacopy").write_text("N\n")
    (parameters / "redirect_dir").write_text("N\n")
    monkeypatch.setattr(store_folders, "_OVERLAY_PARAMETERS", parameters)
    monkeypatch.delenv("DOCKWRIGHT_AUDIT_FOLDERS", raising=False)
    if os.geteuid() != 0:  # the store must be root's: a fake one is the test user's
        real_stat = Path.stat
        monkeypatch.setattr(
            Path,
            "stat",
            lambda self, **kw: (
                os.stat_result((0o40755, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                if self.name == "data-root"
                else real_stat(self, **kw)
            ),
        )
    return parameters


def test_a_verified_store_gives_the_layer_database_folders_lowest_first(
    tmp_path: Path, native_overlay: Path
) -> None:
    _, inspect = _fake_store(tmp_path)
    layers = store_layers(inspect)
    assert layers is not None
    assert [f.parent.name for f in layers.folders] == ["cache0", "cache1", "cache2"]
    assert layers.diff_ids == tuple(inspect["RootFS"]["Layers"])
    assert _sha(layers.config) == inspect["Id"].split(":")[1]


def test_a_single_layer_image_has_no_lower_folders(tmp_path: Path, native_overlay: Path) -> None:
    _, inspect = _fake_store(tmp_path, layers=1)
    del inspect["GraphDriver"]["Data"]["LowerDir"]
    layers = store_layers(inspect)
    assert layers is not None and len(layers.folders) == 1


def test_lower_folders_named_differently_are_not_read(tmp_path: Path, native_overlay: Path) -> None:
    """BuildKit may mount another copy of a layer the database holds: the save reads the database's."""
    _, inspect = _fake_store(tmp_path)
    inspect["GraphDriver"]["Data"]["LowerDir"] = "/elsewhere/diff"
    layers = store_layers(inspect)
    assert layers is not None and "elsewhere" not in str(layers.folders)


def _broken(root: Path, inspect: dict[str, Any], how: str) -> None:
    images = root / "image" / "overlay2"
    if how == "config":
        next((images / "imagedb" / "content" / "sha256").iterdir()).write_bytes(b'{"rootfs": {}}')
    elif how == "diff":
        next(iter(sorted((images / "layerdb" / "sha256").iterdir()))).joinpath("diff").write_text("sha256:0")
    elif how == "upper":
        inspect["GraphDriver"]["Data"]["UpperDir"] = str(root / "overlay2" / "cache0" / "diff")
    elif how == "driver":
        inspect["GraphDriver"]["Name"] = "btrfs"
    elif how == "layers":
        inspect["RootFS"]["Layers"] = inspect["RootFS"]["Layers"][:-1]
    elif how == "cache-id":
        for entry in (images / "layerdb" / "sha256").iterdir():
            (entry / "cache-id").write_text("../../etc")
    elif how == "missing":
        shutil.rmtree(root / "overlay2" / "cache1")
    elif how == "id":
        inspect["Id"] = "sha512:" + "0" * 64


@pytest.mark.parametrize("how", ["config", "diff", "upper", "driver", "layers", "cache-id", "missing", "id"])
def test_anything_that_disagrees_falls_back_to_the_save(
    tmp_path: Path, native_overlay: Path, how: str
) -> None:
    root, inspect = _fake_store(tmp_path)
    _broken(root, inspect, how)
    assert store_layers(inspect) is None


def test_a_remapped_root_is_not_read(tmp_path: Path, native_overlay: Path) -> None:
    """dockerd --userns-remap keeps its store in <data-root>/<uid>.<gid>, files owned by shifted ids."""
    root, inspect = _fake_store(tmp_path)
    remapped = root.parent / "100000.100000"
    root.rename(remapped)
    text = json.dumps(inspect).replace(str(root), str(remapped))
    assert store_layers(json.loads(text)) is None


@pytest.mark.parametrize("parameter", ["metacopy", "redirect_dir"])
def test_overlay_features_that_hide_bytes_turn_the_folders_off(
    tmp_path: Path, native_overlay: Path, parameter: str
) -> None:
    _, inspect = _fake_store(tmp_path)
    (native_overlay / parameter).write_text("Y\n")
    assert store_layers(inspect) is None


def test_the_switch_turns_the_folders_off(
    tmp_path: Path, native_overlay: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, inspect = _fake_store(tmp_path)
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_FOLDERS", "off")
    assert store_layers(inspect) is None
    assert not folders_likely()


# ---------------------------------------------------------------------------------------------------
# one folder's table against the tar Docker would make of it


def _table_of_folder(folder: Path) -> audit_image._Table:
    table = audit_image._Table()
    walk_folder(folder, table, audit_image._INLINE, audit_image._record, audit_image.record_content)  # type: ignore[arg-type]
    return table


def _table_of_tar(data: bytes) -> audit_image._Table:
    table = audit_image._Table()
    audit_image._read_layer(io.BytesIO(data), table)
    return table


def test_a_folder_gives_the_table_of_its_tar(tmp_path: Path) -> None:
    folder = tmp_path / "diff"
    (folder / "app" / "pkg").mkdir(parents=True)
    (folder / "app" / "pkg" / "mod.py").write_text("x = 1\n")
    (folder / "app" / "key.pem").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n")
    (folder / "etc").mkdir()
    (folder / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (folder / "usr" / "bin").mkdir(parents=True)
    (folder / "usr" / "bin" / "su").write_bytes(b"\x7fELF")
    (folder / "usr" / "bin" / "su").chmod(0o4755)
    (folder / "usr" / "bin" / "python").symlink_to("python3")
    os.link(folder / "etc" / "passwd", folder / "usr" / "passwd-copy")
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        # sorted, depth first, as Docker writes a layer (tarfile's own walk lists a folder's names sorted)
        for path in sorted(folder.iterdir()):
            tar.add(path, arcname=path.name)
    folder_table, tar_table = _table_of_folder(folder), _table_of_tar(out.getvalue())
    assert folder_table.entries == tar_table.entries
    assert folder_table.entries["usr/passwd-copy"][0] == "hardlink"
    assert folder_table.entries["usr/bin/su"][2] == 0o4755
    assert folder_table.captured == tar_table.captured and "etc/passwd" in folder_table.captured
    assert folder_table.secrets == tar_table.secrets and folder_table.secrets


def test_overlay_marks_are_the_tar_whiteouts(tmp_path: Path) -> None:
    """A character device 0/0 deletes the name below; a folder marked opaque hides the lower folder."""
    folder = tmp_path / "diff"
    (folder / "app" / "cache").mkdir(parents=True)
    try:
        os.mknod(folder / "app" / "old.py", 0o600 | 0o020000, os.makedev(0, 0))
        os.setxattr(folder / "app" / "cache", store_folders.OPAQUE_XATTR, b"y")
    except (PermissionError, OSError) as error:
        pytest.skip(f"overlay marks need root here: {error}")
    table = _table_of_folder(folder)
    assert table.whiteouts == ["app/old.py"]
    assert table.opaque == ["app/cache"]
    assert "app/old.py" not in table.entries and "app/cache" in table.entries


# ---------------------------------------------------------------------------------------------------
# on the real engine: the same tables and the same report as the save's

DOCKER = os.environ.get("DOCKWRIGHT_DOCKER") or shutil.which("/usr/bin/docker") or shutil.which("docker")


def _with_parents(entries: list[F]) -> list[F]:
    """``entries`` with a folder entry before each parent folder not listed, as the layers Docker and
    BuildKit write hold them. The crafted layers are written as those are (names in walk order,
    symlinks 0777): the save gives back a layer's own tar, and where another writer's tar differs, the
    folder shows what the engine unpacked (parents it made, root's and 0755; a hard link's first name
    in walk order), which is what the container sees."""
    listed = {e.path for e in entries if e.kind == "dir"}
    out: list[F] = []
    for entry in entries:
        parts = entry.path.split("/")[: None if entry.kind == "opaque" else -1]  # an opaque mark: in it
        for depth in range(1, len(parts) + 1):
            parent = "/".join(parts[:depth])
            if parent not in listed:
                listed.add(parent)
                out.append(F(parent, kind="dir"))
        out.append(entry)
    return out


def _crafted() -> Img:
    sp = "usr/local/lib/python3.11/site-packages"
    layers = [
        [*base_layer(), F("tmp", kind="dir", mode=0o1777), F("var/cache/apt", kind="dir")],
        [
            F("var/cache/apt/pkgcache.bin", 300_000),
            F("app", kind="dir"),
            F("app/app.py", b"print('hi')\n"),
            F("app/settings.py", b"TOKEN = 'ghp_" + b"A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8" + b"'\n"),
            F("app/copy.py", kind="hardlink", link="app/app.py"),
            F(f"{sp}/flask/__init__.py", 3000),
            F("usr/bin/python3", kind="symlink", link="../local/bin/python3.11", mode=0o777),
        ],
        [
            F("var/cache/apt", kind="opaque"),
            F("usr/local/lib/python3.11/os.py", kind="whiteout"),
            F("app/app.py", b"print('hello')\n"),
            F("usr/bin/newgrp", b"\x7fELF g", mode=0o2755),
        ],
    ]
    return Img([_with_parents(layer) for layer in layers])


@pytest.fixture(scope="module")
def loaded_image() -> Iterator[tuple[str, Any]]:
    if DOCKER is None or subprocess.run([DOCKER, "version"], capture_output=True, check=False).returncode:
        pytest.skip("no Docker engine answers (start the sandbox: see README)")
    from dockwright.engine.select import engine_named

    ref = f"dockwright-test/store-folders:{uuid.uuid4().hex[:8]}"
    subprocess.run([DOCKER, "load"], input=legacy_archive(_crafted(), ref), capture_output=True, check=True)
    try:
        engine = engine_named("docker")
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("DOCKWRIGHT_AUDIT_FOLDERS", raising=False)
            readable = getattr(engine, "store_layers", None) is not None and store_layers(
                engine.inspect_image(ref)
            )
        if not readable:
            pytest.skip("the engine's layer folders are not readable here (not root, or not overlay2)")
        yield ref, engine
    finally:
        subprocess.run([DOCKER, "rmi", "-f", ref], capture_output=True, check=False)


@pytest.mark.docker
def test_the_folders_give_the_save_tables(
    loaded_image: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCKWRIGHT_AUDIT_FOLDERS")
    ref, engine = loaded_image
    layers = store_layers(engine.inspect_image(ref))
    assert isinstance(layers, StoreLayers)
    from_folders = audit_image.read_folders(layers)
    with engine.save(ref) as stream:
        from_save = audit_image.read_archive(stream)
    _, folder_paths, _ = audit_image._pick_manifest(from_folders, ref)
    _, save_paths, _ = audit_image._pick_manifest(from_save, ref)
    assert len(folder_paths) == len(save_paths) == 3
    for folder_path, save_path in zip(folder_paths, save_paths, strict=True):
        mine = from_folders.tables[folder_path]
        theirs = from_save.tables[audit_image._resolve_alias(from_save, save_path)]
        assert mine.entries == theirs.entries
        for attribute in ("whiteouts", "opaque", "captured", "elf", "secrets", "error"):
            assert getattr(mine, attribute) == getattr(theirs, attribute), attribute
    assert from_folders.tables[folder_paths[2]].opaque == ["var/cache/apt"]
    assert from_folders.tables[folder_paths[1]].entries["app/copy.py"][0] == "hardlink"


@pytest.mark.docker
def test_the_audit_reads_the_folders_and_reports_as_from_the_save(
    loaded_image: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dockwright import api

    ref, _ = loaded_image
    monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", "off")
    reports = []
    for switch in ("on", "off"):
        monkeypatch.setenv("DOCKWRIGHT_AUDIT_FOLDERS", switch)
        reports.append(api.audit(ref).to_dict())
    folders, save = reports
    assert (folders["image"]["layers_read"], save["image"]["layers_read"]) == ("store", "archive")
    for report in reports:
        report.pop("seconds")
        report["image"].pop("layers_read")
    assert folders == save
    secrets = next(c for c in folders["checks"] if c["id"] == "secrets")
    assert secrets["status"] == "FAIL"


def test_a_deep_tree_is_walked_without_recursion(tmp_path: Path) -> None:
    folder = tmp_path / "diff"
    folder.mkdir()
    deep = str(folder)
    for _ in range(1200):  # deeper than the recursion limit (makedirs recurses too), shorter than PATH_MAX
        deep += "/d"
        os.mkdir(deep)  # noqa: PTH102
    Path(deep, "leaf.txt").write_text("x\n")
    try:
        table = _table_of_folder(folder)
    finally:  # removed bottom up: shutil.rmtree (pytest's cleanup) recurses too
        Path(deep, "leaf.txt").unlink()
        while deep != str(folder):
            os.rmdir(deep)  # noqa: PTH106
            deep = os.path.dirname(deep)  # noqa: PTH120
    assert sum(1 for kind, *_ in table.entries.values() if kind == "dir") == 1200
    assert table.entries["/".join(["d"] * 1200) + "/leaf.txt"][:2] == ("file", 2)


def test_folders_that_cannot_be_walked_leave_the_audit_to_the_save(
    tmp_path: Path, clean_image: Img, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine gives folders (verified), but one is gone when walked: the save is read instead."""
    from tests.audit.audit_images import serve

    monkeypatch.delenv("DOCKWRIGHT_AUDIT_FOLDERS")
    engine = serve(clean_image)
    gone = StoreLayers(b"{}", (tmp_path / "gone-0", tmp_path / "gone-1"), ("sha256:a", "sha256:b"))
    asked: list[str] = []
    engine.store_layers = lambda inspect: asked.append(inspect["Id"]) or gone  # type: ignore[attr-defined]
    facts = audit_image.read_image(engine, "demo:1")
    assert asked and facts.layers_read == "archive"
    assert "app/app.py" in facts.files


@pytest.mark.docker
def test_a_hard_link_listed_first_under_a_decoy_name_hides_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A layer whose tar lists a token file before a hard link named to sort first and to be skipped by
    the scan (`a.png`): the folders walk the link first, so the bytes are judged under every name; both
    routes fail the image, and an extra setuid binary behind a base name (`bin/su`) is seen by both."""
    if DOCKER is None or subprocess.run([DOCKER, "version"], capture_output=True, check=False).returncode:
        pytest.skip("no Docker engine answers (start the sandbox: see README)")
    from dockwright import api

    token = b"GITHUB = 'ghp_" + b"Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2" + b"'\n"
    layers = [
        [
            F("app", kind="dir"),
            F("app/settings.py", token),
            F("app/a.png", kind="hardlink", link="app/settings.py"),
        ],
        [
            F("usr", kind="dir"),
            F("usr/local", kind="dir"),
            F("usr/local/bin", kind="dir"),
            F("usr/local/bin/rootme", b"\x7fELF x", mode=0o4755),
            F("bin", kind="dir"),
            # a link's header carries the file's mode (Docker sets it on the file it links: tested)
            F("bin/su", kind="hardlink", link="usr/local/bin/rootme", mode=0o4755),
        ],
    ]
    ref = f"dockwright-test/hidden-link:{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [DOCKER, "load"],
        input=legacy_archive(Img([base_layer(), *layers]), ref),
        capture_output=True,
        check=True,
    )
    try:
        monkeypatch.setenv("DOCKWRIGHT_AUDIT_CACHE", "off")
        verdicts = []
        for switch in ("on", "off"):
            monkeypatch.setenv("DOCKWRIGHT_AUDIT_FOLDERS", switch)
            report = api.audit(ref)
            verdicts.append((report.check("secrets").status.value, report.check("setuid").status.value))
        assert verdicts == [("FAIL", "WARN"), ("FAIL", "WARN")]
    finally:
        subprocess.run([DOCKER, "rmi", "-f", ref], capture_output=True, check=False)
