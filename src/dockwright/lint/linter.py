"""Run the registry over Dockerfiles: discovery, configuration, suppressions and fixes."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dockwright.dockerfile import parse
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.dockerfile.syntax import Dockerfile, Span
from dockwright.errors import ConfigError, DockwrightError, ProjectError
from dockwright.lint import shellcheck
from dockwright.lint.context import LintContext
from dockwright.lint.project import ProjectDeps, read_project
from dockwright.lint.registry import RULES, rule_by_code
from dockwright.lint.rule import Applicability, Edit, Finding, Rule, Severity
from dockwright.lint.rules.dw801_shellcheck import run_scripts
from dockwright.project.tree import inside, read_inside
from dockwright.toml_reader import tomllib

_SKIP_DIRS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", "site-packages"}
_SUPPRESS = re.compile(
    r"^\s*(dockwright|hadolint)\s*:?\s*(ignore|ignore-stage|ignore-file)\s*=\s*([A-Za-z0-9_, -]+)"
)


@dataclass(frozen=True)
class LintOptions:
    select: tuple[str, ...] = ()  # code prefixes to run (empty = all)
    ignore: tuple[str, ...] = ()  # code prefixes to skip
    severities: tuple[tuple[str, Severity], ...] = ()  # per-rule severity overrides


@dataclass(frozen=True)
class FileResult:
    path: str
    text: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class LintResult:
    files: tuple[FileResult, ...] = field(default=())

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for file in self.files for f in file.findings)


#: suffixes that make ``Dockerfile.<suffix>`` something else: code, docs, images, templates, archives
# fmt: off
_NOT_DOCKERFILE_SUFFIXES = frozenset({
    "py", "pyc", "pyi", "sh", "bash", "ps1", "bat", "js", "ts", "go", "rs", "rb", "java", "kt", "php", "pl",
    "lua", "c", "h", "cpp", "json", "yaml", "yml", "toml", "ini", "cfg", "xml", "html", "css", "md",
    "markdown", "rst", "txt", "adoc", "org", "pdf", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp",
    "j2", "jinja", "jinja2", "tmpl", "tpl", "erb", "mustache", "hbs", "patch", "diff", "orig", "rej", "bak",
    "swp", "zip", "gz", "tgz", "bz2", "xz", "tar", "lock", "log",
})
# fmt: on


def is_dockerfile_name(name: str) -> bool:
    """Dockerfile, Containerfile, ``*.Dockerfile`` and ``Dockerfile.<variant>`` (``-``/``_`` too),
    but not ``Dockerfile.md``, ``dockerfile.png`` or ``dockerfile.py``."""
    lower = name.lower()
    if lower in ("dockerfile", "containerfile") or lower.endswith(".dockerfile"):
        return True
    for stem in ("dockerfile", "containerfile"):
        if lower.startswith(stem) and lower[len(stem) : len(stem) + 1] in (".", "-", "_"):
            rest = lower[len(stem) :]
            suffix = rest.rsplit(".", 1)[-1] if "." in rest else ""
            return suffix not in _NOT_DOCKERFILE_SUFFIXES
    return False


def is_binary(path: Path) -> bool:
    """A NUL byte in the first 8 KiB: an image or archive, never parsed as a Dockerfile."""
    try:
        with path.open("rb") as handle:
            return b"\0" in handle.read(8192)
    except OSError:
        return False


def _binary_message(path: Path) -> str:
    """Why ``path`` is not read: UTF-16 text (Windows PowerShell's ``>`` and Notepad write it, and
    BuildKit reads only UTF-8) gets its own advice."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
    except OSError:
        head = b""
    if head in (b"\xff\xfe", b"\xfe\xff"):
        return f"{path} is UTF-16 text; Docker reads Dockerfiles as UTF-8: save it as UTF-8"
    return f"{path} is a binary file, not a Dockerfile"


def discover(paths: Sequence[str | Path]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            if is_binary(path):
                raise DockwrightError(_binary_message(path))
            found.append(path)
        elif path.is_dir():
            for candidate in sorted(path.rglob("*")):
                if any(part in _SKIP_DIRS for part in candidate.relative_to(path).parts[:-1]):
                    continue
                if (
                    is_dockerfile_name(candidate.name)
                    and candidate.is_file()
                    and inside(candidate, path)  # never a symlink out of the linted folder
                    and not is_binary(candidate)
                ):
                    found.append(candidate)
        else:
            raise DockwrightError(f"no such file or directory: {path}")
    return found


def _lint_table(pyproject: Path) -> dict[str, Any] | None:
    """``[tool.dockwright.lint]`` of one pyproject.toml ({} when absent); None when it cannot be read."""
    try:
        data = tomllib.loads(read_inside(pyproject, pyproject.parent).decode("utf-8"))
    except (ProjectError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    table: dict[str, Any] = data
    for key in ("tool", "dockwright", "lint"):
        value = table.get(key, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{key} must be a table", file=str(pyproject))
        table = value
    return table


def load_config(start: Path) -> LintOptions:
    """``[tool.dockwright.lint]`` from the nearest readable pyproject.toml at or above ``start``.

    An unreadable one (not UTF-8, not TOML) in the Dockerfile's own folder is an error; in a parent
    folder it belongs to someone else and is skipped."""
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                table = _lint_table(pyproject)
            except ConfigError:
                if folder == start:
                    raise
                table = None
            if table is None:
                if folder == start:
                    raise ConfigError("cannot read it as UTF-8 TOML", file=str(pyproject))
                continue
            for key in ("select", "ignore"):
                if not isinstance(table.get(key, []), list):
                    raise ConfigError(
                        f"[tool.dockwright.lint] {key} must be a list of codes", file=str(pyproject)
                    )
            if not isinstance(table.get("severity", {}), dict):
                raise ConfigError("[tool.dockwright.lint] severity must be a table", file=str(pyproject))
            severities = []
            for code, value in (table.get("severity") or {}).items():
                try:
                    severities.append((code.upper(), Severity(value)))
                except ValueError as error:
                    raise ConfigError(
                        f"[tool.dockwright.lint] severity of {code}: {value!r}", file=str(pyproject)
                    ) from error
            return LintOptions(
                tuple(table.get("select", ())), tuple(table.get("ignore", ())), tuple(severities)
            )
    return LintOptions()


def _selected(rule: Rule, options: LintOptions) -> bool:
    if options.select and not any(rule.code.startswith(p.upper()) for p in options.select):
        return False
    return not any(rule.code.startswith(p.upper()) for p in options.ignore)


@functools.lru_cache(maxsize=64)
def _selected_rules(options: LintOptions) -> tuple[Rule, ...]:
    """The rules ``options`` run, worked out once per set of options rather than once per file."""
    return tuple(rule for rule in RULES if _selected(rule, options))


@dataclass
class _Suppression:
    codes: set[str]
    span: Span
    first_line: int
    last_line: int
    used: set[str] = field(default_factory=set)
    #: "dockwright" or "hadolint": a hadolint pragma serves hadolint too, whose rule may fire where
    #: ours (with its own semantics) does not, so it is never reported as stale (DW900)
    tool: str = "dockwright"


def _codes(raw: str) -> set[str]:
    codes = set()
    for token in re.split(r"[,\s]+", raw.strip()):
        if not token:
            continue
        rule = rule_by_code(token)
        codes.add(rule.code if rule else token.upper())
    return codes


def _suppressions(dockerfile: Dockerfile) -> list[_Suppression]:
    found: list[_Suppression] = []
    for instruction in dockerfile.instructions:
        for comment in instruction.comments:
            match = _SUPPRESS.match(comment.text)
            if not match or match.group(2) != "ignore":
                continue
            end = instruction.span.end_line
            found.append(
                _Suppression(
                    _codes(match.group(3)), comment.span, instruction.span.line, end, tool=match.group(1)
                )
            )
    last_line = dockerfile.text.count("\n") + 1
    for comment in dockerfile.comments:
        match = _SUPPRESS.match(comment.text)
        if not match or match.group(2) == "ignore":
            continue
        tool, codes = match.group(1), _codes(match.group(3))
        if match.group(2) == "ignore-file":
            found.append(_Suppression(codes, comment.span, 1, last_line, tool=tool))
        else:
            stage = next(
                (s for s in reversed(dockerfile.stages) if s.from_instruction.span.line < comment.span.line),
                None,
            )
            if stage is not None:
                end = (
                    stage.instructions[-1].span.end_line
                    if stage.instructions
                    else stage.from_instruction.span.end_line
                )
                line = stage.from_instruction.span.line
                found.append(_Suppression(codes, comment.span, line, end, tool=tool))
    return found


def lint_text(
    text: str,
    path: str = "Dockerfile",
    *,
    options: LintOptions | None = None,
    context_dir: Path | None = None,
) -> tuple[Finding, ...]:
    """Lint one Dockerfile's text; ``context_dir`` (its folder) turns on project and .dockerignore rules."""
    facts = _context_facts(context_dir) if context_dir is not None else _NO_FACTS
    return _lint_text(text, path, options or LintOptions(), context_dir, facts)


#: what lint reads from a build context: its .dockerignore (parsed, and its path) and project facts
_Facts = tuple[DockerIgnore | None, str | None, ProjectDeps | None]
_NO_FACTS: _Facts = (None, None, None)


def _context_facts(context_dir: Path, dockerfile: str = "Dockerfile") -> _Facts:
    """The ignore file BuildKit reads for ``dockerfile`` (``<Dockerfile>.dockerignore`` beside it wins
    over the folder's ``.dockerignore``: a workspace member's Dockerfile, built from the root with -f)."""
    ignore = ignore_path = None
    own = context_dir / f"{Path(dockerfile).name}.dockerignore"
    candidate = own if own.is_file() else context_dir / ".dockerignore"
    if candidate.is_file():
        with contextlib.suppress(ProjectError):
            text = read_inside(candidate, context_dir).decode("utf-8", errors="replace")
            ignore, ignore_path = DockerIgnore.parse(text), str(candidate)
    return ignore, ignore_path, read_project(context_dir)


def _lint_text(
    text: str, path: str, options: LintOptions, context_dir: Path | None, facts: _Facts
) -> tuple[Finding, ...]:
    dockerfile = parse(text, path)
    ignore, ignore_path, project = facts
    ctx = LintContext(dockerfile, path, ignore, ignore_path, context_dir, project)
    overrides = dict(options.severities)
    findings: list[Finding] = []
    for rule in _selected_rules(options):
        for finding in rule.check(ctx):
            severity = overrides.get(rule.code, finding.severity)
            findings.append(replace(finding, severity=severity) if severity != finding.severity else finding)
    findings = _apply_suppressions(dockerfile, path, findings, options)
    return tuple(sorted(findings, key=lambda f: (f.span.line, f.span.column, f.code)))


def _shellcheck_code(finding: Finding) -> str | None:
    """``SC2086`` for a DW801 finding (suppressible by its ShellCheck code, as hadolint's are)."""
    if finding.code == "DW801":
        return finding.message.split(":", 1)[0]
    return None


def _apply_suppressions(
    dockerfile: Dockerfile, path: str, findings: list[Finding], options: LintOptions
) -> list[Finding]:
    suppressions = _suppressions(dockerfile)
    kept = []
    for finding in findings:
        hit = next(
            (
                s
                for s in suppressions
                if (finding.code in s.codes or _shellcheck_code(finding) in s.codes)
                and s.first_line <= finding.span.line <= s.last_line
            ),
            None,
        )
        if hit is None:
            kept.append(finding)
        else:
            hit.used.add(finding.code)
    unused_rule = rule_by_code("DW900")
    if suppressions and unused_rule is not None and _selected(unused_rule, options):
        for suppression in suppressions:
            if suppression.tool != "dockwright":
                continue  # hadolint's pragma: hadolint may still need it
            # only rules that ran this time can prove a suppression stale
            known = {
                c for c in suppression.codes if (r := rule_by_code(c)) is not None and _selected(r, options)
            }
            stale = sorted(known - suppression.used)
            if stale:
                message = f"suppression of {', '.join(stale)} matches no finding"
                kept.append(
                    Finding(
                        unused_rule.code,
                        unused_rule.name,
                        unused_rule.severity,
                        message,
                        path,
                        suppression.span,
                    )
                )
    return kept


def lint_paths(paths: Sequence[str | Path], options: LintOptions | None = None) -> LintResult:
    files = []
    # Dockerfiles sharing a folder share its configuration and build context: read those once per
    # folder (globbing the folder per file made a folder of N Dockerfiles cost O(N^2))
    configs: dict[Path, LintOptions] = {}
    facts: dict[Path, _Facts] = {}
    jobs: list[tuple[Path, str, LintOptions, Path, _Facts]] = []
    for path in discover(paths):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise DockwrightError(f"cannot read {path}: {error.strerror}") from error
        folder = path.resolve().parent
        if options is not None:
            effective = options
        elif folder in configs:
            effective = configs[folder]
        else:
            effective = configs[folder] = load_config(folder)
        own = folder / f"{path.name}.dockerignore"
        key = own if own.is_file() else folder
        if key not in facts:
            facts[key] = _context_facts(folder, path.name)
        jobs.append((path, text, effective, folder, facts[key]))
    with _shellcheck_batch(jobs):
        for path, text, effective, folder, context_facts in jobs:
            findings = _lint_text(text, str(path), effective, folder, context_facts)
            files.append(FileResult(str(path), text, findings))
    return LintResult(tuple(files))


def _shellcheck_batch(
    jobs: list[tuple[Path, str, LintOptions, Path, _Facts]],
) -> contextlib.AbstractContextManager[None]:
    """One ShellCheck process per shell dialect for every Dockerfile of the run (DW801), not one per
    file: most of a large run's time was ShellCheck starting."""
    rule = rule_by_code("DW801")
    wanted = [(path, text) for path, text, effective, _, _ in jobs if rule and _selected(rule, effective)]
    if len(wanted) < 2 or shellcheck.shellcheck_path() is None:
        return contextlib.nullcontext()
    scripts = [
        s for path, text in wanted for s in run_scripts(LintContext(parse(text, str(path)), str(path)))
    ]
    return shellcheck.batch(scripts)


def lint_stdin(text: str, filename: str | None = None, options: LintOptions | None = None) -> LintResult:
    """Lint a Dockerfile read from stdin. ``filename`` (``--stdin-filename``) names it in findings and
    places it: its folder gives the configuration, the .dockerignore and the project facts, as if the
    file were there. Without it, only the text is linted (configuration from the working directory)."""
    if "\0" in text[:8192]:
        raise DockwrightError("stdin is binary, not a Dockerfile")
    folder = Path(filename).resolve().parent if filename else None
    effective = options or load_config(folder or Path.cwd())
    if folder is not None and folder.is_dir():
        findings = _lint_text(text, filename or "-", effective, folder, _context_facts(folder))
    else:
        findings = _lint_text(text, filename or "-", effective, None, _NO_FACTS)
    return LintResult((FileResult(filename or "-", text, findings),))


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> tuple[str, int]:
    """Apply non-overlapping fix edits (safe only unless ``unsafe``); return the new text and the count."""
    edits: list[Edit] = []
    applied = 0
    for finding in findings:
        fix = finding.fix
        if fix is None or (fix.applicability is Applicability.UNSAFE and not unsafe):
            continue
        if any(
            not (e.end <= o.start or e.start >= o.end) or (e.start == o.start == e.end == o.end)
            for e in fix.edits
            for o in edits
        ):
            continue  # overlapping edits wait for the next run
        edits.extend(fix.edits)
        applied += 1
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text, applied
