"""Whether an environment variable's literal value is a secret: a secret-looking name (password, token,
secret, API key, private or license key) set to a real value, or a password inside a URL
(``postgres://app:s3cret@db/app``), or a value shaped like a provider's credential whatever its name
(a Stripe ``sk_live_`` key, a GitHub ``ghp_`` token, a private key block: ``data/secret_shapes.toml``,
:func:`secret_shape`). Placeholders are no secrets: booleans and empties (``no``, ``0``,
``""``), ``changeme``-style values, ``<...>``/``${...}`` templates, references to another variable.

Read by the lint rule DW403 (an ``ENV``/``ARG`` holding one) and by the start detection, which never puts
one it reads from the project's run instructions (a systemd unit's ``Environment=``, a compose command's
``NAME=value``) into the image: the plan names it for ``docker run -e`` instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from dockwright.lazy_re import lazy
from dockwright.toml_reader import tomllib

_SECRET = lazy(
    r"(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|LICEN[CS]E_?KEY|CREDENTIALS?)",
    re.I,
)
#: names that hold something about a secret, not the secret itself
_HARMLESS = lazy(
    r"(_FILE|_PATH|_DIR|_NAME|_URL_FILE|_LENGTH|_LEN|_TIMEOUT|_TTL|_EXPIRY|_EXPIRES|_ENABLED|_REQUIRED"
    r"|_HEADER|_ALGORITHM|_TYPE|_MODE|_ID|_USER|_USERNAME|_HOST|_PORT|_URL|_URI|_ENDPOINT|_PROVIDER)$",
    re.I,
)
_PLACEHOLDER = lazy(
    r"^(|no|yes|false|true|on|off|0|1|none|null|nil|empty|unset|disabled?|enabled?|x+|\*+|\.+|-+"
    r"|change[-_ ]?(me|it|this)|changeme\S*|placeholder|dummy|example|sample|test|secret|password"
    r"|your[-_ ].*|<.*>|\{\{.*\}\}|\$.*|%.*%)$",
    re.I,
)
_URL_PASSWORD = lazy(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:([^@\s/]+)@", re.I)  # a user or none (redis://:pw@)


def _placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip().strip("'\""))) or "${" in value


def secret_name(name: str) -> bool:
    """Whether ``name`` says its variable holds a secret (``ADMIN_PASSWORD``; not ``PASSWORD_FILE``)."""
    return bool(_SECRET.search(name)) and not _HARMLESS.search(name)


@lru_cache(maxsize=1)
def _shapes() -> tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]:
    """(what it is, its keywords, its pattern) of each row of ``data/secret_shapes.toml``."""
    text = resources.files("dockwright").joinpath("data/secret_shapes.toml").read_text("utf-8")
    rows = tomllib.loads(text)["shape"]
    return tuple((row["id"], tuple(row["keywords"]), re.compile(row["pattern"])) for row in rows)


def load_shapes() -> None:
    """Read and compile the table now (an audit does it while the engine exports the image: its
    report's redaction read it after the read, ~5 ms of CPU on the path to the output)."""
    _keywords()


@lru_cache(maxsize=1)
def _keywords() -> tuple[tuple[str, int], ...]:
    return tuple((word, index) for index, (_, words, _) in enumerate(_shapes()) for word in words)


def _present(text: str) -> list[tuple[str, re.Pattern[str]]]:
    """The rows whose keyword ``text`` holds (substring tests: most texts hold none, and no pattern runs)."""
    indexes: set[int] = set()
    for word, index in _keywords():
        if word in text:
            indexes.add(index)
    if not indexes:
        return []
    shapes = _shapes()
    return [(shapes[i][0], shapes[i][2]) for i in sorted(indexes)]


def secret_shape(value: str) -> str | None:
    """What ``value`` holds when it is shaped like a provider's credential (``"a Stripe secret or
    restricted key"``), whatever the variable holding it is called; else None."""
    if not value:
        return None
    return next((what for what, pattern in _present(value) if pattern.search(value)), None)


def hide_shapes(text: str) -> str:
    """``text`` with every value shaped like a credential (:func:`secret_shape`) replaced by ``***``."""
    for _, pattern in _present(text) if text else ():
        text = pattern.sub("***", text)
    return text


def may_hold_secret(text: str) -> bool:
    """Whether ``text`` (a whole file) may hold a literal secret: a secret-looking word or a credential's
    keyword is in it (a cheap test before a closer look)."""
    return bool(_SECRET.search(text) or _URL_PASSWORD.search(text) or _present(text))


def literal_secret(name: str, value: str) -> str | None:
    """``"url"`` when ``value`` holds a password inside a URL, ``"shape"`` when it is shaped like a
    provider's credential (:func:`secret_shape`), ``"name"`` when a secret-looking ``name`` is set to a
    real value, else None."""
    if not value:
        return None
    if secret_shape(value) is not None:
        return "shape"
    url = _URL_PASSWORD.search(value)
    if url and not _placeholder(url.group(1)):
        return "url"
    if _SECRET.search(name) and not _HARMLESS.search(name) and not _placeholder(value):
        return "name"
    return None


# a URL of words: scheme://host[:port]/word/word, no user part, no query, no fragment
_PLAIN_URL = lazy(r"[a-z][a-z0-9+.-]*://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~{}-]*)*", re.I)
_WORDS = lazy(r"[a-z]+(?:[-_.][a-z]+)*")


def address(value: str) -> bool:
    """An endpoint's address under a secret-sounding name (``_URL_TOKEN =
    "https://api.example.net/get-token"``): a URL with no user part, query or fragment whose path
    segments are words (``get-token``) or short (``v1``): a segment of 8 or more characters holding a
    digit, or of 16 or more that is not lowercase words, may be a credential (a webhook's token path)."""
    if not _PLAIN_URL.fullmatch(value):
        return False
    path = value.split("://", 1)[1].split("/")[1:]
    for segment in path:
        if len(segment) >= 8 and any(c.isdigit() for c in segment):
            return False
        if len(segment) >= 16 and not _WORDS.fullmatch(segment):
            return False
    return True


def label(name: str, value: str) -> bool:
    """The value is the name in words (``Password = "Password:"``, a UI message): a label."""
    letters = re.sub(r"[^a-z0-9]", "", value.lower())
    return bool(letters) and letters == re.sub(r"[^a-z0-9]", "", name.lower())


# words of a variable's name (split at `_`) that say it holds a secret, beyond _SECRET: the shorter
# spellings (DB_PASS, DB_PWD), keys of every kind (SIGNING_KEY, FERNET_KEY), salts, credentials pairs
_SECRET_WORDS = frozenset(
    {"PASS", "PWD", "PW", "KEY", "KEYS", "SALT", "AUTH", "DSN", "JWT", "COOKIE", "HMAC"}
)
# a URL naming its user (a key in Sentry's DSN, https://KEY@host/1) or a credential in its query
_URL_USER = lazy(r"[a-z][a-z0-9+.-]*://[^/\s@]+@", re.I)
_URL_QUERY = lazy(r"[?&](?:token|access_token|api_?key|key|secret|password|sig|signature|auth)=[^&\s]", re.I)


def carried_secret(name: str, value: str) -> bool:
    """Whether a setting dockwright would copy into an image from another file (the repository's own
    image's ``ENV``) may hold a secret: :func:`secret_name`, :func:`literal_secret`, a name ending in one
    of the shorter secret words (``DB_PASS``, ``SIGNING_KEY``; not ``KEY_PREFIX``), or a URL with a user
    part or a credential in its query. Stricter than :func:`literal_secret`: a value left out is named
    for ``docker run -e``, one carried is in every layer after it."""
    named = name.upper().rsplit("_", 1)[-1] in _SECRET_WORDS and not _HARMLESS.search(name)
    return (
        secret_name(name)
        or literal_secret(name, value) is not None
        or named
        or bool(_URL_USER.search(value) or _URL_QUERY.search(value))
    )
