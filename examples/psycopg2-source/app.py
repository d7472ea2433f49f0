"""A Flask app that links libpq through psycopg2 (compiled from the sdist); serves without a database."""

import psycopg2
from flask import Flask

app = Flask(__name__)
LIBPQ_VERSION = psycopg2.extensions.libpq_version()


@app.route("/")
def index() -> dict[str, object]:
    return {"psycopg2": psycopg2.__version__, "libpq": LIBPQ_VERSION}


@app.route("/healthz")
def healthz() -> str:
    return "ok"
