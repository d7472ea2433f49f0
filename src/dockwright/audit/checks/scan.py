"""## What it does
Runs Trivy (`trivy image`) or Grype on the image when one of them is on PATH: FAIL on a CRITICAL
vulnerability, WARN on a HIGH one (or when the scanner fails), with the vulnerability ids and
packages as evidence. SKIP when neither is installed.

## Why is this bad?
A known vulnerability in an OS package or a Python distribution ships with every copy of the
image; the fix is usually a newer base image or a version bump that a scan names.

## Example
```Dockerfile
FROM python:3.12.0-slim-bookworm
```
(an old patch release: its OS packages carry fixed CVEs)

## Use instead
```Dockerfile
FROM python:3.12.8-slim-bookworm
```
(rebuilt regularly; `dockwright audit` with `trivy` or `grype` on PATH)
"""

from __future__ import annotations

import json
import subprocess

from dockwright.audit.checks.base import EVIDENCE_LIMIT, CheckOptions, CheckResult, Evidence, Status
from dockwright.audit.image import ImageFacts

ID = "scan"
TITLE = "Security scan"
GROUP = "checklist"


def check_scan(facts: ImageFacts, options: CheckOptions) -> CheckResult:
    """Security scan with Trivy or Grype when one is on PATH (CRITICAL → FAIL, HIGH → WARN)."""
    title = "Security scan"
    ref = facts.ref or facts.image_id
    for tool in ("trivy", "grype"):
        if options.which(tool):
            break
    else:
        return CheckResult("scan", title, Status.SKIP, "neither trivy nor grype is on PATH: not scanned")
    argv = (
        ["trivy", "image", "--quiet", "--format", "json", "--scanners", "vuln", ref]
        if tool == "trivy"
        else ["grype", ref, "-o", "json", "-q"]
    )
    try:
        done = options.run_process(argv, 900.0)
        data = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        return CheckResult("scan", title, Status.WARN, f"{tool} failed: {error}")
    if not isinstance(data, dict):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return CheckResult("scan", title, Status.WARN, f"{tool} could not scan: {last}")
    found: list[tuple[str, str, str]] = []
    if tool == "trivy":
        for result in data.get("Results") or ():
            for vuln in result.get("Vulnerabilities") or ():
                found.append(
                    (
                        str(vuln.get("Severity", "")).upper(),
                        str(vuln.get("VulnerabilityID", "")),
                        str(vuln.get("PkgName", "")),
                    )
                )
    else:
        for match in data.get("matches") or ():
            vuln = match.get("vulnerability") or {}
            found.append(
                (
                    str(vuln.get("severity", "")).upper(),
                    str(vuln.get("id", "")),
                    str((match.get("artifact") or {}).get("name", "")),
                )
            )
    counts = {s: sum(1 for f in found if f[0] == s) for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW")}
    summary = f"{tool}: " + ", ".join(f"{n} {s.lower()}" for s, n in counts.items())
    evidence = tuple(
        Evidence(pkg, None, 0, f"{sev} {vid}") for sev, vid, pkg in found if sev in ("CRITICAL", "HIGH")
    )[:EVIDENCE_LIMIT]
    status = Status.FAIL if counts["CRITICAL"] else Status.WARN if counts["HIGH"] else Status.PASS
    return CheckResult("scan", title, status, summary, evidence)
