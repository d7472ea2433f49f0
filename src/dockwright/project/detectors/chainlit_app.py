"""Chainlit apps, started by their own program (``chainlit run FILE``).

## What it detects
The file a launch line runs with ``chainlit run`` (a shell script, Makefile, Procfile or the own
Dockerfile's command; see ``named.py``), else the shallowest script importing chainlit, wherever it sits
in the package. A FastAPI app mounting Chainlit (``mount_chainlit``) ranks before it (the ``web``
detector).

## Evidence
The launch line (which also carries its port), else the script (``imports chainlit``).

## Example
```python
# desk.py
import chainlit as cl

@cl.on_message
async def reply(message: cl.Message) -> None:
    await cl.Message(content=message.content).send()
```

## Start command
``chainlit run FILE --host 0.0.0.0 --port PORT --headless`` (the runner table, ``servers.toml``):
``python FILE`` only registers the handlers and exits, and ``chainlit run`` listens on 127.0.0.1:8000
unless told. The port is the launch line's, else 8000. Chainlit writes ``.files/`` and ``.chainlit/``
in its working directory: ``library_dirs.py`` makes them the app user's.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import signatures
from dockwright.project.detectors.shapes import run_file_server


def detect(ctx: Context) -> list[Candidate]:
    return run_file_server(ctx, signatures().framework("chainlit"), r"chainlit\s+run")
