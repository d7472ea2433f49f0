"""Variables the start command expands without a default (project/start_variables.py): unset, the
server gets an empty word (``gunicorn -w ""`` stops on "invalid int value"), so the plan lists them
among the variables to pass at run time. Our own examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.project.detect import detect_project
from dockwright.project.start_variables import expanded_without_default

MakeProject = Callable[[dict[str, str | bytes]], Path]

WEB = "from flask import Flask\n\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    ("command", "names"),
    [
        (("gunicorn", "-w", "$WORKERS", "app:app"), ["WORKERS"]),
        (("gunicorn", "-w", "${WORKERS}", "--threads", "${THREADS:-2}", "app:app"), ["WORKERS"]),
        (("/bin/sh", "-c", 'N=$(nproc) && exec gunicorn -w "$N" --timeout "$TIMEOUT" app:app'), ["TIMEOUT"]),
        (("/bin/sh", "-c", "export LEVEL=info; exec gunicorn --log-level $LEVEL app:app"), []),
        (("/bin/sh", "-c", "awk '{print $NAME}' x && exec gunicorn app:app"), []),
        (("gunicorn", "--bind", "0.0.0.0:${PORT-8000}", "app:app"), []),
        (("gunicorn", "--bind", "0.0.0.0:$PORT", "app:app"), ["PORT"]),
    ],
)
def test_the_variables_a_start_expands_without_a_default(command: tuple[str, ...], names: list[str]) -> None:
    assert expanded_without_default(command) == names


def test_a_procfile_start_s_variable_is_required(make_project: MakeProject) -> None:
    root = make_project(
        {
            "web.py": WEB,
            "requirements.txt": "flask\ngunicorn\n",
            "Procfile": "web: gunicorn -w $WEB_WORKERS --bind 0.0.0.0:$PORT web:app\n",
        }
    )
    facts = detect_project(root, python="3.13")
    required = {f.value: f for f in facts.app.required_env}
    assert "WEB_WORKERS" in required, required
    assert "PORT" not in required  # the plan sets PORT itself (the platform's variable)
    assert required["WEB_WORKERS"].evidence[0].file == "Procfile"
