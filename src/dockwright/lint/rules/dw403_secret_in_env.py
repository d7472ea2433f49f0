"""## What it does
Flags `ENV` and `ARG` that set a secret-looking name (password, token, secret, API key, private
key) to a literal value.

## Why is this bad?
ENV values are stored in the image config and ARG values in its history: anyone who can pull the
image can read them. Pass secrets at build time with `RUN --mount=type=secret` and at run time
through the orchestrator.

## Example
```Dockerfile
ENV DATABASE_PASSWORD=hunter2
ARG PYPI_TOKEN=pypi-AgEIcH...
```

## Use instead
```Dockerfile
RUN --mount=type=secret,id=pypi_token PIP_INDEX_URL="https://__token__:$(cat /run/secrets/pypi_token)@..." \
    pip install --no-cache-dir --require-hashes -r requirements.txt
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity

_SECRET = re.compile(r"(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)", re.I)
_HARMLESS = re.compile(r"(_FILE|_PATH|_DIR|_NAME|_URL_FILE)$", re.I)


class SecretInEnv(Rule):
    code = "DW403"
    name = "secret-in-env-or-arg"
    severity = Severity.ERROR
    summary = "A secret-looking ENV/ARG set to a literal value"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword not in ("ENV", "ARG"):
                continue
            for key, value in instruction.pairs:
                if not _SECRET.search(key) or _HARMLESS.search(key):
                    continue
                if value and not value.startswith("$"):
                    message = (
                        f"{instruction.keyword} {key} holds a literal secret; it ships in the image metadata"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
