r"""## What it does
Reads the `org.opencontainers.image.*` labels: FAIL without any or without a `version`; WARN when
the version is `latest`, `unknown` or an unexpanded `$VARIABLE`, or when `title`, `revision` or
`created` is missing. A version kept under another key (label-schema.org's
`org.label-schema.version`, a bare `version`) is named in the summary, with the OCI key to use.

## Why is this bad?
A running container is traced back to its source through these labels: which release, which
commit, built when. Without them an incident starts with guessing which code is deployed.

## Example
```Dockerfile
LABEL maintainer="team@example.com"
```

## Use instead
```Dockerfile
ARG VERSION REVISION CREATED
LABEL org.opencontainers.image.title="shop" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
```
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
        return CheckResult(
            "labels", title, Status.FAIL, "no org.opencontainers.image.* labels" + _elsewhere(facts)
        )
    version = oci.get("version", "").strip()
    if not version:
        return CheckResult(
            "labels",
            title,
            Status.FAIL,
            "no org.opencontainers.image.version label" + _elsewhere(facts),
            evidence,
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


# Where images made before the OCI keys (2017) or by hand keep their version: label-schema.org's
# convention (its keys map one to one to the OCI annotations, https://github.com/opencontainers/
# image-spec/blob/main/annotations.md#back-compatibility-with-label-schema) and bare keys.
_OTHER_VERSION_KEYS = ("org.label-schema.version", "version", "VERSION", "release")


def _elsewhere(facts: ImageFacts) -> str:
    """A version the image labels under another key: told, with the OCI key to move it to."""
    for key in _OTHER_VERSION_KEYS:
        value = (facts.config.label(key) or "").strip()
        if value:
            return f" (the version is in {key}={value}: label it org.opencontainers.image.version too)"
    return ""
