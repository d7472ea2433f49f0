"""Issue 11: start decisions the planner applies to every strategy, and the server added to the lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockwright.audit.audit import read_env_file
from dockwright.errors import ConfigError
from dockwright.lock import generate
from dockwright.plan.model import LockPlan
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.detect import detect_project
from dockwright.render.render import render_files
from fake_compile import Call, FakeResolver

FLASK = "from flask import Flask\nimport os\napp = Flask(__name__)\nKEY = os.environ['SECRET_KEY']\n"
# a CLI package with one console script (the cli-start tests add its own image or other entries)
TRIPFIND = {
    "pyproject.toml": '[project]\nname = "tripfind"\nversion = "1"\n'
    '[project.scripts]\ntripfind = "tripfind.cli:main"\n'
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    "tripfind/__init__.py": "",
    "tripfind/cli.py": "import sys\n\n\ndef main():\n    print(sys.argv)\n",
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _dockerfile(plan: Any) -> str:
    return next(f.content for f in render_files(plan) if f.path == "Dockerfile")


def test_flask_only_lock_gets_gunicorn_with_decision_and_warning(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app.py": FLASK, "requirements.txt": "flask==3.0.3\n"})
    plan = make_plan(detect_project(root))
    assert plan.cmd[0] == "gunicorn"
    assert plan.lock.adds == ("gunicorn",) and plan.lock.generate
    lock = plan.decision("lock")
    assert lock is not None and "plus gunicorn for the start command" in lock.reason
    assert any("gunicorn added to requirements.lock" in w for w in plan.warnings)


def test_required_env_is_listed_never_valued(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app.py": FLASK, "requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n"})
    plan = make_plan(detect_project(root))
    text = _dockerfile(plan)
    assert "docker run -e SECRET_KEY=... IMAGE" in text
    assert "SECRET_KEY=" not in text.split("ENV ", 1)[1].split("\n\n", 1)[0]
    decision = plan.decision("required-env")
    assert decision is not None and decision.choice == "SECRET_KEY"


def test_writable_dirs_owned_by_the_app_user(tmp_path: Path) -> None:
    src = FLASK.replace("KEY = os.environ['SECRET_KEY']", "os.makedirs('data', exist_ok=True)")
    root = _write(tmp_path, {"app.py": src, "requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n"})
    plan = make_plan(detect_project(root))
    text = _dockerfile(plan)
    assert "mkdir -p /app/data" in text and "chown -R 10001:10001 /app/data" in text
    assert text.index("chown -R 10001:10001 /app/data") < text.index("USER 10001:10001")


def test_a_log_file_of_the_app_directory_is_made_owned_in_the_same_layer(tmp_path: Path) -> None:
    src = FLASK.replace(
        "KEY = os.environ['SECRET_KEY']",
        "import logging\nos.makedirs('data', exist_ok=True)\nlogging.getLogger().addHandler(logging.FileHandler('app.log'))",
    )
    root = _write(tmp_path, {"app.py": src, "requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n"})
    plan = make_plan(detect_project(root))
    text = _dockerfile(plan)
    step = "RUN mkdir -p /app/data \\\n    && touch /app/app.log \\\n    && chown -R 10001:10001 /app/data /app/app.log"
    assert step in text
    writable = plan.decision("writable")
    assert writable is not None and writable.choice == "/app/data /app/app.log"
    assert "app.py:6 (a logging file handler opens app.log in the app directory at start)" in writable.reason
    assert not any("app.log" in w for w in plan.warnings)


def test_cli_program_is_the_entrypoint(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "t"\nversion = "1"\n[project.scripts]\nt = "t:main"\n'
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
            "t/__init__.py": "def main():\n    pass\n",
        },
    )
    plan = make_plan(detect_project(root))
    assert plan.entrypoint == ("/usr/bin/tini", "--", "t")
    assert plan.cmd == ()
    text = _dockerfile(plan)
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "t"]' in text and "\nCMD " not in text


def test_a_cli_start_with_default_arguments_keeps_them_in_cmd(tmp_path: Path) -> None:
    # the own image's `CMD ["tripfind", "--help"]`: `docker run IMAGE search ...` must run
    # `tripfind search ...`, not `tripfind --help search ...`
    root = _write(
        tmp_path,
        {
            **TRIPFIND,
            "Dockerfile": 'FROM python:3.12\nCOPY . .\nRUN pip install .\nCMD ["tripfind", "--help"]\n',
        },
    )
    plan = make_plan(detect_project(root))
    assert plan.entrypoint == ("/usr/bin/tini", "--", "tripfind")
    assert plan.cmd == ("--help",)
    text = _dockerfile(plan)
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "tripfind"]' in text and 'CMD ["--help"]' in text
    assert plan.facts.app.other_processes == ()  # its console script alone is the same program


@pytest.mark.parametrize(
    ("start", "entry", "default"),
    [
        ("python -m tripfind search --all", ("python", "-m", "tripfind"), ("search", "--all")),
        ("python run.py --verbose", ("python", "run.py"), ("--verbose",)),
        ("tripfind", ("tripfind",), ()),
    ],
)
def test_a_cli_starts_program_is_the_entrypoint_and_its_arguments_the_cmd(
    tmp_path: Path, start: str, entry: tuple[str, ...], default: tuple[str, ...]
) -> None:
    root = _write(
        tmp_path,
        {
            **TRIPFIND,
            "tripfind/__main__.py": "from tripfind.cli import main\n\nmain()\n",
            "run.py": "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n",
        },
    )
    plan = make_plan(detect_project(root, start=start))
    if plan.facts.app.kind.value != "cli":
        pytest.skip("not read as a CLI")
    assert plan.entrypoint == ("/usr/bin/tini", "--", *entry)
    assert plan.cmd == default


def test_process_option_and_other_processes(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "app.py": FLASK.replace("KEY = os.environ['SECRET_KEY']", ""),
            "worker.py": "from celery import Celery\napp = Celery('w')\n",
            "requirements.txt": "flask\ngunicorn\ncelery\n",
        },
    )
    plan = make_plan(detect_project(root))
    processes = plan.decision("processes")
    assert processes is not None and "worker: celery -A worker worker" in processes.reason
    worker = make_plan(detect_project(root, process="worker"), PlanOptions(process="worker"))
    assert worker.cmd[:3] == ("celery", "-A", "worker") and worker.expose is None


def test_generate_lock_appends_the_server_within_the_pins(
    tmp_path: Path, fake_resolver: FakeResolver
) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n", encoding="utf-8")
    seen: dict[str, str] = {}

    def answer(call: Call) -> str:
        if call.extra:
            return ""  # the pylock.toml run of the wheel check: no file list here
        if call.source == "requirements.txt":
            return "flask==3.0.3 \\\n    --hash=sha256:aa\n    # via -r requirements.txt\n"
        seen["constraints"] = (call.root / str(call.constraints)).read_text(encoding="utf-8")
        return (
            "flask==3.0.3 \\\n    --hash=sha256:aa\n"
            "gunicorn==23.0.0 \\\n    --hash=sha256:bb\n    # via -r adds.in\n"
            "packaging==24.1 \\\n    --hash=sha256:cc\n    # via gunicorn\n"
        )

    fake_resolver.answer = answer
    lock = LockPlan("requirements.lock", True, "requirements.txt", "uv-compile", False, adds=("gunicorn",))
    text = generate.generate_lock(tmp_path, lock, "3.11.9")
    assert seen["constraints"] == "flask==3.0.3\n"
    assert text.count("flask==3.0.3") == 1
    assert "gunicorn==23.0.0 \\\n    --hash=sha256:bb" in text and "packaging==24.1" in text
    assert generate.pins(text) == {"flask": "3.0.3", "gunicorn": "23.0.0", "packaging": "24.1"}


def test_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FROM_HOST", "h")
    path = tmp_path / "app.env"
    path.write_text("# secrets\nSECRET_KEY=s3=cret\n\nFROM_HOST\nNOT_SET\n", encoding="utf-8")
    assert read_env_file(path) == (("SECRET_KEY", "s3=cret"), ("FROM_HOST", "h"))
    path.write_text("not a line\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"app.env:1: not KEY=VALUE"):
        read_env_file(path)


def test_entry_script_decision_says_why_no_chmod(tmp_path: Path) -> None:
    boot = "#!/bin/sh\nset -e\npython -c 'print(1)'\nexec gunicorn -b :5000 app:app\n"
    root = _write(tmp_path, {"app.py": FLASK, "boot.sh": boot, "requirements.txt": "flask\ngunicorn\n"})
    plan = make_plan(detect_project(root))
    assert plan.cmd == ("sh", "boot.sh") and plan.expose == 5000
    decision = plan.decision("entry-script")
    assert decision is not None and "no COPY --chmod" in decision.reason and "boot.sh:4" in decision.reason


def test_writable_dirs_exist_before_collectstatic_loads_the_settings(tmp_path: Path) -> None:
    settings = (
        "import os\nBASE_DIR = os.path.dirname(os.path.dirname(__file__))\n"
        "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = 'static/'\n"
        "STATIC_ROOT = os.path.join(BASE_DIR, 'static')\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
        " 'NAME': os.path.join(BASE_DIR, 'data', 'db.sqlite3')}}\n"
        "WSGI_APPLICATION = 'site_.wsgi.application'\n"
    )
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_.settings')\n",
        "site_/__init__.py": "",
        "site_/settings.py": settings,
        "site_/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "requirements.txt": "django==5.1.4\ngunicorn==23.0.0\n",
    }
    text = _dockerfile(make_plan(detect_project(_write(tmp_path, files))))
    step = (
        "RUN mkdir -p /app/data \\\n    && HOME=/tmp/dockwright-build-home python manage.py collectstatic --noinput "
        "&& rm -rf /tmp/dockwright-build-home \\\n    && chown -R 10001:10001 /app/data"
    )
    assert step in text


@pytest.mark.parametrize("outside", ["..", "../..", "/", "/usr/lib", "/etc", "/usr/local", "/opt/venv/bin"])
def test_a_writable_path_outside_the_app_never_becomes_the_app_user_s(tmp_path: Path, outside: str) -> None:
    # whatever a reader of the code got wrong, `chown -R` never reaches /, the app's parents or the
    # system's folders: the image's programs would become the app user's to rewrite
    import dataclasses

    from dockwright.project.facts import Evidence, Fact

    src = FLASK.replace("KEY = os.environ['SECRET_KEY']", "os.makedirs('data', exist_ok=True)")
    facts = detect_project(
        _write(tmp_path, {"app.py": src, "requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n"})
    )
    bad = Fact(outside, (Evidence("app.py", 3, "a made-up write"),))
    app = dataclasses.replace(facts.app, writable=(*facts.app.writable, bad))
    plan = make_plan(dataclasses.replace(facts, app=app))
    text = _dockerfile(plan)
    chown = next(line for line in text.splitlines() if "chown -R" in line)
    assert chown.rstrip(" \\").endswith("/app/data"), chown
    assert any(outside in w and "not made the app user's" in w for w in plan.warnings), plan.warnings


def test_a_credential_in_the_start_command_never_reaches_the_cmd(tmp_path: Path) -> None:
    # the CMD is the image's config, which `docker inspect` shows to anyone who has the image: the
    # credential is taken out (project/start_credentials.py) and said once, redacted; the backstop
    # warning of plan/start.py (a literal left in the CMD) stays silent
    tasks = "from celery import Celery\n\napp = Celery('tasks')\n"
    files = {"tasks.py": tasks, "requirements.txt": "celery==5.3.6\n"}
    procfile = "worker: celery -A tasks worker -b redis://:hunter2@redis:6379/0\n"
    plan = make_plan(detect_project(_write(tmp_path, {**files, "Procfile": procfile})))
    assert "hunter2" not in " ".join(plan.cmd) and "hunter2" not in _dockerfile(plan)
    said = [w for w in plan.warnings if "holds a credential" in w]
    assert len(said) == 1 and "hunter2" not in said[0] and "redis://***@redis" in said[0]
    assert not any("carries a credential" in w for w in plan.warnings)
    placeholder = procfile.replace(":hunter2@", ":${REDIS_PASSWORD}@")
    plan = make_plan(detect_project(_write(tmp_path, {**files, "Procfile": placeholder})))
    assert not any("credential" in w for w in plan.warnings)
