"""## What it does
Flags a `.dockerignore` that does not exclude `.git`, virtualenvs (`.venv`, `venv`, or any folder
holding a `pyvenv.cfg`), `__pycache__` folders, or secret files at any depth (the shared table in
`dockwright.secrets`: `**/.env`, `**/*.env`, `**/*.pem`, `**/id_rsa*`, `**/.npmrc`, `**/.pypirc`,
`**/pip.conf`, credentials files ...). Docker anchors patterns at the context root, so `.env` alone
leaves `config/.env` in the context. Virtualenvs and `__pycache__` are asked for only when a stage
runs Python.

## Why is this bad?
`.git` and virtualenvs make the context huge and slow; a host virtualenv copied into the image
breaks (other paths, other libc); `.env` files carry secrets into layers.

## Example
```text
# .dockerignore
*.log
```

## Use instead
```text
.git
.venv
venv
**/__pycache__
**/.env
**/.env.*
**/*.env
**/*.pem
**/id_rsa*
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.secrets import unexcluded_secrets


class DockerignoreIncomplete(Rule):
    code = "DW702"
    name = "dockerignore-incomplete"
    severity = Severity.WARNING
    summary = ".dockerignore does not exclude .git, venvs, __pycache__ or secret files at any depth"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        ignore = ctx.dockerignore
        if ignore is None or not ctx.dockerfile.instructions:
            return
        wanted = {".git": ".git"}
        if not any(ctx.runs_python(stage) for stage in ctx.dockerfile.stages):
            venvs: list[str] = []  # __pycache__ and venvs only matter to images that run Python
        else:
            wanted["__pycache__"] = "pkg/__pycache__/m.pyc"
            venvs = [".venv", "venv"]
        if ctx.context_dir is not None:
            venvs += [p.parent.name for p in ctx.context_dir.glob("*/pyvenv.cfg")]
        for venv in sorted(set(venvs)):
            wanted[venv] = venv
        missing = [name for name, probe in wanted.items() if not ignore.excluded(probe)]
        missing += [secret.pattern for secret in unexcluded_secrets(ignore)]
        if missing:
            first = ctx.dockerfile.instructions[0]
            yield self.finding(
                ctx, ctx.line_span(first), f".dockerignore does not exclude {', '.join(missing)}"
            )
