from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import ProjectError
from dockwright.project.detect import detect_project
from dockwright.project.managers import read_dependencies, requirements_files
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
H1 = "sha256:" + "a" * 64
H2 = "sha256:" + "b" * 64
APP = "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n"


def deps_of(root: Path, manager: str | None = None):  # type: ignore[no-untyped-def]
    tree = ProjectTree(root)
    pyproject = tree.read_toml("pyproject.toml") if tree.is_file("pyproject.toml") else None
    return read_dependencies(tree, pyproject, python="3.11.15", override=manager)


def test_requirements_with_includes_hashes_editable_vcs_and_markers(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": (
                "# top\n-r requirements/base.txt\n-c constraints.txt\n"
                f"Flask==3.0.3 \\\n    --hash={H1} \\\n    --hash={H2}\n"
                "tomli==2.0.1 ; python_version < '3.11'  # a marker\n"
                "-e ./libs/mylib\n"
                "git+https://github.com/example/thing.git@v1#egg=Thing_Pkg\n"
                "--index-url https://pypi.org/simple\n"
            ),
            "requirements/base.txt": "gunicorn==23.0.0\n",
            "constraints.txt": "werkzeug<4\n",
            "app.py": APP,
        }
    )
    deps = deps_of(root)
    assert deps.manager.value == "requirements"
    assert deps.input_files == ("requirements.txt", "requirements/base.txt", "constraints.txt")
    assert deps.hashed_requirements is None  # not every line has hashes
    by_name = {p.name: p for p in deps.locked}
    assert by_name["flask"].hashes == (H1, H2)
    assert by_name["flask"].version == "3.0.3"
    assert by_name["tomli"].markers == 'python_version < "3.11"'
    assert by_name["thing-pkg"].source == "vcs"
    assert by_name["thing-pkg"].has_wheel_for_target is False
    assert "gunicorn" in by_name
    assert "werkzeug" not in by_name  # constraints pin, they do not add
    assert "-e" not in " ".join(deps.declared)
    assert "./libs/mylib" in deps.declared


def test_fully_hashed_requirements_is_the_install_input(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": f"flask==3.0.3 --hash={H1}\n", "app.py": APP})
    assert deps_of(root).hashed_requirements == "requirements.txt"


def test_missing_include_names_the_file(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "-r nope.txt\n", "app.py": APP})
    with pytest.raises(ProjectError) as info:
        deps_of(root)
    assert info.value.file == "nope.txt"


def test_invalid_requirement_names_file_and_line(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "flask==3\nnot a valid ++ line\n", "app.py": APP})
    with pytest.raises(ProjectError) as info:
        deps_of(root)
    assert (info.value.file, info.value.line) == ("requirements.txt", 2)


def test_pip_tools_beats_plain_requirements(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.in": "flask\n",
            "requirements.txt": f"flask==3.0.3 --hash={H1}\n",
            "requirements-dev.txt": "pytest\n",
            "app.py": APP,
        }
    )
    deps = deps_of(root)
    assert deps.manager.value == "pip-tools"
    assert deps.input_files == ("requirements.in", "requirements.txt")
    assert deps.declared == ("flask",)
    assert [a.value for a in deps.alternatives] == ["requirements"]


def test_lock_beats_pep621_and_requirements(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["flask"]\n',
            "uv.lock": (
                'version = 1\n\n[[package]]\nname = "x"\nversion = "1"\nsource = { virtual = "." }\n\n'
                '[[package]]\nname = "Flask"\nversion = "3.0.3"\n'
                'source = { registry = "https://pypi.org/simple" }\n'
                f'sdist = {{ url = "https://x/flask-3.0.3.tar.gz", hash = "{H1}" }}\n'
                f'wheels = [{{ url = "https://x/flask-3.0.3-py3-none-any.whl", hash = "{H2}" }}]\n'
            ),
            "requirements.txt": "flask\n",
            "app.py": APP,
        }
    )
    deps = deps_of(root)
    assert deps.manager.value == "uv"
    assert deps.lock_file == "uv.lock"
    (flask,) = deps.locked
    assert (flask.name, flask.version, flask.hashes, flask.has_wheel_for_target) == (
        "flask",
        "3.0.3",
        (H1, H2),
        True,
    )
    assert {a.value for a in deps.alternatives} == {"requirements", "pep621"}


def test_poetry_and_pdm_locks_compute_wheels(make_project: MakeProject) -> None:
    lock = (
        '[[package]]\nname = "psycopg2"\nversion = "2.9.10"\n'
        f'files = [{{file = "psycopg2-2.9.10.tar.gz", hash = "{H1}"}}]\n\n'
        '[[package]]\nname = "lxml"\nversion = "5.3.0"\n'
        f'files = [{{file = "lxml-5.3.0-cp311-cp311-manylinux_2_28_x86_64.whl", hash = "{H2}"}}]\n'
    )
    for manager in ("poetry", "pdm"):
        root = make_project(
            {"pyproject.toml": '[project]\nname = "x"\n', f"{manager}.lock": lock, "app.py": APP}
        )
        deps = deps_of(root)
        assert deps.manager.value == manager
        wheels = {p.name: p.has_wheel_for_target for p in deps.locked}
        assert wheels == {"psycopg2": False, "lxml": True}


def test_a_poetry_1_lock_lists_files_in_metadata_files(make_project: MakeProject) -> None:
    # Poetry < 1.3 (lock-version 1.1): no `files` per package, one [metadata.files] table by name
    lock = (
        '[[package]]\nname = "psycopg2-binary"\nversion = "2.9.3"\ncategory = "main"\n\n'
        '[[package]]\nname = "Jinja2"\nversion = "3.1.2"\ncategory = "main"\n\n'
        '[metadata]\nlock-version = "1.1"\n\n[metadata.files]\npsycopg2-binary = [\n'
        f'    {{file = "psycopg2_binary-2.9.3-cp310-cp310-manylinux_2_17_x86_64.whl", hash = "{H1}"}},\n'
        f'    {{file = "psycopg2-binary-2.9.3.tar.gz", hash = "{H2}"}},\n]\n'
        f'jinja2 = [{{file = "Jinja2-3.1.2-py3-none-any.whl", hash = "{H1}"}}]\n'
    )
    root = make_project({"pyproject.toml": '[project]\nname = "x"\n', "poetry.lock": lock, "app.py": APP})
    locked = {p.name: p for p in deps_of(root).locked}
    assert locked["psycopg2-binary"].has_wheel_for_target is False  # cp310 only; the target is 3.11
    assert locked["psycopg2-binary"].hashes == (H1, H2)
    assert locked["jinja2"].has_wheel_for_target is True


def test_a_pdm_lock_4_0_lists_files_in_metadata_files_by_name_and_version(make_project: MakeProject) -> None:
    # PDM's lock_version 4.0/4.1: no `files` per package, one [metadata.files] table keyed "name version"
    lock = (
        '[[package]]\nname = "psycopg2-binary"\nversion = "2.9.3"\n\n'
        '[[package]]\nname = "Jinja2"\nversion = "3.1.2"\n\n'
        '[metadata]\nlock_version = "4.0"\n\n[metadata.files]\n"psycopg2-binary 2.9.3" = [\n'
        f'    {{url = "https://f.example/psycopg2_binary-2.9.3-cp310-cp310-manylinux_2_17_x86_64.whl", hash = "{H1}"}},\n'
        f'    {{url = "https://f.example/psycopg2-binary-2.9.3.tar.gz", hash = "{H2}"}},\n]\n'
        f'"jinja2 3.1.2" = [{{url = "https://f.example/Jinja2-3.1.2-py3-none-any.whl", hash = "{H1}"}}]\n'
    )
    root = make_project({"pyproject.toml": '[project]\nname = "x"\n', "pdm.lock": lock, "app.py": APP})
    locked = {p.name: p for p in deps_of(root).locked}
    assert locked["psycopg2-binary"].has_wheel_for_target is False  # cp310 only; the target is 3.11
    assert locked["psycopg2-binary"].hashes == (H1, H2)
    assert locked["jinja2"].has_wheel_for_target is True


def test_pipfile_lock(make_project: MakeProject) -> None:
    root = make_project(
        {
            "Pipfile": '[packages]\nflask = "*"\n',
            "Pipfile.lock": '{"default": {"Flask": {"hashes": ["'
            + H1
            + '"], "version": "==3.0.3"}}, "develop": {}}',
            "app.py": APP,
        }
    )
    deps = deps_of(root)
    assert deps.manager.value == "pipenv"
    assert deps.locked[0].name == "flask"
    assert deps.locked[0].version == "3.0.3"
    assert deps.declared == ("flask",)


def test_two_conflicting_lockfiles_ask_for_manager(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "x"\n', "poetry.lock": "", "uv.lock": ""})
    with pytest.raises(ProjectError, match=r"--manager \{poetry,uv\}"):
        detect_project(root)


def test_manager_override_settles_conflict(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "x"\n',
            "poetry.lock": "",
            "uv.lock": "version = 1\n",
            "app.py": APP,
        }
    )
    facts = detect_project(root, manager="uv")
    assert facts.dependencies.manager.value == "uv"
    assert facts.dependencies.manager.evidence[0].file == "command line"


def test_unknown_manager_override(make_project: MakeProject) -> None:
    root = make_project({"app.py": APP})
    with pytest.raises(ProjectError, match="unknown --manager"):
        deps_of(root, "conda")


def test_not_a_python_project(make_project: MakeProject) -> None:
    root = make_project({"index.js": "console.log(1)\n"})
    with pytest.raises(ProjectError, match="not a Python project"):
        detect_project(root)


def test_stdlib_only_script(make_project: MakeProject) -> None:
    deps = deps_of(make_project({"tool.py": APP}))
    assert deps.manager.value == "requirements"
    assert deps.input_files == ()


def test_legacy_setup_cfg(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.py": "from setuptools import setup\nsetup()\n",
            "setup.cfg": (
                "[metadata]\nname = old\nversion = 2.0\n\n[options]\ninstall_requires =\n    requests>=2\n"
            ),
        }
    )
    deps = deps_of(root)
    assert deps.manager.value == "setuppy"
    assert deps.declared == ("requests>=2",)


def test_dev_only_lock_packages_are_left_out(make_project: MakeProject) -> None:
    lock = (
        '[[package]]\nname = "flask"\nversion = "3.0.3"\ngroups = ["main"]\n'
        f'files = [{{file = "flask-3.0.3-py3-none-any.whl", hash = "{H1}"}}]\n\n'
        '[[package]]\nname = "pytest"\nversion = "8.0.0"\ngroups = ["dev"]\n'
        f'files = [{{file = "pytest-8.0.0-py3-none-any.whl", hash = "{H2}"}}]\n'
    )
    deps = deps_of(make_project({"pyproject.toml": "[tool.poetry]\n", "poetry.lock": lock, "app.py": APP}))
    assert [p.name for p in deps.locked] == ["flask"]


def test_requirement_option_forms(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "--requirement=a.txt\n-rb.txt\n--editable=git+https://x/y.git#egg=why\n",
            "a.txt": "six==1.16.0\n",
            "b.txt": "idna==3.7\n",
            "app.py": APP,
        }
    )
    deps = deps_of(root)
    assert [p.name for p in deps.locked] == ["idna", "six", "why"]
    assert deps.input_files == ("requirements.txt", "a.txt", "b.txt")


def test_uv_lock_markers_come_from_every_edge(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "shop"\nversion = "1"\ndependencies = ["click", "pywin32"]\n',
            "uv.lock": (
                'version = 1\n[[package]]\nname = "shop"\nversion = "1"\nsource = { editable = "." }\n'
                'dependencies = [{ name = "click" }, { name = "pywin32", marker = "sys_platform == \'win32\'" }]\n'
                '[[package]]\nname = "click"\nversion = "8"\nsource = { registry = "https://pypi.org/simple" }\n'
                'dependencies = [{ name = "colorama", marker = "platform_system == \'Windows\'" }]\n'
                '[[package]]\nname = "colorama"\nversion = "0.4"\nsource = { registry = "https://pypi.org/simple" }\n'
                '[[package]]\nname = "pywin32"\nversion = "306"\nsource = { registry = "https://pypi.org/simple" }\n'
                'wheels = [{ url = "https://x/pywin32-306-cp312-cp312-win_amd64.whl", hash = "sha256:00" }]\n'
            ),
            "app.py": APP,
        }
    )
    deps = deps_of(root)
    by_name = {p.name: p for p in deps.locked}
    assert by_name["click"].markers is None
    assert by_name["pywin32"].markers == "(sys_platform == 'win32')"
    assert by_name["pywin32"].has_wheel_for_target is False
    facts = detect_project(root)
    from dockwright.plan.common import compile_toolchain

    _apt, who, decision = compile_toolchain(facts)
    assert who == "" and decision.choice == "none"


def test_per_requirement_options_are_not_part_of_the_requirement(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "python3-saml==1.16.0 --no-binary lxml,xmlsec\nujson==5.10.0 --config-settings=a=b\n",
            "app.py": APP,
        }
    )
    deps = deps_of(root)
    assert [(p.name, p.version) for p in deps.locked] == [("python3-saml", "1.16.0"), ("ujson", "5.10.0")]


def test_the_requirements_file_the_own_image_installs_below_the_root(make_project: MakeProject) -> None:
    # the app and its requirements under src/, which the repository's image copies and installs
    own = (
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY src/requirements.txt ./requirements.txt\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ ./\n"
    )
    files: dict[str, str | bytes] = {
        "Dockerfile": own,
        "src/requirements.txt": "Django==4.2.16\n",
        "src/requirements-dev.txt": "pytest\n",
        "pyproject.toml": "[tool.black]\nline-length = 100\n",
    }
    tree = ProjectTree(make_project(files))
    assert requirements_files(tree) == ["src/requirements.txt"]
    # a file at the root still comes first
    tree = ProjectTree(make_project({**files, "requirements.txt": "flask\n"}))
    assert requirements_files(tree) == ["requirements.txt"]


def test_the_own_images_install_runs_in_the_workdir_of_the_stage_it_is_built_on(
    make_project: MakeProject,
) -> None:
    # `FROM base`: the final stage keeps the WORKDIR base set, where its RUN finds the copied file
    own = (
        "FROM python:3.12-slim AS base\nWORKDIR /srv\n\nFROM base\n"
        "COPY src/requirements.txt ./requirements.txt\nRUN pip install -r requirements.txt\n"
    )
    files: dict[str, str | bytes] = {
        "Dockerfile": own,
        "src/requirements.txt": "Django==4.2.16\n",
        "pyproject.toml": "[tool.black]\nline-length = 100\n",
    }
    assert requirements_files(ProjectTree(make_project(files))) == ["src/requirements.txt"]
