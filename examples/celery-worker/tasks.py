"""A Celery worker with an in-memory broker, so it starts with no server."""

from celery import Celery

app = Celery("tasks", broker="memory://", backend="cache+memory://")


@app.task
def add(x: int, y: int) -> int:
    return x + y
