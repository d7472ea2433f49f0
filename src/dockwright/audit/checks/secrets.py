"""## What it does
Private keys and tokens in small files, in any layer (deleted later still ships in the layer).
"""

from __future__ import annotations

import re

from dockwright.audit.checks.base import CheckOptions, CheckResult, Evidence, Status, _cap
from dockwright.audit.checks.common import _in_site_packages
from dockwright.audit.image import ImageFacts

ID = "secrets"
TITLE = "No private keys or tokens"
GROUP = "python"


def check_secrets(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Private keys and tokens in small files, in any layer (deleted later still ships in the layer)."""
    title = "No private keys or tokens"
    fail: list[Evidence] = []
    warn: list[Evidence] = []
    for hit in facts.secrets:
        detail = hit.kind + ("" if hit.visible else " (deleted later, still in the layer)")
        ev = Evidence("/" + hit.path, hit.layer, hit.size, detail)
        benign = (_in_site_packages(hit.path) and re.search(r"/tests?/", hit.path)) or "snakeoil" in hit.path
        (warn if benign else fail).append(ev)
    if fail:
        return CheckResult(
            "secrets",
            title,
            Status.FAIL,
            f"{len(fail)} files with keys or tokens",
            _cap(fail + warn),
            "python",
        )
    if warn:
        return CheckResult(
            "secrets", title, Status.WARN, f"{len(warn)} test/snakeoil keys", _cap(warn), "python"
        )
    return CheckResult("secrets", title, Status.PASS, "none found in files < 64 KiB", group="python")
