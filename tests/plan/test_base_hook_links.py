"""The paths an app-server base image's pre-start hook names under /app are linked in the runtime (plan/start.py
``_link_steps``): the project is /app here, its app/ folder was /app there."""

from __future__ import annotations

from pathlib import Path

from dockwright import api

FILES = {
    "requirements.txt": "fastapi\nuvicorn\n",
    "Dockerfile": "FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11\nCOPY ./app /app\n",
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "app/prestart.sh": "python /app/jobs/seed.py\n",
    "app/jobs/seed.py": "print('seeded')\n",
    "jobs/README.md": "jobs\n",
}


def test_the_hook_s_paths_are_linked_and_the_hook_runs_before_the_server(tmp_path: Path) -> None:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    plan = api.plan(tmp_path)
    assert plan.cmd[:2] == ("/bin/sh", "-c")
    assert plan.cmd[2].startswith("set -e; (cd app; . ./prestart.sh); exec uvicorn --app-dir app main:app")
    links = [s for s in plan.runtime_steps if any(a.startswith("ln -s") for a in s.args)]
    assert [s.args for s in links] == [("ln -s /app/app/jobs/seed.py /app/jobs/seed.py",)]
    decision = plan.decision("links")
    assert decision is not None and "app/prestart.sh:1" in decision.reason
