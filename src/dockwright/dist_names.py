"""Distribution names as PEP 503 compares them, without importing packaging.

``packaging.utils.canonicalize_name`` is one line of string operations, but importing it loads
packaging's ``tags`` (``logging``, ``platform``, ``sysconfig``): ~10-15 ms of CPU that every audit
paid while the engine exported the image (docs/lean.md, auditperf28). Imports nothing.
"""

from __future__ import annotations


def canonicalize_name(name: str) -> str:
    """PEP 503 normalisation, as ``packaging.utils.canonicalize_name`` computes it (its code since
    26; the same result as ``re.sub(r"[-_.]+", "-", name).lower()``): ``Flask_SQLAlchemy`` and
    ``flask.sqlalchemy`` are ``flask-sqlalchemy``."""
    value = name.lower().replace("_", "-").replace(".", "-")
    while "--" in value:
        value = value.replace("--", "-")
    return value
