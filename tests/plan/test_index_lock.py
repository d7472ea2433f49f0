"""The lock keeps the project's indexes (credential-free) and the build passes their credentials as a secret."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockwright import api
from dockwright.errors import LockError
from dockwright.indexauth import netrc_text, secret_netrc
from dockwright.lock.generate import index_options, strip_index_options
from dockwright.plan.common import NETRC_SECRET_MOUNT
from dockwright.project.facts import Evidence, PackageIndex

REPO = Path(__file__).resolve().parents[2]
HERE = Evidence("pyproject.toml", 3)


def test_generated_lock_names_the_indexes_and_no_credentials(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(REPO / "examples" / "private-index", project)
    api.init(project, syntax_directive=False)
    lock = (project / "requirements.lock").read_text()
    assert "--extra-index-url http://127.0.0.1:3144/simple/\n" in lock
    assert "--extra-index-url http://127.0.0.1:3144/cpu/\n" in lock
    assert "dwtorch==1.0+cpu \\\n    --hash=sha256:" in lock
    assert "dwmail==1.0" in lock  # the extras chain dwchain[full] -> dwleaf[email] -> dwmail
    assert "password" not in lock.lower() and "@" not in lock
    dockerfile = (project / "Dockerfile").read_text()
    assert NETRC_SECRET_MOUNT in dockerfile
    plan = api.plan(project)
    reason = next(d.reason for d in plan.decisions if d.topic == "lock")
    assert "UV_INDEX_DWLOCAL_PASSWORD" in reason and "[[tool.uv.index]] dwcpu" in reason


def test_a_project_without_indexes_gets_no_netrc_mount() -> None:
    plan = api.plan(REPO / "examples" / "flask-requirements")
    assert plan.lock.indexes == ()
    assert all(NETRC_SECRET_MOUNT not in step.flags for step in plan.builder_steps)


def test_index_options_and_strip() -> None:
    indexes = (
        PackageIndex("https://corp.example/simple", "default", HERE),
        PackageIndex("https://download.pytorch.org/whl/cpu", "extra", HERE),
        PackageIndex("https://example.org/wheels.html", "find-links", HERE),
    )
    text = index_options(indexes)
    assert text.splitlines()[1:] == [
        "--index-url https://corp.example/simple",
        "--extra-index-url https://download.pytorch.org/whl/cpu",
        "--find-links https://example.org/wheels.html",
    ]
    body = "--extra-index-url https://x.example/simple\n-i https://y\nflask==3.0 \\\n    --hash=sha256:ab\n"
    assert strip_index_options(body) == "flask==3.0 \\\n    --hash=sha256:ab\n"
    with pytest.raises(LockError):
        index_options((PackageIndex("https://a:b@corp.example/simple", "extra", HERE),))
    with pytest.raises(LockError):
        index_options((PackageIndex("https://corp.example/simple\n--trusted-host x", "extra", HERE),))


def test_netrc_from_the_environment_only_for_indexes_with_credentials(tmp_path: Path) -> None:
    indexes = (
        PackageIndex("https://corp.example/simple", "extra", HERE, "corp", False, "${U}", "${P}"),
        PackageIndex("https://public.example/simple", "extra", HERE),
        PackageIndex("https://other.example/simple", "extra", HERE, "o", False, "${OU}", "${OP}"),
    )
    assert (
        netrc_text(indexes, {"U": "bob", "P": "s3cret"}) == "machine corp.example login bob password s3cret\n"
    )
    with secret_netrc(indexes, {"U": "bob", "P": "s3cret"}) as secrets:
        ((ident, path),) = secrets
        assert ident == "netrc" and (Path(path).stat().st_mode & 0o777) == 0o600
    assert not Path(path).exists()
    with secret_netrc(indexes, {}) as none:
        assert none == ()


def test_uv_gets_named_indexes_as_config_and_the_others_as_flags() -> None:
    from dockwright.lock.compile import index_config, index_flags

    indexes = (
        PackageIndex("https://download.pytorch.org/whl/cpu", "extra", HERE, "pytorch-cpu", True),
        PackageIndex("https://corp.example/simple", "default", HERE, "corp"),
        PackageIndex("https://extra.example/simple", "extra", HERE),
        PackageIndex("https://example.org/wheels.html", "find-links", HERE),
    )
    config = index_config(indexes, default_given=False)
    assert config == (
        '[[index]]\nname = "pytorch-cpu"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n\n'
        '[[index]]\nname = "corp"\nurl = "https://corp.example/simple"\ndefault = true\n'
    )
    assert "default = true" not in index_config(indexes, default_given=True)
    assert index_flags(indexes, default_given=False) == [
        "--index",
        "https://extra.example/simple",
        "--find-links",
        "https://example.org/wheels.html",
    ]


def test_an_explicit_index_without_a_name_is_never_a_place_to_resolve_from() -> None:
    """Dependency confusion: uv's ``[[tool.uv.index]] explicit = true`` without a ``name`` can be pinned
    by no package; as ``--index`` it was searched before PyPI for every name (uv's first index wins), so
    a name it also lists (at any version) was locked from it. It serves nothing instead."""
    from dockwright.lock.compile import CompileOptions, compile_command, index_config, index_flags

    nameless = PackageIndex("https://corp.example/simple", "extra", HERE, explicit=True)
    assert index_flags((nameless,), default_given=False) == []
    assert index_config((nameless,), default_given=False) == ""
    command = compile_command("requirements.txt", "3.13.1", CompileOptions(indexes=(nameless,)))
    assert "https://corp.example/simple" not in command


def test_an_explicit_index_no_locked_package_comes_from_stays_out_of_the_lock(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "a"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = ["dwtorch==1.0+cpu"]\n\n'
        '[[tool.uv.index]]\nname = "cpu"\nurl = "https://download.pytorch.org/whl/cpu"\nexplicit = true\n\n'
        '[[tool.uv.index]]\nname = "cu126"\nurl = "https://download.pytorch.org/whl/cu126"\nexplicit = true\n\n'
        '[tool.uv.sources]\ndwtorch = [{ index = "cpu", group = "cpu" }, { index = "cu126", group = "cu126" }]\n'
    )
    (tmp_path / "uv.lock").write_text(
        'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "a"\nversion = "1"\n'
        'source = { virtual = "." }\ndependencies = [{ name = "dwtorch" }]\n\n'
        '[[package]]\nname = "dwtorch"\nversion = "1.0+cpu"\n'
        'source = { registry = "https://download.pytorch.org/whl/cpu" }\n'
        'wheels = [{ url = "https://download.pytorch.org/whl/dwtorch-1.0+cpu-py3-none-any.whl", '
        'hash = "sha256:eb4f382f5e1aadfc093d8f487c18ca917b2fe8f7bd835572fb1ba4c72871e880" }]\n'
    )
    (tmp_path / "job.py").write_text("if __name__ == '__main__':\n    print('ok')\n")
    api.init(tmp_path, syntax_directive=False)
    lock = (tmp_path / "requirements.lock").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu\n" in lock
    assert "cu126" not in lock


@pytest.mark.parametrize("strategy", ["uv", "pex", "pyinstaller"])
def test_every_strategy_mounts_the_netrc_for_the_projects_indexes(strategy: str) -> None:
    plan = api.plan(REPO / "examples" / "private-index", strategy=strategy)
    assert len(plan.lock.indexes) == 2, "dockwright build writes the secret from the plan's indexes"
    assert any(NETRC_SECRET_MOUNT in step.flags for step in plan.builder_steps)


def test_unset_credential_variables_are_named_never_valued() -> None:
    from dockwright.indexauth import missing_credentials

    indexes = (
        PackageIndex("https://corp.example/simple", "extra", HERE, "corp", False, "${U}", "${P}", True),
        PackageIndex("https://download.pytorch.org/whl/cpu", "extra", HERE, "t", True, "${TU}", "${TP}"),
    )
    (line,) = missing_credentials(indexes, {"U": "bob"})  # the public one by name convention only: quiet
    assert "P not set" in line and "bob" not in line
    assert missing_credentials(indexes, {"U": "bob", "P": "x"}) == ()


def test_poetry_explicit_source_reaches_the_converted_lock(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "a"\nversion = "1"\npackage-mode = false\n\n'
        '[tool.poetry.dependencies]\npython = ">=3.11"\ndwtorch = {version = "1.0+cpu", source = "pytorch-cpu"}\n\n'
        '[[tool.poetry.source]]\nname = "pytorch-cpu"\nurl = "https://download.pytorch.org/whl/cpu"\n'
        'priority = "explicit"\n\n[[tool.poetry.source]]\nname = "pytorch-cu126"\n'
        'url = "https://download.pytorch.org/whl/cu126"\npriority = "explicit"\n'
    )
    (tmp_path / "poetry.lock").write_text(
        '[[package]]\nname = "dwtorch"\nversion = "1.0+cpu"\ndescription = ""\noptional = false\n'
        'python-versions = "*"\nfiles = [\n    {file = "dwtorch-1.0+cpu-py3-none-any.whl", '
        'hash = "sha256:eb4f382f5e1aadfc093d8f487c18ca917b2fe8f7bd835572fb1ba4c72871e880"},\n]\n\n'
        '[package.source]\ntype = "legacy"\nurl = "https://download.pytorch.org/whl/cpu"\n'
        'reference = "pytorch-cpu"\n\n[metadata]\nlock-version = "2.0"\npython-versions = ">=3.11"\n'
        'content-hash = "0"\n'
    )
    (tmp_path / "job.py").write_text("if __name__ == '__main__':\n    print('ok')\n")
    plan = api.plan(tmp_path)
    assert [(i.url, i.explicit) for i in plan.lock.indexes] == [
        ("https://download.pytorch.org/whl/cpu", True),
        ("https://download.pytorch.org/whl/cu126", True),
    ]
    api.init(tmp_path, syntax_directive=False)
    lock = (tmp_path / "requirements.lock").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu\n" in lock and "cu126" not in lock
    assert "dwtorch==1.0+cpu \\" in lock


def test_a_requirements_files_indexes_look_past_the_first_index_yet_prefer_it() -> None:
    """pip reads a requirements file's ``--extra-index-url`` as one more place to look; uv's default takes
    a package only from the first index that has it, so a pin the extra index also lists at other
    versions (the PyTorch CPU index lists numpy) would fail. uv's unsafe-first-match looks past it for a
    version the extra index lacks, and never prefers PyPI's newer one of a name the extra index has
    (pip's best match over every index is dependency confusion: a private name published on PyPI at 99.0)."""
    from dockwright.lock.compile import CompileOptions, compile_command

    pip_read = PackageIndex("https://download.pytorch.org/whl/cpu", "extra", HERE, best_match=True)
    cmd = compile_command("requirements.txt", "3.13", CompileOptions(indexes=(pip_read,)))
    assert cmd[cmd.index("--index-strategy") + 1] == "unsafe-first-match"
    uv_named = PackageIndex("https://download.pytorch.org/whl/cpu", "extra", HERE, "pytorch-cpu", True)
    assert "--index-strategy" not in compile_command("-", "3.13", CompileOptions(indexes=(uv_named,)))


def _wheel_index(root: Path, packages: dict[str, str]) -> str:
    """A file:// simple index of empty pure wheels, one per (name, version)."""
    import base64
    import hashlib
    import zipfile

    for name, version in packages.items():
        folder = root / name
        folder.mkdir(parents=True)
        info = f"{name}-{version}.dist-info"
        files = {
            f"{name}/__init__.py": b"",
            f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
            f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        }
        record = "".join(
            f"{k},sha256={base64.urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b'=').decode()},{len(v)}\n"
            for k, v in files.items()
        )
        files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
        wheel = folder / f"{name}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            for member, data in files.items():
                archive.writestr(member, data)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        (folder / "index.html").write_text(f'<a href="{wheel.name}#sha256={digest}">{wheel.name}</a>\n')
    return root.as_uri()


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv not installed")
def test_a_name_the_extra_index_has_is_never_taken_from_the_default_index(tmp_path: Path) -> None:
    """Dependency confusion, resolved by uv itself offline: the project's extra index holds its private
    ``dwprivate`` 1.0, the default index (PyPI's place) the same name at 99.0; a pin the extra index lacks
    (``dwsix==1.17.0``, which it lists at 1.9.0) still comes from the default index."""
    import subprocess

    from dockwright.lock.compile import CompileOptions, compile_command

    extra = _wheel_index(tmp_path / "extra", {"dwprivate": "1.0", "dwsix": "1.9.0"})
    public = _wheel_index(tmp_path / "public", {"dwprivate": "99.0", "dwsix": "1.17.0"})
    (tmp_path / "requirements.txt").write_text("dwprivate\ndwsix==1.17.0\n")
    index = PackageIndex(extra, "extra", HERE, best_match=True)
    options = CompileOptions(index_url=public, indexes=(index,))
    cmd = compile_command(str(tmp_path / "requirements.txt"), "3.13", options)
    done = subprocess.run(
        [*cmd, "--offline", "--no-cache", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    pins = [line for line in done.stdout.splitlines() if "==" in line and not line.lstrip().startswith("#")]
    assert [p.split(" ")[0] for p in pins] == ["dwprivate==1.0", "dwsix==1.17.0"]
