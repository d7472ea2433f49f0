"""Options for plan/init: defaults < ``[tool.dockwright]`` < ``DOCKWRIGHT_*`` environment < command line.

Keys (pyproject spelling; the environment uses ``DOCKWRIGHT_`` + upper snake case, e.g.
``DOCKWRIGHT_SYNTAX_DIRECTIVE=0``): python, debian, manager, start, port, strategy, runtime,
runtime-base ("trimmed" | "upstream" | "image:REF": the slim family's runtime without or with the base's
pip, or FROM a trimmed base published with ``dockwright base build``),
programs ("install" | "warn": install the Debian packages of the programs the app starts, or only warn),
syntax-directive,
bytecode ("compile" | "none"), image-name, lock-name, include-tests, include-docs, uid, index-url,
private-index (true | false: mount the ``pipconf`` secret on pip's install steps; default: only where
the project names another index), exclude-newer, extras (``[project.optional-dependencies]`` groups the
image installs), groups (a uv.lock project's ``[dependency-groups]`` the image installs, replacing its
production default groups). Sub-tables (e.g. ``[tool.dockwright.lint]``) belong to other verbs and are
ignored here.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockwright.errors import ConfigError

if TYPE_CHECKING:  # the planner is imported by load_options only (`audit` reads the table alone)
    from dockwright.plan.strategies.base import PlanOptions
    from dockwright.written_base import Written

from dockwright.toml_reader import tomllib


def _str(value: Any, key: str) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ConfigError(f"{key} must be a string, got {value!r}")
    return str(value)


def _file_name(value: Any, key: str) -> str:
    """A generated file's name: one plain name in the project folder (no folders, no control characters)."""
    text = _str(value, key)
    if (
        text in ("", ".", "..")
        or "/" in text
        or "\\" in text
        or text.startswith("-")
        or any(ord(c) < 32 or ord(c) == 127 for c in text)
    ):
        raise ConfigError(f"{key} must be a plain file name in the project folder, got {value!r}")
    return text


def _int(value: Any, key: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be an integer, got {value!r}") from None
    if isinstance(value, bool) or number < 0:
        raise ConfigError(f"{key} must be a non-negative integer, got {value!r}")
    return number


def _port(value: Any, key: str) -> int:
    number = _int(value, key)
    if not 0 < number < 65536:
        raise ConfigError(f"{key} must be a TCP port (1-65535), got {value!r}")
    return number


def _bool(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{key} must be true or false, got {value!r}")


def _bytecode(value: Any, key: str) -> str:
    text = _str(value, key)
    if text not in {"compile", "none"}:
        raise ConfigError(f"{key} must be 'compile' or 'none', got {value!r}")
    return text


def _runtime(value: Any, key: str) -> str:
    text = _str(value, key)
    if text not in {"distroless", "scratch"}:
        raise ConfigError(f"{key} must be 'distroless' or 'scratch', got {value!r}")
    return text


def _runtime_base(value: Any, key: str) -> str:
    text = _str(value, key).strip()
    if text.startswith("image:"):
        from dockwright.image_names import check_image_reference

        check_image_reference(text.removeprefix("image:"), key)
        return text
    if text not in {"trimmed", "upstream"}:
        raise ConfigError(
            f"{key} must be 'trimmed' or 'upstream', or 'image:REF' (a base made by `dockwright base "
            f"build`), got {value!r}"
        )
    return text


def _programs(value: Any, key: str) -> str:
    text = _str(value, key)
    if text not in {"install", "warn"}:
        raise ConfigError(f"{key} must be 'install' or 'warn', got {value!r}")
    return text


def _names(value: Any, key: str) -> tuple[str, ...]:
    """A list of names: a TOML array, or a comma-separated string (environment, command line)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"{key} must be a list of names, got {value!r}")
    names = tuple(i.strip() for i in items if i.strip())
    bad = [n for n in names if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", n)]
    if bad:
        raise ConfigError(f"{key}: not an extra's name: {', '.join(map(repr, bad))}")
    return names


def _python(value: Any, key: str) -> str:
    text = _str(value, key).strip()
    if not re.fullmatch(r"3\.\d+(\.\d+)?", text):
        raise ConfigError(f"{key} must look like 3.X or 3.X.Y, got {value!r}")
    return text


_PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "python": _python,
    "debian": _str,
    "manager": _str,
    "start": _str,
    "port": _port,
    "process": _str,
    "package": _str,
    "extras": _names,
    "groups": _names,
    "strategy": _str,
    "runtime": _runtime,
    "runtime_base": _runtime_base,
    "programs": _programs,
    "syntax_directive": _bool,
    "bytecode": _bytecode,
    "image_name": _str,
    "lock_name": _file_name,
    "include_tests": _bool,
    "include_docs": _bool,
    "uid": _int,
    "index_url": _str,
    "private_index": _bool,
    "exclude_newer": _str,
    "index_lookup": _bool,
}


def read_pyproject_table(root: Path) -> dict[str, Any]:
    """``[tool.dockwright]`` of ``root/pyproject.toml`` (empty when absent)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except UnicodeDecodeError as error:
        raise ConfigError(f"not UTF-8 text (byte {error.start})", file="pyproject.toml") from error
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise ConfigError(
            f"invalid TOML: {error}", file="pyproject.toml", line=int(match[1]) if match else None
        ) from error
    tool = data.get("tool", {})
    table = tool.get("dockwright", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError("tool and [tool.dockwright] must be tables", file="pyproject.toml")
    return table


def load_options(
    root: Path,
    cli: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    written: Written | None = None,
) -> PlanOptions:
    """Layer the option sources; ``cli`` values that are None mean "not given". ``written``: the Python
    and suite a Dockerfile dockwright wrote pins (``written_base``, for the build of that file), the
    lowest layer, taken whole only when no other source sets the Python or the suite; the start (and
    port) it keeps, only when no other source sets a start, a port or a process."""
    from dockwright.plan.strategies.base import PlanOptions

    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for raw_key, raw in read_pyproject_table(root).items():
        key = raw_key.replace("-", "_")
        if key in _PARSERS and not isinstance(raw, dict):
            values[key] = _PARSERS[key](raw, f"[tool.dockwright] {raw_key}")
            origins[key] = "pyproject"
    for key, parse in _PARSERS.items():
        name = f"DOCKWRIGHT_{key.upper()}"
        if env.get(name, "") != "":
            values[key] = parse(env[name], name)
            origins[key] = "env"
    for key, raw in (cli or {}).items():
        if raw is None:
            continue
        if key not in _PARSERS:
            raise ConfigError(f"unknown option {key!r}")
        values[key] = _PARSERS[key](raw, f"--{key.replace('_', '-')}")
        origins[key] = "cli"
    if written is not None and written.python and written.debian and not {"python", "debian"} & values.keys():
        values["python"] = _PARSERS["python"](written.python, "the written Dockerfile's base")
        values["debian"] = _PARSERS["debian"](written.debian, "the written Dockerfile's base")
        origins.update(python="dockerfile", debian="dockerfile")
    if written is not None and written.start and not {"start", "port", "process"} & values.keys():
        values["start"] = _PARSERS["start"](written.start, "the written Dockerfile's kept --start")
        origins["start"] = "dockerfile"
        if written.port:
            values["port"] = _PARSERS["port"](written.port, "the written Dockerfile's kept --port")
            origins["port"] = "dockerfile"
    return dataclasses.replace(PlanOptions(), **values, origins=tuple(sorted(origins.items())))
