"""The settings the repository's own image gives the app: its final stage's ``ENV`` values that the
project's code reads.

What it does
    Reads the ``ENV`` instructions of the own image's final stage (through the stages it is built
    ``FROM``) and keeps each variable that a module of the app names as a string (``os.environ.get(
    "APP_CONFIG_NAME")``, ``config.get("APP_CONFIG_NAME")``), set to a value written out: not one naming
    another variable (``$X``), not an absolute path (a file that image had), not one the planned image
    sets itself (the interpreter's, the installers', ``PATH``, locale, ``PORT``: project/platform_port.py),
    never a secret (a secret-looking name, whatever its value, or a URL holding a password, a user or a
    credential in its query: ``secret_values.carried_secret``) and never a development setting (a
    development or test mode switched on, a development configuration selected:
    ``project/development_settings.py``): those are named for ``docker run -e`` instead.

Why is this bad?
    A repository whose image selects its configuration by a variable (``ENV APP_CONFIG_NAME=docker``)
    starts, without it, with the development configuration (a SQLite file in the source tree, debug
    on), or not at all.

Example
    ``ENV SVC_CONFIG_NAME="container"`` in ``deploy/docker/Dockerfile`` and
    ``os.environ.get("SVC_CONFIG_NAME", "dev")`` in ``svc/app.py`` -> the image sets
    ``SVC_CONFIG_NAME=container``.

Use instead
    Nothing to change in the repository.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from dockwright.dockerfile.final_command import ancestry
from dockwright.errors import ProjectError
from dockwright.project.development_settings import development_setting
from dockwright.project.facts import Evidence
from dockwright.project.plan_files import PlanFiles
from dockwright.secret_values import carried_secret, secret_shape

# set by the planned image, or about building and running Python rather than the app
_PLANS = frozenset(
    {"PATH", "VIRTUAL_ENV", "HOME", "USER", "LANG", "LANGUAGE", "TZ", "PORT", "DEBIAN_FRONTEND"}
)
_PLANS_PREFIXES = ("PYTHON", "PIP_", "UV_", "POETRY_", "PDM_", "PIPENV_", "LC_", "LD_", "GPG_", "SETUPTOOLS_")


def own_settings(
    files: PlanFiles, modules: Iterable[str]
) -> tuple[list[tuple[str, str, Evidence]], list[str]]:
    """(name, value, the ENV line) of each setting the own image gives that the app's ``modules``
    (project paths) read, and notes for the secrets left to ``docker run``."""
    own = files.own_recipe
    final = own[1].final_stage if own is not None else None
    if own is None or final is None:
        return [], []
    rel, dockerfile = own
    values: dict[str, tuple[str, int]] = {}
    for stage in ancestry(dockerfile, final):
        for instruction in stage.instructions:
            if instruction.keyword == "ENV":
                for name, value in instruction.pairs:
                    if value is not None:
                        values[name] = (value, instruction.span.line)
    wanted = {
        name: found
        for name, found in values.items()
        if not plan_owned(name) and "$" not in found[0] and not found[0].startswith("/")
    }
    if not wanted:
        return [], []
    read = _read(files, modules, frozenset(wanted))
    rows = ((name, value, line) for name, (value, line) in wanted.items() if name in read)
    return carried_or_withheld(
        rel,
        rows,
        lambda name, value: f"ENV {name}={value}: the repository's own image sets it; {read[name]} reads it",
    )


def carried_or_withheld(
    rel: str, rows: Iterable[tuple[str, str, int | None]], why: Callable[[str, str], str]
) -> tuple[list[tuple[str, str, Evidence]], list[str]]:
    """Each setting (name, value, its line of ``rel``) the project gives the app: the note that
    withholds it (:func:`withheld_note`: a secret, a development setting), else carried, with its
    evidence worded by ``why(name, value)``."""
    settings: list[tuple[str, str, Evidence]] = []
    notes: list[str] = []
    for name, value, line in rows:
        note = withheld_note(rel, line, name, value)
        if note is not None:
            notes.append(note)
        else:
            settings.append((name, value, Evidence(rel, line, why(name, value))))
    return settings, notes


def plan_owned(name: str) -> bool:
    """Whether the planned image sets ``name`` itself (or it is about building and running Python
    rather than the app): never carried from the project."""
    return name in _PLANS or name.startswith(_PLANS_PREFIXES)


def withheld_note(rel: str, line: int | None, name: str, value: str) -> str | None:
    """The note for a setting the project gives the app (``rel``:``line``) that the image must not carry:
    a secret (by its name or its value's shape: ``secret_values.carried_secret``), named for ``docker
    run -e`` and never echoed, or a development setting; None when it may be carried."""
    where = f"{rel}:{line}" if line else rel
    if carried_secret(name, value):
        shape = secret_shape(value)
        what = f" (its value is shaped like {shape})" if shape else ""
        return (
            f"{where}: {name} holds a secret{what}, which the image never carries: pass it at run time "
            f"(docker run -e {name})"
        )
    development = development_setting(name, value)
    if development is not None:
        return (
            f"{where}: {name}={value} is a development setting ({development}): the image leaves it "
            f"out and the app runs its default; give it at run time where meant (docker run -e {name})"
        )
    return None


# a settings reader's prefix for the variables it reads (`env_prefix="SHOP_"`, pydantic-settings' and others';
# dynaconf's `envvar_prefix="SHOP"` and Click's `auto_envvar_prefix="SHOP"`, which add the `_`; environs'
# `env.prefixed("SHOP_")`; https://click.palletsprojects.com/en/stable/options/#values-from-environment-variables):
# https://docs.pydantic.dev/latest/concepts/pydantic_settings/#environment-variable-names,
# https://www.dynaconf.com/configuration/#envvar_prefix, https://github.com/sloria/environs#prefixed-variables
_PREFIX = re.compile(
    r"""\b\w*prefix\w*["']?\s*[=:]\s*["']([A-Za-z][A-Za-z0-9]*_?)["']"""
    r"""|\.prefixed\(\s*["']([A-Za-z][A-Za-z0-9]*_?)["']""",
    re.IGNORECASE,
)


def _read(files: PlanFiles, modules: Iterable[str], names: frozenset[str]) -> dict[str, str]:
    """name -> the module naming it as a string literal (the first), else one naming a prefix it reads
    its settings' variables by (``env_prefix="SHOP_"``: ``SHOP_DEBUG``)."""
    alternatives = "|".join(re.escape(n) for n in sorted(names))
    pattern = re.compile(rf"""["']({alternatives})["']""")
    found: dict[str, str] = {}
    prefixed: dict[str, str] = {}
    for rel in modules:
        try:
            text = files.tree.read_text(rel)
        except ProjectError:  # an unreadable module names nothing
            continue
        for match in pattern.finditer(text):
            found.setdefault(match.group(1), rel)
        if len(found) == len(names):
            break
        for match in _PREFIX.finditer(text):
            prefix = (match.group(1) or match.group(2)).upper()
            prefix = prefix if prefix.endswith("_") else f"{prefix}_"
            for name in names:
                if len(prefix) > 2 and name.upper().startswith(prefix) and len(name) > len(prefix):
                    prefixed.setdefault(name, f"{rel} (by its settings' prefix {prefix})")
    return {**prefixed, **found}
