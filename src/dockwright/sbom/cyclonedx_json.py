"""An Inventory as a CycloneDX 1.6 JSON document (cyclonedx-python-lib's model and serializer)."""

from __future__ import annotations

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


def cyclonedx_json(inventory: Inventory, *, validate: bool = True) -> str:
    """The CycloneDX 1.6 JSON text; ``validate`` checks it against the schema the library ships."""
    try:
        from cyclonedx.contrib.license.factories import LicenseFactory
        from cyclonedx.model import HashAlgorithm, HashType, Property
        from cyclonedx.model.bom import Bom
        from cyclonedx.model.component import Component, ComponentType
        from cyclonedx.model.tool import Tool
        from cyclonedx.output.json import JsonV1Dot6
        from packageurl import PackageURL
    except ImportError as error:
        raise missing_library("--format cyclonedx-json", error) from error

    licences = LicenseFactory()

    def properties(rows: list[tuple[str, str]]) -> list[Any]:
        return [Property(name=name, value=value) for name, value in rows]

    bom = Bom()
    bom.metadata.tools.tools.add(Tool(vendor=TOOL, name=TOOL, version=__version__))
    image = Component(
        name=inventory.ref or inventory.image_id,
        type=ComponentType.CONTAINER,
        version=inventory.image_id or None,
        bom_ref=f"image:{inventory.image_id or inventory.ref}",
        properties=properties(
            [
                ("dockwright:os-release", inventory.os_release),
                ("dockwright:architecture", inventory.architecture),
            ]
        ),
    )
    bom.metadata.component = image
    components = []
    for dist in inventory.python:
        purl = python_purl(dist)
        component = Component(
            name=dist.name,
            version=dist.version,
            type=ComponentType.LIBRARY,
            purl=PackageURL.from_string(purl),
            bom_ref=f"{purl}#{dist.path}",
            description=dist.summary or None,
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=h) for h in lock_hashes(dist)],
            licenses=[licences.make_from_string(dist.licence)] if dist.licence else [],
            properties=properties(python_properties(dist)),
        )
        components.append(component)
    distro = "debian"
    for package in inventory.debian:
        purl = debian_purl(package, distro)
        components.append(
            Component(
                name=package.name,
                version=package.version,
                type=ComponentType.LIBRARY,
                purl=PackageURL.from_string(purl),
                bom_ref=purl,
                properties=properties(debian_properties(package)),
            )
        )
    for component in components:
        bom.components.add(component)
    bom.register_dependency(image, components)
    text = str(JsonV1Dot6(bom).output_as_string(indent=2))
    if validate:
        validate_cyclonedx(text)
    return text


def validate_cyclonedx(text: str) -> None:
    """Raise ConfigError when ``text`` is not valid CycloneDX 1.6 JSON (needs the json-validation extra)."""
    from dockwright.errors import ConfigError

    try:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
    except ImportError as error:
        raise missing_library("validating CycloneDX", error) from error
    try:
        problem = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    except ImportError as missing:  # the validator's jsonschema extra
        raise missing_library("validating CycloneDX", missing) from missing
    if problem is not None:
        raise ConfigError(f"the CycloneDX document does not validate: {problem}")
