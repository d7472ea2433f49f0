"""A changelog service: reads the history of a Git repository mounted into the container by running
``git`` (the pattern of release dashboards, GitOps webhooks and wiki engines that shell out to git)."""

import os
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
REPOSITORY = os.environ.get("REPOSITORY", "/repo")


def git(*args: str) -> str:
    # the mounted checkout belongs to another user: name it safe for this one command
    done = subprocess.run(
        ["git", "-c", f"safe.directory={REPOSITORY}", "-C", REPOSITORY, *args],
        capture_output=True,
        text=True,
        timeout=10,
    )
    if done.returncode != 0:
        abort(404, done.stderr.strip())
    return done.stdout


@app.get("/")
def index() -> dict[str, str]:
    version = subprocess.check_output(["git", "--version"], text=True).strip()
    return {"service": "changelog", "git": version}


@app.get("/changes")
def changes() -> dict[str, list[str]]:
    count = str(min(int(request.args.get("n", "20")), 200))
    return {"changes": git("log", "--format=%h %s", "-n", count).splitlines()}


@app.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200
