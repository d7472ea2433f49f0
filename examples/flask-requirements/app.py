"""A tiny Flask service: the smallest web app dockwright ships."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> dict[str, str]:
    return {"hello": "world"}


@app.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200
