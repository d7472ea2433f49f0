"""`audit` straight from a registry (a real throwaway docker-registry on loopback): a plain manifest, an
index with two platforms (+ an attestation entry skipped), credentials from the Docker config (basic
auth), and the one-line errors: unreachable registry, missing and wrong credentials, unknown tag."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from audit_images import Img, _config_doc, app_layer, base_layer, layer_tar
from registry_server import Registry, registry_binary, start_registry

from dockwright import api
from dockwright.audit.checks import Status
from dockwright.cli import main
from dockwright.errors import EngineError

pytestmark = pytest.mark.skipif(
    registry_binary() is None, reason="docker-registry is not installed (scripts/setup.sh)"
)


def _push(
    registry: Registry, repository: str, tag: str | None, img: Img, arch: str = "amd64"
) -> tuple[str, int]:
    tars = [layer_tar(entries) for entries in img.layers]
    diff_ids = ["sha256:" + hashlib.sha256(t).hexdigest() for t in tars]
    config: dict[str, Any] = json.loads(_config_doc(img, diff_ids))
    config["architecture"] = arch
    return registry.push_image(repository, tag, tars, config)


@pytest.fixture(scope="module")
def open_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    registry = start_registry(tmp_path_factory.mktemp("registry"))
    yield registry
    registry.stop()


@pytest.fixture(scope="module")
def locked_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    registry = start_registry(tmp_path_factory.mktemp("registry-auth"), auth=("alice", "s3cret"))
    yield registry
    registry.stop()


@pytest.fixture(autouse=True)
def docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "docker-config"
    folder.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    monkeypatch.setattr("dockwright.audit.checks.base.shutil.which", lambda _: None)  # no trivy/grype
    return folder


def _login(folder: Path, host: str, user: str, password: str) -> None:
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    (folder / "config.json").write_text(json.dumps({"auths": {host: {"auth": auth}}}))


def test_plain_manifest_is_audited_like_a_local_image(open_registry: Registry) -> None:
    _push(open_registry, "team/app", "1.0", Img([base_layer(), app_layer()]))
    (report,) = api.audit_registry(f"{open_registry.host}/team/app:1.0")
    assert not report.failed, [c for c in report.checks if c.status is Status.FAIL]
    assert report.image.files > 5 and report.image.id.startswith("sha256:")
    assert report.check("user").status is Status.PASS and report.check("startup").status is Status.SKIP


def test_every_platform_of_an_index(open_registry: Registry) -> None:
    amd = _push(open_registry, "multi", None, Img([base_layer(), app_layer()]))
    bad = Img([base_layer(), app_layer()])
    bad.config["User"] = "root"
    arm = _push(open_registry, "multi", None, bad, arch="arm64")
    attestation = _push(open_registry, "multi", None, Img([base_layer()]), arch="unknown")
    open_registry.push_index(
        "multi",
        "2.0",
        [
            (*amd, {"os": "linux", "architecture": "amd64"}),
            (*arm, {"os": "linux", "architecture": "arm64", "variant": "v8"}),
            (*attestation, {"os": "unknown", "architecture": "unknown"}),
        ],
    )
    reports = api.audit_registry(f"{open_registry.host}/multi:2.0")
    assert [r.image.architecture for r in reports] == ["amd64", "arm64"]
    assert [r.check("user").status for r in reports] == [Status.PASS, Status.FAIL]
    (arm_only,) = api.audit_registry(f"{open_registry.host}/multi:2.0", platform="linux/arm64/v8")
    assert arm_only.image.architecture == "arm64"
    with pytest.raises(
        EngineError, match=r"no image for linux/s390x \(the index offers linux/amd64, linux/arm64/v8\)"
    ):
        api.audit_registry(f"{open_registry.host}/multi:2.0", platform="linux/s390x")


def test_cli_reads_the_registry_when_no_engine_holds_the_image(
    open_registry: Registry, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_ENGINE", "podman")
    monkeypatch.setenv(
        "DOCKWRIGHT_PODMAN", "/nonexistent/podman"
    )  # no engine at all: auto goes to the registry
    _push(open_registry, "cli", "1", Img([base_layer(), app_layer()]))
    assert main(["audit", f"{open_registry.host}/cli:1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "PASS"
    assert main(["audit", f"{open_registry.host}/cli:1", "--from", "registry", "--run"]) == 2
    assert "--run needs the image in an engine" in capsys.readouterr().err


def test_credentials_from_the_docker_config(locked_registry: Registry, docker_config: Path) -> None:
    _push(locked_registry, "private", "1", Img([base_layer(), app_layer()]))
    ref = f"{locked_registry.host}/private:1"
    with pytest.raises(EngineError) as missing:
        api.audit_registry(ref)
    assert f"needs credentials: `docker login {locked_registry.host}`" in str(missing.value)
    _login(docker_config, locked_registry.host, "alice", "wrong")
    with pytest.raises(EngineError) as wrong:
        api.audit_registry(ref)
    assert "refused the credentials of 'alice'" in str(wrong.value) and "docker login" in str(wrong.value)
    _login(docker_config, locked_registry.host, "alice", "s3cret")
    (report,) = api.audit_registry(ref)
    assert not report.failed


def test_unreachable_registry_and_unknown_tag_are_one_line(
    open_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "127.0.0.1:9/app:1", "--from", "registry"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach registry 127.0.0.1:9") and err.count("\n") == 1
    assert main(["audit", f"{open_registry.host}/nothing:1", "--from", "registry"]) == 2
    assert (
        f"not found in registry {open_registry.host}: {open_registry.host}/nothing:1"
        in capsys.readouterr().err
    )


def test_sbom_from_the_registry(open_registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKWRIGHT_PODMAN", "/nonexistent/podman")
    _push(open_registry, "sbom", "1", Img([base_layer(), app_layer()]))
    found, text = api.sbom(f"{open_registry.host}/sbom:1", engine="podman")
    assert {p.name for p in found.debian} == {"libc6", "tini"}
    assert json.loads(text)["bomFormat"] == "CycloneDX"
