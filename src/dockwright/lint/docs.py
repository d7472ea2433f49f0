"""docs/rules.md, generated from the registry: ``python -m dockwright.lint.docs > docs/rules.md``."""

from __future__ import annotations

import re
from importlib import resources

from dockwright.lint.registry import GROUPS, RULES
from dockwright.toml_reader import tomllib


def parity() -> dict[str, dict[str, dict[str, str]]]:
    """``lint/data/parity.toml``: each hadolint rule and BuildKit check -> the dockwright rule, or why not."""
    text = resources.files("dockwright.lint").joinpath("data/parity.toml").read_text("utf-8")
    return tomllib.loads(text)


def _parity_markdown() -> list[str]:
    out = [
        "",
        "## Parity with hadolint and BuildKit's build checks",
        "",
        "Every hadolint rule and every BuildKit build check, with the dockwright rule that covers it or why",
        "none does (from `lint/data/parity.toml`). hadolint's pragmas (`# hadolint ignore=DL3042`) suppress",
        "the dockwright rule that stands for that code.",
    ]
    for table, title in (("hadolint", "hadolint"), ("buildkit", "BuildKit build check")):
        out += ["", f"| {title} | dockwright | note |", "| --- | --- | --- |"]
        for code, entry in parity()[table].items():
            out.append(f"| {code} | {entry.get('covered', '')} | {entry.get('why', '')} |")
    return out


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
    out += _parity_markdown()
    group = None
    for rule in RULES:
        if GROUPS.get(rule.code[:3]) != group:
            group = GROUPS.get(rule.code[:3])
            out += ["", f"## {group}"]
        out += ["", f"### {rule.code} `{rule.name}` ({rule.severity.value})", "", _demote(rule.docs)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
