r"""## What it does
Flags `COPY`/`ADD` of a credential or environment file from the build context: `.env` and
`*.env` / `.env.<name>` (not `.env.example`-style templates), `credentials*`, SSH keys
(`id_rsa`, `id_ed25519`, ...), `.netrc`, `.pypirc`, `.git-credentials`, and `.npmrc` or
`pip.conf` when the copy in the build context holds a password or token.

## Why is this bad?
A file copied into a layer ships in the image for good, even when a later RUN deletes it:
anyone who can pull the image can read the keys. Build-time credentials belong in
`RUN --mount=type=secret`; run-time ones in the orchestrator's environment.

## Example
```Dockerfile
COPY .env /app/.env
COPY pip.conf /etc/pip.conf
```

## Use instead
```Dockerfile
RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf \
    pip install --no-cache-dir --require-hashes -r requirements.txt
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from dockwright.lazy_re import lazy
from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.project.tree import inside

_ALWAYS = lazy(
    r"^(\.env|.+\.env|\.env\.(?!example$|sample$|template$|dist$|defaults?$|tpl$|in$)[\w.-]+"
    r"|credentials(\.\w+)?|id_(rsa|dsa|ecdsa|ed25519)|\.netrc|\.pypirc|\.git-credentials|\.htpasswd)$",
    re.I,
)
_WHEN_SECRET = lazy(r"^(\.npmrc|pip\.conf|pip\.ini|\.pip\.conf)$", re.I)
_SECRET_LINE = lazy(r"(_authToken|_password|password\s*=|://[^/\s:@]+:[^@\s/]+@)", re.I)


def _holds_secret(path: Path, context: Path) -> bool:
    """Does the first 64 KiB of a context file hold a password or token? Never read outside the context."""
    if not inside(path, context) or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return False
    return bool(_SECRET_LINE.search(head))


class CredentialFileCopied(Rule):
    code = "DW406"
    name = "credential-file-copied"
    severity = Severity.ERROR
    summary = "COPY/ADD of a credential or .env file into the image"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") or instruction.heredocs:
                continue
            for source in instruction.arguments[:-1]:
                if "://" in source:
                    continue
                name = source.rstrip("/").rsplit("/", 1)[-1]
                secret = bool(_ALWAYS.match(name))
                if not secret and _WHEN_SECRET.match(name) and ctx.context_dir is not None:
                    secret = _holds_secret(ctx.context_dir / source, ctx.context_dir)
                if secret:
                    message = (
                        f"{source} is a credential/env file: it ships in the image layer for good; "
                        "use `RUN --mount=type=secret` or pass it at run time"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
