"""The inventory of a crafted image (dist-info, dpkg status, distroless status.d, copyright files), the
CycloneDX and SPDX documents made from it (validated against their schemas), the lock cross-check in
`sbom --context` and in the audit's `lock` check, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from audit_images import F, Img, app_layer, base_layer, serve

from dockwright import api
from dockwright.audit.checks import Status
from dockwright.cli import main
from dockwright.errors import ConfigError
from dockwright.sbom.cyclonedx_json import validate_cyclonedx

SP = "usr/local/lib/python3.11/site-packages"
FLASK_HASH = "sha256:" + "a" * 64
METADATA = (
    b"Metadata-Version: 2.1\nName: Flask\nVersion: 3.0.0\nSummary: A micro framework\n"
    b"Project-URL: Changes, https://example.invalid/changes\nProject-URL: Source, https://example.invalid/src\n"
    b"Classifier: License :: OSI Approved :: BSD License\n\nLong description with License: GPL in it\n"
)
RECORD = b"flask/__init__.py,sha256=abc,3000\nflask-3.0.0.dist-info/METADATA,sha256=def,500\nflask-3.0.0.dist-info/RECORD,,\n"
STATUS = (
    b"Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\nSource: glibc\n\n"
    b"Package: removed\nStatus: deinstall ok config-files\nVersion: 1\n\n"
    b"Package: tini\nStatus: install ok installed\nVersion: 0.19.0-1\nArchitecture: amd64\n"
)


def image(*extra: F) -> Img:
    base = [f for f in base_layer() if f.path != "var/lib/dpkg/status"]
    base += [
        F("var/lib/dpkg/status", STATUS),
        F("usr/share/doc/libc6/copyright", b"Files: *\nLicense: LGPL-2.1+\n\nFiles: x\nLicense: GPL-2\n"),
    ]
    app = [f for f in app_layer() if not f.path.startswith(f"{SP}/flask-3.0.0.dist-info")]
    app += [
        F(f"{SP}/flask-3.0.0.dist-info", kind="dir"),
        F(f"{SP}/flask-3.0.0.dist-info/METADATA", METADATA),
        F(f"{SP}/flask-3.0.0.dist-info/RECORD", RECORD),
        F(
            f"{SP}/flask-3.0.0.dist-info/direct_url.json",
            b'{"url": "file:///tmp/wheels/flask-3.0.0-py3-none-any.whl", "archive_info": {}}',
        ),
        F(
            f"{SP}/my_lib-1.2.dist-info/METADATA",
            b"Name: my-lib\nVersion: 1.2\nLicense-Expression: MIT OR Apache-2.0\n\n",
        ),
    ]
    return Img([base, app, list(extra)] if extra else [base, app])


def project(tmp_path: Path, flask: str = "3.0.0") -> Path:
    (tmp_path / "requirements.txt").write_text(
        f"flask=={flask} \\\n    --hash={FLASK_HASH}\nmy-lib==1.2 \\\n    --hash=sha256:{'b' * 64}\n"
    )
    (tmp_path / "app.py").write_text("print('hi')\n")
    return tmp_path


def test_inventory_reads_python_and_debian_with_evidence(tmp_path: Path) -> None:
    found = api.inventory("demo:1", engine=serve(image()), context=project(tmp_path))
    flask = next(d for d in found.python if d.key == "flask")
    assert (flask.name, flask.version, flask.licence) == ("Flask", "3.0.0", "BSD License")
    assert flask.homepage == "https://example.invalid/src"
    assert flask.record_files == 3 and len(flask.record_sha256) == 64
    assert flask.wheel == "flask-3.0.0-py3-none-any.whl"
    assert flask.path == f"/{SP}/flask-3.0.0.dist-info" and flask.layer == 1
    assert flask.lock is not None and flask.lock.state == "matches" and flask.lock.hashes == (FLASK_HASH,)
    lib = next(d for d in found.python if d.key == "my-lib")
    assert lib.licence == "MIT OR Apache-2.0"
    names = {p.name: p for p in found.debian}
    assert set(names) == {"libc6", "tini"}
    assert names["libc6"].version == "2.36-9" and names["libc6"].source == "glibc"
    assert names["libc6"].licence == "LGPL-2.1+ AND GPL-2"
    assert not found.drift()


def test_distroless_status_d() -> None:
    img = image(
        F(
            "var/lib/dpkg/status.d/python3.11",
            b"Package: python3.11\nVersion: 3.11.2-6\nArchitecture: amd64\n",
        ),
    )
    assert "python3.11" in {p.name for p in api.inventory("demo:1", engine=serve(img)).debian}


@pytest.mark.parametrize("layout", ["legacy", "oci"])
def test_cyclonedx_document_validates_and_carries_the_lock(tmp_path: Path, layout: str) -> None:
    found, text = api.sbom("demo:1", engine=serve(image(), layout), context=project(tmp_path))
    validate_cyclonedx(text)  # the schema cyclonedx-python-lib ships (CycloneDX 1.6)
    doc = json.loads(text)
    assert doc["bomFormat"] == "CycloneDX" and doc["specVersion"] == "1.6"
    flask = next(c for c in doc["components"] if c["name"] == "Flask")
    assert flask["purl"] == "pkg:pypi/flask@3.0.0"
    assert flask["hashes"] == [{"alg": "SHA-256", "content": "a" * 64}]
    props = {p["name"]: p["value"] for p in flask["properties"]}
    assert props["dockwright:lock-state"] == "matches" and props["dockwright:record-files"] == "3"
    libc = next(c for c in doc["components"] if c["name"] == "libc6")
    assert libc["purl"] == "pkg:deb/debian/libc6@2.36-9?arch=amd64"
    assert doc["metadata"]["component"]["type"] == "container"
    assert len(doc["dependencies"][0]["dependsOn"]) == len(found.python) + len(found.debian)


def test_spdx_document_validates(tmp_path: Path) -> None:
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    _, text = api.sbom("demo:1", fmt="spdx-json", engine=serve(image()), context=project(tmp_path))
    path = tmp_path / "sbom.spdx.json"
    path.write_text(text)
    document = parse_file(str(path))  # spdx-tools reads it back ...
    assert validate_full_spdx_document(document) == []  # ... and finds nothing wrong
    doc = json.loads(text)
    lib = next(p for p in doc["packages"] if p["name"] == "my-lib")
    assert lib["licenseDeclared"] == "MIT OR Apache-2.0"
    flask = next(p for p in doc["packages"] if p["name"] == "Flask")
    assert flask["licenseDeclared"] == "NOASSERTION" and "BSD License" in flask["licenseComments"]
    assert flask["checksums"] == [{"algorithm": "SHA256", "checksumValue": "a" * 64}]
    assert sum(r["relationshipType"] == "CONTAINS" for r in doc["relationships"]) == len(doc["packages"]) - 1


def test_drift_from_the_lock_in_sbom_and_audit(tmp_path: Path) -> None:
    root = project(tmp_path, flask="3.0.1")
    found, text = api.sbom("demo:1", engine=serve(image()), context=root)
    (drifted,) = found.drift()
    assert drifted.key == "flask" and drifted.lock is not None and drifted.lock.locked_version == "3.0.1"
    flask = next(c for c in json.loads(text)["components"] if c["name"] == "Flask")
    assert "hashes" not in flask  # the lock's hashes are not this version's
    result = api.audit("demo:1", engine=serve(image()), context=root).check("lock")
    assert result.status is Status.FAIL
    assert result.evidence[0].path == f"/{SP}/flask-3.0.0.dist-info"
    assert "installed 3.0.0, requirements.txt pins 3.0.1" in result.evidence[0].detail


def test_audit_lock_check_passes_and_skips(tmp_path: Path) -> None:
    assert (
        api.audit("demo:1", engine=serve(image()), context=project(tmp_path)).check("lock").status
        is Status.PASS
    )
    assert api.audit("demo:1", engine=serve(image())).check("lock").status is Status.SKIP


def test_audit_checks_the_lock_dockwright_generated(tmp_path: Path) -> None:
    """A PEP 621 project whose lock `init` generated (requirements.lock) is checked against it too."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\ndependencies = ["flask", "my-lib"]\n'
    )
    (tmp_path / "app.py").write_text("print('hi')\n")
    (tmp_path / "requirements.lock").write_text(
        "# Hash-locked requirements generated by dockwright; do not edit by hand.\n"
        f"# dockwright-source: pyproject.toml requirements-sha256={'c' * 64}\n"
        f"flask==3.0.1 \\\n    --hash={FLASK_HASH}\nmy-lib==1.2 \\\n    --hash=sha256:{'b' * 64}\n"
    )
    result = api.audit("demo:1", engine=serve(image()), context=tmp_path).check("lock")
    assert result.status is Status.FAIL  # the image has flask 3.0.0
    assert "installed 3.0.0, requirements.lock pins 3.0.1" in result.evidence[0].detail


def test_cli_writes_the_sbom_and_warns_about_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = serve(image())
    real = api.sbom

    def fake_sbom(image_ref: str, **kw: Any) -> Any:
        kw.pop("engine", None)
        return real(image_ref, engine=engine, **kw)

    monkeypatch.setattr("dockwright.cli.sbom_cmd.api.sbom", fake_sbom)
    out = tmp_path / "out" / "sbom.json"
    out.parent.mkdir()
    (tmp_path / "p").mkdir()
    root = project(tmp_path / "p", flask="3.0.1")
    assert main(["sbom", "demo:1", "--context", str(root), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: Flask 3.0.0 installed, requirements.txt pins 3.0.1" in err
    assert "2 Python distributions, 2 Debian packages" in err
    assert json.loads(out.read_text())["bomFormat"] == "CycloneDX"
    assert main(["sbom", "demo:1", "--format", "spdx-json"]) == 0
    assert json.loads(capsys.readouterr().out)["spdxVersion"] == "SPDX-2.3"
    assert main(["sbom", "demo:1", "--format", "xml"]) == 2


def test_missing_sbom_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "cyclonedx.model.bom", None)  # import fails as if not installed
    with pytest.raises(ConfigError, match=r"pip install 'dockwright\[sbom\]'"):
        api.sbom("demo:1", engine=serve(image()))
