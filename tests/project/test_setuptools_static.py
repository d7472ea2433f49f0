"""setup.py (AST, never executed) and setup.cfg (configparser) declarations reach the dependency set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.detect import detect_project
from dockwright.project.setuptools_static import read_setuptools, setup_cfg_declares_package
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
APP = "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n"

SETUP_PY = """\
import os
from setuptools import setup, find_packages

BASE = ["flask>=3", "gunicorn"]
raise SystemExit("setup.py must never run during detection")
setup(
    name="shop",
    packages=find_packages(),
    install_requires=BASE + ['pywin32; sys_platform == "win32"'],
    setup_requires=["setuptools_scm>=8"],
    python_requires=">=3.10",
)
"""


def test_setup_py_literals_names_and_concatenation(make_project: MakeProject) -> None:
    root = make_project({"setup.py": SETUP_PY, "shop/__init__.py": "", "app.py": APP})
    declared = read_setuptools(ProjectTree(root))
    install = declared.get("install_requires")
    assert install is not None and not install.dynamic and install.line == 9
    assert install.values == ("flask>=3", "gunicorn", 'pywin32; sys_platform == "win32"')
    setup_requires = declared.get("setup_requires")
    assert setup_requires is not None and setup_requires.values == ("setuptools_scm>=8",)
    facts = detect_project(root)
    assert facts.dependencies.manager.value == "setuppy"
    assert facts.dependencies.declared[:2] == ("flask>=3", "gunicorn")
    assert str(facts.dependencies.declared_evidence[0]).startswith("setup.py:9")
    assert "setuptools_scm>=8" in facts.layout.build_requires


def test_setup_py_reading_a_requirements_file(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.py": (
                "from setuptools import setup\n"
                "def reqs(name):\n    with open(name) as f:\n        return f.read().splitlines()\n"
                "setup(name='x', install_requires=reqs('requirements.txt'))\n"
            ),
            "requirements.txt": "# pinned\nrequests>=2\n\n-r other.txt\n",
        }
    )
    install = read_setuptools(ProjectTree(root)).get("install_requires")
    assert install is not None and install.values == ("requests>=2",) and install.via == "requirements.txt"


def test_computed_install_requires_is_dynamic(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.py": "from setuptools import setup\nimport x\nsetup(name='x', install_requires=x.deps())\n",
            "app.py": APP,
        }
    )
    facts = detect_project(root)
    assert facts.dependencies.declared == ()
    assert facts.dependencies.dynamic is not None and facts.dependencies.dynamic.line == 3


def test_setup_cfg_options(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.cfg": (
                "[metadata]\nname = shop\n\n[options]\npython_requires = >=3.9\ninstall_requires =\n"
                '    click>=8\n    # a comment\n    tomli; python_version < "3.11"\n'
            ),
            "setup.py": "from setuptools import setup\nsetup()\n",
            "app.py": APP,
        }
    )
    facts = detect_project(root)
    assert facts.dependencies.declared == ("click>=8", 'tomli; python_version < "3.11"')
    assert facts.dependencies.declared_evidence[0].file == "setup.cfg"


def test_setup_cfg_with_only_tool_config_is_not_a_package(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.cfg": "[flake8]\nmax-line-length = 100\n\n[tool:pytest]\naddopts = -q\n",
            "requirements.txt": "flask==3.0.3\n",
            "app.py": "print('hi')\n",
        }
    )
    assert not setup_cfg_declares_package(ProjectTree(root))
    facts = detect_project(root)
    assert facts.layout.is_package.value is False
    assert facts.dependencies.manager.value == "requirements"
    assert all(alt.value != "setuppy" for alt in facts.dependencies.alternatives)


def test_pep621_dynamic_dependencies_from_file(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
                '[project]\nname = "shop"\nversion = "1"\ndynamic = ["dependencies"]\n'
                '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.in"]}\n'
            ),
            "requirements.in": "httpx>=0.27\n",
            "app.py": APP,
        }
    )
    facts = detect_project(root)
    assert facts.dependencies.declared == ("httpx>=0.27",)
    assert "requirements.in" in facts.dependencies.input_files


def test_python_requires_is_the_python_request(make_project: MakeProject) -> None:
    root = make_project({"setup.py": SETUP_PY, "shop/__init__.py": "", "app.py": APP})
    facts = detect_project(root)
    assert facts.python.requested.value == ">=3.10"
    assert str(facts.python.requested.evidence[0]).startswith("setup.py:11")


def test_each_with_block_reads_its_own_file(make_project: MakeProject) -> None:
    """Two ``with open(...) as f`` blocks: each assignment reads the file its block opened, so the
    runtime dependencies are not the development file's (the second block's)."""
    root = make_project(
        {
            "setup.py": (
                "from setuptools import setup\n"
                "with open('requirements.txt') as f:\n"
                "    runtime = [line.strip() for line in f.readlines()]\n"
                "with open('requirements-dev.txt') as f:\n"
                "    dev = [line.strip() for line in f.readlines()]\n"
                "setup(name='shop', packages=['shop'], install_requires=runtime,\n"
                "      extras_require={'test': dev})\n"
            ),
            "requirements.txt": "flask==3.1.0\n",
            "requirements-dev.txt": "pytest==8.3.4\nwaitress==3.0.2\n",
            "shop/__init__.py": "",
        }
    )
    install = read_setuptools(ProjectTree(root)).get("install_requires")
    assert install is not None and install.values == ("flask==3.1.0",)
    assert install.via == "requirements.txt"


def test_a_handle_name_bound_again_is_that_value(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.py": (
                "from setuptools import setup\n"
                "with open('README.md') as f:\n    long_description = f.read()\n"
                "f = 'requirements.txt'\n"
                "setup(name='shop', packages=['shop'], install_requires=open(f).read().splitlines())\n"
            ),
            "README.md": "# shop\n",
            "requirements.txt": "flask==3.1.0\n",
            "shop/__init__.py": "",
        }
    )
    install = read_setuptools(ProjectTree(root)).get("install_requires")
    assert install is not None and install.values == ("flask==3.1.0",)


def test_a_version_an_exec_of_a_project_file_rebinds_is_that_file_s(make_project: MakeProject) -> None:
    from dockwright.project.setuptools_static import setup_py_metadata

    setup = (
        "import setuptools\n\n__version__ = 'UNKNOWN'\nwith open('kit/_meta.py') as f:\n    exec(f.read())\n\n"
        "setuptools.setup(name='kit', version=__version__, packages=['kit'])\n"
    )
    files: dict[str, str | bytes] = {
        "setup.py": setup,
        "kit/__init__.py": "",
        "kit/_meta.py": "__version__ = '3.2.1'\n",
    }
    assert setup_py_metadata(ProjectTree(make_project(files)))["version"][0] == "3.2.1"
    # an exec the reader cannot follow: the placeholder is no version; an exec into a namespace binds nothing
    unknown = setup.replace("open('kit/_meta.py')", "open(os.path.join('kit', '_meta.py'))")
    assert "version" not in setup_py_metadata(ProjectTree(make_project({**files, "setup.py": unknown})))
    about = setup.replace("exec(f.read())", "exec(f.read(), {})").replace("'UNKNOWN'", "'1.0'")
    assert setup_py_metadata(ProjectTree(make_project({**files, "setup.py": about})))["version"][0] == "1.0"
