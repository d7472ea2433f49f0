"""The values every rule speaks in: Severity, Edit, Fix, Finding, and the Rule base class."""

from __future__ import annotations

import enum
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from dockwright.dockerfile.syntax import Span

if TYPE_CHECKING:
    from dockwright.lint.context import LintContext


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    SAFE = "safe"  # provably the same image behaviour: applied by --fix
    UNSAFE = "unsafe"  # may change behaviour: applied only with --unsafe-fixes


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (offsets into the Dockerfile's text)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span
    fix: Fix | None = None


class Rule:
    """A rule: subclasses set the class attributes and implement :meth:`check`.

    The rule's documentation is its module's docstring, in the fixed sections ``## What it does``,
    ``## Why is this bad?``, ``## Example`` and ``## Use instead``.
    """

    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, naming the anti-pattern
    severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line, for listings
    aliases: ClassVar[tuple[str, ...]] = ()  # hadolint codes this rule stands for
    fix: ClassVar[Applicability | None] = None  # the safety of the fix the rule offers, if any

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        raise NotImplementedError

    @property
    def docs(self) -> str:
        return inspect.cleandoc(sys.modules[type(self).__module__].__doc__ or "")

    def finding(self, ctx: LintContext, span: Span, message: str, fix: Fix | None = None) -> Finding:
        if fix is not None and self.fix is not None and fix.applicability is not self.fix:
            fix = Fix(fix.description, fix.edits, self.fix)  # the rule's declared safety is the truth
        return Finding(self.code, self.name, self.severity, message, ctx.path, span, fix)
