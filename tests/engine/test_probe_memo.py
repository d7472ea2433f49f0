"""The client probe and the builder's driver kept between runs (engine/probe_memo.py): asked again
whenever anything that picks them changes, kept only after a build with them succeeded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dockwright.engine import probe_memo
from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A scripted client that logs what it is asked, its own Docker config and cache folder."""
    log = tmp_path / "calls"
    cli = tmp_path / "bin" / "docker"
    cli.parent.mkdir()
    cli.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        'case "$*" in\n'
        '  "buildx version") echo "github.com/docker/buildx v0.13.1" ;;\n'
        '  "buildx inspect") printf "Name: default\\nDriver: docker\\n" ;;\n'
        '  version*) echo "26.1.5 linux/amd64" ;;\n'
        "  *) exit 1 ;;\n"
        "esac\n"
    )
    cli.chmod(0o755)
    config = tmp_path / "docker-config"
    (config / "buildx" / "activity").mkdir(parents=True)
    (config / "buildx" / "current").write_text(
        '{"Key":"unix:///var/run/docker.sock","Name":"","Global":false}'
    )
    (config / "config.json").write_text("{}")
    monkeypatch.setenv("DOCKWRIGHT_DOCKER", str(cli))
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DOCKWRIGHT_ENGINE_MEMO", raising=False)
    return {"log": log, "cli": cli, "config": config, "cache": tmp_path / "cache"}


def _asked(log: Path) -> list[str]:
    return sorted(log.read_text().splitlines()) if log.exists() else []


def _key() -> str:
    return probe_memo.signature([os.environ["DOCKWRIGHT_DOCKER"]], os.environ)


def test_a_build_keeps_the_answers_and_the_next_run_asks_neither(setup: dict[str, Path]) -> None:
    first = DockerEngine()
    first.prepare()
    assert "buildx version" in _asked(setup["log"]) and "buildx inspect" in _asked(setup["log"])
    first._keep_probes()  # what build() does once its build succeeded
    setup["log"].unlink()
    second = DockerEngine()
    second.prepare()
    assert not any(call.startswith("buildx") for call in _asked(setup["log"]))
    assert second.client.path == str(setup["cli"]) and second.client.buildx
    assert second.buildx_driver(None) == "docker"
    assert not any(call.startswith("buildx") for call in _asked(setup["log"]))


def test_nothing_is_kept_unless_a_build_succeeded(
    setup: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    engine = DockerEngine()
    engine.prepare()
    assert probe_memo.kept(_key()) is None  # asked, not yet kept

    def failing(self: DockerEngine, request: BuildRequest, on_step: Any = None) -> Any:
        raise RuntimeError("the build failed")

    monkeypatch.setattr(DockerEngine, "_build", failing)
    with pytest.raises(RuntimeError):
        engine.build(BuildRequest(context=str(tmp_path), dockerfile=str(tmp_path / "Dockerfile"), tag="t"))
    assert probe_memo.kept(_key()) is None


@pytest.mark.parametrize(
    "change",
    [
        "another current builder",
        "a builder instance",
        "a context",
        "a buildx plugin",
        "the client replaced",
        "config.json",
        "BUILDX_BUILDER",
        "DOCKER_HOST",
    ],
)
def test_what_picks_the_client_or_the_builder_changes_the_key(
    setup: dict[str, Path], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    config, before = setup["config"], _key()
    if change == "another current builder":
        (config / "buildx" / "current").write_text('{"Key":"unix:///var/run/docker.sock","Name":"lab"}')
    elif change == "a builder instance":
        (config / "buildx" / "instances").mkdir()
        (config / "buildx" / "instances" / "lab").write_text('{"Name":"lab","Driver":"docker-container"}')
    elif change == "a context":
        (config / "contexts" / "meta" / "abc").mkdir(parents=True)
        (config / "contexts" / "meta" / "abc" / "meta.json").write_text('{"Name":"remote"}')
    elif change == "a buildx plugin":
        (config / "cli-plugins").mkdir()
        (config / "cli-plugins" / "docker-buildx").write_text("#!/bin/sh\n")
    elif change == "the client replaced":
        setup["cli"].write_text(setup["cli"].read_text() + "# another release\n")
    elif change == "config.json":
        (config / "config.json").write_text('{"currentContext": "remote"}')
    else:
        monkeypatch.setenv(change, "lab" if change == "BUILDX_BUILDER" else "tcp://10.0.0.1:2376")
    assert _key() != before


def test_what_every_build_rewrites_leaves_the_key(setup: dict[str, Path]) -> None:
    before = _key()
    (setup["config"] / "buildx" / "activity" / "default").write_text("2026-12-01T09:00:00Z")
    (setup["config"] / "buildx" / "refs" / "default" / "default").mkdir(parents=True)
    (setup["config"] / "buildx" / "refs" / "default" / "default" / "abc").write_text("{}")
    assert _key() == before


def test_kept_answers_are_refused_when_unsafe_gone_or_turned_off(
    setup: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _key()
    probe_memo.keep(key, str(setup["cli"]), True, "docker")
    assert probe_memo.kept(key) == (str(setup["cli"]), True, "docker", "")
    stored = setup["cache"] / "dockwright" / "engine-probes.json"
    assert stored.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("DOCKWRIGHT_ENGINE_MEMO", "off")
    assert probe_memo.kept(key) is None
    monkeypatch.delenv("DOCKWRIGHT_ENGINE_MEMO")
    stored.chmod(0o666)  # another user could have written it
    assert probe_memo.kept(key) is None
    stored.chmod(0o600)
    probe_memo.keep(key, str(setup["cli"].parent / "gone"), True, "docker")
    assert probe_memo.kept(key) is None  # the client it names is no longer there
    stored.write_text("not json")
    assert probe_memo.kept(key) is None


def test_at_most_sixteen_keys_are_kept(setup: dict[str, Path]) -> None:
    for index in range(probe_memo.MAX_ENTRIES + 4):
        probe_memo.keep(f"key-{index}", str(setup["cli"]), True, "docker")
    assert probe_memo.kept("key-0") is None
    assert probe_memo.kept(f"key-{probe_memo.MAX_ENTRIES + 3}") is not None
    assert probe_memo.kept("key-4") is not None
