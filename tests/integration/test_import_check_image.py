"""The builder's import check (``plan/import_check.py``) on a built image: a module that blocks when
imported (waits for a database, a socket) is said in the build log after the bound and fails nothing;
the check runs inside the install step, which a source edit keeps CACHED."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from tests.integration.harness import PYPI, TAG_PREFIX, replacing
from tests.plan.conftest import build_wheel

from dockwright import api
from dockwright.plan.import_check import SECONDS

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("sandbox")]

BLOCKS = (
    "import time\n\ntime.sleep(3600)  # stands for a connection made at import\n\n\ndef main():\n    pass\n"
)


def test_a_blocking_import_is_bounded_and_a_source_edit_keeps_the_install(tmp_path: Path) -> None:
    root = tmp_path / "blocking-import"
    (root / "wheels").mkdir(parents=True)
    extra = {
        "dw_waitdb/cli.py": BLOCKS + f"# {uuid.uuid4()}\n",  # a new wheel: the first build runs its steps
        "dw_waitdb-0.1.dist-info/entry_points.txt": "[console_scripts]\ndw-waitdb = dw_waitdb.cli:main\n",
    }
    build_wheel(root / "wheels", "dw-waitdb", "0.1", extra=extra)
    (root / "requirements.txt").write_text("--find-links ./wheels\ndw-waitdb==0.1\n")
    (root / "main.py").write_text("print('app')\n")
    options = {"syntax_directive": False, "start": "dw-waitdb", "index_url": PYPI}
    api.init(root, private_index=True, **options)
    tag = f"{TAG_PREFIX}/blocking-import:test"
    with replacing(tag):
        first = api.build(root, tag=tag, network="host", **options)
    assert f"import check: dw_waitdb.cli still importing after {SECONDS} s: not checked" in first.log
    assert "import check: 1 module(s) imported, 0 failed, 1 timed out" in first.log

    main = root / "main.py"  # a unique edit: BuildKit's cache is content-addressed
    main.write_text(main.read_text() + f"# edited {uuid.uuid4()}\n")
    with replacing(tag):
        again = api.build(root, tag=tag, network="host", **options)
    print("\nCACHED after a source edit:", *again.cached_steps, sep="\n  ")
    install = [s for s in again.cached_steps if "-r requirements.lock" in s]  # install + check, one RUN
    assert len(install) == 1 and "signal.alarm" in install[0], again.cached_steps
    assert "dw_waitdb.cli still importing" not in again.log  # the check ran with the install, once
