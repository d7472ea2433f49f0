"""`dockwright audit`: the Pro shipping checklist verified on a built image, Python-aware.

The names below load on first use (PEP 562): reading an image (``dockwright.audit.image``) does not
load the checklist, so ``run_audit`` can load it while the engine exports the image. Nothing is
imported here (not even ``typing``): ``dockwright audit`` asks for the export from
:mod:`dockwright.audit.prefetch` before anything else loads.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from dockwright.audit.audit import AUDIT_SCHEMA, AuditReport, report_from_facts, run_audit
    from dockwright.audit.checks import CHECKS, CheckOptions, CheckResult, Evidence, Status
    from dockwright.audit.image import ImageFacts, facts_from_archive, read_image

_HOME = {
    "AUDIT_SCHEMA": "audit",
    "AuditReport": "audit",
    "report_from_facts": "audit",
    "run_audit": "audit",
    "CHECKS": "checks",
    "CheckOptions": "checks",
    "CheckResult": "checks",
    "Evidence": "checks",
    "Status": "checks",
    "ImageFacts": "image",
    "facts_from_archive": "image",
    "read_image": "image",
}

__all__ = [
    "AUDIT_SCHEMA",
    "CHECKS",
    "AuditReport",
    "CheckOptions",
    "CheckResult",
    "Evidence",
    "ImageFacts",
    "Status",
    "facts_from_archive",
    "read_image",
    "report_from_facts",
    "run_audit",
]


def __getattr__(name: str) -> Any:
    import importlib

    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
