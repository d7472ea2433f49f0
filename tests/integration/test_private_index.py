"""A private index with basic auth: local versions and an extras chain installed, credentials in no layer.

examples/private-index locks ``dwtorch==1.0+cpu`` (an explicit index pinned through
``[tool.uv.sources]``) and ``dwchain[full]`` (→ ``dwleaf[email]`` → ``dwmail``) from the sandbox's
second index (sandbox/privateindex.py, 401 without credentials). The generated lock names the indexes,
the build passes ``UV_INDEX_DWLOCAL_*`` as the ``netrc`` secret, and the job imports the extra's module.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sandbox.config import DOCKER
from tests.integration.harness import built_example, docker

from dockwright import api
from dockwright.errors import EngineError
from sandbox import privateindex

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]


def test_private_index_job_runs_with_the_local_version_and_the_extras_chain(workspace: Path) -> None:
    built = built_example("private-index", workspace)
    lock = (built.path / built.plan.lock.path).read_text()
    assert "--extra-index-url http://127.0.0.1:3144/cpu/" in lock and privateindex.PASSWORD not in lock
    done = docker("run", "--rm", "--network", "none", built.tag, timeout=120)
    assert done.stdout.splitlines() == ["dwtorch 1.0 (cpu build) on cpu", "dwchain with dwmail: True"], (
        done.stderr
    )
    listed = docker(
        "run",
        "--rm",
        "--network",
        "none",
        "--entrypoint",
        "python",
        built.tag,
        "-c",
        "import importlib.metadata as m; print(sorted(d.metadata['Name'] for d in m.distributions()))",
    )
    assert listed.stdout.strip() == "['dwchain', 'dwleaf', 'dwmail', 'dwtorch', 'packaging']"


def test_the_index_password_is_in_no_layer_and_no_history(workspace: Path) -> None:
    built = built_example("private-index", workspace)
    history = docker("history", "--no-trunc", built.tag).stdout
    assert privateindex.PASSWORD not in history and "netrc" not in history
    saved = subprocess.run([DOCKER, "save", built.tag], capture_output=True, check=True, timeout=300)
    assert privateindex.PASSWORD.encode() not in saved.stdout
    probe = "import os; print(os.path.exists('/root/.netrc'), os.path.exists('/opt/venv/pip.conf'))"
    done = docker("run", "--rm", "--network", "none", "--entrypoint", "python", built.tag, "-c", probe)
    assert done.stdout.strip() == "False False"


def test_missing_credentials_fail_with_pips_error_not_a_prompt(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the builder sets PIP_NO_INPUT: pip answers the index's 401 with its own error instead of
    # prompting for a user name on a stdin no one can type into (an EOFError traceback)
    built = built_example("private-index", workspace)
    path = workspace / "private-index-no-credentials"
    shutil.copytree(built.path, path)
    for name in ("DWLOCAL", "DWCPU"):
        monkeypatch.delenv(f"UV_INDEX_{name}_USERNAME", raising=False)
        monkeypatch.delenv(f"UV_INDEX_{name}_PASSWORD", raising=False)
    with pytest.raises(EngineError) as failed:
        # no cache: the install layer is cached from the build with credentials (secrets are no cache key)
        api.build(
            path, tag=f"{built.tag}-no-credentials", network="host", syntax_directive=False, no_cache=True
        )
    message = str(failed.value)
    assert "EOFError" not in message and "User for " not in message
    assert "No matching distribution found" in message or "401" in message, message
