"""Chat bots: a script that runs a Slack, Discord or Telegram client until it stops.

## What it detects
A top-level script or a package ``__main__`` that imports a chat-bot library of ``data/bots.toml``
and calls what runs its client: ``bot.run(TOKEN)`` (discord.py, nextcord, disnake, hikari),
``application.run_polling()`` (python-telegram-bot), ``dp.start_polling(bot)`` (aiogram),
``client.run_until_disconnected()`` (Telethon), ``app.run()`` (Pyrogram), and Slack Bolt's Socket
Mode handler ``SocketModeHandler(app, token).start()``. Bolt's own ``app.start(3000)`` is its
development HTTP server, not a bot loop; a Telegram ``run_webhook`` listens on a port and is not
one either. The call may sit in a ``main()`` that the ``__main__`` guard or ``asyncio.run`` calls.

## Evidence
The line of the loop call (``rules.py:40 calls application.run_polling``), with the library and
what it connects to.

## Example
```python
# bot.py
import os

import discord

client = discord.Client(intents=discord.Intents.default())

if __name__ == "__main__":
    client.run(os.environ.get("DISCORD_TOKEN"))
```

## Start command
``python bot.py`` (``python -m pkg`` for a package ``__main__``; the console script the project declares
for the module, ``run-bot = "chatbot.app:main"``, wherever it sits), as a worker: a bot connects out
and listens on no port, so the image has no port and no HEALTHCHECK (a script that parses its
arguments, a launcher with subcommands, is a CLI: the program goes into ENTRYPOINT). The token it
is handed with no default (``client.run(os.environ.get("DISCORD_TOKEN"))``, ``App(token=...)``, a builder's
``.token(...)``) is a required variable of the plan, given at ``docker run`` time.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.main_module import parses_arguments
from dockwright.project.facts import Evidence


def script_command(rel: str, module: str) -> tuple[str, ...] | None:
    """How the image runs the file: a top-level script by its path, a package ``__main__`` with -m;
    other modules are imported by something else, which is the start."""
    if "/" not in rel:
        return ("python", rel)
    if rel.endswith("/__main__.py") and rel.count("/") <= 2:
        return ("python", "-m", module.rsplit(".", 1)[0])
    return None


def detect(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    scripts = _console_scripts(ctx)
    for scan in ctx.scans:
        command = (
            (scripts.get(scan.module) or script_command(scan.rel, scan.module)) if scan.bot_loops else None
        )
        if command is None:
            continue
        loop = scan.bot_loops[0]
        lib = loop.library
        parses = parses_arguments(scan)
        why = (
            f"calls {loop.call} ({lib.name}: runs the bot until it stops, connected to {lib.service}; "
            f"it listens on no port{'; the script takes command-line arguments' if parses else ''}) "
            f"[{lib.source}]"
        )
        out.append(
            Candidate(
                "bots",
                "bot",
                "cli" if parses else "worker",
                (Evidence(scan.rel, loop.line, why),),
                command=command,
                module=scan.module,
                rel=scan.rel,
            )
        )
    return out


def _console_scripts(ctx: Context) -> dict[str, tuple[str, ...]]:
    """Module -> the console script the project declares for it (``run-bot = "chatbot.app:main"``): a bot
    installed with the project starts by its script, wherever its module sits."""
    from dockwright.project.detectors.console_scripts import project_scripts

    out: dict[str, tuple[str, ...]] = {}
    for name, target in sorted(ctx.once(project_scripts).items()):
        module = str(target).split(":", 1)[0].strip()
        out.setdefault(module, (name,))
    return out
