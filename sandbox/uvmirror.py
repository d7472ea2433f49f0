"""Point a uv project at the sandbox index, as a user with a private mirror would.

uv installs from the URLs uv.lock records (PyPI's), which containers here cannot reach. The sandbox
index serves the very same files (same hashes), so the lock's registry and file URLs are rewritten to
it and pyproject.toml names it as the default index, so ``uv sync --locked`` agrees with the lock.
"""

from __future__ import annotations

import re
from pathlib import Path

from sandbox.config import settings

_PYPI_FILES = re.compile(r"https://files\.pythonhosted\.org/packages/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]+/")


def mirror_uv_lock(project: Path) -> None:
    simple = settings().pypi_url.rstrip("/")
    files = simple.rsplit("/", 1)[0] + "/files/"
    lock = project / "uv.lock"
    text = lock.read_text().replace('registry = "https://pypi.org/simple"', f'registry = "{simple}"')
    lock.write_text(_PYPI_FILES.sub(files, text))
    pyproject = project / "pyproject.toml"
    index = f'\n[[tool.uv.index]]\nname = "sandbox"\nurl = "{simple}"\ndefault = true\n'
    pyproject.write_text(pyproject.read_text() + index)
