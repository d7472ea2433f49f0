"""Lean runtime layers (issue #14): what the slim plan does about bytes the app never uses."""

from __future__ import annotations

from pathlib import Path

from dockwright import api

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_extensions_compiled_in_the_builder_get_no_debug_info() -> None:
    plan = api.plan(EXAMPLES / "psycopg2-source")
    assert ("CFLAGS", "-g0") in {(e.name, e.value) for e in plan.builder_env}


def test_a_wheels_only_app_sets_no_compiler_flags() -> None:
    plan = api.plan(EXAMPLES / "flask-requirements")
    assert "CFLAGS" not in {e.name for e in plan.builder_env}


def test_runtime_apt_runs_without_debconf_preconfiguration() -> None:
    plan = api.plan(EXAMPLES / "psycopg2-source")
    base = next(s for s in plan.side_stages if s.name == "base")  # the trimmed runtime's root
    (apt,) = [s for s in base.steps if s.instruction == "RUN" and "libpq5" in " ".join(s.args)]
    text = " && ".join(apt.args)
    assert "#clear DPkg::Pre-Install-Pkgs;" in text
    assert "apt-get -c /tmp/apt-no-preconfigure.conf install" in text
    assert text.endswith("/tmp/apt-no-preconfigure.conf")  # the config file leaves with the lists
