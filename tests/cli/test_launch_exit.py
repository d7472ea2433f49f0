"""The ``dockwright`` command's exit (launch.arm_quick_exit): the normal exit waits for
its threads and runs the exit handlers, the buffered output is written, the status is the same, and
the teardown is skipped; the normal exit is kept when the output cannot be written or main raised."""

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


TEARDOWN = (
    "import os\n"
    "class Witness:\n"
    "    def __del__(self):\n"
    "        os.write(2, b'teardown')\n"
    "witness = Witness()\n"  # a module global: collected by the interpreter's teardown only
)


def test_handlers_run_and_output_is_written_with_the_status_without_the_teardown() -> None:
    done = _python(
        TEARDOWN + "import atexit, sys\n"
        "from dockwright.launch import arm_quick_exit\n"
        "quick = arm_quick_exit()\n"
        "atexit.register(lambda: sys.stdout.write('handler ran\\n'))\n"
        "sys.stdout.write('report')\n"  # buffered: no newline, a pipe
        "sys.stderr.write('note')\n"
        "quick(1)\n"
        "sys.exit(1)\n"
    )
    assert done.returncode == 1
    assert done.stdout == "reporthandler ran\n"
    assert done.stderr == "note"  # no "teardown": the witness was never collected


def test_the_normal_exit_tears_down_the_witness() -> None:
    done = _python(TEARDOWN + "import sys\nsys.exit(3)\n")
    assert done.returncode == 3 and done.stderr == "teardown"


def test_a_running_thread_is_waited_for() -> None:
    done = _python(
        TEARDOWN + "import sys, threading, time\n"
        "from dockwright.launch import arm_quick_exit\n"
        "quick = arm_quick_exit()\n"
        "worker = threading.Thread(target=lambda: (time.sleep(0.3), print('thread done')))\n"
        "worker.start()\n"
        "print('main done')\n"
        "quick(3)\n"
        "sys.exit(3)\n"
    )
    assert done.returncode == 3
    assert done.stdout.splitlines() == ["main done", "thread done"]
    assert done.stderr == ""


def test_output_that_cannot_be_written_keeps_the_normal_exit() -> None:
    done = _python(
        TEARDOWN + "import sys\n"
        "from dockwright.launch import arm_quick_exit\n"
        "quick = arm_quick_exit()\n"
        "sys.stdout.close()\n"
        "quick(0)\n"
        "sys.exit(4)\n"
    )
    assert done.returncode == 4 and done.stderr == "teardown"


def test_main_raising_keeps_the_normal_exit() -> None:
    done = _python(
        TEARDOWN + "from dockwright.launch import arm_quick_exit\n"
        "quick = arm_quick_exit()\n"
        "raise RuntimeError('boom')\n"
    )
    assert done.returncode == 1
    assert "RuntimeError: boom" in done.stderr and done.stderr.endswith("teardown")


@pytest.mark.parametrize(
    "argv",
    [
        ["dockwright", "audit", "team/app:1", "--format", "json"],
        ["dockwright", "audit", "team/app:1", "--from", "registry"],
        ["dockwright", "lint", "Dockerfile"],
        ["dockwright", "build", "."],
    ],
)
def test_every_command_ends_without_the_teardown(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    calls: list[int] = []
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setattr(launch, "main", lambda argv=None: 1)
    monkeypatch.setattr(launch, "arm_quick_exit", lambda: calls.append)
    with pytest.raises(SystemExit) as exited:
        launch.run()
    assert exited.value.code == 1  # arm_quick_exit replaced: nothing registered, the normal exit follows
    assert calls == [1]
