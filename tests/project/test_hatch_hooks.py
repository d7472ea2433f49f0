"""Hatch build hooks (project/hatch_hooks.py): what they add to the locked build requirements, and a
hook that compiles message catalogs (the wheel then carries them)."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.hatch_hooks import read_build_hooks
from dockwright.project.metadata import detect_layout
from dockwright.project.tree import ProjectTree, parse_toml

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
PROJECT = '[project]\nname = "shop"\nversion = "1"\ndependencies = ["flask>=3"]\n'


def _tree(tmp_path: Path, files: dict[str, str]) -> tuple[ProjectTree, dict[str, object]]:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ProjectTree(tmp_path), parse_toml(files.get("pyproject.toml", ""))


def test_a_hook_s_dependencies_join_the_build_requirements(tmp_path: Path) -> None:
    pyproject = HATCH + PROJECT + '\n[tool.hatch.build.hooks.custom]\ndependencies = ["Babel>=2.13"]\n'
    tree, data = _tree(tmp_path, {"pyproject.toml": pyproject})
    hooks = read_build_hooks(tree, data, "hatchling.build")
    assert hooks.requires == ("Babel>=2.13",)
    assert hooks.evidence[0].file == "pyproject.toml" and hooks.evidence[0].line == 9
    assert detect_layout(tree, data).build_requires == ("hatchling", "Babel>=2.13")


def test_wheel_target_hooks_and_runtime_dependencies(tmp_path: Path) -> None:
    pyproject = (
        HATCH
        + PROJECT
        + '[project.optional-dependencies]\nui = ["jinja2"]\n'
        + '\n[tool.hatch.build.targets.wheel.hooks.vcs]\ndependencies = ["hatch-vcs"]\n'
        + "\n[tool.hatch.build.targets.wheel.hooks.custom]\nrequire-runtime-dependencies = true\n"
        + 'require-runtime-features = ["ui"]\n'
        + '\n[tool.hatch.build.hooks.off]\nenable-by-default = false\ndependencies = ["never"]\n'
    )
    tree, data = _tree(tmp_path, {"pyproject.toml": pyproject})
    hooks = read_build_hooks(tree, data, "hatchling.build")
    assert hooks.requires == ("hatch-vcs", "flask>=3", "jinja2")


def test_hatch_toml_wins_over_pyproject(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": HATCH + PROJECT + '[tool.hatch.build.hooks.custom]\ndependencies = ["a"]\n',
        "hatch.toml": '[build.hooks.custom]\ndependencies = ["b"]\n',
    }
    tree, data = _tree(tmp_path, files)
    hooks = read_build_hooks(tree, data, "hatchling.build")
    assert hooks.requires == ("b",) and hooks.evidence[0].file == "hatch.toml"


def test_a_custom_hook_that_compiles_catalogs_is_seen(tmp_path: Path) -> None:
    hook = (
        "from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n\n"
        "class Hook(BuildHookInterface):\n"
        "    def initialize(self, version, build_data):\n"
        "        from i18n_tools import compile_catalogs\n"
        "        compile_catalogs()\n"
    )
    files = {
        "pyproject.toml": HATCH + PROJECT + '[tool.hatch.build.hooks.custom]\npath = "build_hooks/i18n.py"\n',
        "build_hooks/i18n.py": hook,
    }
    tree, data = _tree(tmp_path, files)
    compiles = read_build_hooks(tree, data, "hatchling.build").compiles_catalogs
    assert compiles is not None and (compiles.file, compiles.line) == ("build_hooks/i18n.py", 5)
    assert detect_layout(tree, data).catalogs_compiled_by == compiles


def test_a_hook_that_does_not_compile_or_another_backend(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": HATCH + PROJECT + "[tool.hatch.build.hooks.custom]\n",
        "hatch_build.py": "# compile_catalog is not called here\nprint('hi')\n",
    }
    tree, data = _tree(tmp_path, files)
    assert read_build_hooks(tree, data, "hatchling.build").compiles_catalogs is None
    assert read_build_hooks(tree, data, "pdm.backend").requires == ()


def test_setup_py_whose_build_runs_compile_catalog(tmp_path: Path) -> None:
    setup = (
        "from setuptools import setup\nfrom setuptools.command.build_py import build_py\n\n"
        "class Build(build_py):\n    def run(self):\n        self.run_command('compile_catalog')\n"
        "        super().run()\n\nsetup(name='shop', cmdclass={'build_py': Build})\n"
    )
    tree, data = _tree(tmp_path, {"setup.py": setup})
    layout = detect_layout(tree, data)
    assert layout.catalogs_compiled_by is not None and layout.catalogs_compiled_by.line == 6


def test_the_project_s_catalog_step_is_marked_done_by_the_wheel_build(tmp_path: Path) -> None:
    pyproject = (
        HATCH
        + PROJECT.replace('"flask>=3"', '"flask>=3", "flask-babel"')
        + '[tool.hatch.build.hooks.custom]\ndependencies = ["Babel"]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "hatch_build.py": "def initialize():\n    compile_catalog()\n",
        "shop/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
        "shop/translations/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n',
    }
    _tree(tmp_path, files)
    facts = detect_project(tmp_path)
    step = next(s for s in facts.build_steps if s.kind == "pybabel-compile")
    assert step.done_by is not None and (step.done_by.file, step.done_by.line) == ("hatch_build.py", 2)
    assert facts.layout.build_requires == ("hatchling", "Babel")


def test_a_hook_that_writes_mo_files_with_babel_s_api_compiles_catalogs(tmp_path: Path) -> None:
    hook = (
        "from babel.messages.mofile import write_mo\n\n"
        "def initialize(catalog, out):\n"
        "    write_mo(out, catalog)\n"
    )
    files = {"pyproject.toml": HATCH + PROJECT + "[tool.hatch.build.hooks.custom]\n", "hatch_build.py": hook}
    tree, data = _tree(tmp_path, files)
    compiles = read_build_hooks(tree, data, "hatchling.build").compiles_catalogs
    assert compiles is not None and compiles.line == 4


def test_a_hook_that_runs_npm_is_seen(tmp_path: Path) -> None:
    hook = (
        "import shutil, subprocess\n\n"
        "# the node build makes the bundle\n"
        "def initialize(root):\n"
        "    tool = shutil.which('pnpm')\n"
        "    subprocess.run((tool, 'install'), cwd=root / 'web', check=True)\n"
    )
    files = {"pyproject.toml": HATCH + PROJECT + "[tool.hatch.build.hooks.custom]\n", "hatch_build.py": hook}
    tree, data = _tree(tmp_path, files)
    node = read_build_hooks(tree, data, "hatchling.build").runs_node
    assert node is not None and (node.file, node.line) == ("hatch_build.py", 5)
    assert detect_layout(tree, data).node_run_by == node


def test_setup_py_that_runs_npm_and_a_hook_that_names_node_only_in_text(tmp_path: Path) -> None:
    setup = (
        "import subprocess\nfrom setuptools import setup\n\n"
        "subprocess.check_call('npm run bundle', shell=True)\nsetup(name='shop')\n"
    )
    tree, data = _tree(tmp_path, {"setup.py": setup})
    assert detect_layout(tree, data).node_run_by is not None
    assert detect_layout(tree, data).node_run_by.line == 4  # type: ignore[union-attr]
    text = (
        "def initialize():\n    print('no node here, the bundle is committed')\n"
        "    describe('node based UI', 'npm packages are vendored')\n"
    )
    other = tmp_path / "other"
    tree, data = _tree(
        other,
        {"pyproject.toml": HATCH + PROJECT + "[tool.hatch.build.hooks.custom]\n", "hatch_build.py": text},
    )
    assert read_build_hooks(tree, data, "hatchling.build").runs_node is None
