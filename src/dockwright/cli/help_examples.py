"""The "Examples" section at the end of each verb's --help (click keeps a ``\\b`` paragraph as written).

tests/cli/test_cli_newcomer.py checks that every option an example uses exists on its verb."""

from __future__ import annotations

_EXIT = "Exit 0: clean; 1: findings; 2: error (one line on stderr)."

_EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "plan": (
        ("dockwright plan", "the project in this folder: facts, strategy, decisions"),
        ("dockwright plan path/to/app --json", "the BuildPlan as JSON"),
        ('dockwright plan --start "gunicorn app:app" --port 8000', "when detection guesses wrong"),
        ("dockwright plan --strategy pyinstaller", "what another strategy would do (or why it does not fit)"),
        ("dockwright plan --list-detectors", "how the start command is found, in rank order"),
    ),
    "init": (
        ("dockwright init", "write Dockerfile, .dockerignore (and a lock) for this folder"),
        ("dockwright init --dry-run", "list what would be written"),
        ("dockwright init --diff", "show the change to files already there"),
        ("dockwright init --force", "replace files that differ (never without it)"),
        ("dockwright init --lock-only", "resolve a stale lock again; keep your Dockerfile"),
        ('dockwright init --start "uvicorn app.main:app" --port 8000', "override detection"),
    ),
    "lint": (
        ("dockwright lint", "every Dockerfile under this folder"),
        ("dockwright lint Dockerfile --diff", "the safe fixes, as a diff"),
        ("dockwright lint Dockerfile --fix", "apply them"),
        ("dockwright lint - < Dockerfile", "read stdin (--stdin-filename names it)"),
        ("dockwright lint --format sarif . > lint.sarif", "for code scanning"),
        ("dockwright lint --select DW3,DW4 --ignore DW302", "Python install and security rules, less one"),
    ),
    "rule": (
        ("dockwright rule DW301", "one rule's documentation (a code or a name)"),
        ("dockwright rule --all", "every rule"),
    ),
    "build": (
        ("dockwright build", "./Dockerfile, or the planned one when there is none"),
        ("dockwright build path/to/app --tag myapp:1.0", "name the image"),
        ("dockwright build --file docker/Dockerfile.prod", "your own Dockerfile; its CMD is the start"),
        ("dockwright build --dry-run", "print the exact engine command"),
        ("dockwright build --check-platforms", "every locked dependency has a wheel for amd64 and arm64?"),
        ("dockwright build --engine podman", "Buildah through Podman"),
    ),
    "audit": (
        ("dockwright audit myapp:1.0", "the checklist on an image of the engine"),
        ("dockwright audit myapp:1.0 --context . --run", "and the lock, and a real start"),
        ("dockwright audit myapp:1.0 --format html -o audit.html", "a report to keep"),
        ("dockwright audit registry.example.com/team/myapp:1.0 --from registry", "nothing pulled"),
        ("dockwright audit --list-checks", "what is checked"),
    ),
    "sbom": (
        ("dockwright sbom myapp:1.0 -o sbom.cdx.json", "CycloneDX JSON"),
        ("dockwright sbom myapp:1.0 --format spdx-json --context .", "SPDX, the lock's hashes attached"),
    ),
    "base build": (
        ("dockwright base build --python 3.13", "the trimmed base for Python 3.13, in the engine"),
        ("dockwright base build --tag registry.example.com/team/python-trimmed --push", "publish it"),
    ),
    "daemon status": (("dockwright daemon status", "whether a warm process serves this installation"),),
    "daemon stop": (
        ("dockwright daemon stop", "stop it (it exits by itself after 15 idle minutes)"),
        ("dockwright daemon stop --all", "stop every installation's, as after an upgrade"),
    ),
}

_VERDICT = {
    "plan": "Exit 0: planned; 2: error (one line on stderr).",
    "init": "Exit 0: written, or nothing to change; 2: error (one line on stderr), also for a file of "
    "yours that differs without --force.",
    "lint": _EXIT,
    "build": "Exit 0: built; 1: --check-platforms found a dependency without a wheel; 2: error.",
    "sbom": "Exit 0: written; 2: error (one line on stderr).",
    "base build": "Exit 0: built; 2: error (one line on stderr).",
    "daemon status": "Exit 0 (none running is no error); 2: error (one line on stderr).",
    "daemon stop": "Exit 0 (none running is no error); 2: error (one line on stderr).",
}  # audit's own description says its exit codes


def examples(verb: str) -> tuple[tuple[str, str], ...]:
    """The example command lines of ``verb`` with what each does."""
    return _EXAMPLES[verb]


def epilog(verb: str) -> str:
    """The text after the options in ``dockwright VERB --help``: examples, then the exit codes."""
    lines = [f"  # {what}\n  {command}" for command, what in _EXAMPLES[verb]]
    text = "\b\nExamples:\n" + "\n".join(lines)
    return f"{text}\n\n{_VERDICT[verb]}" if verb in _VERDICT else text
