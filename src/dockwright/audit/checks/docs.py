"""Each audit check's documentation, and docs/audit-checks.md generated from the registry:
``python -m dockwright.audit.checks.docs > docs/audit-checks.md``."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from dockwright.audit.checks.base import Check
from dockwright.audit.checks.registry import CHECKS, GROUPS, check_by_id, module_of
from dockwright.errors import DockwrightError


@dataclass(frozen=True)
class CheckDoc:
    id: str  # as in the report's checks[].id
    title: str
    group: str  # a key of registry.GROUPS
    docs: str  # Markdown: What it does / Why is this bad? / Example / Use instead


def describe(check: Check) -> CheckDoc:
    module = module_of(check)
    docs = inspect.cleandoc(module.__doc__ or "")
    return CheckDoc(str(module.ID), str(module.TITLE), str(module.GROUP), docs)


def explain(check_id: str) -> str:
    """The documentation of the check ``check_id``, as Markdown with a heading."""
    check = check_by_id(check_id)
    if check is None:
        raise DockwrightError(f"no audit check {check_id!r}; `dockwright audit --list-checks` lists them")
    doc = describe(check)
    return f"# {doc.id}: {doc.title}\n\n{GROUPS[doc.group]}.\n\n{doc.docs}\n"


def _demote(docs: str) -> str:
    """Check docs use ``##`` sections; inside audit-checks.md they sit one level deeper."""
    return re.sub(r"^## ", "#### ", docs, flags=re.M)


def checks_markdown() -> str:
    docs = [describe(check) for check in CHECKS]
    out = [
        "# dockwright audit checks",
        "",
        "Generated from the check registry (`python -m dockwright.audit.checks.docs`); do not edit by hand.",
        "`dockwright audit IMAGE` runs them in this order; `dockwright audit --explain ID` prints one.",
        "",
        "| id | group | title |",
        "| --- | --- | --- |",
    ]
    out += [f"| `{doc.id}` | {doc.group} | {doc.title} |" for doc in docs]
    for group, heading in GROUPS.items():
        out += ["", f"## {heading}"]
        for doc in docs:
            if doc.group == group:
                out += ["", f"### `{doc.id}`: {doc.title}", "", _demote(doc.docs)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(checks_markdown(), end="")
