"""The sandbox engine's own bridge (port publishing) and its fallback to --bridge=none (no engine started)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sandbox.config import Settings

from sandbox import bridge, engine, services

ROUTES = """default via 192.0.2.1 dev eth0
192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
172.31.240.0/24 dev dwsandbox0 proto kernel scope link src 172.31.240.1
"""


def _settings(tmp_path: Path) -> Settings:
    return Settings(cache=tmp_path, pypi_port=3141, deb_port=3142)


def test_dockerd_on_the_bridge_publishes_without_touching_iptables(tmp_path: Path) -> None:
    argv, _ = engine.dockerd_command(_settings(tmp_path), tmp_path / "root", bridge.NAME)
    assert f"--bridge={bridge.NAME}" in argv and "--bridge=none" not in argv
    assert "--iptables=false" in argv and "--ip6tables=false" in argv


def test_our_own_route_is_no_clash_but_another_overlapping_one_is() -> None:
    assert bridge.routed_clash(ROUTES) is None
    taken = ROUTES + "172.31.0.0/16 dev br-other proto kernel scope link src 172.31.0.1\n"
    assert bridge.routed_clash(taken) == "172.31.0.0/16 dev br-other proto kernel scope link src 172.31.0.1"


def test_the_bridge_can_be_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_SANDBOX_BRIDGE", "0")
    assert bridge.ensure() == "DOCKWRIGHT_SANDBOX_BRIDGE=0 left it out"


def _no_engine_answers(
    monkeypatch: pytest.MonkeyPatch, launched: list[list[str]], starts: list[bool]
) -> None:
    monkeypatch.delenv("DOCKWRIGHT_SANDBOX_ENGINE", raising=False)
    monkeypatch.setattr(services, "engine_version", lambda: None)
    monkeypatch.setattr(services, "stop", lambda settings, name: True)
    monkeypatch.setattr(bridge, "remove", lambda: None)
    monkeypatch.setattr("shutil.which", lambda name, path=None: f"/usr/sbin/{name}")

    def launch(settings: Settings, argv: list[str], env: dict[str, str], *, required: bool) -> bool:
        launched.append(argv)
        return starts.pop(0)

    monkeypatch.setattr(services, "_launch", launch)


def test_without_a_bridge_the_engine_starts_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    launched: list[list[str]] = []
    _no_engine_answers(monkeypatch, launched, [True])
    monkeypatch.setattr(
        bridge, "ensure", lambda: "`ip link add dwsandbox0 type bridge` failed: not permitted"
    )
    assert services.ensure_engine(_settings(tmp_path))
    assert len(launched) == 1 and "--bridge=none" in launched[0]
    assert "not permitted" in capsys.readouterr().out


def test_an_engine_that_does_not_start_on_the_bridge_is_started_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    launched: list[list[str]] = []
    _no_engine_answers(monkeypatch, launched, [False, True])
    monkeypatch.setattr(bridge, "ensure", lambda: None)
    assert services.ensure_engine(_settings(tmp_path))
    assert [f"--bridge={bridge.NAME}" in launched[0], "--bridge=none" in launched[1]] == [True, True]
    assert "did not start on bridge" in capsys.readouterr().out


def test_a_bridge_another_engine_runs_on_is_not_shared(tmp_path: Path) -> None:
    for pid, argv in ((41, ["dockerd", f"--bridge={bridge.NAME}"]), (42, ["dockerd", "--bridge=none"])):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "cmdline").write_bytes(b"\0".join(a.encode() for a in argv) + b"\0")
    assert bridge.engines_on_it(tmp_path) == [41]
