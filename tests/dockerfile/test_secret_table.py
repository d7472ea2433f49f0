"""The secrets table's one-regex pre-filter agrees with Docker's matching, pattern by pattern."""

from __future__ import annotations

import pytest

from dockwright.dockerfile.ignore import DockerIgnore, anywhere_regex
from dockwright.secrets import SECRET_PATTERNS, secret_match

PATHS = [
    *(entry.probe for entry in SECRET_PATTERNS),
    ".env",
    "app/.env.production",
    "srv/app/deploy/id_rsa.pub",
    "root/.aws/credentials",
    "home/app/.docker/config.json",
    "usr/lib/ssl/cert.pem",
    "opt/venv/lib/python3.13/site-packages/certifi/cacert.pem",
    "app/.env.example",
    "app/environment.py",
    "usr/share/doc/keyutils/README",
    "etc/pip.conf.d/x",
    "app/keys/server.key/inner.txt",
    "app/main.py",
    "a/prod.env/c.txt",
    "certs/x.pem.bak",
    "deploy/id_rsa_backup/x",
    "./home/.netrc",
    "/etc/ssl/private/server.key",
    "a/.aws/credentials.bak",
    "a/b.aws/credentials",
    "etc/ssl/pem/README",
    "app/config.json",
    "x/.docker/config.json/y",
    "lib/credentials.json.d/a",
    "srv/.envrc",
    "",
]


def _slow(path: str) -> str | None:
    if path.rsplit("/", 1)[-1] in {".env.example", ".env.sample", ".env.template", ".env.dist"}:
        return None
    for entry in SECRET_PATTERNS:
        if DockerIgnore.parse(entry.pattern).excluded(path):
            return entry.pattern
    return None


@pytest.mark.parametrize("path", PATHS)
def test_secret_match_agrees_with_each_pattern(path: str) -> None:
    found = secret_match(path)
    assert (found.pattern if found else None) == _slow(path)


def test_the_table_has_a_text_every_match_holds() -> None:
    """secret_match skips a path holding none of the patterns' literal runs (the audit's fast path)."""
    from dockwright.secrets import _required_pieces

    required = _required_pieces()
    assert required is not None
    for path in PATHS:
        if _slow(path) is not None:
            assert required.search(path), path


def test_anywhere_regex_takes_only_anywhere_patterns() -> None:
    assert anywhere_regex([]).search("anything") is None
    with pytest.raises(ValueError):
        anywhere_regex([".env"])
