"""#12 class 3: a package whose own module is C builds (compiler in the builder only) and runs its C code."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.harness import built_example, docker

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("sandbox")]


def test_own_c_extension_is_compiled_in_the_builder_and_runs(workspace: Path) -> None:
    built = built_example("cli-cext", workspace)
    assert "build-essential" in {a.name for a in built.plan.builder_apt}
    assert built.plan.runtime_apt == ()
    # Adler-32 of "Wikipedia" is 0x11E60398 (the worked example of the algorithm); the CLI checks zlib too
    done = docker("run", "--rm", "--network", "none", built.tag, "Wikipedia")
    assert done.stdout.split() == ["11e60398", "Wikipedia"]
    so = docker(
        "run",
        "--rm",
        "--network",
        "none",
        "--entrypoint",
        "python",
        built.tag,
        "-c",
        "import adler._adler as m; print(m.__file__)",
    )
    assert so.stdout.strip().endswith(".so"), "the extension module is compiled, not a pure-Python stand-in"
