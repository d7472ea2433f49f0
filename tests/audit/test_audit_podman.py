"""Podman-built images: its docker-archive layout (<diff id>.tar at the top) is read, and a HEALTHCHECK
that the OCI format dropped is a FAIL that names the cause and the fix."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from typing import Any

from audit_images import FakeEngine, Img, _config_doc, app_layer, base_layer, layer_tar, sha

from dockwright import api
from dockwright.audit.checks import Status


def podman_archive(img: Img, ref: str = "localhost/demo:1") -> bytes:
    """``podman save --format docker-archive``: layers as <diff id>.tar at the top, symlinked from <id>/."""
    tars = [layer_tar(entries) for entries in img.layers]
    diff_ids = [sha(t) for t in tars]
    config = _config_doc(img, diff_ids)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:

        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        names = []
        for index, data in enumerate(tars):
            name = diff_ids[index].split(":")[1] + ".tar"
            names.append(name)
            add(name, data)
        config_name = hashlib.sha256(config).hexdigest() + ".json"
        add(config_name, config)
        link = tarfile.TarInfo("f00/layer.tar")
        link.type = tarfile.SYMTYPE
        link.linkname = "../" + names[0]
        tar.addfile(link)
        add(
            "manifest.json",
            json.dumps([{"Config": config_name, "RepoTags": [ref], "Layers": names}]).encode(),
        )
    return out.getvalue()


def serve_podman(img: Img) -> FakeEngine:
    inspect = {"Id": "ef" * 32, "RepoTags": ["localhost/demo:1"], "Size": 0, "Config": img.config}
    return FakeEngine({"demo:1": (podman_archive(img), inspect)})


def _oci_built(config_changes: dict[str, Any], healthcheck_step: str) -> Img:
    img = Img([base_layer(), app_layer()])
    img.config.pop("Healthcheck")
    img.config.update(config_changes)
    img.history = [
        {"created_by": "/bin/sh -c #(nop) ADD file:abc in /", "created": "2026-01-01T00:00:00Z"},
        {"created_by": "/bin/sh -c pip install .", "created": "2026-01-01T00:00:00Z"},
        {"created_by": healthcheck_step, "empty_layer": True},
        {"created_by": '/bin/sh -c #(nop) CMD ["app"]', "empty_layer": True},
    ]
    return img


def test_podman_archive_layers_are_read() -> None:
    report = api.audit("demo:1", engine=serve_podman(Img([base_layer(), app_layer()])))
    assert report.image.files > 5 and not report.notes
    assert not report.failed, [c for c in report.checks if c.status is Status.FAIL]


def test_healthcheck_dropped_by_the_oci_format_fails_with_the_cause() -> None:
    step = '/bin/sh -c #(nop) HEALTHCHECK --interval=30s CMD ["python", "-c", "import app"]'
    report = api.audit("demo:1", engine=serve_podman(_oci_built({}, step)))
    result = report.check("healthcheck")
    assert result.status is Status.FAIL
    assert "OCI format" in result.summary and "--format docker" in result.summary
    assert result.evidence[0].path == "history" and "HEALTHCHECK" in result.evidence[0].detail


def test_healthcheck_none_in_history_is_not_a_dropped_probe() -> None:
    for step in ("/bin/sh -c #(nop) HEALTHCHECK NONE", 'HEALTHCHECK &{["NONE"] "0s" "0s" "0s" \'\\x00\'}'):
        img = _oci_built({"ExposedPorts": {}}, step)
        result = api.audit("demo:1", engine=serve_podman(img)).check("healthcheck")
        assert "OCI" not in result.summary and result.status is Status.WARN
