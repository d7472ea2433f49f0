"""A Bottle app managed with Pipenv, served by gunicorn."""

from bottle import Bottle

app = Bottle()


@app.route("/")
def index() -> dict[str, str]:
    return {"hello": "world"}


@app.route("/ping")
def ping() -> str:
    return "pong"
