"""Folders and SQLite files libraries keep under the working directory (project/library_storage.py,
project/library_dirs.py): made the app user's, or said when they sit in the app directory itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.apps import detect_app
from dockwright.project.detect import detect_project
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
SERVER = "from flask import Flask\n\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    ("queue", "folder"),
    [
        ('spool = SQLiteAckQueue("spool")', "spool"),
        ('spool = persistqueue.Queue(path="var/outbox")', "var/outbox"),
        ('SPOOL = os.environ.get("OUTBOX_PATH", "outbox")\nspool = SQLiteQueue(SPOOL)', "outbox"),
    ],
)
def test_a_persist_queue_folder_is_made_writable(make_project: MakeProject, queue: str, folder: str) -> None:
    module = (
        "import os\n\nimport persistqueue\nfrom persistqueue import SQLiteAckQueue, SQLiteQueue\n"
        + SERVER
        + queue
        + "\n"
    )
    app = detect_app(
        ProjectTree(make_project({"app.py": module})),
        None,
        dependencies=frozenset({"flask", "persist-queue"}),
    )
    assert folder in [f.value for f in app.writable], app.writable


@pytest.mark.parametrize("call", ["SqliteHuey()", "SqliteHuey('jobs', filename='queue.db')"])
def test_a_huey_sqlite_file_in_the_app_directory_is_said(make_project: MakeProject, call: str) -> None:
    tasks = f"from huey import SqliteHuey\n\nhuey = {call}\n\n@huey.task()\ndef ping():\n    return 1\n"
    facts = detect_project(make_project({"tasks.py": tasks, "requirements.txt": "huey\n"}))
    assert any("tasks.py:3: a SQLite file in the app directory" in n for n in facts.notes), facts.notes


def test_a_huey_sqlite_file_in_a_subfolder_makes_that_folder_writable(make_project: MakeProject) -> None:
    tasks = "from huey import SqliteHuey\n\nhuey = SqliteHuey(filename='state/huey.db')\n"
    app = detect_app(ProjectTree(make_project({"tasks.py": tasks})), None, dependencies=frozenset({"huey"}))
    assert "state" in [f.value for f in app.writable]


def test_gradio_s_folder_is_made_writable(make_project: MakeProject) -> None:
    demo = (
        "import gradio as gr\n\n\ndef echo(text):\n    return text\n\n\n"
        "demo = gr.Interface(fn=echo, inputs='text', outputs='text')\n\n"
        "if __name__ == '__main__':\n    demo.launch()\n"
    )
    app = detect_app(ProjectTree(make_project({"app.py": demo})), None, dependencies=frozenset({"gradio"}))
    written = {f.value: f.evidence[0] for f in app.writable}
    assert ".gradio" in written and written[".gradio"].line == 8


def test_a_streamlit_app_reading_its_secrets_is_told_to_mount_them(make_project: MakeProject) -> None:
    page = "import streamlit as st\n\nst.write('rows')\nst.write(st.secrets['db_password'])\n"
    files: dict[str, str | bytes] = {"app.py": page, "requirements.txt": "streamlit\n"}
    facts = detect_project(make_project({**files, ".streamlit/secrets.toml": 'db_password = "x"\n'}))
    said = [n for n in facts.notes if "st.secrets" in n]
    assert said and said[0].startswith("app.py:4: ") and "secrets.toml:ro" in said[0]
    plain = detect_project(make_project({"app.py": "import streamlit as st\n\nst.write('rows')\n"}))
    assert not [n for n in plain.notes if "st.secrets" in n]
