"""The distroless stand-ins of every suite get the users and lose the shell, as distroless does.

mmdebstrap runs no customize hook for ``--variant=extract``: the hooks must be extract hooks (the
bookworm recipe once had them as customize hooks and its images had no /etc/passwd)."""

from __future__ import annotations

import pytest
from sandbox.config import SUITES

from sandbox import images


@pytest.mark.parametrize("suite", sorted(SUITES))
@pytest.mark.parametrize("kind", ["python3", "cc"])
def test_distroless_hooks_run_in_the_extract_variant(suite: str, kind: str) -> None:
    recipe = images.distroless(kind, SUITES[suite])
    assert "--variant=extract" in recipe.mmdebstrap
    assert not [arg for arg in recipe.mmdebstrap if arg.startswith("--customize-hook=")]
    hooks = [
        arg.removeprefix("--extract-hook=") for arg in recipe.mmdebstrap if arg.startswith("--extract-hook=")
    ]
    assert images._DISTROLESS_USERS in hooks
    assert images._NO_SHELL in hooks
    assert [tag for tag, changes in recipe.tags if "USER 65532" in changes] == [
        f"gcr.io/distroless/{kind}-{SUITES[suite].distroless}:nonroot"
    ]
