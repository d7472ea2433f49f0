"""taskiq workers: a module-level broker (also built through chained set-up calls) runs as ``taskiq worker
module:broker`` followed by every module whose functions carry its ``@broker.task``
(project/detectors/taskiq_worker.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import StartUnknown
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

BROKER = """\
import os

from taskiq_redis import ListQueueBroker, RedisAsyncResultBackend

queue = ListQueueBroker(os.environ.get("QUEUE_URL", "redis://127.0.0.1:6379")).with_result_backend(
    RedisAsyncResultBackend(os.environ.get("QUEUE_URL", "redis://127.0.0.1:6379"))
)
"""
TASKS = """\
from relay.broker import queue


@queue.task
async def shout(word: str) -> str:
    return word.upper()


@queue.task(task_name="relay.whisper")
async def whisper(word: str) -> str:
    return word.lower()
"""


def _files(**extra: str) -> dict[str, str | bytes]:
    return {
        "requirements.txt": "taskiq\ntaskiq-redis\n",
        "relay/__init__.py": "",
        "relay/broker.py": BROKER,
        "relay/tasks.py": TASKS,
        "relay/util.py": "def noop():\n    return None\n",
        **extra,
    }


def test_the_broker_and_its_task_modules_make_the_worker(make_project: MakeProject) -> None:
    app = detect_project(make_project(_files()), python="3.12").app
    assert app.command.value == ("taskiq", "worker", "relay.broker:queue", "relay.tasks")
    assert app.kind.value == "worker"
    assert app.command.evidence[0].file == "relay/broker.py"


def test_an_in_memory_broker_is_no_worker(make_project: MakeProject) -> None:
    files = _files()
    files["relay/broker.py"] = "from taskiq import InMemoryBroker\n\nqueue = InMemoryBroker()\n"
    with pytest.raises(StartUnknown):  # it runs tasks in the process that sends them: no worker to start
        detect_project(make_project(files), python="3.12")
