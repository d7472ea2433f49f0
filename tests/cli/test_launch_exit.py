"""The ``dockwright`` command's exit after an audit (launch.quick_exit): the exit handlers run and
the buffered output is written as at a normal exit, with the same status; the normal exit is kept
when a thread still runs or the output cannot be written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dockwright import launch

SRC = Path(__file__).resolve().parents[2] / "src"


def _python(code: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )


def test_handlers_run_and_output_is_written_with_the_status() -> None:
    done = _python(
        "import atexit, sys\n"
        "from dockwright.launch import quick_exit\n"
        "atexit.register(lambda: sys.stdout.write('handler ran\\n'))\n"
        "sys.stdout.write('report')\n"  # buffered: no newline, a pipe
        "sys.stderr.write('note')\n"
        "quick_exit(1)\n"
        "print('not reached')\n"
    )
    assert done.returncode == 1
    assert done.stdout == "reporthandler ran\n"
    assert done.stderr == "note"


def test_a_running_thread_keeps_the_normal_exit() -> None:
    done = _python(
        "import sys, threading, time\n"
        "from dockwright.launch import quick_exit\n"
        "worker = threading.Thread(target=lambda: (time.sleep(0.3), print('thread done')))\n"
        "worker.start()\n"
        "quick_exit(0)\n"
        "print('returned')\n"
        "sys.exit(3)\n"
    )
    assert done.returncode == 3
    assert done.stdout.splitlines() == ["returned", "thread done"]


def test_output_that_cannot_be_written_keeps_the_normal_exit() -> None:
    done = _python(
        "import sys\n"
        "from dockwright.launch import quick_exit\n"
        "sys.stdout.close()\n"
        "quick_exit(0)\n"
        "sys.stderr.write('returned')\n"
        "sys.exit(4)\n"
    )
    assert done.returncode == 4 and done.stderr == "returned"


@pytest.mark.parametrize(
    ("argv", "quick"),
    [
        (["dockwright", "audit", "team/app:1", "--format", "json"], True),
        (["dockwright", "audit", "team/app:1", "--from", "registry"], False),
        (["dockwright", "lint", "Dockerfile"], False),
    ],
)
def test_the_command_ends_quickly_after_an_audit_of_an_engine_image(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], quick: bool
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setattr(launch, "main", lambda argv=None: 1)
    monkeypatch.setattr(launch, "quick_exit", calls.append)
    with pytest.raises(SystemExit) as exited:
        launch.run()
    assert exited.value.code == 1  # quick_exit replaced: the normal exit follows
    assert calls == ([1] if quick else [])
