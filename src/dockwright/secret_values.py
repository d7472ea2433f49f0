"""Whether an environment variable's literal value is a secret: a secret-looking name (password, token,
secret, API key, private or license key) set to a real value, or a password inside a URL
(``postgres://app:s3cret@db/app``). Placeholders are no secrets: booleans and empties (``no``, ``0``,
``""``), ``changeme``-style values, ``<...>``/``${...}`` templates, references to another variable.

Read by the lint rule DW403 (an ``ENV``/``ARG`` holding one) and by the start detection, which never puts
one it reads from the project's run instructions (a systemd unit's ``Environment=``, a compose command's
``NAME=value``) into the image: the plan names it for ``docker run -e`` instead.
"""

from __future__ import annotations

import re

_SECRET = re.compile(
    r"(PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|LICEN[CS]E_?KEY|CREDENTIALS?)",
    re.I,
)
#: names that hold something about a secret, not the secret itself
_HARMLESS = re.compile(
    r"(_FILE|_PATH|_DIR|_NAME|_URL_FILE|_LENGTH|_LEN|_TIMEOUT|_TTL|_EXPIRY|_EXPIRES|_ENABLED|_REQUIRED"
    r"|_HEADER|_ALGORITHM|_TYPE|_MODE|_ID|_USER|_USERNAME|_HOST|_PORT|_URL|_ENDPOINT|_PROVIDER)$",
    re.I,
)
_PLACEHOLDER = re.compile(
    r"^(|no|yes|false|true|on|off|0|1|none|null|nil|empty|unset|disabled?|enabled?|x+|\*+|\.+|-+"
    r"|change[-_ ]?(me|it|this)|changeme\S*|placeholder|dummy|example|sample|test|secret|password"
    r"|your[-_ ].*|<.*>|\{\{.*\}\}|\$.*|%.*%)$",
    re.I,
)
_URL_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:([^@\s/]+)@", re.I)


def _placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip().strip("'\""))) or "${" in value


def secret_name(name: str) -> bool:
    """Whether ``name`` says its variable holds a secret (``ADMIN_PASSWORD``; not ``PASSWORD_FILE``)."""
    return bool(_SECRET.search(name)) and not _HARMLESS.search(name)


def literal_secret(name: str, value: str) -> str | None:
    """``"url"`` when ``value`` holds a password inside a URL, ``"name"`` when a secret-looking ``name``
    is set to a real value, else None."""
    if not value:
        return None
    url = _URL_PASSWORD.search(value)
    if url and not _placeholder(url.group(1)):
        return "url"
    if _SECRET.search(name) and not _HARMLESS.search(name) and not _placeholder(value):
        return "name"
    return None
