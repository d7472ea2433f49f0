"""Notes kept on disk: a small Flask app that needs SECRET_KEY and a writable data/ directory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request

DATA = Path("data")
os.makedirs("data", exist_ok=True)

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
(DATA / "started").write_text("ok\n", encoding="utf-8")


@app.get("/")
def index() -> str:
    return "notes: " + ", ".join(sorted(p.name for p in DATA.iterdir())) + "\n"


@app.post("/notes/<name>")
def add(name: str) -> tuple[str, int]:
    (DATA / name).write_bytes(request.get_data()[:4096])
    return "stored\n", 201


@app.get("/healthz")
def healthz() -> str:
    return "ok\n"
