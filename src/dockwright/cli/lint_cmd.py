"""`dockwright lint` — placeholder module, replaced by the owner of the verb."""

from __future__ import annotations

import click

COMMANDS: tuple[click.Command, ...] = ()
