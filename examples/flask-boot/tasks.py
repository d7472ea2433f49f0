"""A Celery worker beside the web app (memory broker: starts without Redis)."""

from __future__ import annotations

from celery import Celery

app = Celery("tasks", broker="memory://")


@app.task
def add(x: int, y: int) -> int:
    return x + y
