"""Image size per example and strategy, next to the slim strategy, built on the real engine.

    python bench/strategy_sizes.py [--examples flask-requirements,cli-setuptools] [--skip nuitka] [--keep]

Needs the sandbox (``python -m sandbox up``). For every example and every strategy that fits it
(plus each non-default ``--runtime``), copies the example, runs ``init``, builds it through
``dockwright.api.build`` and prints the image size, the bytes added over the runtime base image,
and the size relative to slim. Strategies whose base cannot be made here (Alpine: no Debian
packages) are listed as not built. One run, a figure, not an assertion; the seeds' band for a
standalone web app is 15-40 MB.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sandbox.config import DOCKER  # noqa: E402
from sandbox.uvmirror import mirror_uv_lock  # noqa: E402

from dockwright import api  # noqa: E402
from dockwright.errors import DockwrightError  # noqa: E402
from dockwright.initialize import detect  # noqa: E402
from dockwright.output import fmt_bytes  # noqa: E402
from dockwright.plan.planner import STRATEGIES, verdict_of  # noqa: E402
from dockwright.plan.strategies.base import PlanOptions  # noqa: E402

UNBUILDABLE = {"alpine": "Alpine base images cannot be made from Debian packages here"}


@dataclass(frozen=True)
class Row:
    example: str
    variant: str
    size: int | None
    base: int | None
    note: str = ""


def _image_size(ref: str) -> int | None:
    if ref == "scratch":
        return 0
    done = subprocess.run(
        [DOCKER, "image", "inspect", "-f", "{{.Size}}", ref], capture_output=True, text=True
    )
    return int(done.stdout) if done.returncode == 0 else None


def _variants(example: Path, skip: set[str]) -> list[tuple[str, str | None]]:
    facts = detect(example, PlanOptions())
    out: list[tuple[str, str | None]] = []
    for strategy in STRATEGIES:
        if strategy.name not in skip and verdict_of(strategy, facts).ok:
            out.append((strategy.name, None))
            # the first runtime a strategy lists is its default; the others are measured too
            out += [(strategy.name, runtime) for runtime in getattr(strategy, "runtimes", ())[1:]]
    return out


def measure(example: Path, scratch: Path, keep: bool, skip: set[str]) -> list[Row]:
    rows = []
    for strategy, runtime in _variants(example, skip):
        variant = strategy + (f" --runtime {runtime}" if runtime else "")
        if strategy in UNBUILDABLE:
            rows.append(Row(example.name, variant, None, None, UNBUILDABLE[strategy]))
            continue
        project = scratch / f"{example.name}-{strategy}-{runtime or 'default'}"
        shutil.copytree(example, project)
        if strategy == "uv":
            mirror_uv_lock(project)
        tag = f"dockwright-bench/{example.name}-{strategy}-{runtime or 'default'}:latest"
        try:
            api.init(project, strategy=strategy, runtime=runtime, syntax_directive=False)
            plan = api.plan(project, strategy=strategy, runtime=runtime, syntax_directive=False)
            api.build(project, tag=tag, network="host", syntax_directive=False)
        except DockwrightError as error:
            rows.append(Row(example.name, variant, None, None, f"failed: {error}"))
            continue
        rows.append(Row(example.name, variant, _image_size(tag), _image_size(plan.base_image)))
        if not keep:
            subprocess.run([DOCKER, "image", "rm", tag], capture_output=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", help="comma-separated example names (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the images")
    parser.add_argument(
        "--skip", default="", help="comma-separated strategies to leave out (e.g. nuitka: slow)"
    )
    args = parser.parse_args()
    wanted = set(args.examples.split(",")) if args.examples else None
    examples = sorted(
        p for p in (REPO / "examples").iterdir() if p.is_dir() and (wanted is None or p.name in wanted)
    )
    print(f"{'example':<20} {'strategy':<30} {'image':>10} {'over base':>10} {'vs slim':>8}")
    with tempfile.TemporaryDirectory(prefix="dockwright-sizes-") as scratch:
        for example in examples:
            rows = measure(example, Path(scratch), args.keep, set(filter(None, args.skip.split(","))))
            slim = next((r.size for r in rows if r.variant == "slim"), None)
            for row in rows:
                if row.size is None:
                    print(f"{row.example:<20} {row.variant:<30} {'-':>10} {'-':>10} {'-':>8}  {row.note}")
                    continue
                over = fmt_bytes(row.size - row.base) if row.base is not None else "?"
                ratio = f"{row.size / slim:.2f}x" if slim else "-"
                print(f"{row.example:<20} {row.variant:<30} {fmt_bytes(row.size):>10} {over:>10} {ratio:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
