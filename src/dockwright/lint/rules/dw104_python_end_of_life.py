"""## What it does
Flags a `python` base image whose tag names a pre-release (`3.15.0a8`, `3.14.0rc1`, a minor
newer than the last final release dockwright knows) or a Python past its end of life (`2.7`,
`3.6`, `3.8`). Release dates and end-of-life months come from `project/data/cpython.toml`,
exact end-of-life days from the release schedule PEPs (`lint/data/python_eol.toml`).

## Why is this bad?
An end-of-life Python gets no security fixes, and new wheels stop being published for it. A
pre-release changes under you and many wheels do not exist for it yet: fine for a CI job
that tests the next Python, not for an image you deploy.

## Example
```Dockerfile
FROM python:3.8-slim
FROM python:3.15.0a8-slim
```

## Use instead
```Dockerfile
FROM python:3.13.13-slim-trixie
```
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from dockwright.lint.context import LintContext
from dockwright.lint.rule import Finding, Rule, Severity
from dockwright.toml_reader import tomllib

_TAG = re.compile(r"(?:^|/)python:(\d+)\.(\d+)(?:\.(\d+))?((?:a|b|rc)\d+)?")


def _minor_key(minor: str) -> tuple[int, int]:
    major, _, rest = minor.partition(".")
    return int(major), int(rest)


@lru_cache(maxsize=1)
def release_tables() -> tuple[dict[str, datetime.date], tuple[int, int]]:
    """End-of-life dates per minor, and the newest minor with a final release.

    Release dates and end-of-life months come from ``project/data/cpython.toml``; exact end-of-life days
    (and minors dockwright never pins) from ``lint/data/python_eol.toml``.
    """
    releases_text = resources.files("dockwright").joinpath("project/data/cpython.toml").read_text("utf-8")
    minors = tomllib.loads(releases_text)["minors"]
    today = datetime.date.today()
    final = [m for m, entry in minors.items() if datetime.date.fromisoformat(entry["released"]) <= today]
    eol: dict[str, datetime.date] = {}
    for minor, entry in minors.items():
        year, month = map(int, str(entry["eol"]).split("-")[:2])
        eol[minor] = datetime.date(year, month, 1)
    # exact days where the release manager announced one (and minors dockwright never pins) win
    eol_text = resources.files("dockwright.lint").joinpath("data/python_eol.toml").read_text("utf-8")
    eol.update(tomllib.loads(eol_text)["end_of_life"])
    return eol, max(_minor_key(m) for m in final)


class PythonEndOfLife(Rule):
    code = "DW104"
    name = "python-end-of-life-or-pre-release"
    severity = Severity.WARNING
    summary = "python base image tag names an end-of-life or pre-release Python"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        eol, newest = release_tables()
        newest_text = f"{newest[0]}.{newest[1]}"
        today = datetime.date.today()
        for stage in ctx.dockerfile.stages:
            match = _TAG.search(stage.base_image.lower())
            if match is None:
                continue
            minor = f"{match.group(1)}.{match.group(2)}"
            span = ctx.line_span(stage.from_instruction)
            if match.group(4) or _minor_key(minor) > newest:
                version = minor + (f".{match.group(3)}" if match.group(3) else "") + (match.group(4) or "")
                message = (
                    f"Python {version} is a pre-release: wheels are missing and it changes under you; "
                    f"pin a final release ({newest_text} or older)"
                )
                yield self.finding(ctx, span, message)
            elif minor in eol and eol[minor] <= today:
                message = (
                    f"Python {minor} reached its end of life on {eol[minor].isoformat()}: no more security "
                    f"fixes; move to a supported Python ({newest_text})"
                )
                yield self.finding(ctx, span, message)
