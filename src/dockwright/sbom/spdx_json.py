"""An Inventory as an SPDX 2.3 JSON document (spdx-tools' model, validator and JSON writer)."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timezone
from typing import Any

from dockwright import __version__
from dockwright.audit.inventory import Inventory
from dockwright.sbom import missing_library
from dockwright.sbom.common import (
    TOOL,
    debian_properties,
    debian_purl,
    lock_hashes,
    python_properties,
    python_purl,
)


def _spdx_id(prefix: str, index: int) -> str:
    return f"SPDXRef-{prefix}-{index}"


def spdx_json(inventory: Inventory, *, validate: bool = True) -> str:
    """The SPDX 2.3 JSON text; spdx-tools validates the document before it writes it."""
    try:
        from spdx_tools.common.spdx_licensing import spdx_licensing
        from spdx_tools.spdx.model import (
            Actor,
            ActorType,
            Checksum,
            ChecksumAlgorithm,
            CreationInfo,
            Document,
            ExternalPackageRef,
            ExternalPackageRefCategory,
            Package,
            Relationship,
            RelationshipType,
            SpdxNoAssertion,
        )
        from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream
    except ImportError as error:
        raise missing_library("--format spdx-json", error) from error

    def licence(text: str) -> tuple[Any, str | None]:
        """(an SPDX expression, or NOASSERTION with the text as a comment when it is no SPDX expression)."""
        if text and not spdx_licensing.validate(text).errors:
            return spdx_licensing.parse(text), None
        return SpdxNoAssertion(), (f"declared: {text}" if text else None)

    def comment(rows: list[tuple[str, str]]) -> str:
        return "; ".join(f"{name}={value}" for name, value in rows)

    name = inventory.ref or inventory.image_id
    creation = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=f"{name} (dockwright sbom)",
        document_namespace=f"https://spdx.org/spdxdocs/dockwright/{uuid.uuid4()}",
        creators=[Actor(ActorType.TOOL, f"{TOOL}-{__version__}")],
        created=datetime.now(tz=timezone.utc).replace(microsecond=0),
    )
    image = Package(
        spdx_id="SPDXRef-image",
        name=name,
        version=inventory.image_id or None,
        download_location=SpdxNoAssertion(),
        files_analyzed=False,
        comment=f"container image; {inventory.os_release} {inventory.architecture}".strip(),
    )
    packages = [image]
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-image")]
    for index, dist in enumerate(inventory.python):
        declared, licence_comment = licence(dist.licence)
        package = Package(
            spdx_id=_spdx_id("pypi", index),
            name=dist.name,
            version=dist.version,
            download_location=SpdxNoAssertion(),
            files_analyzed=False,
            checksums=[Checksum(ChecksumAlgorithm.SHA256, h) for h in lock_hashes(dist)],
            license_declared=declared,
            license_concluded=SpdxNoAssertion(),
            license_comment=licence_comment,
            homepage=dist.homepage or None,
            summary=dist.summary or None,
            comment=comment(python_properties(dist)),
            external_references=[
                ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", python_purl(dist))
            ],
        )
        packages.append(package)
        relationships.append(Relationship("SPDXRef-image", RelationshipType.CONTAINS, package.spdx_id))
    for index, deb in enumerate(inventory.debian):
        package = Package(
            spdx_id=_spdx_id("deb", index),
            name=deb.name,
            version=deb.version,
            download_location=SpdxNoAssertion(),
            files_analyzed=False,
            license_declared=SpdxNoAssertion(),
            license_concluded=SpdxNoAssertion(),
            comment=comment(debian_properties(deb)),
            external_references=[
                ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", debian_purl(deb))
            ],
        )
        packages.append(package)
        relationships.append(Relationship("SPDXRef-image", RelationshipType.CONTAINS, package.spdx_id))
    document = Document(creation_info=creation, packages=packages, relationships=relationships)
    stream = io.StringIO()
    try:
        write_document_to_stream(document, stream, validate=validate)
    except ValueError as error:
        from dockwright.errors import ConfigError

        raise ConfigError(f"the SPDX document does not validate: {str(error)[:300]}") from error
    return stream.getvalue()
