"""ImageFacts read from a registry (HTTP API v2) instead of an engine: one per platform of an index.

The manifest, the config and every layer blob come from :class:`~dockwright.engine.registry.
RegistryClient`; each layer is streamed through the same file-table reader as ``docker save`` output
(:mod:`dockwright.audit.image`), so the checks see exactly what they see for a local image. Attestation
manifests (``unknown/unknown``) in an index are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dockwright.audit.image import ImageFacts, _add_layer, _Archive, _blob, build_facts
from dockwright.engine.registry import INDEX_TYPES, RegistryClient, parse_reference
from dockwright.errors import EngineError

_SKIPPED_LAYERS = ("foreign", "nondistributable")


@dataclass(frozen=True)
class PlatformImage:
    platform: str  # "linux/amd64", "linux/arm64/v8"
    digest: str  # the platform manifest's digest
    facts: ImageFacts


def _platform(entry: dict[str, Any] | None, config: dict[str, Any] | None = None) -> str:
    source = entry or config or {}
    parts = [str(source.get("os") or ""), str(source.get("architecture") or "")]
    if source.get("variant"):
        parts.append(str(source["variant"]))
    return "/".join(parts)


def _is_attestation(entry: dict[str, Any]) -> bool:
    annotations = entry.get("annotations") or {}
    platform = entry.get("platform") or {}
    return (
        annotations.get("vnd.docker.reference.type") == "attestation-manifest"
        or platform.get("os") == "unknown"
    )


def _facts(client: RegistryClient, manifest: dict[str, Any], digest: str, *, inventory: bool) -> ImageFacts:
    config_digest = str((manifest.get("config") or {}).get("digest") or "")
    if not config_digest:
        raise EngineError(f"registry {client.ref.host}: the manifest of {client.ref} names no config")
    config = client.blob_json(config_digest)
    archive = _Archive(inventory=inventory)
    for layer in manifest.get("layers") or ():
        layer_digest = str(layer.get("digest") or "")
        if any(kind in str(layer.get("mediaType", "")) for kind in _SKIPPED_LAYERS):
            continue
        with client.blob_stream(layer_digest) as stream:
            _add_layer(archive, _blob(layer_digest), int(layer.get("size") or 0), stream)
    archive.documents = {
        "index.json": {"manifests": [{"digest": digest, "platform": {"architecture": None}}]},
        _blob(digest): manifest,
        _blob(config_digest): config,
    }
    return build_facts(archive, ref=str(client.ref), inspect={"Id": config_digest})


def read_registry_image(
    ref: str, *, platform: str | None = None, inventory: bool = False
) -> tuple[PlatformImage, ...]:
    """Every platform image of ``ref`` (one for a plain manifest), or only ``platform``'s."""
    client = RegistryClient(parse_reference(ref))
    document, media, digest = client.manifest(client.ref.reference)
    if media in INDEX_TYPES or "manifests" in document:
        entries = [e for e in document.get("manifests") or () if not _is_attestation(e)]
        wanted = [e for e in entries if platform is None or _platform(e.get("platform")) == platform]
        if not wanted:
            offered = ", ".join(_platform(e.get("platform")) for e in entries) or "none"
            raise EngineError(f"{ref} has no image for {platform} (the index offers {offered})")
        images = []
        for entry in wanted:
            manifest, _, manifest_digest = client.manifest(str(entry["digest"]))
            facts = _facts(client, manifest, manifest_digest, inventory=inventory)
            images.append(PlatformImage(_platform(entry.get("platform")), manifest_digest, facts))
        return tuple(images)
    facts = _facts(client, document, digest, inventory=inventory)
    found = f"{facts.os}/{facts.architecture}"
    if platform is not None and found != platform:
        raise EngineError(f"{ref} is a single {found} image, not {platform}")
    return (PlatformImage(found, digest, facts),)
