"""The environment's off switches (``DOCKWRIGHT_PLAN_CACHE=off``, ``DOCKWRIGHT_BUILD_AHEAD=0``, ...):
one spelling of "off" for all of them. Imports nothing."""

from __future__ import annotations

OFF = ("off", "0", "no", "false")


def switched_off(value: str | None) -> bool:
    """Whether a switch's value (a variable's, unset: None) turns its feature off."""
    return (value or "").strip().lower() in OFF
