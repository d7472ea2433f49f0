"""A credential the project wrote (a broker or database URL's password, a direct URL's token) reaches no
printable value of the plan: not the JSON of a plan made through the library, not the generated
Dockerfile, not the CLI's output. The frozen values redact it where they are made (``redact.scrub``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockwright import api
from dockwright.cli import cli
from dockwright.plan.model import Decision
from dockwright.project.facts import Evidence, Fact
from dockwright.redact import redact_literal
from dockwright.render.render import render_dockerfile

SECRETS = ("s3cretC", "s3cretG", "s3cretA", "s3cretE", "s3cretU", "tok3nA", "tok3nS")


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _django_celery(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "site",
        {
            "requirements.txt": "celery==5.3.6\ndjango==5.0\n",
            "proj/__init__.py": "",
            "proj/celery.py": (
                "from celery import Celery\n\napp = Celery('proj')\n"
                "app.config_from_object('django.conf:settings', namespace='CELERY')\n"
            ),
            "proj/settings.py": (
                "import os\n"
                'CELERY_BROKER_URL = "redis://:s3cretC@redis:6379/0"\n'
                'CELERY_RESULT_BACKEND = os.environ.get("RESULTS", "redis://user:s3cretG@redis:6379/1")\n'
            ),
            "Procfile": "worker: celery -A proj worker\n",
        },
    )


def _flask_alembic(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "svc",
        {
            "pyproject.toml": (
                '[project]\nname = "svc"\nversion = "0.1.0"\n'
                'dependencies = ["flask", "gunicorn", "alembic", "celery", '
                '"private-pkg @ https://deploy:tok3nA@files.example.com/private_pkg-1.0-py3-none-any.whl"]\n'
                '[project.urls]\nSource = "https://ci:tok3nS@git.example.com/org/svc"\n'
            ),
            "svc/__init__.py": (
                "import os\nfrom celery import Celery\nfrom flask import Flask\n\napp = Flask(__name__)\n"
                'worker = Celery("svc", broker=os.getenv("BROKER", "rediss://app:s3cretA@cache:6380/0"))\n'
                'app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app:s3cretU@db/app"\n'
            ),
            "alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://a:s3cretE@db/a\n",
            "migrations/env.py": "",
            "Procfile": "web: gunicorn svc:app\nworker: celery -A svc.worker worker\n",
        },
    )


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("make", [_django_celery, _flask_alembic])
def test_no_credential_in_the_library_plan_its_dockerfile_or_the_cli(make: object, tmp_path: Path) -> None:
    root = make(tmp_path)  # type: ignore[operator]
    plan = api.plan(root)
    assert plan.facts.app.adds.value or plan.warnings  # the broker URL was read (the redis extras)
    assert _leaks(json.dumps(plan.to_dict())) == []
    assert _leaks(json.dumps(plan.facts.to_dict())) == []
    assert _leaks(render_dockerfile(plan)) == []
    for args in (["plan", str(root), "--json"], ["plan", str(root)]):
        done = CliRunner().invoke(cli, args)
        assert done.exit_code == 0, done.output
        assert _leaks(done.output) == []


def test_the_broker_url_still_says_which_url_asked_for_the_extra(tmp_path: Path) -> None:
    plan = api.plan(_django_celery(tmp_path))
    assert plan.facts.app.adds.value == ("celery[redis]", "kombu[redis]")
    details = " ".join(e.detail for e in plan.facts.app.adds.evidence)
    assert "redis://***@redis:6379/0" in details


def test_frozen_values_redact_literal_credentials_and_keep_placeholders() -> None:
    evidence = Evidence("settings.py", 3, "broker redis://:pw1@redis:6379/0")
    assert evidence.detail == "broker redis://***@redis:6379/0"
    assert str(evidence) == "settings.py:3 (broker redis://***@redis:6379/0)"
    assert Fact("https://u:pw2@host/x").value == "https://***@host/x"
    decision = Decision("start", "celery -b amqp://u:pw3@mq//", "from Procfile:1 (amqp://u:pw3@mq//)")
    assert "pw3" not in decision.choice + decision.reason
    # a placeholder is no secret, and the build expands it (an index URL's ${TOKEN})
    templated = "https://${INDEX_USER}:${INDEX_TOKEN}@pkgs.example.com/simple"
    assert redact_literal(templated) == templated
    assert Fact(templated).value == templated
    assert redact_literal("git+https://oauth2:pw4@git.example.com/o/r.git") == (
        "git+https://***@git.example.com/o/r.git"
    )
    assert redact_literal("no url here, a@b") == "no url here, a@b"


def test_an_ssh_user_name_is_no_credential() -> None:
    from dockwright.redact import has_literal_credentials, redact_literal

    line = "tools @ git+ssh://git@github.com/acme/tools.git@v1.2"
    assert redact_literal(line) == line and not has_literal_credentials(line)
    assert redact_literal("ssh://deploy:pw@host/repo.git") == "ssh://***@host/repo.git"
    assert redact_literal("https://ghp_token@github.com/acme/x.git") == "https://***@github.com/acme/x.git"
