"""The sandbox's own engine: pins, where dockerd keeps its state, which socket it serves (no engine started)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sandbox.config import Settings

from sandbox import engine


def _settings(tmp_path: Path) -> Settings:
    return Settings(cache=tmp_path, pypi_port=3141, deb_port=3142)


def test_pins_name_trixie_docker_26_buildx_and_containerd_with_checksums() -> None:
    mirror, packages = engine.pins()
    assert mirror.startswith("http")
    names = {p.name: p for p in packages}
    assert set(names) == {"docker.io", "docker-cli", "docker-buildx", "containerd"}
    assert names["docker.io"].version.startswith("26.")
    for package in packages:
        assert re.fullmatch(r"[0-9a-f]{64}", package.sha256)
        assert package.filename.startswith("pool/main/") and package.filename.endswith("_amd64.deb")
        assert f"_{package.version}_" in package.filename


def test_dockerd_keeps_its_state_under_the_sandbox_and_serves_docker_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///run/x/docker.sock")
    argv, env = engine.dockerd_command(_settings(tmp_path), tmp_path / "engine" / "root")
    options = dict(zip(argv[1::2], argv[2::2], strict=False))
    assert argv[0].endswith("/usr/sbin/dockerd")
    assert options["--host"] == "unix:///run/x/docker.sock"
    for flag in ("--data-root", "--exec-root", "--pidfile"):
        assert options[flag].startswith(str(tmp_path / "engine"))  # never the host's /var/lib/docker
    assert "--bridge=none" in argv and "--iptables=false" in argv
    assert env["PATH"].startswith(str(tmp_path / "engine" / "root" / "usr" / "bin"))


def test_default_socket_without_docker_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    assert engine.socket_path() == "/var/run/docker.sock"


def test_a_tcp_docker_host_is_not_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.1:2376")
    with pytest.raises(SystemExit, match="unix socket"):
        engine.socket_path()


def test_engine_choice_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_SANDBOX_ENGINE", "podman")
    with pytest.raises(SystemExit, match="'trixie'"):
        engine.wanted()
    monkeypatch.setenv("DOCKWRIGHT_SANDBOX_ENGINE", "host")
    assert not engine.wanted()


def test_the_network_store_of_another_bridge_setting_is_dropped(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = tmp_path / "engine" / "data-root" / "network" / "files" / "local-kv.db"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"networks")
    assert engine.forget_networks_of_another_bridge(settings, None) is None  # engines before ran on none
    assert store.exists()
    assert "reset" in (engine.forget_networks_of_another_bridge(settings, "dwsandbox0") or "")
    assert not store.exists()
    store.write_bytes(b"networks")
    assert engine.forget_networks_of_another_bridge(settings, "dwsandbox0") is None
    assert store.exists()
    assert engine.forget_networks_of_another_bridge(settings, None) is not None  # bridge -> none
