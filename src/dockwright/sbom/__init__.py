"""SBOM documents (CycloneDX JSON, SPDX JSON) of what an image really contains.

The inventory is :mod:`dockwright.audit.inventory`; these modules only turn it into a document with
the maintained libraries (``cyclonedx-python-lib``, ``spdx-tools``: ``pip install 'dockwright[sbom]'``).
"""

from __future__ import annotations

from dockwright.errors import ConfigError

FORMATS = ("cyclonedx-json", "spdx-json")
INSTALL_HINT = "pip install 'dockwright[sbom]'"


def missing_library(what: str, error: ImportError) -> ConfigError:
    return ConfigError(f"{what} needs {error.name or 'its library'}, which is not installed: {INSTALL_HINT}")
