from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.project.metadata import detect_layout, detect_metadata, git_revision
from dockwright.project.tree import ProjectTree

MakeProject = Callable[[dict[str, str | bytes]], Path]
SHA = "0123456789abcdef0123456789abcdef01234567"


def test_git_revision_from_ref_packed_refs_and_detached(make_project: MakeProject) -> None:
    loose = make_project({".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": SHA + "\n"})
    assert git_revision(ProjectTree(loose)).value == SHA
    packed = make_project(
        {".git/HEAD": "ref: refs/heads/main\n", ".git/packed-refs": f"# pack\n{SHA} refs/heads/main\n"}
    )
    fact = git_revision(ProjectTree(packed))
    assert fact.value == SHA and fact.evidence[0].line == 2
    detached = make_project({".git/HEAD": SHA + "\n"})
    assert git_revision(ProjectTree(detached)).value == SHA
    assert git_revision(ProjectTree(make_project({"a.py": ""}))).value is None


def test_metadata_from_pyproject(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\nversion = "1.2.3"\ndescription = "d"\n'
                '[project.urls]\nHomepage = "https://h"\nRepository = "https://r"\n'
            )
        }
    )
    tree = ProjectTree(root)
    meta = detect_metadata(tree, tree.read_toml("pyproject.toml"))
    assert (meta.name.value, meta.version.value, meta.source_url.value) == ("demo", "1.2.3", "https://r")


def test_metadata_from_setup_py_literals(make_project: MakeProject) -> None:
    setup = (
        'from setuptools import setup\n\nVERSION = "2.3"\n\nsetup(\n    name="tidy-text",\n'
        '    version=VERSION,\n    description="Tidies text",\n    packages=["tidy"],\n)\n'
    )
    meta = detect_metadata(ProjectTree(make_project({"setup.py": setup})), None)
    assert (meta.name.value, meta.version.value, meta.description.value) == (
        "tidy-text",
        "2.3",
        "Tidies text",
    )
    assert (meta.name.evidence[0].file, meta.name.evidence[0].line) == ("setup.py", 6)
    # what only running the file tells is not guessed; setup.cfg's declaration comes first
    computed = "from setuptools import setup\nsetup(name='x', version=get_version())\n"
    cfg = "[metadata]\nname = from-cfg\n"
    meta = detect_metadata(ProjectTree(make_project({"setup.py": computed, "setup.cfg": cfg})), None)
    assert (meta.name.value, meta.version.value) == ("from-cfg", "0.0.0")


def test_default_version(make_project: MakeProject) -> None:
    root = make_project({"app.py": ""})
    meta = detect_metadata(ProjectTree(root), None)
    assert meta.version.value == "0.0.0"
    assert meta.version.evidence[0].file == "default"
    assert meta.name.value == root.name


def test_layout(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
                '[project]\nname = "x"\nreadme = "README.rst"\n'
            ),
            "README.rst": "x",
            "LICENSE": "x",
            ".venv/pyvenv.cfg": "",
            "tests/test_x.py": "",
            "docs/index.md": "",
            "Dockerfile": "FROM x\n",
        }
    )
    tree = ProjectTree(root)
    layout = detect_layout(tree, tree.read_toml("pyproject.toml"))
    assert layout.is_package.value is True
    assert layout.build_backend.value == "hatchling.build"
    assert layout.build_requires == ("hatchling",)
    assert layout.files_build_reads == ("README.rst", "LICENSE")
    assert layout.venv_dirs == (".venv",)
    assert (layout.tests_dirs, layout.docs_dirs) == (("tests",), ("docs",))
    assert layout.existing_dockerfile == "Dockerfile"
    assert layout.existing_dockerignore is None


def test_a_nameless_project_with_a_build_backend_is_an_application_tree(make_project: MakeProject) -> None:
    # `name = ""` (older `pdm init` wrote it for an application): no backend can make a wheel of it
    # (pip: "InvalidRequirement: Parse error at \"'==0.0.0'\""), and PDM never installs it itself
    root = make_project(
        {
            "pyproject.toml": (
                '[project]\nname = ""\nversion = ""\ndependencies = ["starlette"]\n'
                '[build-system]\nrequires = ["pdm-pep517>=1.0.0"]\nbuild-backend = "pdm.pep517.api"\n'
            ),
            "svc/__init__.py": "",
        }
    )
    tree = ProjectTree(root)
    layout = detect_layout(tree, tree.read_toml("pyproject.toml"))
    assert layout.is_package.value is False
    assert layout.build_backend.value is None
    assert "[project] name is empty" in layout.is_package.evidence[0].detail
    assert layout.is_package.evidence[0].line == 2


def test_a_project_in_src_is_named_after_the_folder_holding_it(make_project: MakeProject) -> None:
    root = make_project({"src/manage.py": "import django\n", "src/requirements.txt": "django\n"})
    meta = detect_metadata(ProjectTree(root / "src"), None)
    assert meta.name.value == root.name
    assert meta.name.evidence[0].detail == "no declared name; the name of the folder holding src/"
