"""versioneer projects build without .git: the builder writes ``_version.py`` from the VERSION build arg."""

from __future__ import annotations

from pathlib import Path

from dockwright import api
from dockwright.project.tree import ProjectTree
from dockwright.project.versioneer import detect_versioneer

SETUP = (
    "from setuptools import setup\nimport versioneer\n\n"
    'setup(name="mypkg", version=versioneer.get_version(), cmdclass=versioneer.get_cmdclass(),\n'
    '      packages=["mypkg"], entry_points={"console_scripts": ["mypkg = mypkg:main"]})\n'
)
CFG = "[versioneer]\nVCS = git\nstyle = pep440\nversionfile_source = mypkg/_version.py\ntag_prefix = v\n"


def _project(root: Path, cfg: str = CFG) -> Path:
    (root / "mypkg").mkdir()
    (root / "mypkg" / "__init__.py").write_text("def main():\n    print('hi')\n")
    (root / "mypkg" / "_version.py").write_text('git_refnames = "$Format:%d$"\n')
    (root / "versioneer.py").write_text("def get_version():\n    return '0+unknown'\n")
    (root / "setup.py").write_text(SETUP)
    (root / "setup.cfg").write_text(cfg)
    return root


def test_setup_cfg_names_the_version_file(tmp_path: Path) -> None:
    fact = detect_versioneer(ProjectTree(_project(tmp_path)), {}, ())
    assert fact is not None and fact.value == "mypkg/_version.py"
    assert str(fact.evidence[0]).startswith("setup.cfg:4")


def test_no_versioneer_section_no_fact(tmp_path: Path) -> None:
    assert detect_versioneer(ProjectTree(_project(tmp_path, cfg="[metadata]\nname = x\n")), {}, ()) is None


def test_the_builder_writes_the_version_file_before_the_wheel(tmp_path: Path) -> None:
    plan = api.plan(_project(tmp_path))
    decision = next(d for d in plan.decisions if d.topic == "scm-version")
    assert decision.choice == "versioneer mypkg/_version.py" and "0+unknown" in decision.reason
    (stage,) = [s for s in plan.side_stages if s.name == "wheel"]  # the app's wheel, beside the builder
    wheel = next(s for s in stage.steps if "pip wheel" in s.args[0] and " ." in s.args[0])
    assert wheel.args[0].startswith(
        "python -c \"import versioneer; versioneer.write_to_version_file('mypkg/_version.py', "
        "{'version': '${VERSION}',"
    )
    version = plan.facts.metadata.version.value
    assert any(s.instruction == "ARG" and s.args == (f'VERSION="{version}"',) for s in stage.steps)
    assert ".git" not in [s.args[0] for s in stage.steps if s.instruction == "COPY"]
