"""Render lint results: ruff-like text with a code frame, JSON, SARIF 2.1.0 and GitHub annotations."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from dockwright import __version__
from dockwright.lint.linter import LintResult
from dockwright.lint.registry import RULES
from dockwright.lint.rule import Applicability, Finding, Severity
from dockwright.output import printable, workflow_data, workflow_property

LINT_SCHEMA = "dockwright.lint/1"
_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}


def _frame(text: str, finding: Finding, colour: bool) -> list[str]:
    lines = text.splitlines()
    number = finding.span.line
    if not 1 <= number <= len(lines):
        return []
    source = lines[number - 1]
    start = max(finding.span.column - 1, 0)
    end = finding.span.end_column - 1 if finding.span.end_line == number else len(source)
    width = max(end - start, 1)
    gutter = len(str(number))
    caret = "^" * min(width, max(len(source) - start, 1))
    if colour:
        caret = f"{_COLOURS[finding.severity]}{caret}\x1b[0m"
    shown = printable(source)  # a Dockerfile line never reaches the terminal raw
    return [f"{' ' * gutter} |", f"{number} | {shown}", f"{' ' * gutter} | {' ' * start}{caret}"]


def render_text(result: LintResult, *, colour: bool = False) -> str:
    out: list[str] = []
    for file in result.files:
        for finding in file.findings:
            code = f"{_COLOURS[finding.severity]}{finding.code}\x1b[0m" if colour else finding.code
            where = printable(f"{finding.path}:{finding.span.line}:{finding.span.column}")
            out.append(f"{where}: {code} [{finding.name}] {printable(finding.message)}")
            out += _frame(file.text, finding, colour)
            if finding.fix is not None:
                unsafe = (
                    " (unsafe: --unsafe-fixes)" if finding.fix.applicability is Applicability.UNSAFE else ""
                )
                out.append(f"  help: {finding.fix.description}{unsafe}")
            out.append("")
    findings = result.findings
    if not findings:
        out.append(f"All checks passed ({len(result.files)} file{'s' if len(result.files) != 1 else ''}).")
        return "\n".join(out)
    counts = Counter(f.severity.value for f in findings)
    fixable = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.SAFE)
    summary = ", ".join(f"{counts[s.value]} {s.value}" for s in Severity if counts[s.value])
    plural = "s" if len(findings) != 1 else ""
    out.append(f"Found {len(findings)} finding{plural} ({summary}) in {len(result.files)} file(s).")
    if fixable:
        out.append(f"[*] {fixable} fixable with `dockwright lint --fix`.")
    return "\n".join(out)


def _finding_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    data: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.path,
        "location": {
            "line": span.line,
            "column": span.column,
            "end_line": span.end_line,
            "end_column": span.end_column,
        },
        "fix": None,
    }
    if finding.fix:
        data["fix"] = {
            "description": finding.fix.description,
            "applicability": finding.fix.applicability.value,
            "edits": [
                {"start": e.start, "end": e.end, "replacement": e.replacement} for e in finding.fix.edits
            ],
        }
    return data


def render_json(result: LintResult) -> str:
    data = {
        "schema": LINT_SCHEMA,
        "files": [f.path for f in result.files],
        "findings": [_finding_dict(f) for f in result.findings],
    }
    return json.dumps(data, indent=2)


def render_sarif(result: LintResult) -> str:
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "help": {"text": rule.docs, "markdown": rule.docs},
            "defaultConfiguration": {"level": levels[rule.severity]},
            "properties": {"aliases": list(rule.aliases)},
        }
        for rule in RULES
    ]
    results = [
        {
            "ruleId": f.code,
            "level": levels[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path},
                        "region": {
                            "startLine": f.span.line,
                            "startColumn": f.span.column,
                            "endLine": f.span.end_line,
                            "endColumn": f.span.end_column,
                        },
                    }
                }
            ],
        }
        for f in result.findings
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dockwright", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2)


def render_gitlab(result: LintResult) -> str:
    """GitLab's code quality report (a JSON array; ``artifacts:reports:codequality`` in .gitlab-ci.yml)."""
    severities = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}
    issues = []
    seen: Counter[str] = Counter()
    for f in result.findings:
        # stable across unrelated edits: no line number, but the n-th occurrence of the same finding
        key = f"{f.path}\0{f.code}\0{f.message}"
        seen[key] += 1
        fingerprint = hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": f.code,
                "description": f"{f.code} [{f.name}] {f.message}",
                "categories": ["Style" if f.severity is Severity.INFO else "Bug Risk"],
                "severity": severities[f.severity],
                "fingerprint": fingerprint,
                "location": {"path": f.path, "lines": {"begin": f.span.line, "end": f.span.end_line}},
            }
        )
    return json.dumps(issues, indent=2)


def render_github(result: LintResult) -> str:
    kinds = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in result.findings:
        message = workflow_data(f"{f.code} [{f.name}] {f.message}")
        span = f.span
        where = f"file={workflow_property(f.path)},line={span.line},col={span.column},endLine={span.end_line}"
        lines.append(f"::{kinds[f.severity]} {where},title={workflow_property(f.code)}::{message}")
    return "\n".join(lines)
