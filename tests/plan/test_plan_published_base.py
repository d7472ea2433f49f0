"""The trimmed base published as an image: `dockwright base build` and runtime-base = "image:REF"."""

from __future__ import annotations

from pathlib import Path

import pytest
from facts_factory import PSYCOPG2, make_facts

from dockwright import api
from dockwright.base_build import build_base, full_tag, read_labels, trimmed_base_for
from dockwright.config import load_options
from dockwright.errors import ConfigError, PlanError
from dockwright.initialize import with_base_labels
from dockwright.plan import published_base, trim
from dockwright.plan.model import User
from dockwright.plan.planner import make_plan
from dockwright.plan.strategies import slim
from dockwright.plan.strategies.base import PlanOptions
from dockwright.render.render import render_dockerfile, render_trimmed_base

BASE = "python:3.11.7-slim-trixie"
DIGEST = "sha256:" + "c" * 64
REF = f"registry.example.com/team/python-trimmed:3.11.7-slim-trixie-uid10001@{DIGEST}"
TAG_ONLY = "registry.example.com/team/python-trimmed:3.11.7-slim-trixie-uid10001"


def _labels(python: str = "3.11.7", uid: str = "10001") -> tuple[tuple[str, str], ...]:
    return (
        (published_base.LABEL_TRIM, published_base.trim_version()),
        (published_base.LABEL_PYTHON, python),
        (published_base.LABEL_UID, uid),
        (published_base.BASE_NAME, "docker.io/library/" + BASE),
    )


def test_runtime_is_from_the_published_base_with_no_base_stage_and_no_useradd() -> None:
    plan = make_plan(make_facts(), PlanOptions(runtime_base=f"image:{REF}"))
    assert plan.runtime_image == REF and plan.runtime_root is None
    assert plan.builder_image == BASE, "the venv is built on the upstream image of the same Python"
    assert "base" not in {s.name for s in plan.side_stages}
    assert slim.user_step(plan.user) not in plan.runtime_steps, "the base carries the user"
    assert {s.instruction for s in plan.runtime_steps} == {"COPY"}
    assert not [e for e in plan.runtime_env if e.name.startswith("PIP_")]
    text = render_dockerfile(plan)
    assert f"FROM {REF} AS runtime" in text and "useradd" not in text
    assert "USER 10001:10001" in text, "the plan still declares the user it runs as"
    decision = plan.decision("runtime-base")
    assert decision is not None and decision.choice == f"image {REF}"
    assert "not read" in decision.reason and "plain `docker build` does not check" in decision.reason


def test_labels_name_the_published_base_and_its_digest() -> None:
    plan = make_plan(make_facts(), PlanOptions(runtime_base=f"image:{REF}"))
    labels = {label.key: label.value for label in plan.labels}
    assert labels["org.opencontainers.image.base.name"] == TAG_ONLY
    assert labels["org.opencontainers.image.base.digest"] == DIGEST
    assert "BASE_DIGEST" not in dict(plan.build_args), "the reference names the digest itself"
    unpinned = make_plan(make_facts(), PlanOptions(runtime_base=f"image:{TAG_ONLY}"))
    labels = {label.key: label.value for label in unpinned.labels}
    assert labels["org.opencontainers.image.base.digest"] == "${BASE_DIGEST}"
    assert ("BASE_DIGEST", "unknown") in unpinned.build_args
    decision = unpinned.decision("runtime-base")
    assert decision is not None and "NOT pinned to a digest" in decision.reason


def test_matching_labels_are_the_evidence() -> None:
    plan = make_plan(make_facts(), PlanOptions(runtime_base=f"image:{REF}", runtime_base_labels=_labels()))
    decision = plan.decision("runtime-base")
    assert decision is not None and "dockwright.base.python=3.11.7" in decision.reason
    assert "match the plan's Python and UID" in decision.reason


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (_labels(python="3.12.1"), "runs Python 3.12.1 but the app is planned for 3.11.7"),
        (_labels(uid="1000"), "has the user UID 1000 but the app runs as 10001"),
        (((published_base.LABEL_PYTHON, "3.11.7"),), "is not a dockwright trimmed base"),
    ],
)
def test_labels_that_do_not_fit_are_one_line_errors(
    labels: tuple[tuple[str, str], ...], message: str
) -> None:
    with pytest.raises(PlanError, match=message) as error:
        make_plan(make_facts(), PlanOptions(runtime_base=f"image:{REF}", runtime_base_labels=labels))
    assert "\n" not in str(error.value)


def test_run_time_apt_packages_install_in_the_runtime() -> None:
    plan = make_plan(make_facts(native=(PSYCOPG2,)), PlanOptions(runtime_base=f"image:{REF}"))
    assert slim.runtime_apt_step(plan.runtime_apt) in plan.runtime_steps
    assert slim.user_step(plan.user) not in plan.runtime_steps


@pytest.mark.parametrize("strategy", ["pyinstaller", "pex"])
def test_other_runtimes_are_left_alone(strategy: str) -> None:
    plan = make_plan(make_facts(), PlanOptions(strategy=strategy, runtime_base=f"image:{REF}"))
    assert plan.runtime_image != REF and plan.decision("runtime-base") is None


def test_lint_accepts_a_digest_pinned_base_and_flags_an_untagged_one() -> None:
    pinned = render_dockerfile(make_plan(make_facts(), PlanOptions(runtime_base=f"image:{REF}")))
    assert api.lint_stdin(pinned).findings == ()
    untagged = "registry.example.com/team/python-trimmed"
    text = render_dockerfile(make_plan(make_facts(), PlanOptions(runtime_base=f"image:{untagged}")))
    assert [f.code for f in api.lint_stdin(text).findings] == ["DW101"]


def test_runtime_base_option(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.dockwright]\nruntime-base = "image:{REF}"\n')
    assert load_options(tmp_path, env={}).runtime_base == f"image:{REF}"
    env = {"DOCKWRIGHT_RUNTIME_BASE": "image:127.0.0.1:3150/base:1"}
    assert load_options(tmp_path, env=env).runtime_base == "image:127.0.0.1:3150/base:1"
    for bad in ("image:", "image:Not A Ref", f"image:{TAG_ONLY}@sha256:12"):
        with pytest.raises(ConfigError, match="not an image reference"):
            load_options(tmp_path, env={"DOCKWRIGHT_RUNTIME_BASE": bad})


def test_labels_are_read_only_for_an_image_runtime_base() -> None:
    asked: list[str] = []

    def reader(ref: str) -> tuple[tuple[tuple[str, str], ...] | None, str]:
        asked.append(ref)
        return _labels(), ""

    assert with_base_labels(PlanOptions(), reader) == PlanOptions()
    options = with_base_labels(PlanOptions(runtime_base=f"image:{REF}"), reader)
    assert asked == [REF] and options.runtime_base_labels == _labels()
    assert read_labels("team/python-trimmed:1") == (None, "team/python-trimmed:1 names no registry")


def test_the_published_base_is_the_base_stage_the_app_would_trim() -> None:
    base = published_base.trimmed_base(BASE, "3.11.7", 10001)
    app = make_plan(make_facts())
    assert base.steps[0] in app.side_stages[0].steps, "the same trim and user step as init's base stage"
    assert base.steps == (trim.root_step(User("app", 10001, 10001, "/home/app")),)
    text = render_trimmed_base(base)
    assert f"FROM {BASE} AS base" in text and "FROM scratch\nCOPY --from=base / /" in text
    labels = {label.key: label.value for label in base.labels}
    assert labels[published_base.LABEL_PYTHON] == "3.11.7" and labels[published_base.LABEL_UID] == "10001"
    assert labels[published_base.LABEL_TRIM] == published_base.trim_version()
    assert labels["org.opencontainers.image.base.name"] == "docker.io/library/" + BASE
    assert labels["org.opencontainers.image.base.digest"] == "${BASE_DIGEST}"
    assert "\nUSER " not in text, "an app's runtime may still run apt as root"
    assert base.default_name == "python-trimmed:3.11.7-slim-trixie-uid10001"


def test_what_to_trim_comes_from_python_or_the_project() -> None:
    base = trimmed_base_for(api.plan, ".", python="3.11.7", debian="trixie", uid=2000)
    assert (base.upstream, base.python_version, base.user.uid) == (BASE, "3.11.7", 2000)
    examples = Path(__file__).resolve().parents[2] / "examples"
    project = trimmed_base_for(api.plan, examples / "flask-requirements")
    plan = api.plan(examples / "flask-requirements")
    assert project.upstream == plan.base_image and project.python_version == plan.python_version
    with pytest.raises(PlanError, match="give --python"):
        trimmed_base_for(lambda path, **_: api.plan(path, strategy="pex"), examples / "flask-requirements")


def test_build_base_feeds_the_upstream_digest_and_tags_it() -> None:
    from tests.engine.fakes import FakeEngine

    engine = FakeEngine()
    engine.add_image(BASE).inspect["RepoDigests"] = ["python@" + DIGEST]
    base = published_base.trimmed_base(BASE, "3.11.7", 10001)
    built = build_base(base, engine, tag="127.0.0.1:3150/team/python-trimmed", network="host")
    request = engine.requests[-1]
    assert request.tag == "127.0.0.1:3150/team/python-trimmed:3.11.7-slim-trixie-uid10001"
    assert ("BASE_DIGEST", DIGEST) in request.build_args and request.network == "host"
    assert engine.dockerfile_texts[-1] == render_trimmed_base(base)
    assert not built.pushed and built.reference == request.tag
    assert full_tag(base, None) == base.default_name and full_tag(base, "r.io/a:1") == "r.io/a:1"
    with pytest.raises(ConfigError, match="names a registry"):
        build_base(base, engine, tag="team/python-trimmed", push=True)
    with pytest.raises(ConfigError, match="not a digest"):
        full_tag(base, f"r.io/a@{DIGEST}")
