"""A worker an entry script starts without ``exec`` (a child of the shell) or in the background gets no
graceful stop: a plain script runs inline with ``exec`` added, a structured one is replaced by the worker
itself with a note, a background worker beside the server is warned (project/entry_steps.py,
project/entry_run.py). The worker is our own example (examples/celery-worker)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.project.entry_steps import child_worker, worker_inline

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _worker(tmp_path: Path, script: str, name: str = "entrypoint.sh") -> Path:
    root = tmp_path / "worker"
    shutil.copytree(EXAMPLES / "celery-worker", root, ignore=shutil.ignore_patterns("golden"))
    (root / name).write_text(script, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("script", "line"),
    [
        ("celery -A tasks worker -l INFO\n", 1),
        ('set -e\nalembic upgrade head\nrq worker --url "$REDIS_URL" high default\n', 3),
        ("python -m dramatiq tasks\n# done\n", 1),
        ("C_FORCE_ROOT=1 celery -A tasks worker\necho stopped\n", 1),
    ],
)
def test_a_worker_run_as_a_child_is_found(script: str, line: int) -> None:
    found = child_worker(script)
    assert found is not None and found[0] == line


@pytest.mark.parametrize(
    "script",
    [
        "exec celery -A tasks worker\n",
        "celery -A tasks worker &\nexec gunicorn app:app\n",
        "python manage.py migrate\n",
        "gunicorn app:app\n",
    ],
)
def test_exec_background_and_other_programs_are_not(script: str) -> None:
    assert child_worker(script) is None


def test_a_plain_script_runs_inline_with_exec_added(tmp_path: Path) -> None:
    script = '#!/bin/sh\nset -e\necho "checking"\npython -c "import tasks"\ncelery -A tasks worker -l INFO\n'
    assert worker_inline(script) == (
        "/bin/sh",
        "-c",
        'python -c "import tasks" && exec celery -A tasks worker -l INFO',
    )
    plan = api.plan(_worker(tmp_path, script), syntax_directive=False)
    assert plan.cmd == ("/bin/sh", "-c", 'python -c "import tasks" && exec celery -A tasks worker -l INFO')
    start = next(d for d in plan.decisions if d.topic == "start")
    assert "entrypoint.sh:5" in start.reason and "exec added" in start.reason
    assert not [w for w in plan.warnings if "without exec" in w]


def test_a_structured_script_gives_way_to_the_worker_with_a_note(tmp_path: Path) -> None:
    script = '#!/bin/bash\nuntil python -c "import tasks"; do sleep 1; done\ncelery -A tasks worker -l INFO\n'
    assert worker_inline(script) is None
    plan = api.plan(_worker(tmp_path, script), syntax_directive=False)
    assert plan.cmd[:2] == ("celery", "-A")  # the worker itself: tini's SIGTERM reaches it
    warned = [w for w in plan.warnings if "without exec" in w]
    assert len(warned) == 1 and warned[0].startswith("entrypoint.sh:3 starts the worker")
    assert "warm shutdown" in warned[0] and "write `exec`" in warned[0]


def test_a_background_worker_beside_the_server_is_warned(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLES / "django-static-i18n", root, ignore=shutil.ignore_patterns("golden"))
    script = (
        "#!/bin/sh\nset -e\nuntil pg_isready -h db -q; do sleep 1; done\n"
        "celery -A mysite worker --loglevel INFO &\n"
        "exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000\n"
    )
    (root / "entrypoint.sh").write_text(script, encoding="utf-8")
    plan = api.plan(root, syntax_directive=False)
    assert plan.cmd == ("sh", "entrypoint.sh")
    warned = [w for w in plan.warnings if "in the background" in w]
    assert len(warned) == 1 and warned[0].startswith("entrypoint.sh:4 starts the celery worker")


@pytest.mark.parametrize(
    "line",
    [
        "cd /srv/site && celery -A mysite worker -l INFO &",
        "celery -A mysite worker -l INFO 2>&1 | tee worker.log &",
        "nohup celery -A mysite worker > /dev/null 2>&1 &",
    ],
)
def test_a_background_worker_after_a_cd_or_before_a_pipe_is_found(line: str) -> None:
    from dockwright.project.entry_run import background_workers

    (note,) = background_workers("entrypoint.sh", f"#!/bin/sh\n{line}\nexec gunicorn mysite.wsgi\n")
    assert note.startswith("entrypoint.sh:2 starts the celery worker")
    assert background_workers("entrypoint.sh", "#!/bin/sh\ncd /srv && python -m http.server &\n") == []
