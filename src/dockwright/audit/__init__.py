"""`dockwright audit`: the Pro shipping checklist verified on a built image, Python-aware."""

from dockwright.audit.audit import AUDIT_SCHEMA, AuditReport, report_from_facts, run_audit
from dockwright.audit.checks import CHECKS, CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts, facts_from_archive, read_image

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
