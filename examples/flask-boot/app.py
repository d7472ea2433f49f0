"""Counts visits in the SQLite database boot.sh migrated."""

from __future__ import annotations

import sqlite3

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> str:
    with sqlite3.connect("instance/app.db") as db:
        db.execute("INSERT INTO visits VALUES (1)")
        (count,) = db.execute("SELECT COUNT(*) FROM visits").fetchone()
    return f"visits: {count}\n"


@app.get("/health")
def health() -> str:
    return "ok\n"
