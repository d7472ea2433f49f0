"""## What it does
Flags a final image whose start command is a development server: Django's `runserver`,
`flask run`, `fastapi dev`, or `uvicorn`/`gunicorn` with `--reload`.

Not applied to development images (a `.devcontainer/` folder, `Dockerfile.dev`, `dev.Dockerfile`,
`docker/development/`, or a final stage built FROM or named `dev`, `test`, `ci`, `lint`):
there, a reloading server is the point.

## Why is this bad?
Development servers are single-process, reload on file changes, skip production hardening and
say so themselves ("do not use it in a production deployment"). Use a WSGI/ASGI server.

## Example
```Dockerfile
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
```

## Use instead
```Dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity


def development_server(words: list[str]) -> str | None:
    """The development server ``words`` start, or None."""
    names = [w.rsplit("/", 1)[-1] for w in words]
    if "runserver" in names and any(n in ("manage.py", "django-admin") for n in names):
        return "Django's runserver"
    for index, name in enumerate(names[:-1]):
        if name == "flask" and names[index + 1] == "run":
            return "`flask run`"
        if name == "fastapi" and names[index + 1] == "dev":
            return "`fastapi dev`"
    if "--reload" in names and any(n in ("uvicorn", "gunicorn", "hypercorn") for n in names):
        return "a server with --reload"
    return None


class DevelopmentServer(Rule):
    code = "DW609"
    name = "development-server"
    severity = Severity.WARNING
    summary = "The image starts a development server (runserver, flask run, --reload)"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        final = ctx.final
        if final is None or ctx.development_image:
            return
        server = development_server(ctx.start_command(final))
        if server is None:
            return
        where = ctx.last(final, "CMD") or ctx.last(final, "ENTRYPOINT")
        assert where is not None
        message = (
            f"{server} is a development server; run a production server "
            "(gunicorn, uvicorn without --reload, granian)"
        )
        yield self.finding(ctx, ctx.line_span(where), message)
