"""A frontend's registry credentials on their way into the build: never a layer, never a log.

Two ways, by where the config file travels:

- A file that travels as a BuildKit secret (the user's and the project's ``.npmrc``, secret ``npmrc``;
  the user's ``~/.yarnrc.yml``, secret ``yarnrc``) has its environment references (``${NPM_TOKEN}``)
  expanded here, on the host, into the 0600 temporary file the secret is made of: inside the build the
  variable is unset, and npm would send ``${NPM_TOKEN}`` itself as the token.
- A file the build context carries (the project's ``.yarnrc.yml``, ``.yarnrc``, ``bunfig.toml``: they
  hold the registry, scopes and ``yarnPath`` the install needs) keeps its references; each variable
  travels as the BuildKit secret of its name (:func:`registry_env_secrets`), which the install RUN
  reads into its own environment.

A variable a reference needs (no fallback) that is not set is a one-line error naming it and the file,
never a token-less install. Values are never printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from dockwright.errors import ConfigError
from dockwright.indexauth import secret_file
from dockwright.plan.model import BuildPlan
from dockwright.project.frontend_config import env_pattern

YARNRC_SECRET_ID = "yarnrc"  # the user's ~/.yarnrc.yml for a Yarn 2+ install (plan/buildsteps.py mounts it)


def expand_env(text: str, syntax: str, environ: Mapping[str, str], where: str) -> str:
    """``text`` with each environment reference of ``syntax`` (an ``[env_syntax]`` row) replaced by the
    variable's value, or its fallback (npm's ``${NAME?}``: empty; Yarn's ``${NAME:-x}``, ``${NAME-x}``);
    ConfigError naming the variable when one without a fallback is unset, or a value spans lines."""

    def value(match: re.Match[str]) -> str:
        name, fallback = match.group("name"), match.group("default") or ""
        found = environ.get(name)
        if found is not None and ("\n" in found or "\r" in found):
            raise ConfigError(f"{name}, which {where} reads, holds a line break: give it on one line")
        if fallback.startswith(":-") and not found:
            return fallback[2:]
        if fallback.startswith("-") and found is None:
            return fallback[1:]
        if fallback == "?" and found is None:
            return ""
        if found is None:
            raise ConfigError(missing(name, where))
        return found

    return env_pattern(syntax).sub(value, text)


def missing(name: str, where: str, *, own_secret: bool = False) -> str:
    """The one line for an unset variable ``where`` reads: expanded into a secret file on the host, or
    (``own_secret``) passed as the BuildKit secret of its name, which the user may pass themselves."""
    how = (
        f"it reaches the install as BuildKit secret {name}, never a layer), or pass "
        f"--secret id={name},env={name}"
        if own_secret
        else "it is written into the temporary secret file, never a layer)"
    )
    return f"{where} reads ${{{name}}} and {name} is not set: export it before `dockwright build` ({how}"


@contextmanager
def expanded_secret(
    secret_id: str, files: tuple[Path, ...], syntax: str, environ: Mapping[str, str], *, prefix: str
) -> Iterator[tuple[tuple[str, str], ...]]:
    """Secret ``secret_id`` made of ``files`` (a later one's keys win): the one file as it stands when it
    reads no variable, else the files joined, their references expanded, in a 0600 temporary file
    deleted afterwards."""
    if not files:
        yield ()
        return
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    if len(files) == 1 and not env_pattern(syntax).search(texts[0]):
        yield ((secret_id, str(files[0])),)
        return
    text = "".join(
        expand_env(t, syntax, environ, str(f)).rstrip("\n") + "\n" for f, t in zip(files, texts, strict=True)
    )
    with secret_file(secret_id, text, prefix=prefix) as secret:
        yield (secret,)


def yarnrc_files(plan: BuildPlan, environ: Mapping[str, str]) -> tuple[Path, ...]:
    """The user's ``~/.yarnrc.yml`` when the plan installs a frontend with Yarn 2+ (it reads no .npmrc)."""
    berry = any(n.kind == "frontend" and n.manager == "yarn-berry" for n in plan.facts.build_steps)
    home = environ.get("HOME", "")
    user = Path(home) / ".yarnrc.yml" if home else None
    return (user.resolve(),) if berry and user is not None and user.is_file() else ()


@contextmanager
def registry_env_secrets(
    plan: BuildPlan, environ: Mapping[str, str], passed: frozenset[str]
) -> Iterator[tuple[tuple[str, str], ...]]:
    """A secret per variable the frontend's own config files read (``NPM_TOKEN``), from the environment,
    unless the user passes it (``passed``: ids of their ``--secret`` specs); ConfigError naming the first
    needed one that is unset."""
    wanted = {
        v.name: v
        for need in plan.facts.build_steps
        if need.kind == "frontend" and need.ready
        for v in need.registry_env
        if v.name not in passed
    }
    for name, ref in wanted.items():
        if ref.required and name not in environ:
            raise ConfigError(missing(name, f"{ref.evidence.file} line {ref.evidence.line}", own_secret=True))
    with ExitStack() as stack:
        yield tuple(
            stack.enter_context(secret_file(name, environ[name], prefix="dockwright-env-"))
            for name in wanted
            if name in environ
        )
