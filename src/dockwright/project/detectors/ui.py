"""Streamlit apps, started by their own runner (``streamlit run FILE``).

## What it detects
The file a launch line runs with ``streamlit run`` (a shell script, Makefile, Procfile or the own
Dockerfile's command; see ``named.py``), else the shallowest script importing streamlit, wherever it sits
in the package.

## Evidence
The launch line (which also carries its port), else the script (``imports streamlit``).

## Example
```
dashboard/app.py   # import streamlit as st; st.title("Sales")
Makefile           # run: streamlit run dashboard/app.py
```

## Start command
``streamlit run FILE --server.port PORT --server.address 0.0.0.0 --server.headless true`` (the
runner table, ``servers.toml``); the port is the launch line's, else Streamlit's 8501; the health
path is ``/_stcore/health``.
"""

from __future__ import annotations

from dockwright.project.detectors.base import Candidate, Context
from dockwright.project.detectors.scan import signatures
from dockwright.project.detectors.shapes import run_file_server


def detect(ctx: Context) -> list[Candidate]:
    return run_file_server(ctx, signatures().framework("streamlit"), r"streamlit\s+run")
