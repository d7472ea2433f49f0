"""A Flask app translated with Flask-Babel: the page's language follows Accept-Language."""

from flask import Flask, request
from flask_babel import Babel, gettext


def pick_locale() -> str | None:
    return request.accept_languages.best_match(["en", "fr"])


app = Flask(__name__)
babel = Babel(app, locale_selector=pick_locale)


@app.get("/")
def index() -> str:
    return gettext("Good morning")


@app.get("/healthz")
def healthz() -> str:
    return "ok"
