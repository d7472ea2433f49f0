"""A Flask app serving a frontend that `npm run build` produces into frontend/dist (not committed)."""

from flask import Flask

app = Flask(__name__, static_folder="frontend/dist", static_url_path="/assets")


@app.get("/")
def index() -> str:
    return '<div id="root"></div><script src="/assets/app.js"></script>'


@app.get("/healthz")
def healthz() -> str:
    return "ok"
