"""Git dependencies end to end without an engine: ``init`` resolves a branch to a commit (the generated
lock records it in a comment, the package's own dependencies hashed), the Dockerfile fetches that commit
with BuildKit's git source and builds it as a wheel in the builder; a moved branch changes nothing until
the lock is regenerated; an unreachable repository is one line; other strategies refuse
(project/gitdeps.py, lock/gitlines.py, plan/gitdeps.py).

The repository is served by a dumb-HTTP file server on 127.0.0.1 (what the build would reach with
``--network host`` here: github.com is not reachable from this machine's builds)."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dockwright.errors import LockError, PlanError
from dockwright.initialize import init_project, plan_project, unresolved_git
from dockwright.lock.compile import CompileOptions
from dockwright.lock.gitlines import git_lines_to_comments
from dockwright.lock.gitsource import FALLBACK, requires_of
from dockwright.plan.gitdeps import fetch_url, steps
from dockwright.plan.strategies.base import PlanOptions
from dockwright.project.facts import Evidence, GitDependency, PackageIndex
from dockwright.project.gitdeps import pure_built

SHA = "ecf4e8e5d01a42ea1fbcaa22d7279c5d31b8527b"

# An in-tree PEP 517 backend (no build requirement to download): the package's metadata and wheel.
BACKEND = """\
import base64, hashlib, os, zipfile
DIST = "greet-0.1.0.dist-info"
META = "Metadata-Version: 2.1\\nName: greet\\nVersion: 0.1.0\\nRequires-Dist: alpha==1.0\\n"
WHEEL = "Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
def get_requires_for_build_wheel(config_settings=None):
    return []
def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    os.makedirs(os.path.join(metadata_directory, DIST), exist_ok=True)
    with open(os.path.join(metadata_directory, DIST, "METADATA"), "w") as f:
        f.write(META)
    return DIST
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "greet-0.1.0-py3-none-any.whl"
    files = {"greet/__init__.py": "", DIST + "/METADATA": META, DIST + "/WHEEL": WHEEL}
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
            digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
            record.append(f"{path},sha256={digest.decode()},{len(text)}")
        z.writestr(DIST + "/RECORD", "\\n".join(record + [DIST + "/RECORD,,"]) + "\\n")
    return name
"""
PYPROJECT = (
    '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n'
    '[project]\nname = "greet"\nversion = "0.1.0"\ndependencies = ["alpha==1.0"]\n'
)
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _commit(work: Path, served: Path, message: str) -> str:
    _git("add", "-A", cwd=work)
    _git("commit", "-q", "-m", message, cwd=work)
    _git("push", "-q", str(served), "HEAD:main", cwd=work)
    _git("update-server-info", cwd=served)  # what a dumb-HTTP client reads
    return _git("rev-parse", "HEAD", cwd=work)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """(URL, work tree, bare repository) of a git repository served over HTTP on 127.0.0.1."""
    work, bare = tmp_path / "greet", tmp_path / "srv" / "greet.git"
    work.mkdir()
    bare.parent.mkdir()
    (work / "backend.py").write_text(BACKEND)
    (work / "pyproject.toml").write_text(PYPROJECT)
    (work / "greet").mkdir()
    (work / "greet" / "__init__.py").write_text("")
    _git("init", "-q", "-b", "main", cwd=work)
    _git("init", "-q", "--bare", str(bare), cwd=tmp_path)
    _commit(work, bare, "first")
    handler = functools.partial(QuietHandler, directory=str(bare.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/greet.git", work, bare
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _app(root: Path, requirement: str) -> Path:
    root.mkdir()
    (root / "requirements.txt").write_text(f"{requirement}\n")
    (root / "main.py").write_text("import greet\n")
    return root


def _options(tmp_path: Path, make_wheel: Callable[..., Path]) -> CompileOptions:
    index = tmp_path / "index"
    index.mkdir(exist_ok=True)
    make_wheel(index, "alpha", "1.0")
    return CompileOptions(find_links=(str(index),), no_index=True)


CLI = {"start": "python main.py", "python": "3.13"}


def test_init_pins_a_branch_to_its_commit_and_the_dockerfile_fetches_it(
    tmp_path: Path, make_wheel: Callable[..., Path], served: tuple[str, Path, Path]
) -> None:
    url, work, bare = served
    head = _git("rev-parse", "HEAD", cwd=work)
    root = _app(tmp_path / "app", f"greet @ git+{url}@main")
    before = plan_project(root, CLI)
    assert before.facts.dependencies.git[0].commit is None
    assert any("names git ref main, not a commit" in w for w in before.warnings)

    init_project(root, CLI, compile_options=_options(tmp_path, make_wheel))
    lock = (root / "requirements.lock").read_text()
    assert f"# built from git: greet @ git+{url}@{head}\n" in lock
    assert "alpha==1.0 \\\n    --hash=sha256:" in lock  # the git package's dependency, hashed
    assert "\ngreet @" not in lock  # no unhashed requirement for --require-hashes to refuse
    dockerfile = (root / "Dockerfile").read_text()
    assert f"ADD --keep-git-dir=false {url}#{head} /git/greet\n" in dockerfile
    # its in-tree backend needs nothing: read from the commit, recorded, built offline and not isolated
    assert "# git build requires: greet []\n" in lock and not (root / "requirements-build.lock").exists()
    assert (
        "pip wheel --no-index --no-deps --no-build-isolation --wheel-dir /git-wheels /git/greet" in dockerfile
    )
    assert "--no-index --no-deps /git-wheels/*.whl" in dockerfile
    after = plan_project(root, CLI)
    (dep,) = after.facts.dependencies.git
    assert dep.commit == head and dep.evidence[-1].file == "requirements.lock"
    decision = after.decision("git-dependencies")
    assert decision is not None and f"main resolved to commit {head} (requirements.lock:" in decision.reason
    assert not any("not a commit" in w for w in after.warnings)

    # the branch moves: the image keeps the commit the lock recorded until init --force
    (work / "greet" / "__init__.py").write_text("MOVED = True\n")
    moved = _commit(work, bare, "second")
    assert moved != head
    assert plan_project(root, CLI).facts.dependencies.git[0].commit == head
    init_project(root, CLI, compile_options=_options(tmp_path, make_wheel), force=True)
    assert f"{url}#{moved} /git/greet" in (root / "Dockerfile").read_text()


def test_an_unreachable_repository_with_a_branch_is_one_line(
    tmp_path: Path, make_wheel: Callable[..., Path]
) -> None:
    root = _app(tmp_path / "app", "greet @ git+http://127.0.0.1:9/org/greet.git@main")
    with pytest.raises(LockError) as raised:
        init_project(root, CLI, dry_run=True, compile_options=_options(tmp_path, make_wheel))
    message = str(raised.value)
    assert message.startswith(
        "requirements.txt:1: greet names git ref main of http://127.0.0.1:9/org/greet.git"
    )
    assert "not a commit" in message and "pin the commit" in message and "\n" not in message


def test_a_commit_is_planned_as_is_and_other_strategies_refuse(tmp_path: Path) -> None:
    root = _app(tmp_path / "app", f"greet @ git+https://github.com/org/greet@{SHA}")
    plan = plan_project(root, CLI)
    (add,) = [s for s in plan.builder_steps if s.instruction == "ADD"]
    assert add.args == (f"https://github.com/org/greet.git#{SHA}", "/git/greet")
    assert add.flags == ("--keep-git-dir=false",)
    assert not any("not a commit" in w for w in plan.warnings)
    with pytest.raises(PlanError, match="installs greet from git: the slim strategy builds them"):
        plan_project(root, {**CLI, "strategy": "pex"})


def test_a_private_ssh_repository_goes_through_buildkit_not_a_layer(tmp_path: Path) -> None:
    root = _app(tmp_path / "app", f"git+ssh://git@github.com/org/private.git@{SHA}#egg=private")
    plan = plan_project(root, CLI)
    (add,) = [s for s in plan.builder_steps if s.instruction == "ADD"]
    assert add.args[0] == f"ssh://git@github.com/org/private.git#{SHA}"
    decision = plan.decision("git-dependencies")
    assert decision is not None and "--ssh default" in decision.reason and "GIT_AUTH_TOKEN" in decision.reason
    every = [*plan.builder_steps, *plan.runtime_steps]
    assert not [s for s in every if s.instruction == "ARG" and "TOKEN" in " ".join(s.args)]


def test_the_lock_keeps_git_lines_as_comments_and_refuses_a_ref() -> None:
    body = (
        f"alpha==1.0 \\\n    --hash=sha256:{'a' * 64}\n    # via greet\n"
        f"greet @ git+https://h.example/greet@{SHA}\n    # via -r requirements.txt\n"
    )
    kept = git_lines_to_comments(body, "requirements.txt")
    assert kept.endswith(f"# built from git: greet @ git+https://h.example/greet@{SHA}\n")
    assert "via -r" not in kept
    with pytest.raises(LockError, match="not a commit"):
        git_lines_to_comments("greet @ git+https://h.example/greet@main\n", "requirements.txt")


def test_the_fetch_url_names_a_repository_buildkit_recognises() -> None:
    dep = GitDependency("greet", "https://github.com/org/greet", "main", SHA)
    assert fetch_url(dep) == "https://github.com/org/greet.git"
    assert fetch_url(GitDependency("g", "https://h.example/g.git/", None, SHA)) == "https://h.example/g.git"


def test_a_resolver_error_that_is_not_the_fetch_keeps_its_own_reason(tmp_path: Path) -> None:
    # a real trial: the repository was fetched, but a dependency had no wheel for the target Python;
    # the one-line "could not reach it" blamed the repository
    root = _app(tmp_path / "app", "greet @ git+http://127.0.0.1:9/greet.git@main")
    facts = plan_project(root, CLI).facts
    wheels = LockError("Because all versions of markupsafe have no wheels with a matching Python ABI tag")
    assert unresolved_git(facts, wheels) is None
    fetch = LockError("Git operation failed\nfatal: unable to access 'http://127.0.0.1:9/greet.git/'")
    found = unresolved_git(facts, fetch)
    assert found is not None and "not a commit" in found.message


def test_the_commits_build_backend_is_hash_locked_and_the_wheel_built_offline(
    tmp_path: Path, make_wheel: Callable[..., Path], served: tuple[str, Path, Path]
) -> None:
    url, work, bare = served
    (work / "pyproject.toml").write_text(PYPROJECT.replace("requires = []", 'requires = ["beta>=1"]'))
    head = _commit(work, bare, "a backend requirement")
    root = _app(tmp_path / "app", f"greet @ git+{url}@main")
    options = _options(tmp_path, make_wheel)
    make_wheel(Path(options.find_links[0]), "beta", "1.5")
    init_project(root, CLI, compile_options=options)
    lock = (root / "requirements.lock").read_text()
    assert f'@{head}\n# git build requires: greet ["beta>=1"]\n' in lock  # read from the commit
    build_lock = (root / "requirements-build.lock").read_text()
    assert "beta==1.5 \\\n    --hash=sha256:" in build_lock
    assert "# dockwright-source: requirements.lock " in build_lock  # a file that exists: not stale
    dockerfile = (root / "Dockerfile").read_text()
    backend = dockerfile.index("COPY requirements-build.lock ./")
    assert backend < dockerfile.index("ADD --keep-git-dir=false") < dockerfile.index("--no-build-isolation")
    plan = plan_project(root, CLI)
    (dep,) = plan.facts.dependencies.git
    assert dep.build_requires == ("beta>=1",)
    decision = plan.decision("git-dependencies")
    assert decision is not None and "(beta>=1, read from each commit) hash-locked" in decision.reason
    assert not any("stale" in w for w in plan.warnings)


def test_a_commit_without_a_build_system_gets_pips_fallback() -> None:
    assert requires_of("") == FALLBACK == requires_of('[project]\nname = "x"\n')
    assert requires_of('[build-system]\nrequires = ["hatchling>=1.2", "hatch-vcs"]\n') == (
        "hatchling>=1.2",
        "hatch-vcs",
    )


def test_a_pure_python_backend_needs_no_builder_toolchain() -> None:
    dep = GitDependency(
        "greet", "https://h.example/greet.git", "main", SHA, build_requires=("hatchling>=1.2",)
    )
    assert pure_built(dep) and pure_built(dataclasses.replace(dep, build_requires=("flit_core>=3.4,<4",)))
    assert not pure_built(dataclasses.replace(dep, build_requires=("hatchling", "hatch-cython")))
    assert not pure_built(dataclasses.replace(dep, build_requires=("setuptools>=61",)))
    assert not pure_built(dataclasses.replace(dep, build_requires=None))  # not read yet: maybe compiles


def test_an_explicit_index_serves_no_build_backend_of_a_git_package(tmp_path: Path) -> None:
    """Dependency confusion: the git packages' wheels are built in isolation, their backend fetched
    without a hash; an explicit index (uv's ``explicit``, Poetry's ``priority = "explicit"``) serves only
    the packages pinned to it, so it is never one more place to look for that backend (a ``setuptools``
    it lists at a higher version would win). Before: ``--extra-index-url`` named it too."""
    root = _app(tmp_path / "app", f"greet @ git+https://github.com/org/greet@{SHA}")
    plan = plan_project(root, CLI)
    where = Evidence("pyproject.toml", 9, "[[tool.poetry.source]] corp (explicit)")
    corp = PackageIndex("https://corp.example/simple/", "extra", where, name="corp", explicit=True)
    mirror = PackageIndex("https://mirror.example/simple/", "default", where, name="mirror")
    planned = dataclasses.replace(plan, lock=dataclasses.replace(plan.lock, indexes=(mirror, corp)))
    (wheel,) = [s for s in steps(planned, PlanOptions()) if "pip wheel" in " ".join(s.args)]
    command = " ".join(wheel.args)
    assert "--index-url https://mirror.example/simple/" in command
    assert "corp.example" not in command


def test_an_index_url_is_one_shell_word_in_the_wheel_build(tmp_path: Path) -> None:
    """An index URL the project writes (a query with ``&``, or shell text) reaches the ``pip wheel`` RUN
    as one quoted word: nothing of it runs as a command or splits the line."""
    import shlex

    root = _app(tmp_path / "app", f"greet @ git+https://github.com/org/greet@{SHA}")
    plan = plan_project(root, CLI)
    where = Evidence("pyproject.toml", 9, "[[tool.uv.index]] mirror")
    url = "https://mirror.example/simple/?a=1&b=$(touch /tmp/x);c"
    mirror = PackageIndex(url, "default", where, name="mirror")
    planned = dataclasses.replace(plan, lock=dataclasses.replace(plan.lock, indexes=(mirror,)))
    (wheel,) = [s for s in steps(planned, PlanOptions()) if "pip wheel" in " ".join(s.args)]
    command = " ".join(wheel.args)
    assert f"--index-url {shlex.quote(url)}" in command
