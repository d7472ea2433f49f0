"""Credentials out of every output: ``scheme://user:token@host`` becomes ``scheme://***@host``.

Requirement lines, index URLs and error messages may carry a private index's password; plan text and
JSON, errors, logs and the generated files never repeat it.
"""

from __future__ import annotations

import re

# userinfo of a URL: anything up to "@" that is not a separator of the URL or of the text around it
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,30}://)(?P<userinfo>[^\s/@'\"<>]{1,512})@")


def redact(text: str) -> str:
    """``text`` with the user and password of every URL replaced by ``***``."""
    return _USERINFO.sub(r"\g<scheme>***@", text)


def has_credentials(text: str) -> bool:
    return _USERINFO.search(text) is not None


_PLACEHOLDERS = re.compile(r"^(\$\{[A-Z0-9_]+\}|[A-Za-z0-9._-]*)(:\$\{[A-Z0-9_]+\})?$")


def has_literal_credentials(text: str) -> bool:
    """Credentials other than environment placeholders (``https://${USER}:${TOKEN}@host``, pip's and
    uv's syntax, expanded where the file is read): a placeholder is no secret."""
    for match in _USERINFO.finditer(text):
        userinfo = match.group("userinfo")
        if not _PLACEHOLDERS.match(userinfo) or (":" not in userinfo and "${" not in userinfo):
            return True
    return False
