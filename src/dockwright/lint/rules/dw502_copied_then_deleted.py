r"""## What it does
Flags a `RUN` that deletes (`rm`) files a `COPY`/`ADD` of an earlier instruction put into the
image. With the build context at hand the message says how many bytes still ship; files under
64 KiB (or, without the context, text files such as requirements files and scripts) are not
reported, as the bytes left behind do not matter.
Only the stages whose layers ship are checked: the final stage and the stages it is built FROM.

## Why is this bad?
Each instruction is a layer: deleting a file in a later layer hides it but does not remove it
from the earlier one, so the image still carries (and every pull still downloads) the
installer, the wheel or the archive.

## Example
```Dockerfile
COPY dist/app-1.0-py3-none-any.whl /tmp/
RUN pip install --no-cache-dir /tmp/app-1.0-py3-none-any.whl
RUN rm /tmp/app-1.0-py3-none-any.whl
```

## Use instead
```Dockerfile
RUN --mount=type=bind,source=dist,target=/tmp/dist \
    pip install --no-cache-dir /tmp/dist/app-1.0-py3-none-any.whl
```
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator
from pathlib import Path

from dockwright.dockerfile.shell import run_script
from dockwright.dockerfile.syntax import Instruction, Stage
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


def _resolve(path: str, workdir: str) -> str:
    return (
        posixpath.normpath(posixpath.join(workdir, path))
        if not path.startswith("/")
        else posixpath.normpath(path)
    )


def _copied(instruction: Instruction, workdir: str) -> list[tuple[str, str]]:
    """(source, destination path in the image) of a COPY/ADD from the build context."""
    *sources, dest = instruction.arguments
    into_dir = dest.endswith("/") or len(sources) > 1 or dest in (".", "./")
    dest = _resolve(dest, workdir)
    out = []
    for source in sources:
        if "$" in source or "://" in source:
            continue
        if into_dir:
            base = source.rstrip("/").rsplit("/", 1)[-1]
            out.append((source, dest if base in ("", ".") else posixpath.join(dest, base)))
        else:
            out.append((source, dest))
    return out


def _size(context: Path | None, source: str) -> int | None:
    if context is None or any(ch in source for ch in "*?["):
        return None
    path = context / source
    try:
        if path.is_file():
            return path.stat().st_size
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    except OSError:
        return None
    return None


#: below this the bytes left behind do not matter (a requirements file, a small script)
_NEGLIGIBLE = 64 * 1024
_SMALL_TEXT = (
    ".txt",
    ".in",
    ".toml",
    ".lock",
    ".cfg",
    ".ini",
    ".json",
    ".yaml",
    ".yml",
    ".sh",
    ".py",
    ".conf",
)


def _negligible(source: str, size: int | None) -> bool:
    """Too small to matter: a measured size under 64 KiB, or (unmeasured) a text file such as a
    requirements file or a script."""
    if size is not None:
        return size < _NEGLIGIBLE
    return source.lower().endswith(_SMALL_TEXT)


def _human(size: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:.1f} GiB"


class CopiedThenDeleted(Rule):
    code = "DW502"
    name = "copied-then-deleted"
    severity = Severity.WARNING
    summary = "Files COPYed in one layer and deleted in a later one (they still ship)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.shipped_stages():
            yield from self._check_stage(ctx, stage)

    def _check_stage(self, ctx: LintContext, stage: Stage) -> Iterator[Finding]:
        workdir = "/"
        copied: list[tuple[str, str, Instruction]] = []
        for instruction in stage.instructions:
            if instruction.keyword == "WORKDIR" and instruction.arguments:
                workdir = _resolve(instruction.arguments[0], workdir)
            elif (
                instruction.keyword in ("COPY", "ADD")
                and not instruction.flag("from")
                and not instruction.heredocs
            ):
                if len(instruction.arguments) >= 2:
                    copied += [(s, d, instruction) for s, d in _copied(instruction, workdir)]
            elif instruction.keyword == "RUN" and copied:
                for source, dest, where in _deleted(ctx, instruction, workdir, copied):
                    size = _size(ctx.context_dir, source)
                    if _negligible(source, size):
                        continue
                    weight = f" ({_human(size)})" if size is not None else ""
                    message = (
                        f"{dest} was COPYed at line {where.span.line} and is deleted in this later "
                        f"layer: it still ships{weight}; use RUN --mount=type=bind for build-only files"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
                    copied = [c for c in copied if c[1] != dest]


def _deleted(
    ctx: LintContext, instruction: Instruction, workdir: str, copied: list[tuple[str, str, Instruction]]
) -> list[tuple[str, str, Instruction]]:
    """The copied files an ``rm`` in this RUN deletes."""
    hits = []
    for words in ctx.shell_commands(run_script(instruction)):
        texts = [w.text for w in words]
        if texts[:1] != ["rm"]:
            continue
        for target in (t for t in texts[1:] if not t.startswith("-") and "$" not in t):
            path = _resolve(target, workdir)
            for entry in copied:
                dest = entry[1]
                inside = (
                    dest == path or dest.startswith(path.rstrip("/") + "/") or fnmatch.fnmatch(dest, path)
                )
                if dest != "/" and path != "/" and inside and entry not in hits:
                    hits.append(entry)
                elif path.startswith(dest.rstrip("/") + "/") and ctx.context_dir is not None:
                    # a part of a copied folder: the context shows whether it came from there
                    part = posixpath.join(entry[0], path[len(dest.rstrip("/")) + 1 :])
                    if "*" not in part and (ctx.context_dir / part).exists():
                        hits.append((part, path, entry[2]))
    return hits
