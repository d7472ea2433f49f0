"""ImageFacts from crafted docker-save tarballs: both layouts, whiteouts, wasted bytes, secrets."""

from __future__ import annotations

import io

import pytest
from audit_images import F, Img, base_layer, legacy_archive, oci_archive

from dockwright.audit.image import facts_from_archive
from dockwright.errors import EngineError

MB = 1_000_000


def _facts(img: Img, layout: str):  # type: ignore[no-untyped-def]
    data = {
        "legacy": legacy_archive(img),
        "legacy-manifest-first": legacy_archive(img, manifest_last=False),
        "oci": oci_archive(img),
        "oci-plain": oci_archive(img, compress=False),
        "oci-docker25": oci_archive(img, docker_manifest=True),
    }[layout]
    return facts_from_archive(io.BytesIO(data), ref="demo:1")


LAYOUTS = ["legacy", "legacy-manifest-first", "oci", "oci-plain", "oci-docker25"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_wasted_bytes_count_only_hidden_copies(layout: str) -> None:
    img = Img(
        [
            [*base_layer(), F("data/big.bin", 3 * MB), F("data/kept.txt", 1000)],
            [F("data/big.bin", 1 * MB), F("data/kept.txt", 2000)],  # overwrites both
            [F("data/big.bin", kind="whiteout")],  # deletes the second copy
        ]
    )
    facts = _facts(img, layout)
    # big.bin: 3 MB (overwritten) + 1 MB (deleted);
    # kept.txt: only the overwritten 1000 bytes, never the kept copy
    assert facts.wasted_bytes == 4 * MB + 1000
    assert "data/big.bin" not in facts.files
    assert facts.files["data/kept.txt"].size == 2000
    assert facts.files["data/kept.txt"].layer == 1
    hows = sorted((c.path, c.layer, c.by_layer, c.how) for c in facts.hidden)
    assert hows == [
        ("data/big.bin", 0, 1, "overwritten"),
        ("data/big.bin", 1, 2, "deleted"),
        ("data/kept.txt", 0, 1, "overwritten"),
    ]
    assert [layer.wasted for layer in facts.layers] == [3 * MB + 1000, 1 * MB, 0]
    assert facts.layers[0].digest.startswith("sha256:")
    assert facts.layers[2].whiteouts == 1


@pytest.mark.parametrize("layout", ["legacy", "oci"])
def test_opaque_dir_hides_lower_contents_but_keeps_own(layout: str) -> None:
    img = Img(
        [
            [*base_layer(), F("root/.cache/pip/http/a", 5000), F("root/.cache/pip/http/b", 7000)],
            [F("root/.cache/pip", kind="opaque"), F("root/.cache/pip/new", 10)],
        ]
    )
    facts = _facts(img, layout)
    assert "root/.cache/pip/http/a" not in facts.files
    assert facts.files["root/.cache/pip/new"].layer == 1
    assert facts.wasted_bytes == 12000


def test_history_maps_to_layers_and_skips_empty_steps(clean_image: Img) -> None:
    facts = _facts(clean_image, "legacy")
    assert [h.layer for h in facts.history] == [0, None, 1]
    assert facts.history[1].empty_layer
    assert facts.layers[1].created_by == "RUN step 1"
    assert facts.config.user == "10001:10001"
    assert facts.passwd[1][:2] == ("app", 10001)
    assert facts.packages == {"libc6", "tini"}
    assert facts.os_release.startswith("Debian")


def test_duplicate_layer_saved_as_symlink_is_read() -> None:
    same = [F("x/same.txt", b"same")]
    img = Img([base_layer(), same, same])
    facts = _facts(img, "legacy")
    assert len(facts.layers) == 3
    assert facts.layers[2].files == 1
    assert facts.wasted_bytes == 4  # the layer-1 copy is overwritten by the identical layer 2


def test_secrets_found_even_when_deleted_later() -> None:
    pem = b"-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n"
    img = Img(
        [
            [*base_layer(), F("app/id_rsa", pem), F("app/settings.py", b"TOKEN='ghp_" + b"a" * 36 + b"'\n")],
            [F("app/id_rsa", kind="whiteout")],
        ]
    )
    facts = _facts(img, "oci")
    hits = {(s.path, s.kind, s.visible) for s in facts.secrets}
    assert hits == {("app/id_rsa", "private key", False), ("app/settings.py", "GitHub token", True)}


def test_secret_scan_skips_what_os_packages_and_the_interpreter_own() -> None:
    token = b"TOKEN='ghp_" + b"a" * 36 + b"'\n"
    pem = b"-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n"
    scanned = [
        "app/settings.py",
        "etc/app/conf.ini",
        "usr/src/app/settings.py",  # the old official images' app folder
        "usr/local/lib/python3.12/site-packages/acme/settings.py",  # pip into the system interpreter
        "usr/local/lib/python3.13/dist-packages/acme/settings.py",  # Debian's pip, outside apt's tree
        "usr/lib/python3.12/site-packages/acme/settings.py",  # Alpine's pip
        "opt/venv/lib/python3.12/site-packages/acme/settings.py",
    ]
    keys = ["usr/share/acme/server.key", "usr/share/acme/deploy/id_ed25519", "usr/lib/ssl/private/site.pem"]
    skipped = [
        "usr/share/doc/acme/README",
        "usr/include/acme.h",
        "usr/lib/python3/dist-packages/acme/test_keys.py",  # apt's Python packages
        "usr/lib/python3.13/test/keycert.py",
        "usr/local/lib/python3.12/test/keycert.py",  # the interpreter's own library
        "var/lib/dpkg/info/acme.list",  # dpkg's database
    ]
    elf = b"\x7fELF\x02\x01\x01" + bytes(9) + pem  # an executable, wherever it is: not text
    img = Img(
        [
            [
                *base_layer(),
                *(F(path, token) for path in scanned + skipped),
                *(F(path, pem) for path in keys),
                F("app/bin/tool", elf),
                F("usr/local/bin/tool", elf),
            ]
        ]
    )
    facts = _facts(img, "oci")
    assert {s.path for s in facts.secrets} == set(scanned + keys)


def test_views_and_sizes(clean_image: Img) -> None:
    facts = _facts(clean_image, "oci")
    tops = {p.path: p.size for p in facts.top_level()}
    assert tops["/usr"] > 0 and "/app" in tops
    assert facts.largest_files(1)[0].path == "/usr/local/bin/python3.11"
    assert facts.resolve("bin/sh") is not None
    assert facts.size == sum(layer.size for layer in facts.layers)


def test_garbage_is_one_clear_error() -> None:
    with pytest.raises(EngineError):
        facts_from_archive(io.BytesIO(b"not a tar at all" * 100))
    with pytest.raises(EngineError, match="manifest"):
        import tarfile

        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w"):
            pass
        facts_from_archive(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("layout", ["legacy", "oci", "oci-plain"])
def test_empty_layer_is_read(layout: str) -> None:
    facts = _facts(Img([base_layer(), []]), layout)
    assert [layer.files for layer in facts.layers] == [7, 0]
    assert not facts.notes


def test_unreadable_layer_becomes_a_note_not_a_crash() -> None:
    import gzip

    from audit_images import with_gzip_blobs

    cut = gzip.compress(b"\xff" * 5000)[:300]  # gzip of garbage, cut short
    facts = facts_from_archive(io.BytesIO(with_gzip_blobs(oci_archive(Img([base_layer()])), cut)))
    assert facts.notes and "layer 0" in facts.notes[0]


def test_dive_wasted_counts_every_copy_of_a_rewritten_file() -> None:
    """dive's definition: both copies of a rewritten file; a deleted file's one copy; the audit's: hidden only."""
    layers = [
        [*base_layer(), F("var/db/status", 1000), F("data/old.bin", 300)],
        [F("var/db/status", 1200)],  # rewritten: dive 1000 + 1200, audit 1000
        [F("data/old.bin", kind="whiteout"), F("var/db/status", 1500)],  # dive +300 +1500, audit +300 +1200
    ]
    facts = _facts(Img(layers), "legacy")
    assert facts.wasted_bytes == 1000 + 1200 + 300
    assert facts.dive_wasted_bytes == 1000 + 1200 + 1500 + 300
    user = sum(layer.size for layer in facts.layers[1:])
    assert facts.dive_user_wasted_ratio == facts.dive_wasted_bytes / user


def test_a_library_naming_the_pem_marker_is_not_a_key() -> None:
    """cryptography's OpenSSH parser holds the marker in a bytes literal: no key, no finding."""
    from dockwright.audit.secret_scan import scan_secrets as _scan_secrets

    source = b'_SK_START = b"-----BEGIN OPENSSH PRIVATE KEY-----"\n_SK_END = b"-----END OPENSSH PRIVATE KEY-----"\n'
    assert _scan_secrets(source) is None
    assert _scan_secrets(b"x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n") == "private key"


def test_largest_dirs_from_the_checks_folder_totals_are_the_same() -> None:
    """The report's largest folders come from the checks' one pass over every folder (any depth),
    cut at max_depth: the same rows as the facts' own depth-limited pass."""
    from dockwright.audit.checks import dir_totals

    deep = "/".join(f"d{i}" for i in range(9))
    img = Img(
        [
            [*base_layer(), F("srv/app/big.bin", 3 * MB), F(f"{deep}/x.bin", 2 * MB)],
            [F("srv/app/lib/a.py", 5000), F("srv/other/b.bin", MB), F(f"{deep}/y.bin", 10)],
        ]
    )
    facts = _facts(img, "oci")
    totals = dir_totals(facts)
    for depth in (1, 2, 3, 6, 12):
        for limit in (1, 3, 15):
            own = facts.largest_dirs(limit, depth)
            assert facts.largest_dirs(limit, depth, totals=totals) == own
    assert [row.path for row in facts.largest_dirs(3, 2)][:1] == ["/srv"]


@pytest.mark.parametrize("top_files", [[], [F("VERSION", 7), F("big.img", 5 * MB)]])
def test_top_level_from_the_checks_folder_totals_is_the_same(top_files: list[F]) -> None:
    """The report's top-level rows come from the checks' folder totals (no second pass over every
    file): the same rows, files at the top included, as the facts' own pass."""
    from dockwright.audit.checks import dir_totals

    img = Img(
        [
            [*base_layer(), F("srv/app/big.bin", 3 * MB), *top_files],
            [F("srv/app/lib/a.py", 5000), F("opt/x/y.bin", MB), F("empty", kind="dir")],
        ]
    )
    facts = _facts(img, "oci")
    own = facts.top_level()
    assert facts.top_level(totals=dir_totals(facts)) == own
    assert ("/big.img" in [row.path for row in own]) == bool(top_files)


def test_file_entries_are_immutable_values() -> None:
    facts = _facts(Img([[*base_layer(), F("srv/app.py", 10)]]), "oci")
    entry = facts.files["srv/app.py"]
    assert (entry.path, entry.kind, entry.size, entry.layer, entry.link) == ("srv/app.py", "file", 10, 0, "")
    with pytest.raises(AttributeError):
        entry.size = 11  # type: ignore[misc]
    assert "path='srv/app.py'" in repr(entry)
