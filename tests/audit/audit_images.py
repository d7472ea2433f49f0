"""Image tarballs made by the tests (legacy docker-archive and OCI layouts) and a FakeEngine serving them."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from dockwright.engine.base import BuildRequest, BuildStep, Image, RunResult
from dockwright.errors import EngineError


@dataclass
class F:
    """One entry of a crafted layer."""

    path: str
    data: bytes | int = b""  # bytes, or a size (filled with zeros)
    mode: int = 0o644
    uid: int = 0
    kind: str = "file"  # file | dir | symlink | hardlink | whiteout | opaque
    link: str = ""


def layer_tar(entries: Sequence[F]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for e in entries:
            name = e.path.lstrip("/")
            if e.kind == "whiteout":
                d, _, b = name.rpartition("/")
                info = tarfile.TarInfo((d + "/" if d else "") + ".wh." + b)
                tar.addfile(info, io.BytesIO(b""))
                continue
            if e.kind == "opaque":
                info = tarfile.TarInfo(name + "/.wh..wh..opq")
                tar.addfile(info, io.BytesIO(b""))
                continue
            info = tarfile.TarInfo(name)
            info.mode = e.mode
            info.uid = info.gid = e.uid
            if e.kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = e.mode if e.mode != 0o644 else 0o755
                tar.addfile(info)
            elif e.kind in ("symlink", "hardlink"):
                info.type = tarfile.SYMTYPE if e.kind == "symlink" else tarfile.LNKTYPE
                info.linkname = e.link
                tar.addfile(info)
            else:
                data = e.data if isinstance(e.data, bytes) else bytes(e.data)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


BASE_PASSWD = (
    b"root:x:0:0:root:/root:/bin/bash\n"
    b"app:x:10001:10001::/home/app:/usr/sbin/nologin\n"
    b"web:x:1000:1000::/home/web:/bin/sh\n"
)

CLEAN_CONFIG: dict[str, Any] = {
    "User": "10001:10001",
    "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1"],
    "Entrypoint": ["/usr/bin/tini", "--"],
    "Cmd": ["gunicorn", "-b", "0.0.0.0:8000", "app:app"],
    "ExposedPorts": {"8000/tcp": {}},
    "WorkingDir": "/app",
    "Labels": {
        "org.opencontainers.image.title": "demo",
        "org.opencontainers.image.version": "1.2.3",
        "org.opencontainers.image.revision": "abc123",
        "org.opencontainers.image.created": "2026-01-01T00:00:00Z",
    },
    "Healthcheck": {"Test": ["CMD", "python", "-c", "import socket"], "Interval": 1000000000},
}


def base_layer() -> list[F]:
    return [
        F("bin", kind="dir"),
        F("bin/sh", b"\x7fELF sh", mode=0o755),
        F("etc", kind="dir"),
        F("etc/passwd", BASE_PASSWD),
        F("etc/os-release", b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'),
        F("usr/bin/su", b"\x7fELF su", mode=0o4755),
        F("usr/local/bin/python3.11", 4000, mode=0o755),
        F("usr/local/lib/python3.11/os.py", 2000),
        F(
            "var/lib/dpkg/status",
            b"Package: libc6\nStatus: install ok installed\n\nPackage: tini\nStatus: install ok installed\n",
        ),
    ]


def app_layer() -> list[F]:
    sp = "usr/local/lib/python3.11/site-packages"
    return [
        F(f"{sp}/flask/__init__.py", 3000),
        F(f"{sp}/flask-3.0.0.dist-info", kind="dir"),
        F(f"{sp}/flask-3.0.0.dist-info/METADATA", 500),
        F("app/app.py", b"print('hi')\n"),
        F("usr/bin/tini", 1000, mode=0o755),
    ]


@dataclass
class Img:
    layers: list[list[F]]
    config: dict[str, Any] = field(default_factory=lambda: json.loads(json.dumps(CLEAN_CONFIG)))
    history: list[dict[str, Any]] | None = None


def _history(img: Img) -> list[dict[str, Any]]:
    if img.history is not None:
        return img.history
    rows = [
        {"created_by": f"RUN step {i}", "created": "2026-01-01T00:00:00Z"} for i in range(len(img.layers))
    ]
    rows.insert(1, {"created_by": "/bin/sh -c #(nop)  ENV PYTHONUNBUFFERED=1", "empty_layer": True})
    return rows


def _config_doc(img: Img, diff_ids: list[str]) -> bytes:
    doc = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2026-01-01T00:00:00Z",
        "config": img.config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": _history(img),
    }
    return json.dumps(doc).encode()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def with_gzip_blobs(archive: bytes, blob: bytes) -> bytes:
    """``archive`` (an OCI save) with every gzip blob replaced by ``blob`` (a damaged layer)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(archive)) as src, tarfile.open(fileobj=out, mode="w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            _add(dst, member.name, blob if data[:2] == b"\x1f\x8b" else data)
    return out.getvalue()


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def legacy_archive(
    img: Img, ref: str = "demo:1", *, manifest_last: bool = True, dup_symlink: bool = True
) -> bytes:
    """docker-archive as dockerd 20.10 writes it: <id>/layer.tar, <config>.json, manifest.json."""
    tars = [layer_tar(entries) for entries in img.layers]
    diff_ids = [sha(t) for t in tars]
    config = _config_doc(img, diff_ids)
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    out = io.BytesIO()
    names: list[str] = []
    seen: dict[str, str] = {}
    with tarfile.open(fileobj=out, mode="w") as tar:
        manifest = json.dumps([{"Config": config_name, "RepoTags": [ref], "Layers": names}])
        if not manifest_last:
            _add(tar, config_name, config)
        for i, t in enumerate(tars):
            layer_id = hashlib.sha256(f"{i}{diff_ids[i]}".encode()).hexdigest()
            name = f"{layer_id}/layer.tar"
            names.append(name)
            if dup_symlink and diff_ids[i] in seen:
                info = tarfile.TarInfo(name)
                info.type = tarfile.SYMTYPE
                info.linkname = "../" + seen[diff_ids[i]]
                tar.addfile(info)
                continue
            seen[diff_ids[i]] = name
            _add(tar, f"{layer_id}/VERSION", b"1.0")
            _add(tar, f"{layer_id}/json", json.dumps({"id": layer_id}).encode())
            _add(tar, name, t)
        manifest = json.dumps([{"Config": config_name, "RepoTags": [ref], "Layers": names}])
        if manifest_last:
            _add(tar, config_name, config)
        _add(tar, "manifest.json", manifest.encode())
        _add(tar, "repositories", json.dumps({ref.split(":")[0]: {ref.split(":")[1]: "x"}}).encode())
    return out.getvalue()


def oci_archive(
    img: Img, ref: str = "demo:1", *, compress: bool = True, docker_manifest: bool = False
) -> bytes:
    """OCI layout (index.json, blobs/sha256/...), gzip layers, index written after the blobs."""
    tars = [layer_tar(entries) for entries in img.layers]
    diff_ids = [sha(t) for t in tars]
    blobs = [gzip.compress(t, mtime=0) if compress else t for t in tars]
    config = _config_doc(img, diff_ids)
    media = "application/vnd.oci.image.layer.v1.tar" + ("+gzip" if compress else "")
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": sha(config),
                "size": len(config),
            },
            "layers": [{"mediaType": media, "digest": sha(b), "size": len(b)} for b in blobs],
        }
    ).encode()
    index = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": sha(manifest),
                    "size": len(manifest),
                    "annotations": {"io.containerd.image.name": ref},
                }
            ],
        }
    ).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for b in blobs:
            _add(tar, "blobs/sha256/" + sha(b).split(":")[1], b)
        _add(tar, "blobs/sha256/" + sha(config).split(":")[1], config)
        _add(tar, "blobs/sha256/" + sha(manifest).split(":")[1], manifest)
        _add(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        _add(tar, "index.json", index)
        if docker_manifest:
            legacy = [
                {
                    "Config": "blobs/sha256/" + sha(config).split(":")[1],
                    "RepoTags": [ref],
                    "Layers": ["blobs/sha256/" + sha(b).split(":")[1] for b in blobs],
                }
            ]
            _add(tar, "manifest.json", json.dumps(legacy).encode())
    return out.getvalue()


class FakeEngine:
    """Serves crafted ``docker save`` tarballs; records run/stop calls; scripted container states."""

    def __init__(self, images: Mapping[str, tuple[bytes, dict[str, Any]]]) -> None:
        self.images = dict(images)
        self.states: list[dict[str, Any]] = [{"Running": True, "Health": {"Status": "healthy"}}]
        self.stop_seconds = 0.4
        self.log_text = ""
        self.calls: list[str] = []

    def _get(self, ref: str) -> tuple[bytes, dict[str, Any]]:
        if ref not in self.images:
            raise EngineError(f"no such image: {ref}")
        return self.images[ref]

    def build_command(self, request: BuildRequest) -> list[str]:
        raise NotImplementedError

    def build(self, request: BuildRequest, on_step: Callable[[BuildStep], None] | None = None) -> Image:
        raise NotImplementedError

    def inspect_image(self, ref: str) -> dict[str, Any]:
        self.calls.append(f"inspect {ref}")
        return self._get(ref)[1]

    def history(self, ref: str) -> list[dict[str, Any]]:
        return []

    def save(self, ref: str) -> IO[bytes]:
        self.calls.append(f"save {ref}")
        return io.BytesIO(self._get(ref)[0])

    def run(self, ref: str, args: Sequence[str] = (), **kw: Any) -> RunResult:
        self.calls.append(f"run {ref} {kw.get('name')}")
        return RunResult(0, "cid", "")

    def container_inspect(self, name: str) -> dict[str, Any]:
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return {"State": state}

    def stop(self, name: str, timeout: int = 10) -> float:
        self.calls.append(f"stop {name}")
        return self.stop_seconds

    def remove(self, name: str) -> None:
        self.calls.append(f"remove {name}")

    def logs(self, name: str) -> str:
        return self.log_text


def serve(img: Img, layout: str = "legacy", ref: str = "demo:1") -> FakeEngine:
    data = legacy_archive(img, ref) if layout == "legacy" else oci_archive(img, ref)
    inspect = {"Id": "sha256:" + "ab" * 32, "RepoTags": [ref], "Size": 0, "Config": img.config}
    return FakeEngine({ref: (data, inspect)})
