"""Credentials of the lock's own indexes, as the ``netrc`` BuildKit secret (never ARG, ENV or a layer).

The plan names each index's credential templates (``${UV_INDEX_TORCH_USERNAME}``, ``${POETRY_HTTP_BASIC_
CORP_PASSWORD}``, a requirements file's ``${TOKEN}``); the build expands them from its own environment
into a 0600 netrc (``machine HOST login USER password TOKEN``) that pip and uv read for the index's host.
An index whose variables are unset gets no entry: a public index needs none, a private one then
answers 401 and pip says so.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from dockwright.errors import ConfigError
from dockwright.project.facts import PackageIndex

NETRC_SECRET_ID = "netrc"  # the generated Dockerfile mounts it at /root/.netrc
_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)\}")


def _expand(template: str, environ: Mapping[str, str]) -> str | None:
    """``template`` with every ``${VAR}`` replaced; None when one is unset or empty."""
    names = _VARIABLE.findall(template)
    if any(not environ.get(name) for name in names):
        return None
    return _VARIABLE.sub(lambda m: environ[m.group(1)], template)


def sends_credentials(index: PackageIndex, environ: Mapping[str, str]) -> bool:
    """Whether an installer sends credentials to ``index`` from this environment: the project says it
    needs them, or a login or password of its is written out or expands (uv's and Poetry's per-index
    ``${..._USERNAME}`` names count only when set)."""
    if index.needs_credentials:
        return True
    return any(template and _expand(template, environ) for template in (index.login, index.password))


def netrc_text(indexes: tuple[PackageIndex, ...], environ: Mapping[str, str]) -> str:
    """One ``machine`` entry per index host whose credentials the environment holds (first one wins)."""
    entries: dict[str, str] = {}
    for index in indexes:
        host = urlsplit(index.url).hostname
        if not host or host in entries or not (index.login or index.password):
            continue
        login = _expand(index.login, environ) if index.login else ""
        password = _expand(index.password, environ) if index.password else ""
        if login is None or password is None or not (login or password):
            continue
        for value, what in ((login, "login"), (password, "password")):
            if re.search(r"\s", value) or value.startswith('"'):
                raise ConfigError(
                    f"the {what} for index host {host} holds whitespace: a netrc cannot carry it"
                )
        entries[host] = f"machine {host} login {login or 'token'} password {password}\n"
    return "".join(entries.values())


def missing_credentials(indexes: tuple[PackageIndex, ...], environ: Mapping[str, str]) -> tuple[str, ...]:
    """One line per index the project says needs credentials (``${VAR}`` in its URL, uv's
    ``authenticate = "always"``) whose variables are unset. Never a value, only variable names."""
    out = []
    for index in indexes:
        if not index.needs_credentials:
            continue  # uv/Poetry name conventions only: a public index (PyTorch's) needs none
        names = _VARIABLE.findall(index.login + index.password)
        unset = [name for name in names if not environ.get(name)]
        if unset:
            out.append(
                f"index {index.url} ({index.evidence}): {', '.join(unset)} not set, so no netrc entry for "
                "it; a private index will answer 401 (export them, or pass --secret id=netrc,src=FILE)"
            )
    return tuple(out)


@contextmanager
def secret_netrc(
    indexes: tuple[PackageIndex, ...], environ: Mapping[str, str] | None = None
) -> Iterator[tuple[tuple[str, str], ...]]:
    """(``netrc``, path of a 0600 temporary netrc) when any index has credentials; deleted afterwards."""
    text = netrc_text(indexes, os.environ if environ is None else environ)
    if not text:
        yield ()
        return
    with secret_file(NETRC_SECRET_ID, text, prefix="dockwright-netrc-") as secret:
        yield (secret,)


@contextmanager
def secret_file(secret_id: str, text: str, *, prefix: str, suffix: str = "") -> Iterator[tuple[str, str]]:
    """(``secret_id``, path of a 0600 temporary file holding ``text``): a BuildKit secret source,
    deleted afterwards."""
    descriptor, name = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        yield (secret_id, name)
    finally:
        Path(name).unlink(missing_ok=True)
