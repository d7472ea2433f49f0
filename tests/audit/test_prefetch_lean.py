"""What ``dockwright audit IMAGE`` loads before it sends the save (audit.prefetch, engine.api_socket):
nothing but ``os``, ``atexit`` and ``_socket``, and the same answers as the fuller code it replaces
(``urllib.parse.quote``, ``Path.glob``, ``json``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from dockwright.audit.layer_cache import cache_root
from dockwright.audit.prefetch import cache_folder, ref_key, seen_before
from dockwright.engine.api_socket import local_socket, save_target

SRC = Path(__file__).resolve().parents[2] / "src"

# what the early path may add to a bare interpreter's modules
ALLOWED = {
    "__future__",
    "_socket",
    "atexit",
    "dockwright",
    "dockwright.audit",
    "dockwright.audit.prefetch",
    "dockwright.engine",
    "dockwright.engine.api_socket",
}


def test_nothing_heavy_loads_before_the_save_is_sent(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from dockwright.audit.prefetch import command_image, cache_folder, seen_before\n"
        "from dockwright.engine.api_socket import local_socket, save_target, send_get\n"
        "ref = command_image(['--debug', 'audit', 'team/app:1', '--format', 'json', '--engine=docker'])\n"
        "assert ref == 'team/app:1'\n"
        "local_socket(); save_target(ref); seen_before(ref, cache_folder())\n"
        "try:\n"
        "    send_get(sys.argv[1], save_target(ref), None)\n"
        "except OSError:\n"
        "    pass\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    cache = tmp_path / "cache"
    (cache / "v1" / "ref").mkdir(parents=True)  # a cache seen before: the name's key is computed
    config = tmp_path / "docker"
    config.mkdir()
    (config / "config.json").write_text(json.dumps({"auths": {}}))
    env = {
        "PYTHONPATH": str(SRC),
        "DOCKWRIGHT_AUDIT_CACHE": str(cache),
        "DOCKER_CONFIG": str(config),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "no.sock")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    loaded = set(done.stdout.split())
    # hashlib only for the name's key, once a cache folder holds anything
    assert loaded - ALLOWED <= {"hashlib", "_hashlib", "_blake2", "_sha2", "_sha256", "_sha512"}, loaded


@pytest.mark.parametrize(
    "ref",
    [
        "team/app:1",
        "127.0.0.1:3150/team/app@sha256:" + "ab" * 32,
        "app_name-x.y~z:TAG",
        "café/app:1",
        "a b+c&d=e?f#g%h",
    ],
)
def test_the_save_target_is_urllib_quote(ref: str) -> None:
    assert save_target(ref) == f"/images/get?names={quote(ref, safe='')}"


def test_a_name_that_is_not_utf8_is_refused_as_by_quote() -> None:
    name = "app\udcff:1"
    with pytest.raises(UnicodeEncodeError):
        quote(name, safe="")
    with pytest.raises(UnicodeEncodeError):
        save_target(name)


def test_cache_folder_is_cache_root(tmp_path: Path) -> None:
    for environ in (
        {"DOCKWRIGHT_AUDIT_CACHE": "off"},
        {"DOCKWRIGHT_AUDIT_CACHE": " No "},
        {"DOCKWRIGHT_AUDIT_CACHE": str(tmp_path)},
        {"XDG_CACHE_HOME": str(tmp_path)},
        {"HOME": str(tmp_path)},
    ):
        folder = cache_folder(environ)
        root = cache_root(environ)
        assert (folder is None and root is None) or Path(str(folder)) == root


def test_seen_before_reads_as_the_glob(tmp_path: Path) -> None:
    name = ref_key("team/app:1").replace(":", "-") + ".json"
    assert not seen_before("team/app:1", tmp_path / "absent")
    assert not seen_before("team/app:1", tmp_path)
    (tmp_path / "v1" / "ref").mkdir(parents=True)
    (tmp_path / "v1" / "ref" / "other.json").write_text("{}")
    assert not seen_before("team/app:1", tmp_path)
    for folder in (".hidden", "v2"):  # Path.glob's "*" matches a hidden name too
        entry = tmp_path / folder / "ref" / name
        entry.parent.mkdir(parents=True)
        entry.write_text("{}")
        assert any(tmp_path.glob(f"*/ref/{name}"))
        assert seen_before("team/app:1", tmp_path) and seen_before("team/app:1", str(tmp_path))
        assert not seen_before("team/app:2", tmp_path)
        entry.unlink()


@pytest.mark.parametrize(
    ("config", "chosen"),
    [
        ({"currentContext": "rootless"}, True),
        ({"currentContext": "default"}, False),
        ({"currentContext": ""}, False),
        ({"auths": {"currentContext": {}}}, False),  # the key's text elsewhere: json decides
        ("not json, currentContext", False),
        (None, False),  # no config file
    ],
)
def test_the_context_is_read_as_the_cli_does(tmp_path: Path, config: object, chosen: bool) -> None:
    if config is not None:
        text = config if isinstance(config, str) else json.dumps(config)
        (tmp_path / "config.json").write_text(text)
    assert (local_socket({"DOCKER_CONFIG": str(tmp_path)}) is None) is chosen
