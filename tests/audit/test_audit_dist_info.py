"""What installed distributions say about themselves (RECORD, Requires-Dist) decides two checks: a key a
published library ships unchanged is a warning, the app's own keys fail; installer tooling that an
installed distribution requires at run time is a dependency, not a leftover."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from audit_images import F, Img, app_layer, base_layer, serve

from dockwright import api
from dockwright.audit.checks import Status

SP = "opt/venv/lib/python3.11/site-packages"
VENV = {"Env": ["PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin", "PYTHONUNBUFFERED=1"]}
# our own example key: a library's docstring showing how to load a signing key (the shape of
# autobahn's cryptosign example), a PEM block on lines of its own
KEY_DOC = b'"""Load a key:\n\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"""\n'
TOKEN = "ghp_" + "Zx9" * 12


@pytest.fixture(autouse=True)
def _no_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dockwright.audit.checks.base.shutil.which", lambda _: None)


def audit(img: Img, **kw: Any):  # type: ignore[no-untyped-def]
    return api.audit("demo:1", engine=serve(img, "legacy"), **kw)


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def dist(
    name: str,
    version: str,
    files: dict[str, bytes],
    requires: tuple[str, ...] = (),
    direct_url: bool = False,
    recorded: dict[str, bytes] | None = None,
) -> list[F]:
    """An installed distribution: its files, METADATA (with a long description after the headers),
    RECORD (hashes of ``recorded``, default the files themselves) and, from a file, direct_url.json."""
    info = f"{SP}/{name}-{version}.dist-info"
    headers = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    headers += "".join(f"Requires-Dist: {r}\n" for r in requires)
    metadata = (headers + "\n" + "A long description.\n" * 50).encode()
    hashes = recorded if recorded is not None else files
    rows = [f"{path},{_record_hash(data)},{len(data)}" for path, data in hashes.items()]
    rows.append(f"{name}-{version}.dist-info/RECORD,,")
    out = [F(f"{SP}/{path}", data) for path, data in files.items()]
    out += [F(f"{info}/METADATA", metadata), F(f"{info}/RECORD", ("\n".join(rows) + "\n").encode())]
    if direct_url:
        out.append(F(f"{info}/direct_url.json", b'{"url": "file:///dist/x.whl", "archive_info": {}}'))
    return out


def image(extra: list[F], config: dict[str, Any] | None = None) -> Img:
    venv = [F("opt/venv/pyvenv.cfg", b"home = /usr/local/bin\n"), *extra]
    img = Img([base_layer(), app_layer(), venv])
    img.config.update(VENV)
    img.config.update(config or {})
    return img


# the app's hash-locked requirements, copied into the image with its tree: wampkit came from the index
LOCK = F("app/requirements.lock", b"wampkit==2.0 \\\n    --hash=sha256:" + b"ab" * 32 + b"\n")
SIGN = {"wampkit/sign.py": KEY_DOC}


def test_a_key_a_published_library_ships_unchanged_is_a_warning_naming_it() -> None:
    result = audit(image([*dist("wampkit", "2.0", SIGN), LOCK])).check("secrets")
    assert result.status is Status.WARN, result
    assert result.summary == "1 keys shipped unchanged by published distributions (wampkit-2.0)"
    assert "in wampkit-2.0's files, unchanged: its sha256 matches the RECORD" in result.evidence[0].detail


UV_LOCK = b"""version = 1
[[package]]
name = "wampkit"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
"""
POETRY_LOCK = b'[[package]]\nname = "WampKit"\nversion = "2.0"\n'
PYLOCK = b'lock-version = "1.0"\n[[packages]]\nname = "wampkit"\nversion = "2.0"\nindex = "https://pypi.org/simple"\n'


@pytest.mark.parametrize(
    "lock",
    [
        LOCK,
        F("requirements.txt", b"# a plain requirements file, the name unpinned\nwampkit>=1.0\n"),
        F("srv/uv.lock", UV_LOCK),
        F("app/poetry.lock", POETRY_LOCK),
        F("app/pylock.toml", PYLOCK),
    ],
    ids=["hashed", "unpinned", "uv", "poetry", "pylock"],
)
def test_a_lock_in_the_image_shows_the_index(lock: F) -> None:
    assert audit(image([*dist("wampkit", "2.0", SIGN), lock])).check("secrets").status is Status.WARN


LOCAL_UV = UV_LOCK.replace(
    b'registry = "https://pypi.org/simple"', b'path = "wheels/wampkit-2.0-py3-none-any.whl"'
)


@pytest.mark.parametrize(
    ("extra", "history"),
    [
        # no lock at all: a wheel installed by name from a --find-links folder leaves no direct_url.json
        ([], ""),
        # the lock names a folder of wheels beside the index: any name may come from it
        ([F("app/requirements.lock", b"--find-links ./wheels\nwampkit==2.0\n")], ""),
        # another version than the one installed
        ([F("app/requirements.lock", b"wampkit==1.9\n")], ""),
        # uv.lock: from a file
        ([F("app/uv.lock", LOCAL_UV)], ""),
        # the build installed from a folder, whatever the requirements file says
        ([LOCK], "RUN /bin/sh -c pip install --no-index --find-links /wheels -r requirements.lock"),
        # the project's own distribution, by its pyproject.toml
        ([LOCK, F("app/pyproject.toml", b'[project]\nname = "wampkit"\nversion = "2.0"\n')], ""),
        # a library's own requirements file vouches for nothing
        ([F(f"{SP}/otherlib/requirements.txt", b"wampkit==2.0\n")], ""),
    ],
    ids=["no-lock", "find-links", "other-version", "uv-path", "history", "own-project", "library-file"],
)
def test_an_unsure_origin_fails_and_says_why(extra: list[F], history: str) -> None:
    img = image([*dist("wampkit", "2.0", SIGN), *extra])
    if history:
        img.history = [{"created_by": history, "created": "2026-01-01T00:00:00Z"}]
    result = audit(img).check("secrets")
    assert result.status is Status.FAIL, result
    detail = result.evidence[0].detail
    assert "in wampkit-2.0, " in detail and ("project's own" in detail), detail
    assert KEY_DOC.decode() not in detail and "b3BlbnNzaC1rZXktdjEAAAAA" not in detail


def test_a_distributions_own_test_key_unchanged_is_a_warning_whatever_its_origin() -> None:
    """An image whose lock stayed in the builder stage (dockwright's: the runtime has the venv only) shows
    no origin: a key in the distribution's own tests folder, as its RECORD lists it, is test material."""
    keys = {"twistedish/test/server_key.py": KEY_DOC}
    result = audit(image(dist("twistedish", "26.1", keys))).check("secrets")
    assert result.status is Status.WARN, result
    assert "in twistedish-26.1's test files, unchanged" in result.evidence[0].detail
    edited = dist("twistedish", "26.1", keys, recorded={"twistedish/test/server_key.py": b"other"})
    assert audit(image(edited)).check("secrets").status is Status.FAIL
    own = dist("twistedish", "26.1", keys, direct_url=True)  # the project's own wheel, from a file
    assert audit(image(own)).check("secrets").status is Status.FAIL


@pytest.mark.parametrize(
    ("files", "said"),
    [
        # the file was edited after install: RECORD's hash is of other bytes
        (
            dist("wampkit", "2.0", {"wampkit/sign.py": KEY_DOC}, recorded={"wampkit/sign.py": b"x = 1\n"}),
            "changed after install",
        ),
        # the project's own wheel: installed from a file (PEP 610), its bytes are on no index
        (dist("ledger", "1.0", {"ledger/keys.py": KEY_DOC}, direct_url=True), "the project's own"),
        # in site-packages, but no RECORD lists it (written there by the build)
        ([*dist("wampkit", "2.0", {"wampkit/__init__.py": b""}), F(f"{SP}/wampkit/sign.py", KEY_DOC)], ""),
        # the app's own tree
        ([F("app/deploy/sign.py", KEY_DOC)], ""),
    ],
)
def test_keys_no_published_distribution_vouches_for_fail(files: list[F], said: str) -> None:
    result = audit(image(files)).check("secrets")
    assert result.status is Status.FAIL, result
    assert said in result.evidence[0].detail


def test_a_rewritten_copy_of_a_published_file_is_still_the_published_bytes() -> None:
    """A ``chown -R`` in a later layer copies the file: both copies match the RECORD."""
    files = dist("wampkit", "2.0", {"wampkit/sign.py": KEY_DOC})
    img = image([*files, LOCK])
    img.layers.append([F(f"{SP}/wampkit/sign.py", KEY_DOC, uid=10001)])
    result = audit(img).check("secrets")
    assert result.status is Status.WARN, result
    assert "(2 copies: rewritten in a later layer)" in result.summary


def test_tokens_in_the_environment_and_the_build_history_fail_without_being_printed() -> None:
    img = image([], {"Env": [*VENV["Env"], f"GITHUB_TOKEN={TOKEN}"]})
    img.history = [
        {"created_by": "RUN step 0", "created": "2026-01-01T00:00:00Z"},
        {"created_by": f"RUN |1 TOKEN={TOKEN} /bin/sh -c pip install .", "created": "2026-01-01T00:00:00Z"},
        {"created_by": "RUN step 2", "created": "2026-01-01T00:00:00Z"},
        {"created_by": f"ENV GITHUB_TOKEN={TOKEN}", "created": "2026-01-01T00:00:00Z", "empty_layer": True},
    ]
    result = audit(img).check("secrets")
    assert result.status is Status.FAIL, result
    assert [ev.path for ev in result.evidence] == ["ENV GITHUB_TOKEN", "history step 2 (RUN)"]
    assert all(TOKEN not in f"{ev.path} {ev.detail}" for ev in result.evidence)


TOOL = {"setuptools/__init__.py": b"x = 1\n" * 100}


@pytest.mark.parametrize(
    "requires",
    [("setuptools>=3.0",), ('setuptools; python_version >= "3.8"',)],
)
def test_setuptools_an_installed_distribution_requires_is_kept(requires: tuple[str, ...]) -> None:
    files = [
        *dist("setuptools", "80.0.0", TOOL),
        *dist("gunicorn", "20.1.0", {"gunicorn/util.py": b""}, requires),
    ]
    result = audit(image(files)).check("pip-in-runtime")
    assert result.status is Status.PASS, result
    assert result.summary == (
        "in the app's venv /opt/venv: setuptools needed at run time by gunicorn-20.1.0 (Requires-Dist), kept"
    )


@pytest.mark.parametrize(
    "files",
    [
        # nothing requires it
        dist("flask", "3.0.0", {"flask/__init__.py": b""}, ("werkzeug>=3",)),
        # only an optional feature (an extra) requires it
        dist("gunicorn", "23.0.0", {"gunicorn/util.py": b""}, ('setuptools; extra == "setproctitle"',)),
        # only for another Python
        dist("oldlib", "1.0", {"oldlib/__init__.py": b""}, ('setuptools; python_version < "3.0"',)),
        # only installer tooling requires it (wheel is left over as well)
        dist("wheel", "0.40.0", {"wheel/__init__.py": b""}, ("setuptools",)),
    ],
)
def test_setuptools_nothing_requires_at_run_time_is_left_over_tooling(files: list[F]) -> None:
    result = audit(image([*dist("setuptools", "80.0.0", TOOL), *files])).check("pip-in-runtime")
    assert result.status is Status.WARN, result
    assert "left-over installer tooling" in result.summary
    assert f"/{SP}/setuptools" in [ev.path for ev in result.evidence]


def test_setuptools_an_old_release_imports_without_declaring_it_is_kept() -> None:
    """dockwright's pkg_resources_users table: a release before the row's ``before`` needs it."""
    files = [*dist("setuptools", "80.0.0", TOOL), *dist("drf_yasg", "1.21.7", {"drf_yasg/__init__.py": b""})]
    result = audit(image(files)).check("pip-in-runtime")
    assert result.status is Status.PASS, result
    assert "setuptools needed at run time by drf-yasg-1.21.7 (imports pkg_resources), kept" in result.summary
    fixed = [*dist("setuptools", "80.0.0", TOOL), *dist("drf_yasg", "1.21.11", {"drf_yasg/__init__.py": b""})]
    assert audit(image(fixed)).check("pip-in-runtime").status is Status.WARN
