"""``--find-links ./wheels`` (#12 follow-up): the builder installs the project's own wheel from the folder
through a bind mount; the runtime holds the installed package and not the folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.harness import PYPI, TAG_PREFIX, docker, replacing
from tests.plan.conftest import build_wheel

from dockwright import api

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]


def test_a_wheel_from_a_project_folder_installs_and_stays_out_of_the_runtime(tmp_path: Path) -> None:
    root = tmp_path / "local-wheels"
    (root / "requirements").mkdir(parents=True)
    (root / "wheels").mkdir()
    build_wheel(root / "wheels", "dw-localgreet", "0.1")
    (root / "requirements.txt").write_text("-r requirements/base.txt\n")
    (root / "requirements" / "base.txt").write_text("--find-links ../wheels\ndw-localgreet==0.1\n")
    (root / "main.py").write_text("import dw_localgreet\n\nprint('local', dw_localgreet.__version__)\n")
    # the build passes the index as the pipconf secret: the Dockerfile mounts it (--private-index)
    api.init(root, syntax_directive=False, start="python main.py", index_url=PYPI, private_index=True)
    assert "--find-links ./wheels" in (root / "requirements.lock").read_text()
    tag = f"{TAG_PREFIX}/local-wheels:test"
    with replacing(tag):
        api.build(
            root, tag=tag, network="host", syntax_directive=False, start="python main.py", index_url=PYPI
        )
    done = docker("run", "--rm", "--network", "none", tag)
    assert done.stdout.strip() == "local 0.1"
    listing = docker(
        "run", "--rm", "--network", "none", "--entrypoint", "ls", tag, "-A", "/app"
    ).stdout.split()
    assert "main.py" in listing and "wheels" not in listing
