"""BuildPlan -> files. Templates (``templates/*.j2``) read only the plan, with ``StrictUndefined``."""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dockwright.errors import PlanError
from dockwright.plan.model import BuildPlan
from dockwright.plan.published_base import TrimmedBase
from dockwright.safe_text import check_text

if TYPE_CHECKING:  # Jinja2 loads when a file is rendered: `plan` and a kept-plan `build` render none
    import jinja2

DOCKERFILE = "Dockerfile"
DOCKERIGNORE = ".dockerignore"


@dataclass(frozen=True)
class RenderedFile:
    """A project-relative path and the full text to write there.

    ``replaces_user_files``: with ``--force`` it may replace a file dockwright did not write (the
    Dockerfile and .dockerignore, by the documented contract); when False (the lock) only a file that
    carries dockwright's header is ever replaced."""

    path: str
    content: str
    replaces_user_files: bool = True


def _argv(value: Sequence[str]) -> str:
    """Exec-form JSON array (double quotes, escapes) for ENTRYPOINT/CMD/HEALTHCHECK."""
    return json.dumps(list(value))


def _dq(value: object) -> str:
    """A double-quoted Dockerfile word; ``${ARG}`` references still expand inside it."""
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _copy_args(args: Sequence[str]) -> str:
    """COPY sources and destination: plain words, or the JSON form when one holds a space or quote."""
    if any(c.isspace() or c in "\"'\\$" for arg in args for c in arg):
        return json.dumps(list(args))
    return " ".join(args)


def _identifier(value: object) -> str:
    """A dotted Python name (module or function) for generated Python source; anything else refused."""
    text = str(value)
    if not text or not all(part.isidentifier() for part in text.split(".")):
        raise PlanError(f"{text[:60]!r} is not a Python name; refusing to write it into generated code")
    return text


def _environment() -> jinja2.Environment:
    import jinja2

    class _PlanEnvironment(jinja2.Environment):
        """Every value a template reads from the plan passes :func:`check_text` (no template can skip
        it)."""

        def getattr(self, obj: Any, attribute: str) -> Any:
            value = super().getattr(obj, attribute)
            check_text(value, f"{type(obj).__name__}.{attribute}")
            return value

        def getitem(self, obj: Any, argument: Any) -> Any:
            value = super().getitem(obj, argument)
            check_text(value, f"{type(obj).__name__}[{argument!r}]")
            return value

    env = _PlanEnvironment(
        loader=jinja2.PackageLoader("dockwright.render", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["argv"] = _argv
    env.filters["dq"] = _dq
    env.filters["identifier"] = _identifier
    env.filters["copy_args"] = _copy_args
    return env


_ENV: jinja2.Environment | None = None


def _env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def render_dockerfile(plan: BuildPlan) -> str:
    return _tidy(_env().get_template("Dockerfile.j2").render(plan=plan))


def render_trimmed_base(base: TrimmedBase) -> str:
    """The Dockerfile of ``dockwright base build`` (plan/published_base.py)."""
    return _tidy(_env().get_template("trimmed_base.Dockerfile.j2").render(base=base))


def render_dockerignore(plan: BuildPlan) -> str:
    return _tidy(_env().get_template("dockerignore.j2").render(plan=plan))


def render_files(plan: BuildPlan) -> tuple[RenderedFile, ...]:
    """The Dockerfile, .dockerignore and support files for the plan (the lock is written by ``init``),
    at the plan's paths relative to the build context."""
    support = tuple(
        RenderedFile(
            f.path,
            _tidy(_env().get_template(f.resource).render(plan=plan))
            if f.resource.endswith(".j2")
            else support_text(f.resource),
        )
        for f in plan.support_files
    )
    return (
        RenderedFile(plan.dockerfile_path, render_dockerfile(plan)),
        RenderedFile(plan.dockerignore_path, render_dockerignore(plan)),
        *support,
    )


def support_text(resource: str) -> str:
    """The text of a support file shipped in ``dockwright/plan/data/support``."""
    data = importlib.resources.files("dockwright.plan") / "data" / "support" / resource
    return data.read_text(encoding="utf-8")


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, exactly one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
