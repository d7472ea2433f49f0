"""uv.lock packages from a direct URL (``source = { url = ... }``: a wheel or an sdist outside any index)
are converted as pip's direct references with their hashes, what ``uv export`` writes, never as
``name==version`` (the index has no such file, or another one under that version); a git source is
built from its commit (project/gitdeps.py), never pinned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dockwright.errors import LockError
from dockwright.lock.convert import convert
from dockwright.project.detect import detect_project
from dockwright.project.pinned_lines import read_pins
from uv_lock_text import REGISTRY, uv_entry

H = {k: f"sha256:{k * 64}" for k in "abcdef"}
WHEEL = "https://files.example.test/builds/fastc-3.0-cp312-cp312-linux_x86_64.whl"
ARM = "https://files.example.test/builds/fastc-3.0-cp312-cp312-linux_aarch64.whl"
SDIST = "https://files.example.test/src/tool-1.2.tar.gz"


def _lock(extra_source: str = "") -> str:
    return (
        "version = 1\n\n"
        + uv_entry("svc", "0.1", 'editable = "."', deps=_FASTC_DEPS)
        + uv_entry(
            "fastc",
            "3.0",
            REGISTRY,
            wheels=(("https://files.pythonhosted.org/fastc-3.0-py3-none-any.whl", H["a"]),),
        )
        + uv_entry("fastc", "3.0", f'url = "{ARM}"', wheels=((ARM, H["b"]),))
        + uv_entry("fastc", "3.0", f'url = "{WHEEL}"', wheels=((WHEEL, H["c"]),))
        + uv_entry("tool", "1.2", f'url = "{SDIST}"{extra_source}', sdist=f'hash = "{H["d"]}"')
    )


# the project's fastc: from the index, but on Python 3.12 the build of its machine from a URL
_FASTC_DEPS = f"""
    {{ name = "fastc", version = "3.0", source = {{ registry = "https://pypi.org/simple" }}, marker = "python_full_version != '3.12.*'" }},
    {{ name = "fastc", version = "3.0", source = {{ url = "{ARM}" }}, marker = "python_full_version == '3.12.*' and platform_machine == 'aarch64'" }},
    {{ name = "fastc", version = "3.0", source = {{ url = "{WHEEL}" }}, marker = "python_full_version == '3.12.*' and platform_machine == 'x86_64'" }},
    {{ name = "tool" }},
"""


def _write(tmp_path: Path, lock: str) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\n')
    (tmp_path / "uv.lock").write_text(lock)
    return tmp_path


def test_url_wheel_and_sdist_become_direct_references_with_their_hashes(tmp_path: Path) -> None:
    text = convert(_write(tmp_path, _lock()), "convert-uv", "uv.lock", "3.12.4")
    assert f"fastc @ {WHEEL} \\\n    --hash={H['c']}\n" in text
    assert f"tool @ {SDIST} \\\n    --hash={H['d']}\n" in text
    assert "==" not in text and ARM not in text and H["a"] not in text
    assert read_pins(text) == ()  # no index pin: the availability check does not look for them


def test_another_python_takes_the_index_entry(tmp_path: Path) -> None:
    text = convert(_write(tmp_path, _lock()), "convert-uv", "uv.lock", "3.13.1")
    assert f"fastc==3.0 \\\n    --hash={H['a']}\n" in text
    assert WHEEL not in text


def test_subdirectory_is_kept_in_the_reference(tmp_path: Path) -> None:
    lock = _lock(', subdirectory = "python"')
    text = convert(_write(tmp_path, lock), "convert-uv", "uv.lock", "3.12.4")
    assert f"tool @ {SDIST}#subdirectory=python \\\n" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///home/me/tool-1.2.tar.gz",
        "https://user:secret@files.example.test/tool-1.2.tar.gz",
        "https://files.example.test/tool 1.2.tar.gz",
        # a token or a signature in the query is a credential as much as user:password@ is
        "https://files.example.test/tool-1.2.tar.gz?private_token=secret",
        "https://bucket.example.test/tool-1.2.tar.gz?X-Amz-Credential=me&X-Amz-Signature=secret",
        "https://files.example.test/tool-1.2.tar.gz?v=1&sig=secret",
    ],
)
def test_a_url_pip_cannot_take_or_that_holds_credentials_is_refused_naming_the_package(
    tmp_path: Path, url: str
) -> None:
    lock = _lock().replace(SDIST, url)
    with pytest.raises(LockError, match=r"^uv\.lock: tool 1\.2 .*") as caught:
        convert(_write(tmp_path, lock), "convert-uv", "uv.lock", "3.12.4")
    assert "secret" not in str(caught.value) and "\n" not in str(caught.value)


SHA = "0123456789abcdef0123456789abcdef01234567"
GIT_LOCK = (
    "version = 1\n\n"
    + uv_entry("svc", "0.1", 'editable = "."', deps='{ name = "tool" }')
    + uv_entry(
        "tool",
        "1.2",
        REGISTRY,
        deps='{ name = "helper" }',
        wheels=(("https://files.example.test/tool-1.2-py3-none-any.whl", H["e"]),),
    )
    + uv_entry("helper", "0.3", f'git = "https://git.example.test/org/helper?rev=main#{SHA}"')
)


def test_a_dependencys_git_source_is_built_from_its_commit_not_pinned(
    make_project: Callable[[dict[str, str | bytes]], Path],
) -> None:
    """uv export writes ``helper @ git+URL@COMMIT`` without a hash, which a hash-checking install
    refuses: the converted lock leaves it out and the image builds it from that commit (gitdeps)."""
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1"\nrequires-python = ">=3.11"\n'
            'dependencies = ["tool"]\n',
            "uv.lock": GIT_LOCK,
            "app.py": "import tool\n",
        }
    )
    text = convert(root, "convert-uv", "uv.lock", "3.12.4")
    assert "helper" not in text and text.startswith("tool==1.2 ")
    (dep,) = detect_project(root, python="3.12").dependencies.git
    assert (dep.name, dep.url, dep.commit) == ("helper", "https://git.example.test/org/helper", SHA)
