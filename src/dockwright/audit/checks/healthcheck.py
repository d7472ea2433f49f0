r"""## What it does
PASS when the image config has a `HEALTHCHECK`, or says it was left out on purpose
(`HEALTHCHECK NONE`, or a label or variable named `*healthcheck*` set to `none`/`off`/`disabled`).
FAIL when the history set a HEALTHCHECK the config lost (an OCI-format build, Podman/Buildah's
default, has no field for it) or when the image `EXPOSE`s a port without one; WARN otherwise.

## Why is this bad?
Without a probe the engine reports a container as running while the app inside hangs or has not
started yet: a restart policy never fires and a rollout sends traffic too early.

## Example
```Dockerfile
EXPOSE 8000
CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
```

## Use instead
```Dockerfile
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/')"]
CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
```
"""

from __future__ import annotations

import re

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts

ID = "healthcheck"
TITLE = "Healthcheck present or consciously omitted"
GROUP = "checklist"


_OMIT_VALUES = {"none", "omitted", "disabled", "off", "false", "0"}


# a HEALTHCHECK instruction in history: "/bin/sh -c #(nop) HEALTHCHECK ..." (classic, Buildah) or
# "HEALTHCHECK &{[...] ...}" (BuildKit)
_HEALTHCHECK_STEP = re.compile(r"^(?:/bin/sh -c #\(nop\)\s+)?HEALTHCHECK\b(.*)$", re.S)


def _dropped_healthcheck(facts: ImageFacts) -> tuple[int | None, str] | None:
    """The last history step that set a HEALTHCHECK (not NONE), when the config has none: dropped."""
    for entry in reversed(facts.history):
        match = _HEALTHCHECK_STEP.match(entry.created_by.strip())
        if match:
            first = match[1].split()[:1]
            if first and "NONE" in first[0]:  # "NONE" or BuildKit's &{["NONE"] ...}
                return None
            return entry.layer, entry.created_by.strip()
    return None


def check_healthcheck(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Healthcheck present, or consciously omitted (HEALTHCHECK NONE, or a *healthcheck label/env = none)."""
    title = "Healthcheck present or consciously omitted"
    test = facts.config.healthcheck
    if test and test[0] == "NONE":
        return CheckResult(
            "healthcheck",
            title,
            Status.PASS,
            "omitted on purpose (HEALTHCHECK NONE)",
            (Evidence("Config.Healthcheck", None, 0, "NONE"),),
        )
    if test:
        return CheckResult(
            "healthcheck",
            title,
            Status.PASS,
            "probe: " + " ".join(test[1:])[:120],
            (Evidence("Config.Healthcheck", None, 0, " ".join(test)[:200]),),
        )
    for key, value in (*facts.config.labels, *facts.config.env):
        if "healthcheck" in key.lower() and value.strip().lower() in _OMIT_VALUES:
            return CheckResult(
                "healthcheck",
                title,
                Status.PASS,
                f"omitted on purpose ({key}={value})",
                (Evidence(key, None, 0, value),),
            )
    dropped = _dropped_healthcheck(facts)
    if dropped is not None:
        return CheckResult(
            "healthcheck",
            title,
            Status.FAIL,
            "the Dockerfile's HEALTHCHECK is not in the image config: the image was written in OCI format "
            "(Podman/Buildah's default), which has no healthcheck field; rebuild with `--format docker` "
            "(dockwright build --engine podman passes it)",
            (Evidence("history", dropped[0], 0, dropped[1][:200]),),
        )
    ports = facts.config.exposed_ports
    if ports:
        return CheckResult(
            "healthcheck",
            title,
            Status.FAIL,
            f"web image (EXPOSE {', '.join(ports)}) without HEALTHCHECK",
            (Evidence("Config.ExposedPorts", None, 0, ", ".join(ports)),),
        )
    return CheckResult(
        "healthcheck", title, Status.WARN, "no HEALTHCHECK and no marker that it was left out on purpose"
    )
