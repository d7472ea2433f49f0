"""``dockwright init --force`` replacing the project's own root Dockerfile keeps the extras and groups
that file chose: the generated Dockerfile records them (``# dockwright-kept: uv sync --extra web``) and
the next plan reads that line, where it reads nothing else of a generated file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockwright.initialize import init_project, plan_project

MakeProject = Callable[[dict[str, str | bytes]], Path]
H = "sha256:" + "d" * 64


def _package(name: str, version: str) -> str:
    return (
        f'[[package]]\nname = "{name}"\nversion = "{version}"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
        f'wheels = [{{ url = "https://x/{name}-{version}-py3-none-any.whl", hash = "{H}" }}]\n\n'
    )


LOCK = (
    "version = 1\n\n"
    '[[package]]\nname = "svc"\nversion = "1.0"\nsource = { editable = "." }\n'
    'dependencies = [{ name = "click" }]\n\n'
    '[package.optional-dependencies]\nweb = [{ name = "waitress" }]\n\n'
    '[package.dev-dependencies]\nprod = [{ name = "gunicorn" }]\n\n'
    + _package("click", "8.1.7")
    + _package("waitress", "3.0.0")
    + _package("gunicorn", "23.0.0")
)
PYPROJECT = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["click"]\n\n'
    '[project.optional-dependencies]\nweb = ["waitress"]\n\n[project.scripts]\nsvc = "svc.cli:main"\n\n'
    '[dependency-groups]\nprod = ["gunicorn"]\n\n[tool.uv]\ndefault-groups = []\n'
)
OWN = "FROM python:3.12-slim\nCOPY . /app\nRUN uv sync --locked --extra web --group prod\n"


def _project(make_project: MakeProject) -> Path:
    return make_project(
        {
            "pyproject.toml": PYPROJECT,
            "uv.lock": LOCK,
            "Dockerfile": OWN,
            "src/svc/__init__.py": "",
            "src/svc/cli.py": "import click\n\n\ndef main():\n    click.echo('ok')\n",
        }
    )


def _selection(root: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    selection = plan_project(root, {"python": "3.12"}).facts.dependencies.uv_selection
    assert selection is not None
    return selection.extra_names, selection.group_names


def test_init_force_over_the_projects_dockerfile_keeps_its_extra_and_group(make_project: MakeProject) -> None:
    root = _project(make_project)
    assert _selection(root) == (("web",), ("prod",))
    init_project(root, {"python": "3.12"}, force=True)
    text = (root / "Dockerfile").read_text(encoding="utf-8")
    assert text != OWN
    assert "# dockwright-kept: uv sync --extra web --group prod" in text
    assert _selection(root) == (("web",), ("prod",))
    init_project(root, {"python": "3.12"}, force=True)  # and again: the kept line keeps itself
    assert (root / "Dockerfile").read_text(encoding="utf-8") == text


def test_a_configured_choice_is_not_recorded_as_kept(make_project: MakeProject) -> None:
    root = _project(make_project)
    (root / "Dockerfile").unlink()
    (root / "pyproject.toml").write_text(
        PYPROJECT + '\n[tool.dockwright]\nextras = ["web"]\n', encoding="utf-8"
    )
    init_project(root, {"python": "3.12"})
    assert "dockwright-kept" not in (root / "Dockerfile").read_text(encoding="utf-8")


def test_init_force_keeps_the_python_of_the_projects_dockerfile(make_project: MakeProject) -> None:
    own = 'FROM python:3.11-slim\nCOPY . /app\nCMD ["python", "/app/job.py"]\n'
    root = make_project({"Dockerfile": own, "job.py": "print('ok')\n"})
    facts = plan_project(root, {}).facts
    assert (facts.python.requested.value, facts.python.requested.evidence[0].file) == ("3.11", "Dockerfile")
    init_project(root, {}, force=True)
    text = (root / "Dockerfile").read_text(encoding="utf-8")
    assert "# dockwright-kept: FROM python:3.11 " in text
    assert plan_project(root, {}).facts.python.requested.value == "3.11"
    init_project(root, {}, force=True)  # and again: the kept line keeps itself
    assert (root / "Dockerfile").read_text(encoding="utf-8") == text


def test_init_force_keeps_the_python_an_app_server_base_image_s_tag_names(make_project: MakeProject) -> None:
    own = "FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11\nCOPY ./app /app\n"
    api = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    root = make_project({"Dockerfile": own, "app/main.py": api, "requirements.txt": "fastapi\nuvicorn\n"})
    assert plan_project(root, {}).facts.python.requested.value == "3.11"
    init_project(root, {}, force=True)
    assert "# dockwright-kept: FROM python:3.11 " in (root / "Dockerfile").read_text(encoding="utf-8")
    assert plan_project(root, {}).facts.python.requested.value == "3.11"


def test_init_force_keeps_the_index_the_projects_dockerfile_installs_with(make_project: MakeProject) -> None:
    """The own Dockerfile's ``pip install -r requirements.txt --extra-index-url .../cpu`` is where the
    project says its torch is the CPU build: after init --force replaced that file, the next plan still
    resolves against the index (a kept line), never PyPI's CUDA build."""
    own = (
        "FROM python:3.12-slim\nCOPY requirements.txt .\n"
        "RUN pip install -r requirements.txt --extra-index-url https://download.pytorch.org/whl/cpu\n"
        'COPY . .\nCMD ["python", "job.py"]\n'
    )
    hashed = "torch==2.2.0+cpu --hash=sha256:" + "a" * 64 + "\n"
    root = make_project({"Dockerfile": own, "requirements.txt": hashed, "job.py": "import torch\n"})

    def urls() -> list[str]:
        return [i.url for i in plan_project(root, {}).facts.dependencies.indexes]

    assert urls() == ["https://download.pytorch.org/whl/cpu"]
    init_project(root, {}, force=True)
    text = (root / "Dockerfile").read_text(encoding="utf-8")
    assert (
        "# dockwright-kept: pip install -r requirements.txt --extra-index-url https://download.pytorch.org/whl/cpu"
        in text
    )
    assert urls() == ["https://download.pytorch.org/whl/cpu"]
    init_project(root, {}, force=True)  # and again: the kept line keeps itself
    assert "--extra-index-url https://download.pytorch.org/whl/cpu (the index" in (
        root / "Dockerfile"
    ).read_text(encoding="utf-8")
