"""Files that carry secrets: the one table the generated ``.dockerignore``, the audit and lint DW702 share.

Every pattern is written in ``.dockerignore`` syntax and anchored with ``**/`` because Docker anchors
patterns at the context root: ``.env`` leaves out ``./.env`` only, never ``config/.env``. Each entry
carries a probe (a path the pattern must exclude, used by DW702 and the audit to test a
``.dockerignore``) and the reason it is a secret. Sources: the guides' "aggressive .dockerignore"
(seeds/best-practices-python.md), Docker's build-context docs ("exclude secrets such as .env, keys"),
and the credential files pip, npm, twine, curl and ssh read.

Imports only the .dockerignore matcher: plan, lint and audit all read it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache

from dockwright.dockerfile.ignore import DockerIgnore, anywhere_regex


@dataclass(frozen=True)
class SecretPattern:
    pattern: str  # .dockerignore syntax, matches at any depth
    probe: str  # a nested path the pattern must exclude
    reason: str
    # In an image, OS folders (etc/, usr/ ...) hold system files of the same names (a CA bundle .pem, an
    # /etc/pip.conf naming a mirror): the audit reports those only for patterns marked ``anywhere``.
    anywhere: bool = False


SECRET_PATTERNS: tuple[SecretPattern, ...] = (
    SecretPattern(
        "**/.env", "config/.env", "dotenv files hold local secrets (API keys, passwords)", anywhere=True
    ),
    SecretPattern(
        "**/.env.*", "config/.env.production", "per-environment dotenv files hold secrets", anywhere=True
    ),
    SecretPattern(
        "**/.env_*",
        "config/.env_production",
        "per-environment dotenv files named with an underscore (.env_production, .env_development) hold "
        "secrets, and a manage.py that reads one at build time would build with its settings",
        anywhere=True,
    ),
    SecretPattern("**/*.env", "app/prod.env", "named dotenv files (prod.env) hold secrets", anywhere=True),
    SecretPattern(
        "**/.envs",
        "deploy/.envs/.production/.django",
        "a folder of per-environment dotenv files (cookiecutter-django's .envs/.production/.django) holds "
        "secrets",
    ),
    SecretPattern("**/*.pem", "certs/server.pem", "PEM files hold private keys and certificates"),
    SecretPattern("**/*.key", "certs/server.key", "private keys"),
    SecretPattern("**/*.p12", "certs/client.p12", "PKCS#12 bundles hold private keys"),
    SecretPattern("**/*.pfx", "certs/client.pfx", "PKCS#12 bundles hold private keys"),
    SecretPattern("**/id_rsa*", "deploy/id_rsa", "SSH private keys"),
    SecretPattern("**/id_dsa*", "deploy/id_dsa", "SSH private keys"),
    SecretPattern("**/id_ecdsa*", "deploy/id_ecdsa", "SSH private keys"),
    SecretPattern("**/id_ed25519*", "deploy/id_ed25519", "SSH private keys"),
    SecretPattern("**/.npmrc", "frontend/.npmrc", "npm registry tokens"),
    SecretPattern("**/.pypirc", "tools/.pypirc", "PyPI upload tokens (twine)"),
    SecretPattern("**/pip.conf", "deploy/pip.conf", "pip index URLs with credentials"),
    SecretPattern("**/.netrc", "home/.netrc", "passwords for pip, curl and git hosts"),
    SecretPattern("**/.git-credentials", "home/.git-credentials", "git host passwords and tokens"),
    SecretPattern("**/.aws/credentials", "home/.aws/credentials", "AWS access keys"),
    SecretPattern("**/.docker/config.json", "home/.docker/config.json", "registry auth tokens"),
    SecretPattern(
        "**/credentials.json", "config/credentials.json", "service-account keys (Google Cloud and others)"
    ),
    SecretPattern("**/*.tfvars", "infra/prod.tfvars", "Terraform variables often hold secrets"),
    # https://docs.streamlit.io/develop/concepts/connections/secrets-management: "add this file to .gitignore"
    SecretPattern(
        "**/.streamlit/secrets.toml", "dash/.streamlit/secrets.toml", "Streamlit's secrets (st.secrets)"
    ),
    # python-fasthtml's fast_app() keeps the key that signs its session cookies in .sesskey
    SecretPattern("**/.sesskey", "web/.sesskey", "FastHTML's session-signing key"),
)
"""Leave these out of every build context; the audit fails an image that holds one."""

SECRET_SAMPLES: tuple[str, ...] = (".env.example", ".env.sample", ".env.template", ".env.dist")
"""Documented templates of a dotenv file (no values): never secrets, never reported."""


@cache
def _matcher(pattern: str) -> DockerIgnore:
    return DockerIgnore.parse(pattern)


@cache
def _any_secret() -> re.Pattern[str]:
    return anywhere_regex(entry.pattern for entry in SECRET_PATTERNS)


@cache
def _required_pieces() -> re.Pattern[str] | None:
    """A search for the text every path some pattern matches holds (each pattern's longest run without
    wildcards: ``.pem``, ``id_rsa``, ``.aws/credentials``), which the path matcher's regex cannot skip to
    (its ``[^/]*`` branches are tried at every folder of a path; ~8 us a path against ~1 us). None
    when a pattern has no such run, or a character class or escape: every path is then matched in full."""
    pieces = []
    for entry in SECRET_PATTERNS:
        if "\\" in entry.pattern or "[" in entry.pattern:
            return None
        piece = max(re.split(r"[*?]", entry.pattern.removeprefix("**/")), key=len)
        if not piece:
            return None
        pieces.append(piece)
    return re.compile("|".join(re.escape(piece) for piece in sorted(set(pieces), key=len, reverse=True)))


def secret_match(path: str) -> SecretPattern | None:
    """The table entry a '/'-separated path matches (Docker's matching rules), else None.

    Dotenv templates (``.env.example``) are not secrets."""
    required = _required_pieces()
    if required is not None and required.search(path) is None:
        return None  # the audit asks this for every file of an image: most hold no piece
    name = posixpath.basename(path.rstrip("/"))
    if name in SECRET_SAMPLES:
        return None
    # then one regex search over the path, before matching each pattern
    if _any_secret().search(path.strip("/").removeprefix("./")) is None:
        return None
    for entry in SECRET_PATTERNS:
        if _matcher(entry.pattern).excluded(path):
            return entry
    return None


def secret_reason(path: str) -> str | None:
    """Why a path names a secret file, else None."""
    entry = secret_match(path)
    return entry.reason if entry else None


def unexcluded_secrets(rules: DockerIgnore) -> tuple[SecretPattern, ...]:
    """Table entries whose probe a .dockerignore lets into the build context."""
    return tuple(entry for entry in SECRET_PATTERNS if not rules.excluded(entry.probe))
