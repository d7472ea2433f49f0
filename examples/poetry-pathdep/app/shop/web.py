"""The shop's web app: its greeting comes from the monorepo's shared library."""

import greetings
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> dict[str, str]:
    return {"greeting": greetings.greet("shop"), "greetings": greetings.__version__, "from": greetings.__file__}


@app.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200
