"""A uv.lock project's extras and groups: read from its run instructions and [tool.uv], planned for
both install paths (project/uv_selection.py, the uv strategy's sync, lock/convert.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.cli import main
from dockwright.errors import ProjectError
from dockwright.initialize import plan_project
from dockwright.lock.convert import convert
from dockwright.project.detect import detect_project
from dockwright.project.tree import ProjectTree
from dockwright.project.uv_selection import run_groups
from uv_lock_text import ENGINES, engine_build, engine_extras, uv_package

MakeProject = Callable[[dict[str, str | bytes]], Path]
LOCK = (
    "version = 1\n\n"
    '[[package]]\nname = "svc"\nversion = "1.0"\nsource = { editable = "." }\n'
    'dependencies = [{ name = "click" }]\n\n'
    "[package.optional-dependencies]\n" + engine_extras("svc") + 'web = [{ name = "waitress" }]\n'
    'test = [{ name = "pluggy" }]\n\n'
    "[package.dev-dependencies]\n"
    'dev = [{ name = "pytest" }]\n'
    'prod = [{ name = "gunicorn" }]\n'
    'lint = [{ name = "pluggy" }]\n\n'
    + ENGINES
    + uv_package("waitress", "3.0.0")
    + uv_package("pluggy", "1.5.0")
    + uv_package("pytest", "8.0.0")
    + uv_package("gunicorn", "23.0.0")
)


def _pyproject(uv: str = "", dockwright: str = "") -> str:
    return (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["click"]\n\n'
        "[project.optional-dependencies]\n"
        'cpu = ["engine==2.0+cpu"]\ngpu = ["engine==2.0+gpu"]\nweb = ["waitress"]\ntest = ["pluggy"]\n\n'
        '[project.scripts]\nsvc = "svc.cli:main"\n\n'
        '[dependency-groups]\ndev = ["pytest"]\nprod = ["gunicorn"]\nlint = ["pluggy"]\n\n'
        '[tool.uv]\nconflicts = [[{ extra = "cpu" }, { extra = "gpu" }]]\n' + uv + dockwright
    )


def _project(make_project: MakeProject, files: dict[str, str | bytes], **pyproject: str) -> Path:
    return make_project(
        {
            "pyproject.toml": _pyproject(**pyproject),
            "uv.lock": LOCK,
            "src/svc/__init__.py": "",
            "src/svc/cli.py": "import click\n\n\ndef main():\n    click.echo('ok')\n",
            **files,
        }
    )


def _names(body: str) -> set[str]:
    return {line.split(" ")[0] for line in body.splitlines() if "==" in line}


def test_the_extra_a_dockerfile_syncs_is_installed_on_both_paths(make_project: MakeProject) -> None:
    dockerfile = "FROM python:3.12-slim\nRUN uv sync --frozen --no-dev --extra cpu\n"
    root = _project(make_project, {"docker/cpu/Dockerfile": dockerfile, "README.md": "uv sync --extra web\n"})
    selection = detect_project(root, python="3.12").dependencies.uv_selection
    assert selection is not None
    assert selection.extra_names == ("cpu",)  # the container recipe outranks the README
    assert str(selection.extras[0].evidence[0]).startswith("docker/cpu/Dockerfile:2")
    facts = detect_project(root, python="3.12")
    assert {(p.name, p.version) for p in facts.dependencies.locked} >= {("engine", "2.0+cpu")}
    assert "gpulib" not in {p.name for p in facts.dependencies.locked}

    slim = plan_project(root, {"python": "3.12"})
    assert slim.lock.extras == ("cpu",)
    body = convert(root, "convert-uv", "uv.lock", "3.12.9", None, slim.lock.extras, slim.lock.groups)
    assert _names(body) == {"click==8.1.7", "engine==2.0+cpu"}

    uv = plan_project(root, {"python": "3.12", "strategy": "uv"})
    syncs = [s.args[0] for s in uv.builder_steps if s.args and str(s.args[0]).startswith("uv sync")]
    assert syncs and all("--extra cpu" in s for s in syncs)


def test_a_script_installing_the_package_with_an_extra_selects_it(make_project: MakeProject) -> None:
    root = _project(make_project, {"start.sh": 'uv pip install -e ".[web,test]"\nsvc\n'})
    selection = detect_project(root, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.extra_names == ("web",)  # test: development tooling


def test_mutually_exclusive_extras_without_a_cpu_one_stop_with_how_to_choose(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {
        "Dockerfile": "RUN uv sync --extra gpu\n",
        "docker/Dockerfile.web": "RUN uv sync --extra cpu\n",
    }
    root = _project(make_project, files)
    facts = detect_project(root, python="3.12")  # cpu is inferred: the image has no GPU runtime
    assert facts.dependencies.uv_selection is not None
    assert facts.dependencies.uv_selection.extra_names == ("cpu",)
    assert any("extra cpu installed of the mutually exclusive" in n for n in facts.notes)

    other = make_project(
        {
            "pyproject.toml": _pyproject()
            .replace("cpu", "rocm")
            .replace('conflicts = [[{ extra = "rocm" }', 'conflicts = [[{ extra = "rocm" }'),
            "uv.lock": LOCK,
            "src/svc/__init__.py": "",
            "src/svc/cli.py": "def main():\n    pass\n",
            "docker/Dockerfile.gpu": "RUN uv sync --extra gpu\n",
            "docker/Dockerfile.rocm": "RUN uv sync --extra rocm\n",
            "README.md": "uv sync --extra rocm\n",
        }
    )
    with pytest.raises(ProjectError, match=r"mutually exclusive extras .*gpu .*rocm.*extras = \[\"NAME\"\]"):
        detect_project(other, python="3.12")


def test_of_two_gpu_extras_the_one_the_root_dockerfile_names_is_taken(make_project: MakeProject) -> None:
    """``docker build .`` builds the root Dockerfile: the project's default image decides between
    mutually exclusive extras of which none is ``cpu``; the other recipes and the README do not."""
    root = make_project(
        {
            "pyproject.toml": _pyproject().replace('"cpu"', '"cu118"').replace("cpu = ", "cu118 = "),
            "uv.lock": LOCK.replace("cpu", "cu118"),
            "src/svc/__init__.py": "",
            "src/svc/cli.py": "def main():\n    pass\n",
            "Dockerfile": "FROM python:3.12\nRUN uv sync --frozen --extra gpu\n",
            "docker/cu118/Dockerfile": "RUN uv sync --frozen --extra cu118\n",
            "README.md": "uv sync --extra cu118\n",
        }
    )
    facts = detect_project(root, python="3.12")
    assert facts.dependencies.uv_selection is not None
    assert facts.dependencies.uv_selection.extra_names == ("gpu",)
    note = next(n for n in facts.notes if n.startswith("extra gpu installed of the mutually exclusive"))
    assert "Dockerfile:2" in note and "Dockerfile, what `docker build .` builds, names it" in note
    assert '`extras = ["cu118"]`' in note


def test_the_users_extras_replace_the_instructions_and_conflicting_ones_are_refused(
    make_project: MakeProject,
) -> None:
    root = _project(
        make_project,
        {"Dockerfile": "RUN uv sync --extra cpu\n"},
        dockwright='\n[tool.dockwright]\nextras = ["gpu"]\n',
    )
    plan = plan_project(root, {"python": "3.12"})
    assert plan.lock.extras == ("gpu",)
    body = convert(root, "convert-uv", "uv.lock", "3.12.9", None, plan.lock.extras)
    assert _names(body) == {"click==8.1.7", "engine==2.0+gpu", "gpulib==12.0"}
    with pytest.raises(ProjectError, match=r"mutually exclusive in \[tool.uv\] conflicts"):
        detect_project(root, python="3.12", extras=("cpu", "gpu"))
    with pytest.raises(ProjectError, match="no optional extra nope"):
        detect_project(root, python="3.12", extras=("nope",))


def test_a_non_dev_default_group_is_installed_and_dev_named_ones_are_not(make_project: MakeProject) -> None:
    root = _project(make_project, {}, uv='default-groups = ["dev", "prod"]\n')
    plan = plan_project(root, {"python": "3.12", "strategy": "uv"})
    assert plan.lock.groups == ("prod",) and plan.lock.named_groups
    syncs = [str(s.args[0]) for s in plan.builder_steps if s.args and str(s.args[0]).startswith("uv sync")]
    assert syncs and all("--no-default-groups --group prod" in s for s in syncs)
    body = convert(root, "convert-uv", "uv.lock", "3.12.9", None, (), plan.lock.groups)
    assert _names(body) == {"click==8.1.7", "gunicorn==23.0.0"}

    every = _project(make_project, {}, uv='default-groups = "all"\n')
    selection = detect_project(every, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.group_names == ("prod",)  # dev and lint stay out


def test_without_default_groups_the_sync_is_unchanged(make_project: MakeProject) -> None:
    root = _project(make_project, {})
    plan = plan_project(root, {"python": "3.12", "strategy": "uv"})
    syncs = [str(s.args[0]) for s in plan.builder_steps if s.args and str(s.args[0]).startswith("uv sync")]
    assert syncs == [
        "uv sync --locked --no-dev --no-editable --no-install-project",
        "uv sync --locked --no-dev --no-editable",
    ]
    assert plan.lock.extras == () and plan.lock.groups == ()


def test_the_users_groups_replace_the_default_ones(make_project: MakeProject) -> None:
    root = _project(make_project, {}, dockwright="\n[tool.dockwright]\ngroups = []\n")
    plan = plan_project(root, {"python": "3.12", "strategy": "uv"})
    syncs = [str(s.args[0]) for s in plan.builder_steps if s.args and str(s.args[0]).startswith("uv sync")]
    assert all(s.endswith("--no-default-groups") or "--no-default-groups --no-install" in s for s in syncs)


def test_extra_and_group_on_the_command_line(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(make_project, {"Dockerfile": "RUN uv sync --extra cpu\n"})
    args = ["plan", str(root), "--python", "3.12", "--strategy", "uv", "--json"]
    assert main([*args, "--extra", "gpu", "--extra", "web", "--group", "prod"]) == 0
    lock = json.loads(capsys.readouterr().out)["lock"]
    assert (lock["extras"], lock["groups"], lock["named_groups"]) == (["gpu", "web"], ["prod"], True)
    assert main([*args, "--extra", "cpu", "--extra", "gpu"]) == 2
    assert "mutually exclusive" in capsys.readouterr().err


def test_groups_of_a_project_without_uv_lock_are_refused(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "click==8.1.7\n", "app.py": "import click\n"})
    with pytest.raises(ProjectError, match=r"only a uv\.lock project's dependency groups"):
        detect_project(root, python="3.12", groups=("prod",))


def test_an_extra_the_start_imports_joins_the_selection(make_project: MakeProject) -> None:
    cli = "import click\nimport waitress\n\n\ndef main():\n    click.echo(waitress.__name__)\n"
    root = _project(make_project, {"src/svc/cli.py": cli})
    facts = detect_project(root, python="3.12")
    assert facts.dependencies.uv_selection is not None
    assert facts.dependencies.uv_selection.extra_names == ("web",)
    assert "waitress" in {p.name for p in facts.dependencies.locked}
    assert any(n.startswith("optional extra web installed, the start needs it") for n in facts.notes)
    assert not any("fixes the installed set" in n for n in facts.notes)


def test_an_import_a_default_group_provides_is_not_warned(make_project: MakeProject) -> None:
    cli = "import click\nimport gunicorn\n\n\ndef main():\n    click.echo(gunicorn.__name__)\n"
    files: dict[str, str | bytes] = {"src/svc/cli.py": cli}
    grouped = detect_project(_project(make_project, files, uv='default-groups = ["prod"]\n'), python="3.12")
    assert not any("imports gunicorn" in n for n in grouped.notes)
    plain = detect_project(_project(make_project, files), python="3.12")
    assert any("imports gunicorn" in n for n in plain.notes)  # only a group nobody installs has it


def test_a_converted_lock_goes_stale_when_the_extras_change(make_project: MakeProject) -> None:
    root = _project(make_project, {"Dockerfile.dev": "RUN uv sync --extra cpu\n"})
    assert main(["init", str(root), "--python", "3.12"]) == 0
    text = (root / "requirements.lock").read_text()
    assert "# dockwright-selection: extras cpu\n" in text and "engine==2.0+cpu" in text
    assert not plan_project(root, {"python": "3.12"}).lock.stale
    stale = plan_project(root, {"python": "3.12", "extras": "gpu"}).lock
    assert stale.stale and stale.stale_reason is not None
    assert "it installs extras cpu of uv.lock, and the plan installs extras gpu" in stale.stale_reason
    assert main(["init", str(root), "--python", "3.12", "--extra", "gpu", "--lock-only"]) == 0
    assert "engine==2.0+gpu" in (root / "requirements.lock").read_text()


def test_all_extras_less_the_ones_a_line_leaves_out(make_project: MakeProject) -> None:
    containerfile = "RUN uv sync --frozen --no-dev --all-extras --no-extra gpu --no-extra=cpu\n"
    root = _project(make_project, {"Containerfile": containerfile})
    selection = detect_project(root, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.extra_names == ("web",)  # test: a development extra


def test_the_dockerfile_dockwright_wrote_is_not_an_instruction(make_project: MakeProject) -> None:
    ours = "# Generated by dockwright (strategy: uv) - review\nRUN uv sync --locked --no-dev --extra web\n"
    root = _project(make_project, {"Dockerfile": ours, "docker/Dockerfile": "RUN uv sync --extra cpu\n"})
    selection = detect_project(root, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.extra_names == ("cpu",)


def test_conflicting_instructions_do_not_stop_a_project_installed_another_way(
    make_project: MakeProject,
) -> None:
    files: dict[str, str | bytes] = {
        "docker/Dockerfile.gpu": "RUN uv sync --extra gpu\n",
        "docker/Dockerfile.rocm": "RUN uv sync --extra rocm\n",
        "requirements.txt": "click==8.1.7\n",
    }
    root = make_project(
        {
            "pyproject.toml": _pyproject().replace('"cpu"', '"rocm"').replace("cpu = ", "rocm = "),
            "uv.lock": LOCK,
            "src/svc/__init__.py": "",
            "src/svc/cli.py": "def main():\n    pass\n",
            **files,
        }
    )
    with pytest.raises(ProjectError, match="mutually exclusive extras"):
        detect_project(root, python="3.12")
    facts = detect_project(root, python="3.12", manager="requirements")
    assert facts.dependencies.uv_selection is None


@pytest.mark.parametrize(
    "value", ['["prod", "missing"]', '["prod", 3]', '["prod; rm -rf /"]', '["prod", { group = "x" }]']
)
def test_default_groups_that_name_no_declared_group_are_refused(
    make_project: MakeProject, value: str
) -> None:
    """Each ``default-groups`` entry becomes ``--group NAME`` on the sync's shell line: one that is not a
    group of ``[dependency-groups]`` (uv refuses it too) is a one-line error, never a word of that line."""
    root = _project(make_project, {}, uv=f"default-groups = {value}\n")
    with pytest.raises(ProjectError, match=r"default-groups"):
        detect_project(root, python="3.12")


def test_default_groups_are_named_as_declared(make_project: MakeProject) -> None:
    root = _project(make_project, {}, uv='default-groups = ["Prod"]\n')
    selection = detect_project(root, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.group_names == ("prod",)


GCPU = "extra == 'group-3-svc-cpu'"
GPYPI = "extra == 'group-3-svc-pypi'"
GROUP_LOCK = (
    "version = 1\n\n"
    '[[package]]\nname = "svc"\nversion = "1.0"\nsource = { editable = "." }\n'
    'dependencies = [{ name = "click" }]\n\n'
    "[package.dev-dependencies]\n"
    'dev = [{ name = "pytest" }]\n'
    + engine_build("cpu", GCPU)
    + f'pypi = [{{ name = "engine", version = "2.0", source = {{ registry = "https://pypi.org/simple" }}, marker = "{GPYPI}" }}]\n'
    'cu1 = [{ name = "engine", version = "2.0+gpu", source = { registry = "https://gpu.test/simple" } }]\n'
    'cu2 = [{ name = "engine", version = "2.0+gpu", source = { registry = "https://gpu.test/simple" } }]\n\n'
    + uv_package("click", "8.1.7")
    + uv_package("engine", "2.0+cpu", "https://cpu.test/simple")
    + uv_package("engine", "2.0", deps='{ name = "gpulib" }')
    + uv_package("engine", "2.0+gpu", "https://gpu.test/simple", deps='{ name = "gpulib" }')
    + uv_package("gpulib", "12.0")
    + uv_package("pytest", "8.0.0")
)


def _group_project(make_project: MakeProject, files: dict[str, str | bytes]) -> Path:
    pyproject = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["click"]\n\n'
        '[project.scripts]\nsvc = "svc.cli:main"\n\n'
        '[dependency-groups]\ndev = ["pytest"]\ncpu = ["engine==2.0+cpu"]\npypi = ["engine==2.0"]\n'
        'cu1 = ["engine==2.0+gpu"]\ncu2 = ["engine==2.0+gpu"]\n\n'
        '[tool.uv]\ndefault-groups = ["dev", "pypi"]\n'
        'conflicts = [[{ group = "pypi" }, { group = "cpu" }, { group = "cu1" }, { group = "cu2" }]]\n'
    )
    return make_project(
        {
            "pyproject.toml": pyproject,
            "uv.lock": GROUP_LOCK,
            "src/svc/__init__.py": "",
            "src/svc/cli.py": "import click\n\n\ndef main():\n    click.echo('ok')\n",
            **files,
        }
    )


def test_conflicting_groups_take_the_cpu_one_the_instructions_name_over_the_default(
    make_project: MakeProject,
) -> None:
    """A Makefile builds one image per group through a build argument holding uv's options; the default
    group (pypi) is left out by the same instructions and loses to the one they name."""
    makefile = (
        'cpu:\n\tdocker build --build-arg "UV_SYNC_EXTRA_ARGS=--no-group pypi --group cpu" .\n'
        'cu1:\n\tdocker build --build-arg "UV_SYNC_EXTRA_ARGS=--no-group pypi --group cu1" .\n'
    )
    root = _group_project(make_project, {"Makefile": makefile})
    facts = detect_project(root, python="3.12")
    selection = facts.dependencies.uv_selection
    assert selection is not None and selection.group_names == ("cpu",) and selection.groups_declared
    assert str(selection.groups[0].evidence[0]).startswith("Makefile:2")
    assert any(
        n.startswith("group cpu installed of the mutually exclusive cpu (Makefile:2") for n in facts.notes
    )
    assert {(p.name, p.version) for p in facts.dependencies.locked} >= {("engine", "2.0+cpu")}
    assert "gpulib" not in {p.name for p in facts.dependencies.locked}

    plan = plan_project(root, {"python": "3.12", "strategy": "uv"})
    syncs = [str(s.args[0]) for s in plan.builder_steps if s.args and str(s.args[0]).startswith("uv sync")]
    assert syncs and all("--no-default-groups --group cpu" in s for s in syncs)
    body = convert(root, "convert-uv", "uv.lock", "3.12.9", None, (), plan.lock.groups)
    assert _names(body) == {"click==8.1.7", "engine==2.0+cpu"}


def test_a_named_group_beats_the_default_group_it_conflicts_with(make_project: MakeProject) -> None:
    root = _group_project(make_project, {"Dockerfile": "RUN uv sync --frozen --no-dev --group cu1\n"})
    facts = detect_project(root, python="3.12")
    assert facts.dependencies.uv_selection is not None
    assert facts.dependencies.uv_selection.group_names == ("cu1",)
    assert any("group cu1 installed of the mutually exclusive pypi" in n for n in facts.notes)


def test_conflicting_groups_nothing_decides_stop_naming_each_line(make_project: MakeProject) -> None:
    files: dict[str, str | bytes] = {
        "docker/Dockerfile.cu1": "RUN uv sync --group cu1\n",
        "docker/Dockerfile.cu2": "RUN uv sync --group cu2\n",
    }
    root = _group_project(make_project, files)
    with pytest.raises(
        ProjectError,
        match=r"mutually exclusive groups .*cu1 \(docker/Dockerfile\.cu1:1.*cu2 \(docker/Dockerfile\.cu2:1.*"
        r"groups = \[\"NAME\"\].*--group NAME",
    ):
        detect_project(root, python="3.12")
    with pytest.raises(ProjectError, match=r"groups cu1, cu2: mutually exclusive"):
        detect_project(root, python="3.12", groups=("cu1", "cu2"))
    chosen = detect_project(root, python="3.12", groups=("cu2",)).dependencies.uv_selection
    assert chosen is not None and chosen.group_names == ("cu2",)


def test_pips_group_option_on_a_continued_line_in_a_recipe_below_a_folder_selects_the_group(
    make_project: MakeProject,
) -> None:
    # pip >= 25.1 installs a dependency group (`pip wheel --group prod .`, `--group pyproject.toml:prod`);
    # the option may sit on a continuation line, and the recipe in a container folder one level down
    # (`ops/docker/production/Dockerfile`)
    recipe = (
        "FROM python:3.12-slim\nCOPY . /src\n"
        "RUN pip wheel \\\n    --no-cache-dir \\\n    --wheel-dir /wheels \\\n    --group prod .\n"
    )
    root = _project(make_project, {"ops/docker/production/Dockerfile": recipe})
    selection = detect_project(root, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.group_names == ("prod",)
    body = convert(root, "convert-uv", "uv.lock", "3.12.9", None, (), selection.group_names)
    assert _names(body) == {"click==8.1.7", "gunicorn==23.0.0"}

    qualified = _project(make_project, {"scripts/install.sh": "pip install --group pyproject.toml:prod .\n"})
    selection = detect_project(qualified, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.group_names == ("prod",)
    # a word after a continued line's end is not an option of the command before it
    unrelated = _project(
        make_project,
        {
            "Dockerfile": "RUN pip install .\nLABEL note='--group prod'\n",
            # a test image's recipe is not the project's
            "tests/docker/ci/Dockerfile": "RUN pip wheel --group prod .\n",
        },
    )
    selection = detect_project(unrelated, python="3.12").dependencies.uv_selection
    assert selection is not None and selection.group_names == ()


def test_a_group_that_only_provides_the_tool_a_uv_run_line_runs_is_not_the_app_s(tmp_path: Path) -> None:
    pyproject = {
        "project": {"name": "ledgerly", "version": "1"},
        "dependency-groups": {"upkeep": ["bumpwheel>=1", "lintyaml"], "serve": ["gunicorn>=22"]},
    }
    makefile = (
        "refresh:\n\tuv run --no-dev --group upkeep bumpwheel --write\n"
        "\tuv run --group=upkeep lintyaml .github\n"
        "run:\n\tuv run --no-dev --group serve gunicorn ledgerly.web:app\n"
    )
    (tmp_path / "Makefile").write_text(makefile, encoding="utf-8")
    groups, left = run_groups(ProjectTree(tmp_path), pyproject)
    assert [g.value for g in groups] == ["serve"] and left == set()
    assert groups[0].evidence[0].line == 5
    (tmp_path / "Makefile").write_text(makefile.split("run:")[0], encoding="utf-8")
    assert run_groups(ProjectTree(tmp_path), pyproject) == ([], set())
