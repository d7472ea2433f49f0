"""``[tool.uv]`` settings on small projects of our own: a virtual project (``package = false`` beside a
``[build-system]``) is never built and its source is the app; a uv workspace whose root project is a
web app beside a CLI member plans the root; dev groups stay out of the install."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright import api
from dockwright.plan.model import BuildPlan
from dockwright.project.detect import detect_project

MakeProject = Callable[[dict[str, str | bytes]], Path]

VIRTUAL_PYPROJECT = """\
[project]
name = "ledger"
version = "0.3.0"
requires-python = ">=3.12"
dependencies = ["flask"]

[dependency-groups]
dev = ["pytest"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.uv]
package = false
"""

VIRTUAL_LOCK = """\
version = 1
requires-python = ">=3.12"

[[package]]
name = "flask"
version = "3.1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.example/flask-3.1.0-py3-none-any.whl", hash = "sha256:aa" }]

[[package]]
name = "ledger"
version = "0.3.0"
source = { virtual = "." }
dependencies = [{ name = "flask" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "pytest"
version = "8.3.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.example/pytest-8.3.0-py3-none-any.whl", hash = "sha256:bb" }]
"""

SERVED_LOCK = VIRTUAL_LOCK.replace(
    'dependencies = [{ name = "flask" }]', 'dependencies = [{ name = "flask" }, { name = "gunicorn" }]'
) + (
    '\n[[package]]\nname = "gunicorn"\nversion = "23.0.0"\nsource = { registry = "https://pypi.org/simple" }\n'
    'wheels = [{ url = "https://files.example/gunicorn-23.0.0-py3-none-any.whl", hash = "sha256:cc" }]\n'
)

LEDGER_APP = {
    "ledger/__init__.py": "",
    "ledger/web.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/')\ndef index():\n    return 'ok'\n",
}


def _virtual(make_project: MakeProject, lock: str | None = None) -> Path:
    return make_project(
        {
            "pyproject.toml": VIRTUAL_PYPROJECT.replace('["flask"]', '["flask", "gunicorn"]')
            if lock
            else VIRTUAL_PYPROJECT,
            "uv.lock": lock or VIRTUAL_LOCK,
            ".python-version": "3.13\n",
            **LEDGER_APP,
        }
    )


def _copies(plan: BuildPlan, stage: str) -> list[tuple[str, ...]]:
    steps = plan.builder_steps if stage == "builder" else plan.runtime_steps
    return [s.args for s in steps if s.instruction == "COPY" and not any("--from" in f for f in s.flags)]


def test_uv_package_false_is_not_a_package(make_project: MakeProject) -> None:
    facts = detect_project(_virtual(make_project), python="3.13")
    assert facts.layout.is_package.value is False
    assert facts.layout.build_backend.value is None
    evidence = facts.layout.is_package.evidence[0]
    assert (evidence.file, evidence.line) == ("pyproject.toml", 15)
    assert "package = false" in evidence.detail


def test_uv_package_false_copies_the_source_and_builds_no_wheel(make_project: MakeProject) -> None:
    for strategy in ("uv", "slim"):
        plan = api.plan(_virtual(make_project, SERVED_LOCK), strategy=strategy)
        assert plan.app_install == "source", strategy
        # the tree is copied into the runtime (the app runs from it), nothing builds a wheel
        assert (".", ".") in _copies(plan, "runtime"), strategy
        text = "\n".join(" ".join(s.args) for s in (*plan.builder_steps, *plan.runtime_steps))
        assert "pip wheel" not in text, strategy
        assert all(st.name != "wheel" for st in plan.side_stages), strategy


def test_uv_package_false_dev_group_stays_out(make_project: MakeProject) -> None:
    plan = api.plan(_virtual(make_project, SERVED_LOCK), strategy="uv")
    syncs = [" ".join(s.args) for s in plan.builder_steps if s.args and s.args[0].startswith("uv sync")]
    # one sync only: the dependencies; the virtual project itself has nothing to install
    assert syncs == ["uv sync --locked --no-dev --no-editable --no-install-project"]


WEB_SOURCE = "from fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n    return FastAPI()\n"
CLI_SOURCE = "import click\n\n\n@click.command()\ndef main() -> None:\n    pass\n"
HATCH = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def _root_and_member(make_project: MakeProject, root_source: str, member_source: str) -> Path:
    """A uv workspace: the root project ``relay`` (src/relay) and the member ``relay-cli``."""
    wheel = 'wheels = [{{ url = "https://files.example/{0}-1.0-py3-none-any.whl", hash = "sha256:{1}" }}]'
    lock = "\n".join(
        [
            "version = 1",
            'requires-python = ">=3.12"',
            "",
            "[manifest]",
            'members = ["relay", "relay-cli"]',
            "",
            *(
                line
                for name, src, deps in (
                    ("click", None, []),
                    ("fastapi", None, []),
                    ("relay", ".", ["fastapi", "uvicorn"]),
                    ("relay-cli", "packages/relay-cli", ["click"]),
                    ("uvicorn", None, ["click"]),
                )
                for line in (
                    "[[package]]",
                    f'name = "{name}"',
                    'version = "1.0"',
                    'source = { registry = "https://pypi.org/simple" }'
                    if src is None
                    else f'source = {{ editable = "{src}" }}',
                    *(
                        ["dependencies = [" + ", ".join(f'{{ name = "{d}" }}' for d in deps) + "]"]
                        if deps
                        else []
                    ),
                    *([wheel.format(name, "0" * 64)] if src is None else []),
                    "",
                )
            ),
        ]
    )
    return make_project(
        {
            "pyproject.toml": '[project]\nname = "relay"\nversion = "1.0"\ndependencies = ["fastapi", "uvicorn"]\n'
            + HATCH
            + '\n[tool.uv.workspace]\nmembers = ["packages/relay-cli"]\n',
            "uv.lock": lock,
            ".python-version": "3.13\n",
            "src/relay/__init__.py": "",
            "src/relay/main.py": root_source,
            "packages/relay-cli/pyproject.toml": '[project]\nname = "relay-cli"\nversion = "1.0"\n'
            'dependencies = ["click"]\n\n[project.scripts]\nrelay-cli = "relay_cli:main"\n' + HATCH,
            "packages/relay-cli/src/relay_cli/__init__.py": member_source,
        }
    )


def test_a_web_root_beats_a_cli_member(make_project: MakeProject) -> None:
    from dockwright.project.workspace import locate

    root = _root_and_member(make_project, WEB_SOURCE, CLI_SOURCE)
    found = locate(root)
    assert found.app == root.resolve() and found.context == root.resolve()
    facts = found.workspace
    assert facts is not None and facts.package == "relay"
    detail = facts.member.evidence[0].detail
    assert "the workspace root's own project is a web app" in detail
    assert facts.others == ("relay-cli (packages/relay-cli/): cli",)
    plan = api.plan(root)
    assert plan.facts.app.kind.value == "web"
    syncs = [" ".join(s.args) for s in plan.builder_steps if s.args and s.args[0].startswith("uv sync")]
    assert all("--package relay" in s and "--package relay-cli" not in s for s in syncs)


def test_a_member_still_wins_over_a_root_of_no_better_kind(make_project: MakeProject) -> None:
    from dockwright.project.workspace import locate

    # the root holds only a CLI, the member is the web app: the member is chosen, as before
    root = _root_and_member(make_project, CLI_SOURCE, WEB_SOURCE)
    facts = locate(root).workspace
    assert facts is not None and facts.package == "relay-cli"


# one version from two indexes: the default install takes PyPI's; an explicit CPU index serves the
# same version (other platforms' files) and a `+cpu` build for the `cpu` extra, which uv writes as
# conflict markers (`extra == 'extra-3-vox-cpu'`)
CPU = "https://download.example/whl/cpu"
PYPI = "https://pypi.org/simple"
ONLY_CPU = "extra == 'extra-3-vox-cpu'"
NOT_CPU = "extra != 'extra-3-vox-cpu'"
TWO_INDEX_PYPROJECT = f"""\
[project]
name = "vox"
version = "1.0"
requires-python = ">=3.12"
dependencies = ["modelkit"]

[project.optional-dependencies]
cpu = ["tensorlib==2.0"]

[[tool.uv.index]]
name = "cpu"
url = "{CPU}"
explicit = true

[tool.uv.sources]
tensorlib = [{{ index = "cpu", extra = "cpu" }}]
"""


def _wheel(name: str, tag: str, digest: str) -> str:
    return f'wheels = [{{ url = "https://files.example/{name}-{tag}.whl", hash = "sha256:{digest * 64}" }}]'


TWO_INDEX_LOCK = "\n".join(
    [
        "version = 1",
        'requires-python = ">=3.12"',
        "",
        "[[package]]",
        'name = "modelkit"',
        'version = "1.0"',
        f'source = {{ registry = "{PYPI}" }}',
        "dependencies = [",
        f'    {{ name = "tensorlib", version = "2.0", source = {{ registry = "{CPU}" }}, '
        f"marker = \"sys_platform == 'darwin' and {ONLY_CPU}\" }},",
        f'    {{ name = "tensorlib", version = "2.0", source = {{ registry = "{PYPI}" }}, marker = "{NOT_CPU}" }},',
        f'    {{ name = "tensorlib", version = "2.0+cpu", source = {{ registry = "{CPU}" }}, '
        f"marker = \"sys_platform != 'darwin' and {ONLY_CPU}\" }},",
        "]",
        _wheel("modelkit", "1.0-py3-none-any", "1"),
        "",
        "[[package]]",
        'name = "rocmkernels"',
        'version = "3.0"',
        f'source = {{ registry = "{CPU}" }}',
        'sdist = { url = "https://files.example/rocmkernels-3.0.tar.gz", hash = "sha256:' + "5" * 64 + '" }',
        "",
        "[[package]]",
        'name = "tensorlib"',
        'version = "2.0"',
        f'source = {{ registry = "{CPU}" }}',
        _wheel("tensorlib", "2.0-cp312-none-macosx_11_0_arm64", "2"),
        "",
        "[[package]]",
        'name = "tensorlib"',
        'version = "2.0"',
        f'source = {{ registry = "{PYPI}" }}',
        _wheel("tensorlib", "2.0-cp312-cp312-manylinux_2_28_x86_64", "3"),
        "",
        "[[package]]",
        'name = "tensorlib"',
        'version = "2.0+cpu"',
        f'source = {{ registry = "{CPU}" }}',
        'dependencies = [{ name = "rocmkernels" }]',
        _wheel("tensorlib", "2.0+cpu-cp312-cp312-manylinux_2_28_x86_64", "4"),
        "",
        "[[package]]",
        'name = "vox"',
        'version = "1.0"',
        'source = { virtual = "." }',
        'dependencies = [{ name = "modelkit" }]',
        "",
        "[package.optional-dependencies]",
        f'cpu = [{{ name = "tensorlib", version = "2.0+cpu", source = {{ registry = "{CPU}" }}, '
        f'marker = "{ONLY_CPU}" }}]',
        "",
    ]
)


def _two_index(make_project: MakeProject) -> Path:
    return make_project(
        {
            "pyproject.toml": TWO_INDEX_PYPROJECT,
            "uv.lock": TWO_INDEX_LOCK,
            ".python-version": "3.12\n",
            "job.py": "import modelkit\n\nif __name__ == '__main__':\n    print('ok')\n",
        }
    )


def test_the_converted_lock_takes_the_entry_the_edge_names(make_project: MakeProject) -> None:
    from dockwright.lock.convert import convert

    body = convert(_two_index(make_project), "convert-uv", "uv.lock", "3.12.13")
    assert "tensorlib==2.0 \\\n    --hash=sha256:" + "3" * 64 in body, "PyPI's entry, as the edge says"
    assert "2" * 64 not in body, "never the CPU index's files of the same version"
    assert "+cpu" not in body and "rocmkernels" not in body, "the cpu extra is not asked for"


def test_the_locked_set_is_the_entries_the_default_install_reaches(make_project: MakeProject) -> None:
    facts = detect_project(_two_index(make_project), python="3.12")
    locked = [(p.name, p.version) for p in facts.dependencies.locked]
    assert locked == [("modelkit", "1.0"), ("tensorlib", "2.0")]
    # rocmkernels (an sdist) is never reached, so no compiler is planned for it
    assert facts.native == () or all(n.name != "rocmkernels" for n in facts.native)


def test_an_explicit_index_only_another_extra_uses_stays_out_of_the_lock(make_project: MakeProject) -> None:
    root = _two_index(make_project)
    api.init(root, syntax_directive=False, strategy="slim")
    lock = (root / "requirements.lock").read_text()
    assert "--extra-index-url" not in lock and CPU not in lock
    assert "3" * 64 in lock and "2" * 64 not in lock


def test_required_version_refusing_our_uv_is_named_before_the_build(make_project: MakeProject) -> None:
    import pytest

    from dockwright.errors import DockwrightError
    from dockwright.plan.installer import uv_version

    ours = uv_version()
    pyproject = VIRTUAL_PYPROJECT.replace(
        "package = false", 'package = false\nrequired-version = ">=0.5,<0.6"'
    )
    root = make_project(
        {"pyproject.toml": pyproject, "uv.lock": VIRTUAL_LOCK, ".python-version": "3.13\n", **LEDGER_APP}
    )
    facts = detect_project(root, python="3.13")
    required = facts.dependencies.uv_required
    assert required is not None and (required.file, required.line, required.detail) == (
        "pyproject.toml",
        16,
        ">=0.5,<0.6",
    )
    with pytest.raises(
        DockwrightError, match=rf"pyproject.toml:16 required-version '>=0.5,<0.6' refuses uv {ours}"
    ):
        api.plan(root, strategy="uv")
    # left to choose, the plan takes a strategy that never runs uv in the project
    assert api.plan(root).strategy != "uv"


def test_required_version_in_uv_toml_wins_and_a_fitting_one_changes_nothing(
    make_project: MakeProject,
) -> None:
    from dockwright.plan.installer import uv_version

    ours = uv_version()
    pyproject = VIRTUAL_PYPROJECT.replace(
        "package = false", 'package = false\nrequired-version = ">=0.5,<0.6"'
    )
    root = make_project(
        {
            "pyproject.toml": pyproject,
            "uv.toml": f'required-version = ">={ours}"\n',
            "uv.lock": SERVED_LOCK,
            ".python-version": "3.13\n",
            **LEDGER_APP,
        }
    )
    facts = detect_project(root, python="3.13")
    assert facts.dependencies.uv_required is not None and facts.dependencies.uv_required.file == "uv.toml"
    assert api.plan(root, strategy="uv").strategy == "uv"


def test_a_workspace_whose_root_refuses_our_uv_stops_with_the_line(make_project: MakeProject) -> None:
    import pytest

    from dockwright.errors import DockwrightError

    root = _root_and_member(make_project, WEB_SOURCE, CLI_SOURCE)
    text = (root / "pyproject.toml").read_text() + '\n[tool.uv]\nrequired-version = "==0.4.*"\n'
    (root / "pyproject.toml").write_text(text)
    with pytest.raises(DockwrightError, match=r"required-version '==0.4.\*' refuses uv"):
        api.plan(root)


def test_uv_strategy_refuses_a_server_the_lock_does_not_install(make_project: MakeProject) -> None:
    import pytest

    from dockwright.errors import DockwrightError

    # the start is gunicorn (a Flask app), but uv.lock installs flask alone: uv sync would leave it out
    root = _virtual(make_project)
    with pytest.raises(DockwrightError, match=r"the start runs gunicorn, which uv.lock does not install"):
        api.plan(root, strategy="uv")
    # the slim strategy adds it to the lock it generates, with a warning
    plan = api.plan(root, strategy="slim")
    assert plan.lock.adds == ("gunicorn",)


def test_a_bare_required_version_is_an_exact_pin(make_project: MakeProject) -> None:
    # uv reads `required-version = "0.4.30"` as `==0.4.30` (its RequiredVersion parser), not as an error
    from dockwright.project.tree import ProjectTree
    from dockwright.project.uv_required import refuses, uv_required_version

    root = make_project({"uv.toml": 'required-version = "0.4.30"\n'})
    required = uv_required_version(ProjectTree(root))
    assert required is not None and (required.file, required.detail) == ("uv.toml", "0.4.30")
    assert refuses(required, "0.5.1") and not refuses(required, "0.4.30")


def test_uv_strategy_takes_a_release_range_the_lock_already_meets(make_project: MakeProject) -> None:
    # the eventlet worker asks for gunicorn<26 (dropped_workers.py): a uv.lock pinning 22.0.0 meets it
    from uv_lock_text import uv_entry, uv_package

    deps = '{ name = "flask" }, { name = "gunicorn" }, { name = "eventlet" }'
    lock = (
        'version = 1\nrequires-python = ">=3.11"\n\n'
        + uv_entry("svc", "0.1.0", 'virtual = "."', deps=deps)
        + uv_package("flask", "3.0.3")
        + uv_package("gunicorn", "22.0.0")
        + uv_package("eventlet", "0.36.1")
    )
    pyproject = (
        '[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["flask", "gunicorn", "eventlet"]\n'
    )
    root = make_project(
        {
            "pyproject.toml": pyproject,
            "uv.lock": lock,
            "app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "Procfile": "web: gunicorn -k eventlet -w 1 app:app\n",
        }
    )
    plan = api.plan(root, strategy="uv")
    assert plan.strategy == "uv" and plan.cmd[:3] == ("gunicorn", "-k", "eventlet")
    assert not any("requirements.lock" in w for w in plan.warnings)
