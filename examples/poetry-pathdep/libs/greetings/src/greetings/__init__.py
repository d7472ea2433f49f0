"""How the apps of the monorepo greet (escaped for HTML with markupsafe)."""

from markupsafe import escape
from textkit import shout

__version__ = "0.3.0"


def greet(name: str) -> str:
    return shout(f"hello, {escape(name)}")
