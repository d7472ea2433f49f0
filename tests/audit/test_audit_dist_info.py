"""What installed distributions say about themselves (RECORD, Requires-Dist) decides two checks: a key a
published library ships unchanged is a warning, the app's own keys fail; installer tooling that an
installed distribution requires at run time is a dependency, not a leftover."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
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
    direct_url: bool | bytes = False,
    recorded: dict[str, bytes] | None = None,
) -> list[F]:
    """An installed distribution: its files, METADATA (with a long description after the headers),
    RECORD (hashes of ``recorded``, default the files themselves) and, from a file, direct_url.json
    (``direct_url``: True for a wheel file's, or the file's own bytes)."""
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
        text = (
            direct_url
            if isinstance(direct_url, bytes)
            else b'{"url": "file:///dist/x.whl", "archive_info": {}}'
        )
        out.append(F(f"{info}/direct_url.json", text))
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
        # uv.lock: a local flat index (`find-links`, `format = "flat"`) is written as a `registry` too
        ([F("app/uv.lock", UV_LOCK.replace(b"https://pypi.org/simple", b"./wheels"))], ""),
    ],
    ids=[
        *("no-lock", "find-links", "other-version", "uv-path", "history", "own-project", "library-file"),
        "uv-flat-index",
    ],
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


# --- with --context: the project's lock shows where a package project's dependencies came from ---

# apprise's GitHub plugin documents the token's shape in a comment: a placeholder, published on PyPI
PLACEHOLDER = b"# the token looks like: github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDE\n"
NOTES = {"noteskit/plugins/github.py": PLACEHOLDER}
HASH = b" \\\n    --hash=sha256:" + b"cd" * 32 + b"\n"
# dockwright's image of a package project: the locked dependencies, then the app's own wheel, installed
# from a file (PEP 610 direct_url.json); the runtime carries no lock
APP_WHEEL = dist("pingnote", "0.1.0", {"pingnote/main.py": b"print('hi')\n"}, direct_url=True)
PYPROJECT = (
    b'[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
    b'[project]\nname = "pingnote"\nversion = "0.1.0"\ndependencies = ["noteskit==2.3"]\n'
)


def _context(root: Path, files: dict[str, bytes]) -> Path:
    every = {"pyproject.toml": PYPROJECT, "requirements.lock": b"noteskit==2.3" + HASH, **files}
    for name, data in every.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_a_placeholder_in_a_library_the_contexts_lock_pins_is_a_warning(tmp_path: Path) -> None:
    """The image of a package project ships no lock: without --context nothing shows the index (the
    secure default fails); the context's hash-lock pins the library at the installed version."""
    img = image([*dist("noteskit", "2.3", NOTES), *APP_WHEEL])
    assert audit(img).check("secrets").status is Status.FAIL
    result = audit(img, context=_context(tmp_path, {})).check("secrets")
    assert result.status is Status.WARN, result
    assert result.summary == "1 keys shipped unchanged by published distributions (noteskit-2.3)"
    assert "in noteskit-2.3's files, unchanged" in result.evidence[0].detail


def test_dockwrights_own_recipe_installs_from_no_folder(tmp_path: Path) -> None:
    """Its wheel stage builds and installs the app's wheel offline (``--no-index``, from a file: the
    app's ``direct_url.json``); no find-links source, no ``-f`` of pip's (``rm -f`` is none)."""
    recipe = (
        b"FROM python:3.13-slim AS wheel\nRUN pip wheel --no-index --no-deps --wheel-dir /dist . \\\n"
        b"    && python -m venv --without-pip /opt/venv && rm -f /tmp/x \\\n"
        b'    && /opt/venv/bin/python "$pip_runner" install --no-index --no-deps --root /app-root /dist/*.whl\n'
        b"FROM python:3.13-slim AS builder\n"
        b"RUN uv pip install --python /opt/venv/bin/python --require-hashes --no-deps -r requirements.lock\n"
    )
    img = image([*dist("noteskit", "2.3", NOTES), *APP_WHEEL])
    result = audit(img, context=_context(tmp_path, {"Dockerfile": recipe})).check("secrets")
    assert result.status is Status.WARN, result


@pytest.mark.parametrize(
    "dists",
    [
        # the app's own wheel, installed from a file: its token is the project's own
        dist("pingnote", "0.1.0", {"pingnote/main.py": PLACEHOLDER}, direct_url=True),
        # named by the context's pyproject.toml, even installed by name and pinned by a lock
        dist("pingnote", "0.1.0", {"pingnote/main.py": PLACEHOLDER}),
    ],
    ids=["wheel-file", "by-name"],
)
def test_the_projects_own_package_with_a_token_still_fails(tmp_path: Path, dists: list[F]) -> None:
    context = _context(tmp_path, {"requirements.lock": b"noteskit==2.3" + HASH + b"pingnote==0.1.0" + HASH})
    result = audit(image([*dist("noteskit", "2.3", {"noteskit/__init__.py": b""}), *dists]), context=context)
    secrets = result.check("secrets")
    assert secrets.status is Status.FAIL, secrets
    assert "in pingnote-0.1.0, " in secrets.evidence[0].detail
    assert "the project's own" in secrets.evidence[0].detail


@pytest.mark.parametrize(
    "files",
    [
        # the lock installs from a folder of wheels beside the index (dockwright's local wheels)
        {"requirements.lock": b"--find-links ./wheels\nnoteskit==2.3" + HASH},
        # the recipe passes the folder, in a builder stage the image's history does not show
        {"Dockerfile": b"FROM python AS builder\nRUN pip install \\\n    -f /wheels -r requirements.lock\n"},
        {"docker/prod.Dockerfile": b"FROM python AS builder\nENV PIP_FIND_LINKS=/wheels\n"},
        # pip's or uv's configuration names one
        {"pip.conf": b"[global]\nfind-links = /src/wheels\n"},
        {"uv.toml": b'[[index]]\nname = "local"\nurl = "./wheels"\nformat = "flat"\n'},
        # another version than the one installed
        {"requirements.lock": b"noteskit==2.2" + HASH},
        # uv.lock: a local flat index is a `registry` source by a path
        {
            "requirements.lock": b"",
            "uv.lock": UV_LOCK.replace(b"wampkit", b"noteskit")
            .replace(b"2.0", b"2.3")
            .replace(b"https://pypi.org/simple", b"wheels"),
        },
    ],
    ids=[
        "lock-find-links",
        "dockerfile-f",
        "dockerfile-env",
        "pip-conf",
        "uv-flat",
        "other-version",
        "uv-lock",
    ],
)
def test_a_wheel_from_a_local_folder_still_counts_as_not_published(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    img = image([*dist("noteskit", "2.3", NOTES), *APP_WHEEL])
    result = audit(img, context=_context(tmp_path, files)).check("secrets")
    assert result.status is Status.FAIL, result
    assert "in noteskit-2.3, which no lock" in result.evidence[0].detail


@pytest.mark.parametrize(
    "direct_url",
    [
        b'{"url": "file:///src/wheels/noteskit-2.3-py3-none-any.whl", "archive_info": {}}',
        b'{"url": "file:///src/libs/noteskit", "dir_info": {}}',
        b'{"url": "https://github.com/acme/noteskit", "vcs_info": {"vcs": "git", "commit_id": "'
        + b"a" * 40
        + b'"}}',
    ],
    ids=["wheel-path", "folder", "git"],
)
def test_a_direct_url_install_counts_as_local_whatever_the_lock_pins(
    tmp_path: Path, direct_url: bytes
) -> None:
    """PEP 610: pip and uv write direct_url.json only for a direct reference (a path, a URL, a VCS
    checkout), never for a download by name from an index: the lock's pin at that version is not what
    was installed."""
    img = image([*dist("noteskit", "2.3", NOTES, direct_url=direct_url), *APP_WHEEL, LOCK])
    result = audit(img, context=_context(tmp_path, {})).check("secrets")
    assert result.status is Status.FAIL, result
    assert "in noteskit-2.3, installed from a file, folder or URL" in result.evidence[0].detail
