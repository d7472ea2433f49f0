"""The monorepo's web service: its greeting comes from libs/common."""

import common
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> dict[str, str]:
    return {"greeting": common.greet("api"), "common": common.__version__, "from": common.__file__}


@app.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200
