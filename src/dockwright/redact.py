"""Credentials out of every output: ``scheme://user:token@host`` becomes ``scheme://***@host``.

Requirement lines, index URLs and error messages may carry a private index's password; plan text and
JSON, errors, logs and the generated files never repeat it. The plan's frozen values (evidence, facts,
decisions, notes) redact at their making (``scrub`` in their ``__post_init__``), so a plan made through
the library is as clean as the CLI's output; the CLI redacts its text once more.
"""

from __future__ import annotations

import re
from typing import Any

from dockwright.lazy_re import lazy
from dockwright.secret_values import hide_shapes, literal_secret

# userinfo of a URL: anything up to "@" that is not a separator of the URL or of the text around it
_USERINFO = lazy(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,30}://)(?P<userinfo>[^\s/@'\"<>]{1,512})@")


def redact(text: str) -> str:
    """``text`` with the user and password of every URL, and every value shaped like a provider's
    credential (``secret_values.secret_shape``), replaced by ``***``."""
    return hide_shapes(_USERINFO.sub(r"\g<scheme>***@", text))


def has_credentials(text: str) -> bool:
    return _USERINFO.search(text) is not None


_PLACEHOLDERS = lazy(r"^(\$\{[A-Z0-9_]+\}|[A-Za-z0-9._-]*)(:\$\{[A-Z0-9_]+\})?$")


def _literal(userinfo: str, scheme: str = "") -> bool:
    if scheme.lower().rstrip(":/").endswith("ssh") and ":" not in userinfo:
        return False  # `ssh://git@host/...`: ssh's user name is no secret (the key is elsewhere)
    return not _PLACEHOLDERS.match(userinfo) or (":" not in userinfo and "${" not in userinfo)


def has_literal_credentials(text: str) -> bool:
    """Credentials other than environment placeholders (``https://${USER}:${TOKEN}@host``, pip's and
    uv's syntax, expanded where the file is read): a placeholder is no secret."""
    return any(_literal(m.group("userinfo"), m.group("scheme")) for m in _USERINFO.finditer(text))


# a command line's secret-named option and its value (`--token 123:abc`, `--api-key=k3y`)
_OPTION_VALUE = lazy(r"(?P<option>--[A-Za-z][A-Za-z0-9_-]{0,60})(?P<sep>=|\s+)(?P<value>[^\s'\"]{1,512})")
_SPEC = lazy(r"^[A-Za-z_][A-Za-z0-9_-]*=")


def option_value_secret(option: str, value: str) -> bool:
    """Whether ``value`` given to the long option ``option`` (``--token``) is a literal secret: a
    secret-named option with a real value, not a ``key=value`` spec of where one is (docker build's
    ``--secret id=...,src=...``) nor a placeholder."""
    name = option.lstrip("-").replace("-", "_")
    return (
        not value.startswith("-")
        and not _SPEC.match(value)
        and literal_secret(name, value) in ("name", "shape")
    )


def _option_secret(m: re.Match[str]) -> str:
    if not option_value_secret(m.group("option"), m.group("value")):
        return m.group(0)
    return f"{m.group('option')}{m.group('sep')}***"


# a shell line's assignment (`API_TOKEN="t0k" gunicorn ...`, a compose command's): its name and value
_ASSIGNMENT_VALUE = re.compile(
    r"""(?<![\w$.-])(?P<name>[A-Za-z_][A-Za-z0-9_]{0,80})=(?P<value>"[^"]{0,512}"|'[^']{0,512}'|[^\s'"]{1,512})"""
)


def _assignment_secret(m: re.Match[str]) -> str:
    value = m.group("value")
    if value[:1] in "\"'" and value[-1:] == value[:1]:
        value = value[1:-1]
    if literal_secret(m.group("name"), value) not in ("name", "shape"):
        return m.group(0)
    return f"{m.group('name')}=***"


def redact_literal(text: str) -> str:
    """``text`` with every literal credential of a URL, the value of a secret-named option of a
    command line (``--token 123:abc``) and of a secret-named assignment (``API_TOKEN="t0k" prog``),
    replaced by ``***``; environment placeholders (``${TOKEN}``) stay, since the build expands them
    and they are no secret. A value shaped like a provider's credential (``sk_live_...``) becomes ``***``
    wherever it stands."""
    text = hide_shapes(text)
    if "--" in text:
        text = _OPTION_VALUE.sub(_option_secret, text)
    if "=" in text:
        text = _ASSIGNMENT_VALUE.sub(_assignment_secret, text)
    if "@" not in text:  # most texts: no regular expression at all
        return text
    return _USERINFO.sub(
        lambda m: (
            f"{m.group('scheme')}***@" if _literal(m.group("userinfo"), m.group("scheme")) else m.group(0)
        ),
        text,
    )


def scrub(value: Any, *fields: str) -> None:
    """Redact the text ``fields`` (a ``str``, or a tuple of them) of the frozen dataclass ``value`` in
    place: called by the plan's values from their ``__post_init__``."""
    for name in fields:
        text = getattr(value, name)
        if isinstance(text, str):
            clean: object = redact_literal(text)
        elif isinstance(text, tuple) and all(isinstance(t, str) for t in text):
            clean = tuple(redact_literal(t) for t in text)
        else:
            continue
        if clean != text:
            object.__setattr__(value, name, clean)
