"""A literal credential in the start command (a Procfile, compose or script line) never reaches the
image: the CMD reads a run-time variable, listed with the required ones, and a note names the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dockwright.errors import ConfigError
from dockwright.plan.planner import make_plan
from dockwright.project.detect import detect_project
from dockwright.project.start_credentials import withhold_credentials
from dockwright.render.render import render_files

TASKS = "from celery import Celery\n\nqueue = Celery('proj')\n"
FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _generated(plan: Any) -> str:
    return "\n".join(f.content for f in render_files(plan))


def test_procfile_worker_broker_password_is_a_run_time_variable(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "proj.py": TASKS,
            "requirements.txt": "celery==5.4.0\nredis==5.0.8\n",
            "Procfile": "worker: celery -A proj worker -b redis://:s3cret@redis:6379/0\n",
        },
    )
    facts = detect_project(root)
    plan = make_plan(facts)
    assert plan.cmd == ("/bin/sh", "-c", 'exec celery -A proj worker -b "${CELERY_BROKER_URL}"')
    assert "CELERY_BROKER_URL" in {f.value for f in facts.app.required_env}
    text = _generated(plan)
    assert "s3cret" not in text and "s3cret" not in json.dumps(plan.to_dict())
    assert "docker run -e CELERY_BROKER_URL=... IMAGE" in text
    assert any(
        "Procfile:1: the start command holds a credential (redis://***@redis:6379/0)" in w
        and "s3cret" not in w
        for w in plan.warnings
    )


def test_compose_command_database_url_and_the_web_probe(tmp_path: Path) -> None:
    compose = (
        "services:\n  web:\n    build: .\n    ports: ['8000:8000']\n"
        "    command: gunicorn --bind 0.0.0.0:8000 app:app --database-url postgresql://app:pw0rd@db/app\n"
        "  worker:\n    build: .\n    command: celery -A proj worker -b amqp://guest:hunter22@mq//\n"
    )
    root = _write(
        tmp_path,
        {
            "app.py": FLASK,
            "proj.py": TASKS,
            "requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\ncelery==5.4.0\n",
            "docker-compose.yml": compose,
        },
    )
    plan = make_plan(detect_project(root))
    assert plan.cmd[:2] == ("/bin/sh", "-c")
    assert '--database-url "${DATABASE_URL}"' in plan.cmd[2]
    text = _generated(plan)
    for secret in ("pw0rd", "hunter22"):
        assert secret not in text and secret not in json.dumps(plan.to_dict())
    assert "DATABASE_URL" in text


def test_secret_option_in_a_shell_line(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "bot.py": "import sys\nprint(sys.argv)\n",
            "requirements.txt": "requests==2.32.3\n",
            "Procfile": "worker: sh -c 'python migrate.py && exec python bot.py --api-key=k3y9f8e7d6'\n",
            "migrate.py": "print('ok')\n",
        },
    )
    plan = make_plan(detect_project(root))
    assert "k3y9f8e7d6" not in _generated(plan)
    assert '--api-key="${API_KEY}"' in plan.cmd[-1]


def test_the_cut_keeps_placeholders_and_plain_words() -> None:
    assert withhold_credentials(("gunicorn", "app:app"), "Procfile:1") == (("gunicorn", "app:app"), ())
    kept = (
        "celery",
        "-A",
        "p",
        "worker",
        "-b",
        "redis://redis:6379/0",
        "--token",
        "changeme",
        "--secret",
        "id=a",
    )
    assert withhold_credentials(kept, "Procfile:1") == (kept, ())
    argv, moved = withhold_credentials(("bot", "--token", "123456:ABCdef", "--db", "mysql://u:p@h/d"), "x")
    assert argv == ("/bin/sh", "-c", 'exec bot --token "${TOKEN}" --db "${DB_URL}"')
    assert [m.name for m in moved] == ["TOKEN", "DB_URL"] and moved[1].shown == "mysql://***@h/d"
    # a shell line's own assignment keeps its name
    line = ("/bin/sh", "-c", "DATABASE_URL=postgres://u:pw1@db/x exec gunicorn app:app")
    assert withhold_credentials(line, "x")[0][2] == 'DATABASE_URL="${DATABASE_URL}" exec gunicorn app:app'
    # a name the image's ENV already sets is never reused for the credential
    argv, moved = withhold_credentials(("app", "redis://:x1@r/0"), "x", frozenset({"REDIS_URL"}))
    assert moved[0].name == "REDIS_URL_2" and "${REDIS_URL_2}" in argv[2]


def test_a_credential_beside_an_expansion_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"Procfile:2: .*redis://\*\*\*@\$HOST/0") as info:
        withhold_credentials(("/bin/sh", "-c", "exec celery -b redis://:s3cret@$HOST/0"), "Procfile:2")
    assert "s3cret" not in str(info.value)
    nested = ("/bin/sh", "-c", "exec su app -c 'celery -b redis://:s3cret@r/0 worker'")
    with pytest.raises(ConfigError, match="cannot cut out as one word"):
        withhold_credentials(nested, "Procfile:1")
    with pytest.raises(ConfigError, match="cannot cut out as one word"):
        withhold_credentials(("su", "app", "-c", "celery -b redis://:s3cret@r/0 worker"), "Procfile:1")


def test_a_secret_option_in_an_own_script_is_not_repeated_by_the_plan(tmp_path: Path) -> None:
    # the image runs the script itself (the project's file): the plan's texts never repeat its value
    root = _write(
        tmp_path,
        {
            "bot.py": "import sys\nprint(sys.argv)\n",
            "requirements.txt": "requests==2.32.3\n",
            "docker-entrypoint.sh": "#!/bin/sh\nset -e\nexec python bot.py --token 123456:ABCdefGHIjkl\n",
            "Dockerfile.dev": 'FROM python:3.13-slim\nCOPY . .\nCMD ["./docker-entrypoint.sh"]\n',
        },
    )
    plan = make_plan(detect_project(root))
    assert "ABCdef" not in json.dumps(plan.to_dict()) and "ABCdef" not in _generated(plan)


def test_redaction_of_secret_options_keeps_harmless_ones() -> None:
    from dockwright.redact import redact_literal

    assert (
        redact_literal("exec bot --token 123456:ABCdef --api-key=k3y9")
        == "exec bot --token *** --api-key=***"
    )
    kept = (
        "--password-file /run/secrets/db --token ${TOKEN} --secret-key changeme --workers 4 --token --debug "
        "--secret id=pipconf,src=pip.conf"
    )
    assert redact_literal(kept) == kept


def test_a_secret_assignment_before_the_command_is_not_repeated_by_the_plan(tmp_path: Path) -> None:
    """``API_TOKEN="..." gunicorn ...`` in compose: the CMD reads ${API_TOKEN}, and no evidence, note
    or warning of the plan (printed by `dockwright plan`, kept by `build`) repeats the value."""
    root = _write(
        tmp_path,
        {
            "requirements.txt": "flask\ngunicorn\n",
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "compose.yaml": (
                'services:\n  web:\n    build: .\n    command: API_TOKEN="tok-q1w2e3r4t5" '
                "DEPLOY_SECRET=plain-s3cret-77 gunicorn -b 0.0.0.0:8000 app:app\n"
            ),
        },
    )
    plan = make_plan(detect_project(root))
    shown = json.dumps(plan.to_dict())
    assert "tok-q1w2e3r4t5" not in shown and "plain-s3cret-77" not in shown
    assert "tok-q1w2e3r4t5" not in _generated(plan)


def test_redaction_of_secret_assignments() -> None:
    from dockwright.redact import redact_literal

    assert (
        redact_literal('API_TOKEN="t0k 3n" DB_PASSWORD=pw-123 exec app')
        == "API_TOKEN=*** DB_PASSWORD=*** exec app"
    )
    kept = 'TOKEN_TTL=300 API_TOKEN="${API_TOKEN}" SECRET_KEY=changeme --secret id=npmrc,env=NPM_TOKEN'
    assert redact_literal(kept) == kept


def test_a_password_the_shell_reads_from_a_variable_is_no_credential(tmp_path: Path) -> None:
    """``redis://:$REDIS_PASSWORD@redis`` (a Procfile's, or compose's ``$$REDIS_PASSWORD``, which compose
    hands on as ``$REDIS_PASSWORD``) names a variable the start's shell reads: kept as written, never
    refused as a literal credential."""
    for line in (
        "redis://:$REDIS_PASSWORD@redis:6379/0",
        "redis://:${REDIS_PASSWORD}@redis:6379/0",
        "redis://$REDIS_USER:$REDIS_PASSWORD@redis:6379/0",
    ):
        shell = ("/bin/sh", "-c", f"exec celery -A proj worker -b {line}")
        assert withhold_credentials(shell, "Procfile:1") == (shell, ())
    compose = (
        "services:\n  worker:\n    build: .\n"
        "    command: celery -A proj worker -b redis://:$$REDIS_PASSWORD@redis:6379/0\n"
    )
    root = _write(
        tmp_path / "app", {"compose.yaml": compose, "proj/__init__.py": "", "requirements.txt": "celery\n"}
    )
    app = detect_project(root).app
    assert "redis://:$REDIS_PASSWORD@redis:6379/0" in " ".join(app.command.value or ())
    # a literal password beside it is still cut out
    shell = ("/bin/sh", "-c", "exec celery -b redis://$REDIS_USER:s3cret@redis:6379/0")
    with pytest.raises(ConfigError, match="cannot cut out as one word"):
        withhold_credentials(shell, "Procfile:1")


def test_a_start_naming_a_shell_variable_in_a_url_gets_no_credential_warning(tmp_path: Path) -> None:
    """The plan's own check of the start (`the start command carries a credential`) reads shell
    variables as the start's shell does (review28 F4: a Procfile's `$REDIS_PASSWORD` was warned as a
    literal credential), and still warns of a literal one."""
    from dockwright import api

    def warnings(broker: str) -> list[str]:
        root = _write(
            tmp_path / "app",
            {
                "Procfile": f"worker: celery -A proj worker --broker {broker}\n",
                "proj/__init__.py": "from celery import Celery\n\napp = Celery('proj')\n",
                "requirements.txt": "celery==5.4.0\n",
            },
        )
        plan = api.plan(root, index_lookup=False)
        return [w for w in plan.warnings if "carries a credential" in w]

    assert warnings("redis://:$REDIS_PASSWORD@redis:6379/0") == []
