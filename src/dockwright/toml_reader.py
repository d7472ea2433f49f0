"""The TOML parser every reader of the user's files uses: TOML 1.1.

uv reads TOML 1.1 (a lock or pyproject formatted with inline tables over several lines, as tombi's
formatter writes them, rw37), so dockwright must too: Python's ``tomllib`` reads 1.1 from Python 3.15
(gh-142956), tomli from 2.4 (a dependency below 3.15). Both have the same API (``load``, ``loads``,
``TOMLDecodeError``, a ValueError)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 15):
    import tomllib
else:
    import tomli as tomllib

__all__ = ["tomllib"]
