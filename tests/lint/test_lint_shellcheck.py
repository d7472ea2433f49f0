"""DW801: ShellCheck on RUN scripts, mapped back to Dockerfile lines (needs the shellcheck extra)."""

from __future__ import annotations

import pytest

from dockwright.lint.linter import lint_text
from dockwright.lint.shellcheck import shellcheck_path

pytestmark = pytest.mark.skipif(
    shellcheck_path() is None, reason="ShellCheck not installed (pip install 'dockwright[shellcheck]')"
)


def shellcheck(text: str) -> list[tuple[int, str]]:
    return [(f.span.line, f.message.split(":", 1)[0]) for f in lint_text(text) if f.code == "DW801"]


def test_findings_point_at_the_dockerfile_line() -> None:
    text = "FROM debian:12\nRUN apt-get update \\\n    && echo ok; cd /opt \\\n    ; echo $1 > /tmp/x\n"
    found = shellcheck(text)
    assert (3, "SC2164") in found  # the cd on the RUN's second line
    assert (4, "SC2086") in found


def test_heredoc_scripts_are_checked_at_their_lines() -> None:
    text = "FROM debian:12\nRUN <<EOF\necho start\ncd /opt\necho $1\nEOF\n"
    assert (4, "SC2164") in shellcheck(text) and (5, "SC2086") in shellcheck(text)


def test_the_stage_shell_decides_the_dialect() -> None:
    bashism = 'RUN if [[ -n "$HOME" ]]; then echo ok; fi\n'
    assert any(code == "SC3010" for _, code in shellcheck("FROM debian:12\n" + bashism))
    bash = 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n' + bashism
    assert not any(code == "SC3010" for _, code in shellcheck(bash))


def test_alpine_stages_are_checked_as_busybox_ash() -> None:
    run = "RUN set -o pipefail && wget -qO- https://example.org/x | tar -x\n"
    assert any(code == "SC3040" for _, code in shellcheck("FROM debian:12\n" + run))
    assert not any(code == "SC3040" for _, code in shellcheck("FROM alpine:3.20\n" + run))


def test_suppressed_by_its_shellcheck_code_or_by_dw801() -> None:
    for pragma in ("# dockwright: ignore=SC2164", "# hadolint ignore=SC2164", "# dockwright: ignore=DW801"):
        text = f"FROM debian:12\n{pragma}\nRUN cd /opt && echo ok\n"
        assert shellcheck(text) == [], pragma


def test_messages_say_what_and_severity_follows_shellcheck() -> None:
    findings = [f for f in lint_text("FROM debian:12\nRUN echo $1\n") if f.code == "DW801"]
    assert findings and findings[0].message.startswith("SC2086: Double quote")
    assert findings[0].severity.value == "info"
