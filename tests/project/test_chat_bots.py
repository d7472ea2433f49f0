"""Chat bots (project/detectors/bots.py, project/chat_bots.py) and variables an app refuses to run
without (project/refused_env.py): a script running a Slack, Discord or Telegram client is a worker
with no port and no probe, and the token it is handed with no default is a required variable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import DockwrightError
from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

SOCKET_MODE = """\
import os

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(token=os.environ.get("TEAM_BOT_TOKEN"))


@app.message("ping")
def pong(say):
    say("pong")


if __name__ == "__main__":
    SocketModeHandler(app, os.environ.get("TEAM_APP_TOKEN")).start()
"""

# the same app over Bolt's own HTTP server (its development server): no bot loop
HTTP_MODE = """\
import os

from slack_bolt import App

app = App(signing_secret=os.environ.get("TEAM_SIGNING_SECRET"))

if __name__ == "__main__":
    app.start(3000)
"""


def _required(facts: object) -> list[str]:
    return [f.value for f in facts.app.required_env]  # type: ignore[attr-defined]


def test_a_socket_mode_script_is_the_worker_beside_a_development_http_one(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "slack-bolt==1.21.0\n", "bot.py": SOCKET_MODE, "bot_http.py": HTTP_MODE}
    )
    facts = detect_project(root, python="3.13")
    assert facts.app.kind.value == "worker"
    assert facts.app.command.value == ("python", "bot.py")
    evidence = facts.app.command.evidence[0]
    assert (evidence.file, evidence.line) == ("bot.py", 15)
    assert "SocketModeHandler().start" in evidence.detail
    assert _required(facts) == ["TEAM_BOT_TOKEN", "TEAM_APP_TOKEN"]
    plan = make_plan(facts)
    assert plan.expose is None and plan.healthcheck is None
    assert plan.cmd == ("python", "bot.py")
    assert not any(e.name.startswith("TEAM_") for e in plan.app_env)  # never given a value


DISCORD = """\
import asyncio
import os

import discord


class Greeter(discord.Client):
    async def start(self, *args, **kwargs):
        await super().start(*args, **kwargs)


async def main():
    async with Greeter(intents=discord.Intents.default()) as client:
        await client.start(os.getenv("GUILD_BOT_TOKEN"))


if __name__ == "__main__":
    asyncio.run(main())
"""


def test_a_discord_client_started_from_an_async_main(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "discord.py==2.4.0\n", "greeter.py": DISCORD, "helpers.py": ""})
    facts = detect_project(root, python="3.13")
    assert facts.app.kind.value == "worker"
    assert facts.app.command.value == ("python", "greeter.py")
    # the subclass's own super().start() is not the loop; the call in main() is
    assert facts.app.command.evidence[0].line == 14
    assert _required(facts) == ["GUILD_BOT_TOKEN"]


TELEGRAM_PACKAGE_MAIN = """\
import os

from telegram.ext import ApplicationBuilder


def main() -> None:
    application = ApplicationBuilder().token(os.getenv("CHAT_TOKEN")).build()
    application.run_polling()


main()
"""

LAUNCHER = """\
import click
from telegram import Update

from relay.bot import build


@click.group(invoke_without_command=True)
def cli():
    build().run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    cli()
"""


def test_a_package_main_and_a_launcher_that_takes_arguments(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "requirements.txt": "python-telegram-bot==21.6\n",
        "relay/__init__.py": "",
        "relay/__main__.py": TELEGRAM_PACKAGE_MAIN,
    }
    facts = detect_project(make_project(files), python="3.13")
    assert (facts.app.kind.value, facts.app.command.value) == ("worker", ("python", "-m", "relay"))
    assert _required(facts) == ["CHAT_TOKEN"]

    del files["relay/__main__.py"]
    launcher = detect_project(make_project({**files, "relay/bot.py": "", "launch.py": LAUNCHER}))
    # a launcher with subcommands is a CLI: its program goes into ENTRYPOINT
    assert launcher.app.kind.value == "cli"
    assert launcher.app.command.value == ("python", "launch.py")
    assert "takes command-line arguments" in launcher.app.command.evidence[0].detail


def test_a_library_module_that_is_not_a_script_is_not_the_bot(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "discord.py==2.4.0\n",
            "pkg/__init__.py": "",
            "pkg/client.py": "import discord\n\ndef go(c):\n    c.run('x')\n",
        }
    )
    with pytest.raises(DockwrightError, match="cannot tell how the app starts"):
        detect_project(root, python="3.13")


REFUSED = """\
import os
import sys

api_key = os.getenv("VAULT_API_KEY", "")
region = os.getenv("VAULT_REGION")
if api_key == "":
    raise ValueError("VAULT_API_KEY environment variable required")
if not region:
    region = "eu"
if os.environ.get("VAULT_USER") is None or not os.getenv("VAULT_PASS"):
    sys.exit("set VAULT_USER and VAULT_PASS")
if not os.getenv("VAULT_DEBUG"):
    print("quiet")


def main():
    print(api_key, region)


if __name__ == "__main__":
    main()
"""


def test_variables_the_app_raises_or_exits_without_are_required(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "requests==2.32.3\n", "vault.py": REFUSED})
    facts = detect_project(root, python="3.13")
    assert _required(facts) == ["VAULT_API_KEY", "VAULT_USER", "VAULT_PASS"]
    first = facts.app.required_env[0].evidence[0]
    assert (first.file, first.line) == ("vault.py", 6)
    assert "stops without it" in first.detail


def test_a_bot_of_a_client_class_of_another_module_started_by_a_console_script(
    make_project: MakeProject,
) -> None:
    # the client subclass lives in one module, the loop call in the console script's module, which
    # imports no bot library itself
    root = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = "chatbot"\nversion = "0.1.0"\ndependencies = ["discord.py>=2.5"]\n\n'
                '[project.scripts]\nrun-chatbot = "chatbot.app:main"\n\n'
                '[build-system]\nrequires = ["flit_core<4"]\nbuild-backend = "flit_core.buildapi"\n'
            ),
            "src/chatbot/__init__.py": "",
            "src/chatbot/client.py": (
                "import discord\nfrom discord.ext import commands\n\n\nclass MyBot(commands.Bot):\n"
                "    def __init__(self) -> None:\n        super().__init__(command_prefix='!', "
                "intents=discord.Intents.default())\n"
            ),
            "src/chatbot/app.py": (
                "import os\n\nfrom .client import MyBot\n\n\ndef main() -> None:\n"
                "    bot = MyBot()\n    bot.run(os.getenv('CHATBOT_TOKEN'))\n"
            ),
        }
    )
    facts = detect_project(root)
    assert (facts.app.command.value, facts.app.kind.value) == (("run-chatbot",), "worker")
    assert _required(facts) == ["CHATBOT_TOKEN"]


@pytest.mark.parametrize(
    ("config", "run"),
    [
        # the token bound in a settings module, read with an empty default, handed over by its name
        ('TOKEN = os.getenv("CHAT_TOKEN", "")\n', "client.run(TOKEN)"),
        ('TOKEN = os.environ.get("CHAT_TOKEN")\n', "client.run(token=TOKEN)"),
    ],
)
def test_a_token_bound_in_another_module_is_required(
    make_project: MakeProject, config: str, run: str
) -> None:
    files: dict[str, str | bytes] = {
        "chatbot/__init__.py": "",
        "chatbot/config.py": "import os\n\n" + config,
        "chatbot/__main__.py": (
            "import discord\n\nfrom .config import TOKEN\n\nclient = discord.Client(intents=discord.Intents.default())\n"
            f"\nif __name__ == '__main__':\n    {run}\n"
        ),
        "requirements.txt": "discord.py\n",
    }
    facts = detect_project(make_project(files))
    assert [f.value for f in facts.app.required_env] == ["CHAT_TOKEN"]


def test_a_client_class_run_with_a_token_of_the_config_module_is_required(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "chatbot/__init__.py": "",
        "chatbot/config.py": 'import os\n\nTOKEN = os.getenv("CHAT_TOKEN", "")\nPREFIX = os.getenv("PREFIX", "!")\n',
        "chatbot/client.py": "import discord\n\nclass Helper(discord.Client):\n    pass\n",
        "chatbot/__main__.py": (
            "from .client import Helper\nfrom .config import PREFIX, TOKEN\n\n"
            "if __name__ == '__main__':\n    Helper(intents=None).run(TOKEN)\n"
        ),
        "requirements.txt": "discord.py\n",
    }
    facts = detect_project(make_project(files))
    assert [f.value for f in facts.app.required_env] == ["CHAT_TOKEN"]
