#!/usr/bin/env python3
"""Run the composite GitHub Action's steps (action.yml) on a folder, as a runner would.

    python3 scripts/exercise-action.py SAMPLE_DIR [--offline] [--input NAME=VALUE ...]

Each `run:` step runs with bash in SAMPLE_DIR, with `${{ inputs.* }}`, `${{ github.action_path }}`
and `${{ steps.<id>.outputs.* }}` substituted and $GITHUB_OUTPUT honoured; `if:` conditions of the
form the action uses are evaluated. `uses:` steps are not run: setup-python is the interpreter running
this script, and upload-sarif is checked instead (its `sarif_file` must exist and be SARIF 2.1.0).
--offline replaces the pip install of the action's checkout by a `dockwright` on PATH that runs this
checkout's source (no network); without it, the install step really runs (PyPI needed).
Prints the step outcomes; exits with the action's outcome (0 passed, 1 failed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ACTION_PATH = Path(__file__).resolve().parent.parent
_EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _value(expr: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    if expr == "github.action_path":
        return str(ACTION_PATH)
    if expr.startswith("inputs."):
        return inputs[expr[len("inputs.") :]]
    match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
    if match:
        return outputs.get(match.group(1), {}).get(match.group(2), "")
    raise SystemExit(f"expression not understood by this exerciser: {expr}")


def _substitute(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    return _EXPR.sub(lambda m: _value(m.group(1), inputs, outputs), text)


def _condition(expr: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> bool:
    """`a == 'x' && b == 'y'` over inputs and step outputs (the forms action.yml uses)."""
    inner = expr.strip()
    if inner.startswith("${{"):
        inner = inner[3:].rstrip("}").strip()
    for clause in inner.split("&&"):
        left, _, right = clause.partition("==")
        if _value(left.strip(), inputs, outputs) != right.strip().strip("'"):
            return False
    return True


def _offline_bin(folder: Path) -> Path:
    shim = folder / "dockwright"
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ACTION_PATH / "src"}" exec "{sys.executable}" -m dockwright "$@"\n'
    )
    shim.chmod(0o755)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sample", type=Path)
    parser.add_argument("--offline", action="store_true")
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    action = yaml.safe_load((ACTION_PATH / "action.yml").read_text())
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update(dict(pair.split("=", 1) for pair in args.input))
    outputs: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        if args.offline:
            env["PATH"] = f"{_offline_bin(Path(scratch))}{os.pathsep}{env['PATH']}"
        else:
            subprocess.run([sys.executable, "-m", "venv", f"{scratch}/venv"], check=True)
            env["PATH"] = f"{scratch}/venv/bin{os.pathsep}{env['PATH']}"
        for step in action["runs"]["steps"]:
            name = step.get("name", step.get("uses", "?"))
            if "if" in step and not _condition(step["if"], inputs, outputs):
                print(f"[skip] {name}")
                continue
            if "uses" in step:
                if "upload-sarif" in step["uses"]:
                    sarif = args.sample / _substitute(step["with"]["sarif_file"], inputs, outputs)
                    data = json.loads(sarif.read_text())
                    assert data["version"] == "2.1.0" and data["runs"][0]["tool"]["driver"]["name"] == "dockwright"
                    print(f"[ok]   {name}: {sarif.name} is SARIF 2.1.0 ({len(data['runs'][0]['results'])} results)")
                else:
                    print(f"[ok]   {name}: provided by the runner ({step['uses']})")
                continue
            if args.offline and "pip install" in step["run"]:
                print(f"[ok]   {name}: offline, dockwright runs from {ACTION_PATH / 'src'}")
                continue
            output_file = Path(scratch) / f"output-{len(outputs)}"
            output_file.write_text("")
            step_env = {k: _substitute(str(v), inputs, outputs) for k, v in step.get("env", {}).items()}
            script = _substitute(step["run"], inputs, outputs)
            done = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", script],
                cwd=args.sample,
                env={**env, **step_env, "GITHUB_OUTPUT": str(output_file)},
                check=False,
            )
            if "id" in step:
                lines = output_file.read_text().splitlines()
                outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
            if done.returncode != 0:
                print(f"[fail] {name}: exit {done.returncode}")
                return 1
            print(f"[ok]   {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
