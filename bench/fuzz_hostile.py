"""The hostile-input fuzz run, long: ``python bench/fuzz_hostile.py [EXAMPLES]`` (CI runs 25 per test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "examples", nargs="?", type=int, default=2000, help="examples per test (default 2000)"
    )
    examples = str(parser.parse_args().examples)
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DOCKWRIGHT_FUZZ_EXAMPLES": examples}
    test = repo / "tests" / "hostile" / "test_hostile_fuzz.py"
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", "-q", str(test)], cwd=repo, env=env))
