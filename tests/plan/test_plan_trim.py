"""The slim family's trimmed runtime (plan/trim.py): FROM scratch + the pinned base without installer tooling."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from facts_factory import PSYCOPG2, make_facts

from dockwright import api
from dockwright.config import load_options
from dockwright.errors import ConfigError
from dockwright.plan import trim
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies import slim
from dockwright.plan.strategies.base import PlanOptions
from dockwright.render.render import render_dockerfile

BASE = "python:3.11.7-slim-trixie"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_default_runtime_is_the_trimmed_base_copied_into_scratch() -> None:
    plan = make_plan(make_facts())
    assert plan.runtime_image == "scratch"
    assert plan.runtime_root is not None and plan.runtime_root.stage == trim.STAGE
    assert plan.base_image == plan.runtime_root.base == plan.builder_image == BASE
    stage = plan.side_stages[0]
    assert (stage.name, stage.image) == ("base", BASE), "the pinned FROM line updaters bump"
    runs = [s for s in stage.steps if s.instruction == "RUN"]
    assert len(runs) == 1 and runs[0].args[0].startswith("python -I -B -c ")
    decision = plan.decision("runtime-base")
    assert decision is not None and decision.choice.startswith("trimmed " + BASE)
    assert "shared" in decision.reason and 'runtime-base = "upstream"' in decision.reason


def test_trimmed_runtime_sets_the_base_environment_itself() -> None:
    plan = make_plan(make_facts())
    env = {e.name: e.value for e in plan.runtime_env}
    assert env["PATH"] == "/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
    assert "$" not in env["PATH"], "FROM scratch has no PATH to extend"
    assert env["PYTHON_VERSION"] == "3.11.7"
    assert not [name for name in env if name.startswith("PIP_")], "no pip in this runtime reads them"
    assert all(e.why for e in plan.runtime_env)


def test_labels_name_the_real_base_for_scanners() -> None:
    plan = make_plan(make_facts())
    labels = {label.key: label.value for label in plan.labels}
    assert labels["org.opencontainers.image.base.name"] == "docker.io/library/" + BASE
    assert labels["org.opencontainers.image.base.digest"] == "${BASE_DIGEST}"
    assert ("BASE_DIGEST", "unknown") in plan.build_args
    assert "BASE_DIGEST" in {a.name for a in plan.build_arg_docs}


def test_rendered_runtime_copies_the_root_first_in_one_layer() -> None:
    text = render_dockerfile(make_plan(make_facts(), PlanOptions(syntax_directive=False)))
    root = text[text.index("FROM scratch AS root") :].splitlines()
    first = next(line for line in root[1:] if line and not line.startswith("#"))
    assert first == "COPY --from=base / /"
    # the runtime starts FROM that one-copy stage (`dockwright build` keeps it as an image: engine/root_image.py)
    after = [line for line in root[root.index(first) + 1 :] if line and not line.startswith("#")]
    assert after[0] == "FROM root AS runtime"
    assert text.count(f"FROM {BASE} AS base") == 1


def test_upstream_keeps_from_the_base() -> None:
    plan = make_plan(make_facts(), PlanOptions(runtime_base="upstream"))
    assert plan.runtime_image == plan.base_image == BASE and plan.runtime_root is None
    assert [s.name for s in plan.side_stages] == ["tini"]
    assert "BASE_DIGEST" not in dict(plan.build_args)
    decision = plan.decision("runtime-base")
    assert decision is not None and decision.choice == f"upstream {BASE}"


def test_the_runtime_only_copies_its_os_is_made_in_the_base_stage() -> None:
    """The user is made in the trimmed stage (parallel with the builder), not by a RUN after the root
    copy; what useradd changed gets the base's own date, so the stage's files, and the runtime's
    first layer, stay the same for a given base digest and UID."""
    plan = make_plan(make_facts())
    assert {s.instruction for s in plan.runtime_steps} == {"COPY"}, plan.runtime_steps
    assert slim.tini_step() in plan.runtime_steps, "tini: a COPY from its stage (the base waits for none)"
    (root,) = [s for s in plan.side_stages[0].steps if s.instruction == "RUN"]
    assert not root.flags, "the base stage depends on no other stage"
    text = " && ".join(root.args)
    group, add = slim.user_commands(plan.user)
    assert group in text and f'SOURCE_DATE_EPOCH="$stamp" {add}' in text
    assert text.index("python -I -B -c") < text.index('since="$(date +%s)"') < text.index("groupadd")
    assert text.endswith(
        '-newermt "@$since" ! -path /etc/hosts ! -path /etc/resolv.conf -exec touch -h -d "@$stamp" {} +'
    )
    assert 'stamp="${SOURCE_DATE_EPOCH:-$(stat -c %Y /etc/passwd)}"' in text


def test_run_time_libraries_install_in_the_base_stage_after_the_shared_step() -> None:
    plan = make_plan(make_facts(native=(PSYCOPG2,)))
    base = plan.side_stages[0]
    runs = [s for s in base.steps if s.instruction == "RUN"]
    assert len(runs) == 2 and "useradd" in " ".join(runs[0].args), "the user step stays the shared one"
    assert runs[1] == slim.runtime_apt_step(plan.runtime_apt) and "libpq5" in " ".join(runs[1].args)
    assert {s.instruction for s in plan.runtime_steps} == {"COPY"}
    decision = plan.decision("runtime-base")
    assert decision is not None and "libpq5) are installed into its own copy" in decision.reason


def test_upstream_keeps_its_runtime_steps() -> None:
    plan = make_plan(make_facts(native=(PSYCOPG2,)), PlanOptions(runtime_base="upstream"))
    assert slim.user_step(plan.user) in plan.runtime_steps
    assert slim.runtime_apt_step(plan.runtime_apt) in plan.runtime_steps


def test_uv_strategy_is_trimmed_too() -> None:
    plan = api.plan(EXAMPLES / "fastapi-uv", strategy="uv")
    assert plan.runtime_image == "scratch" and plan.base_image == plan.builder_image
    assert plan.base_image.startswith("python:") and plan.side_stages[0].name == "base"


@pytest.mark.parametrize("strategy", ["pyinstaller", "pex", "shiv"])
def test_other_runtimes_are_left_alone(strategy: str) -> None:
    plan = make_plan(make_facts(), PlanOptions(strategy=strategy))
    assert plan.runtime_root is None and plan.decision("runtime-base") is None


def test_runtime_base_option(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dockwright]\nruntime-base = "upstream"\n')
    assert load_options(tmp_path, env={}).runtime_base == "upstream"
    assert load_options(tmp_path, env={"DOCKWRIGHT_RUNTIME_BASE": "trimmed"}).runtime_base == "trimmed"
    with pytest.raises(ConfigError, match="'trimmed' or 'upstream'"):
        load_options(tmp_path, env={"DOCKWRIGHT_RUNTIME_BASE": "slim"})


def test_the_shell_hands_python_the_script_line_for_line() -> None:
    script = trim.trim_script()
    compile("\n".join(script), "trim", "exec")
    assert not [line for line in script if set(line) & {"'", "$", "\\"}], "each line is one '...' shell word"
    command = trim.trim_step().args[0].replace("python -I -B -c ", "printf '%s' ", 1)
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True)
    assert done.stdout == "\n".join(script)


def test_qualified_names() -> None:
    assert trim.qualified("python:3.12.8-slim-bookworm") == "docker.io/library/python:3.12.8-slim-bookworm"
    assert trim.qualified("me/python:1") == "docker.io/me/python:1"
    assert trim.qualified("127.0.0.1:3150/python:1") == "127.0.0.1:3150/python:1"


def test_build_feeds_the_base_digest_from_the_engines_copy() -> None:
    from tests.engine.fakes import FakeEngine

    from dockwright.build import BuildOptions, base_digest_arg

    plan = make_plan(make_facts())
    engine = FakeEngine()
    assert base_digest_arg(plan, engine, BuildOptions()) == {}, "not pulled yet: the label says unknown"
    image = engine.add_image(BASE)
    image.inspect["RepoDigests"] = ["127.0.0.1:3150/other@sha256:" + "b" * 64, "python@sha256:" + "a" * 64]
    assert base_digest_arg(plan, engine, BuildOptions()) == {"BASE_DIGEST": "sha256:" + "a" * 64}
    assert base_digest_arg(plan, engine, BuildOptions(dry_run=True)) == {}
    upstream = make_plan(make_facts(), PlanOptions(runtime_base="upstream"))
    assert base_digest_arg(upstream, engine, BuildOptions()) == {}
