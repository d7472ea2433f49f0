"""Indexes other than PyPI: read from each manager's declaration and the locks, credentials kept out."""

from __future__ import annotations

from pathlib import Path

from dockwright.project.indexes import detect_indexes, split_credentials
from dockwright.project.tree import ProjectTree


def _detect(root: Path, files: tuple[str, ...] = (), lock: str | None = None):  # type: ignore[no-untyped-def]
    import tomllib

    pyproject = (
        tomllib.loads((root / "pyproject.toml").read_text()) if (root / "pyproject.toml").is_file() else None
    )
    return detect_indexes(ProjectTree(root), pyproject, files, lock)


def test_uv_named_indexes_explicit_and_default(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "a"\n\n[[tool.uv.index]]\nname = "pytorch-cpu"\n'
        'url = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n\n'
        '[[tool.uv.index]]\nname = "corp"\nurl = "https://pkgs.example.com/simple/"\ndefault = true\n\n'
        '[tool.uv.sources]\ntorch = { index = "pytorch-cpu" }\n'
    )
    indexes, notes = _detect(tmp_path)
    assert [(i.url, i.role, i.explicit) for i in indexes] == [
        ("https://download.pytorch.org/whl/cpu", "extra", True),
        ("https://pkgs.example.com/simple/", "default", False),
    ]
    assert indexes[0].evidence.line == 6 and indexes[0].evidence.file == "pyproject.toml"
    assert indexes[0].password == "${UV_INDEX_PYTORCH_CPU_PASSWORD}"
    assert notes == ()


def test_poetry_sources_by_priority(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "a"\n\n[[tool.poetry.source]]\nname = "corp"\n'
        'url = "https://corp.example/simple/"\npriority = "primary"\n\n'
        '[[tool.poetry.source]]\nname = "torch"\nurl = "https://download.pytorch.org/whl/cpu"\n'
        'priority = "explicit"\n\n[[tool.poetry.source]]\nname = "extra"\n'
        'url = "https://extra.example/simple/"\npriority = "supplemental"\n'
    )
    indexes, _ = _detect(tmp_path)
    assert [(i.role, i.explicit) for i in indexes] == [("default", False), ("extra", True), ("extra", False)]
    assert indexes[0].login == "${POETRY_HTTP_BASIC_CORP_USERNAME}"


def test_requirements_options_and_placeholder_credentials(tmp_path: Path) -> None:
    (tmp_path / "requirements.in").write_text(
        "--extra-index-url https://${CORP_USER}:${CORP_TOKEN}@corp.example/simple/\n"
        "-f https://download.pytorch.org/whl/torch_stable.html\n"
        "--index-url https://pypi.org/simple\n"
        "torch==2.3.1+cpu\n"
    )
    indexes, notes = _detect(tmp_path, ("requirements.in",))
    assert [(i.url, i.role, i.evidence.line) for i in indexes] == [
        ("https://corp.example/simple/", "extra", 1),
        ("https://download.pytorch.org/whl/torch_stable.html", "find-links", 2),
    ]  # PyPI itself is not another index
    assert (indexes[0].login, indexes[0].password) == ("${CORP_USER}", "${CORP_TOKEN}")
    assert indexes[0].needs_credentials and not indexes[1].needs_credentials
    assert notes == ()


def test_a_literal_password_is_dropped_with_a_note_that_never_shows_it(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-i https://bob:hunter2@corp.example/simple\nflask==3.0\n")
    indexes, notes = _detect(tmp_path, ("requirements.txt",))
    assert indexes[0].url == "https://corp.example/simple" and not indexes[0].password
    assert len(notes) == 1 and "hunter2" not in notes[0] and "requirements.txt:1" in notes[0]
    assert split_credentials("https://${T}@h/simple") == ("https://h/simple", "${T}", "", False)


def test_registry_only_the_uv_lock_names(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "a"\n')
    (tmp_path / "uv.lock").write_text(
        'version = 1\n\n[[package]]\nname = "x"\nversion = "1"\n'
        'source = { registry = "https://mirror.example/simple" }\n\n'
        '[[package]]\nname = "y"\nversion = "1"\nsource = { registry = "https://pypi.org/simple" }\n'
    )
    indexes, _ = _detect(tmp_path, lock="uv.lock")
    assert [(i.url, i.role, str(i.evidence)) for i in indexes] == [
        ("https://mirror.example/simple", "extra", "uv.lock:6 (registry of a locked package)")
    ]


def test_pipfile_first_source_is_the_default(tmp_path: Path) -> None:
    (tmp_path / "Pipfile").write_text(
        '[[source]]\nname = "corp"\nurl = "https://corp.example/simple"\nverify_ssl = true\n\n'
        '[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = true\n'
    )
    indexes, _ = _detect(tmp_path)
    assert [(i.url, i.role) for i in indexes] == [("https://corp.example/simple", "default")]


def test_a_requirements_files_indexes_are_pips(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "--extra-index-url https://download.pytorch.org/whl/cpu\ntorch\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "a"\n\n[[tool.uv.index]]\nname = "corp"\nurl = "https://corp.example/simple/"\n'
    )
    indexes, _ = _detect(tmp_path, ("requirements.txt",))
    assert [(i.url, i.best_match) for i in indexes] == [
        ("https://corp.example/simple/", False),
        ("https://download.pytorch.org/whl/cpu", True),
    ]


def test_an_index_the_own_recipe_passes_to_pip_install(tmp_path: Path) -> None:
    """The project's own Dockerfile installs its requirements with the PyTorch CPU index (so its image
    has CPU torch): the plan's lock must resolve against it too. A pip line that installs something
    the project does not declare (a tool of the image) says nothing about the project's dependencies."""
    (tmp_path / "requirements.txt").write_text("fastapi\ntorch==2.2.0\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.11-slim\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt \\\n"
        "    --extra-index-url https://download.pytorch.org/whl/cpu\n"
        "RUN pip install ruff --index-url https://tools.example/simple/\n"
    )
    indexes, _ = _detect(tmp_path, ("requirements.txt",))
    assert [(i.url, i.role, i.best_match, i.evidence.file, i.evidence.line) for i in indexes] == [
        ("https://download.pytorch.org/whl/cpu", "extra", True, "Dockerfile", 3)
    ]
    assert "--extra-index-url" in indexes[0].evidence.detail


def test_a_setup_script_installing_a_declared_package_from_an_index(tmp_path: Path) -> None:
    """``pip install torch==2.2.0 --index-url .../cpu`` in the project's setup script: torch, which the
    requirements declare, comes from that index; the rest still from PyPI (an extra index, not the
    default). A README's line is documentation, not how the project installs."""
    (tmp_path / "requirements.txt").write_text("fastapi==0.110.0\ntorch==2.2.0\n")
    (tmp_path / "run.sh").write_text(
        "pip install fastapi\npip install torch==2.2.0 torchvision --index-url https://download.pytorch.org/whl/cpu\n"
    )
    (tmp_path / "README.md").write_text("pip install torch -i https://mirror.example/simple/\n")
    indexes, _ = _detect(tmp_path, ("requirements.txt",))
    assert [(i.url, i.role, i.evidence.file, i.evidence.line) for i in indexes] == [
        ("https://download.pytorch.org/whl/cpu", "extra", "run.sh", 2)
    ]


def test_recipe_indexes_only_for_requirements_files(tmp_path: Path) -> None:
    """A uv or Poetry project says its indexes in its own tables: a pip line of its Dockerfile is not read."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "a"\ndependencies = ["torch"]\n')
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.11-slim\nRUN pip install torch --index-url https://download.pytorch.org/whl/cpu\n"
    )
    assert _detect(tmp_path, (), "uv.lock")[0] == ()


POETRY_CPU = (
    '[project]\nname = "a"\nversion = "0.1.0"\ndependencies = ["torch (>=2.1,<3)", "six"]\n\n'
    "[tool.poetry]\npackage-mode = false\n\n"
    '[[tool.poetry.source]]\nname = "pytorch_cpu"\nurl = "https://download.pytorch.org/whl/cpu"\n'
    'priority = "explicit"\n\n'
    '[tool.poetry.dependencies]\ntorch = {source = "pytorch_cpu"}\n'
)


def test_a_poetry_pin_to_an_explicit_source_without_poetry_lock_is_said(tmp_path: Path) -> None:
    """Without poetry.lock the lock is resolved from [project] by uv, which does not read Poetry's
    ``source =`` pins: torch would come from PyPI (the CUDA build). The plan says so and how to keep it."""
    (tmp_path / "pyproject.toml").write_text(POETRY_CPU)
    _, notes = _detect(tmp_path, ("pyproject.toml",))
    assert len(notes) == 1
    assert "torch" in notes[0] and "pytorch_cpu" in notes[0] and "pyproject.toml:" in notes[0]
    assert "poetry lock" in notes[0]


def test_a_poetry_pin_with_its_lock_needs_no_note(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(POETRY_CPU)
    (tmp_path / "poetry.lock").write_text("")
    assert _detect(tmp_path, (), "poetry.lock")[1] == ()


def test_the_evidence_of_a_recipes_index_never_holds_its_password(tmp_path: Path) -> None:
    """The detail quotes the install line (plan.json, the plan's text): a URL's user info is redacted
    before the quote is cut, or the cut would leave the start of the password with no '@' to redact."""
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12\nRUN pip install -r requirements.txt "
        "--extra-index-url https://dev:s3cretvalue0123456789@pkgs.example.com/simple\n"
    )
    indexes, _ = _detect(tmp_path, ("requirements.txt",))
    (index,) = indexes
    assert index.url == "https://pkgs.example.com/simple"
    assert "s3cret" not in index.evidence.detail and "dev:" not in index.evidence.detail
    assert "https://***@" in index.evidence.detail
