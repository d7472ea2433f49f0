"""docs/rules.md, generated from the registry: ``python -m dockwright.lint.docs > docs/rules.md``."""

from __future__ import annotations

import re

from dockwright.lint.registry import GROUPS, RULES


def _demote(docs: str) -> str:
    """Rule docs use ``##`` sections; inside rules.md they sit one level deeper."""
    return re.sub(r"^## ", "#### ", docs, flags=re.M)


def rules_markdown() -> str:
    out = [
        "# dockwright lint rules",
        "",
        "Generated from the rule registry (`python -m dockwright.lint.docs`); do not edit by hand.",
        "Suppress one with `# dockwright: ignore=CODE` on the line before the instruction,",
        "`# dockwright: ignore-stage=CODE` after a `FROM`, or `# dockwright: ignore-file=CODE`.",
        "",
        "| code | name | severity | fix | hadolint | summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        fix = rule.fix.value if rule.fix else ""
        cells = (rule.code, f"`{rule.name}`", rule.severity.value, fix, ", ".join(rule.aliases), rule.summary)
        out.append("| " + " | ".join(cells) + " |")
    group = None
    for rule in RULES:
        if GROUPS.get(rule.code[:3]) != group:
            group = GROUPS.get(rule.code[:3])
            out += ["", f"## {group}"]
        out += ["", f"### {rule.code} `{rule.name}` ({rule.severity.value})", "", _demote(rule.docs)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
