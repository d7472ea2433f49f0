"""## What it does
OCI labels with a version (title, revision, source, created recommended).
"""

from __future__ import annotations

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts

ID = "labels"
TITLE = "OCI labels with a version"
GROUP = "checklist"


_OCI = "org.opencontainers.image."


def check_labels(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """OCI labels with a version (title, revision, source, created recommended)."""
    title = "OCI labels with a version"
    oci = {k[len(_OCI) :]: v for k, v in facts.config.labels if k.startswith(_OCI)}
    evidence = tuple(Evidence("Config.Labels", None, 0, f"{_OCI}{k}={v}") for k, v in sorted(oci.items()))
    if not oci:
        return CheckResult("labels", title, Status.FAIL, "no org.opencontainers.image.* labels")
    version = oci.get("version", "").strip()
    if not version:
        return CheckResult(
            "labels", title, Status.FAIL, "no org.opencontainers.image.version label", evidence
        )
    if version.lower() in ("latest", "unknown") or "$" in version:
        return CheckResult(
            "labels", title, Status.WARN, f"version label is {version!r}, not a version", evidence
        )
    missing = [
        k for k in ("title", "revision", "created") if oci.get(k, "").strip().lower() in ("", "unknown")
    ]
    if missing:
        return CheckResult(
            "labels", title, Status.WARN, f"version {version}; missing {', '.join(missing)}", evidence
        )
    return CheckResult("labels", title, Status.PASS, f"version {version}", evidence)
