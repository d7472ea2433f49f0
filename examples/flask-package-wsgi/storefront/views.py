"""The shop's pages and its health route."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

views = Blueprint("views", __name__)


@views.get("/")
def index() -> str:
    return render_template("index.html", name=current_app.config["SHOP_NAME"])


@views.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
