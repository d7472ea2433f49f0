r"""## What it does
Flags `ENV` and `ARG` (defaults included) that set a secret-looking name (password, token,
secret, API key, private or license key) to a literal value, and any ENV/ARG value holding a
password inside a URL (`postgres://app:s3cret@db/app`) or shaped like a provider's credential
whatever its name (a Stripe `sk_live_` key, a GitHub `ghp_` token, an AWS `AKIA` key id, a private
key block, a JSON Web Token: `data/secret_shapes.toml`). Placeholder values are not secrets and
are not reported: booleans and empties (`no`, `false`, `0`, `none`, `""`), `changeme`-style
values, `<...>`/`${...}` templates, and references to another variable.

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

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.secret_values import literal_secret, secret_shape


class SecretInEnv(Rule):
    code = "DW403"
    name = "secret-in-env-or-arg"
    severity = Severity.ERROR
    summary = "A secret-looking ENV/ARG (or a password in a URL) set to a literal value"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword not in ("ENV", "ARG"):
                continue
            for key, value in instruction.pairs:
                if not value:
                    continue
                kind = literal_secret(key, value)
                if kind == "url":
                    message = (
                        f"{instruction.keyword} {key} holds a password inside a URL; it ships in the image "
                        "metadata: pass the URL at run time or through a build secret"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
                elif kind == "shape":
                    message = (
                        f"{instruction.keyword} {key} holds {secret_shape(value)}; it ships in the image "
                        "metadata: set it at run time or use `RUN --mount=type=secret` at build time"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
                elif kind == "name":
                    message = (
                        f"{instruction.keyword} {key} holds a literal secret; it ships in the image "
                        "metadata: use `RUN --mount=type=secret` at build time or set it at run time"
                    )
                    yield self.finding(ctx, ctx.line_span(instruction), message)
