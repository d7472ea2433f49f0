"""Every test the README names as the proof of a promise exists."""

from __future__ import annotations

import re

from tests.hostile.conftest import REPO


def test_readme_promises_name_real_tests() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Promises on hostile input", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(test_hostile_\w+\.py)(?:::(test_\w+))?`|`::(test_\w+)`", section)
    assert named
    current = ""
    for module, test, continued in named:
        current = module or current
        text = (REPO / "tests" / "hostile" / current).read_text()
        name = test or continued
        if name:
            assert f"def {name}(" in text, (current, name)
    assert (REPO / "tests" / "integration" / "test_secrets_in_image.py").is_file()
