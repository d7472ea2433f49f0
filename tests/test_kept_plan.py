"""The plan of a build is kept per project and options, and reused only while everything its planning
read still holds (dockwright/kept_plan.py, dockwright/readset.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dockwright import api, initialize, kept_plan, readset
from dockwright import errors as api_errors
from dockwright.cli import main

REPO = Path(__file__).resolve().parents[1]
SECRET_TOKEN = "tok-5ecret-9f8e7d6c"
# what `dockwright build` passes api.build besides its planning options
_BUILD_ARGUMENTS = frozenset(
    {
        "tag",
        "platforms",
        "output",
        "target",
        "no_cache",
        "index_url",
        "network",
        "engine",
        "on_step",
        "on_warning",
        "build_options",
        "fresh_plan",
    }
)


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Kept plans on, in a cache folder of the test's own; the folder they go to."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "on")
    return tmp_path / "cache" / "dockwright" / "plans"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A Flask app of our own, with a notes folder planning lists but never reads."""
    root = tmp_path / "app"
    shutil.copytree(REPO / "examples" / "flask-requirements", root)
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("first\n")
    return root


@pytest.fixture
def detections(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every detection planning runs (the project folder each time)."""
    seen: list[Path] = []
    real = initialize.detect

    def spy(root: Path, *args: Any, **kwargs: Any) -> Any:
        seen.append(root)
        return real(root, *args, **kwargs)

    monkeypatch.setattr(initialize, "detect", spy)
    return seen


def planned(root: Path, fresh: bool = False, **options: Any) -> Any:
    return api._kept_plan_for_build(root, options, None, fresh)


def entries(plans: Path) -> list[Path]:
    return sorted(plans.glob("*.plan")) if plans.is_dir() else []


def test_an_unchanged_project_is_not_planned_again(
    plans: Path, project: Path, detections: list[Path]
) -> None:
    first = planned(project)
    assert detections and len(entries(plans)) == 1
    detections.clear()
    again = planned(project)
    assert detections == []
    assert again == first


def test_a_file_planning_did_not_read_changes_nothing(
    plans: Path, project: Path, detections: list[Path]
) -> None:
    planned(project)
    detections.clear()
    (project / "notes" / "todo.txt").write_text("first\nsecond\n")
    planned(project)
    assert detections == []


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "app.py").write_text((root / "app.py").read_text() + "\n# edited\n"),
        lambda root: (root / "Procfile").write_text("web: gunicorn app:app\n"),  # an added file
        lambda root: (root / "README.md").unlink(),  # a removed one
        lambda root: (root / "notes" / "tasks.py").write_text("print(1)\n"),  # a listed folder gains one
    ],
    ids=["read-file-edited", "file-added", "file-removed", "listed-folder-changed"],
)
def test_a_change_planning_saw_plans_again(
    plans: Path, project: Path, detections: list[Path], change: Callable[[Path], object]
) -> None:
    planned(project)
    detections.clear()
    change(project)
    planned(project)
    assert detections
    detections.clear()
    planned(project)  # the new plan is kept in turn
    assert detections == []


def test_an_option_or_the_environment_changed_plans_again(
    plans: Path, project: Path, detections: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    planned(project)
    detections.clear()
    assert planned(project, port=9000).facts.app.port.value == 9000
    assert detections
    detections.clear()
    monkeypatch.setenv("DOCKWRIGHT_PORT", "9001")
    assert planned(project).facts.app.port.value == 9001
    assert detections


def test_fresh_or_off_plans_every_time(
    plans: Path, project: Path, detections: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    planned(project)
    detections.clear()
    planned(project, fresh=True)
    assert detections
    for entry in entries(plans):
        entry.unlink()
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "off")
    detections.clear()
    planned(project)
    planned(project)
    assert len(detections) == 2
    assert entries(plans) == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path: path.write_bytes(b"not a kept plan"),
        lambda path: path.write_bytes(path.read_bytes()[:-40]),  # truncated
        lambda path: path.write_bytes(path.read_bytes()[:-1] + b"\x00"),  # its MAC no longer holds
        lambda path: path.chmod(0o644),  # readable by others: not the user's private entry
        lambda path: path.parent.joinpath("key").write_bytes(os.urandom(32)),  # another key made it
    ],
    ids=["garbage", "truncated", "forged", "open-to-others", "foreign-key"],
)
def test_a_corrupt_or_foreign_entry_is_planned_again(
    plans: Path, project: Path, detections: list[Path], spoil: Callable[[Path], object]
) -> None:
    first = planned(project)
    (entry,) = entries(plans)
    spoil(entry)
    detections.clear()
    assert planned(project) == first
    assert detections


def test_an_expired_index_answer_plans_again(
    plans: Path, project: Path, detections: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing of the index kept while fresh (plan/listing_cache.py) bounds the plan's life."""
    real_start = readset.start

    def start(*args: Any, **kwargs: Any) -> readset.Recorder:
        recorder = real_start(*args, **kwargs)
        recorder.until = 1.0  # as if planning read a listing that expired long ago
        return recorder

    monkeypatch.setattr(readset, "start", start)
    planned(project)
    detections.clear()
    planned(project)
    assert detections


def test_the_folder_and_entries_are_private_and_bounded(
    plans: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept_plan, "MAX_ENTRIES", 2)
    for port in (8001, 8002, 8003):
        planned(project, port=port)
    assert plans.stat().st_mode & 0o777 == 0o700
    assert len(entries(plans)) == 2
    assert all(entry.stat().st_mode & 0o777 == 0o600 for entry in [*entries(plans), plans / "key"])


def test_no_secret_reaches_a_kept_plan(
    plans: Path, project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Index credentials in the requirements file and in the options, a token in the environment, a
    netrc password: none is in any file of the plans folder."""
    requirements = project / "requirements.txt"
    requirements.write_text(
        "--extra-index-url https://alice:req-pass-1234@pypi.internal/simple\n" + requirements.read_text()
    )
    netrc = tmp_path / "netrc"
    netrc.write_text("machine pypi.internal login alice password netrc-pass-5678\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("API_TOKEN", SECRET_TOKEN)
    monkeypatch.setenv("DOCKWRIGHT_INDEX_URL", "https://bob:env-pass-9012@pypi.other/simple")
    planned(project, private_index=True)
    planned(project, private_index=True, port=8000)
    kept = b"".join(path.read_bytes() for path in plans.iterdir())
    for secret in ("req-pass-1234", "netrc-pass-5678", SECRET_TOKEN, "env-pass-9012"):
        assert secret.encode() not in kept


def test_a_plan_holding_a_secret_is_never_written(plans: Path, project: Path) -> None:
    """The guard behind the plan's own redaction: whatever make() returns that carries a credential
    (a URL password, a secret variable's value) is used, not kept."""
    made = {"index": "https://carol:url-pass-3456@pypi.internal/simple"}
    assert kept_plan.kept_or_made(project, {}, None, lambda: made) is made  # type: ignore[arg-type,return-value]
    assert entries(plans) == []
    env = {**os.environ, "DEPLOY_TOKEN": SECRET_TOKEN}
    value = {"note": f"token {SECRET_TOKEN}"}
    assert kept_plan.kept_or_made(project, {}, None, lambda: value, environ=env) is value  # type: ignore[arg-type,return-value]
    assert entries(plans) == []
    assert kept_plan.carries_secret(b"https://u:p4ssw0rd@host/simple", {})
    assert not kept_plan.carries_secret(b"https://pypi.org/simple", {})


def test_a_plan_that_asked_the_network_or_another_program_is_not_kept(
    plans: Path, project: Path, tmp_path: Path
) -> None:
    def networked() -> Any:
        with contextlib.suppress(OSError):
            socket.getaddrinfo("localhost", 80)
        return {"plan": 1}

    def programmed() -> Any:
        subprocess.run(["true"], check=False)
        return {"plan": 2}

    for make in (networked, programmed):
        kept_plan.kept_or_made(project, {}, None, make)
        assert entries(plans) == []


def test_git_answers_are_replayed(tmp_path: Path) -> None:
    """A git run while planning is kept with its answer and asked again on reuse."""
    key = os.urandom(32)
    folder = tmp_path / "repo"
    folder.mkdir()
    subprocess.run(["git", "init", "-q", str(folder)], capture_output=True, check=True)
    recorder = readset.start(key, str(folder))
    try:
        subprocess.run(["git", "-c", "a.b=c", "rev-parse", "--git-dir"], cwd=folder, capture_output=True)
    finally:
        readset.stop(recorder)
    assert recorder.refused == []
    observations = recorder.observations()
    assert [row for row in observations if row[0] == "run"]
    assert readset.changed(key, observations) is None
    shutil.rmtree(folder / ".git")
    assert readset.changed(key, observations) is not None
    writing = readset.start(key, str(folder))
    try:  # a git that writes is never run again on reuse: such a plan is not kept
        subprocess.run(["git", "init", "-q", str(folder)], capture_output=True, check=True)
    finally:
        readset.stop(writing)
    assert writing.refused


def test_build_help_names_the_opt_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--fresh-plan" in text
    assert "DOCKWRIGHT_PLAN_CACHE=off" in text


def test_a_new_commit_plans_again(plans: Path, project: Path, detections: list[Path]) -> None:
    """The revision (the image's REVISION label) is read from .git: a commit changes what was read."""
    git = ["git", "-c", "user.email=dev@example.test", "-c", "user.name=dev"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=project, check=True)
    first = planned(project).facts.metadata.revision.value
    detections.clear()
    assert planned(project).facts.metadata.revision.value == first
    assert detections == []
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "two"], cwd=project, check=True)
    assert planned(project).facts.metadata.revision.value != first
    assert detections


def test_a_retargeted_symlink_plans_again(plans: Path, tmp_path: Path) -> None:
    """Planning reads a file through a symlink the tree resolves (``requirements.txt -> reqs/a.txt``):
    pointing the link elsewhere must plan again, though neither target changed."""
    from dockwright.project.tree import ProjectTree

    root = tmp_path / "linked"
    (root / "reqs").mkdir(parents=True)
    (root / "reqs" / "a.txt").write_text("flask\n")
    (root / "reqs" / "b.txt").write_text("django\n")
    (root / "requirements.txt").symlink_to("reqs/a.txt")

    def make() -> Any:
        return {"requirements": ProjectTree(root).read_text("requirements.txt")}

    assert kept_plan.kept_or_made(root, {}, None, make) == {"requirements": "flask\n"}  # type: ignore[arg-type,comparison-overlap]
    assert len(entries(plans)) == 1
    (root / "requirements.txt").unlink()
    (root / "requirements.txt").symlink_to("reqs/b.txt")
    assert kept_plan.kept_or_made(root, {}, None, make) == {"requirements": "django\n"}  # type: ignore[arg-type,comparison-overlap]


def test_a_token_in_a_url_never_reaches_a_kept_plan(plans: Path, project: Path) -> None:
    """A credential in a direct URL's query (a presigned link) or as its user part (a bare token)."""
    requirements = project / "requirements.txt"
    requirements.write_text(
        requirements.read_text()
        + "extra @ https://files.example.com/extra-1.0-py3-none-any.whl?token=q-tok-24680\n"
    )
    planned(project)
    kept = b"".join(path.read_bytes() for path in plans.iterdir())
    assert b"q-tok-24680" not in kept
    assert kept_plan.carries_secret(b"\x8c\x1ahttps://ghp-tok-13579@pkgs.example.com/simple\x94", {})
    assert kept_plan.carries_secret(b"https://h.example.com/a.whl?X-Amz-Signature=abc", {})
    assert kept_plan.carries_secret(b"redis://:hunter2-9f8e@localhost:6379/0", {})  # a password, no user
    assert not kept_plan.carries_secret(b"\x8c\x10https://pypi.org\x94\x8c\x05a@b.c", {})
    assert not kept_plan.carries_secret(b"git+ssh://git@github.com/org/lib.git", {})
    assert kept_plan.carries_secret(b"Git+HTTPS://tok-97531@pkgs.example.com", {})  # any case
    assert kept_plan.carries_secret(b"\x94HTTP://u:pw-8642@h.example.com", {})


def test_a_plans_folder_others_can_swap_is_not_used(plans: Path, project: Path) -> None:
    """``dockwright/`` writable by others (a cache under a shared folder): whoever can write it can put
    a link in place of ``plans``, so nothing is kept there (nor any key made)."""
    plans.parent.mkdir(parents=True)
    plans.parent.chmod(0o777)
    planned(project)
    assert not plans.exists()
    plans.parent.chmod(0o755)
    planned(project)
    assert len(entries(plans)) == 1


def test_a_source_edit_scans_again_only_the_module_edited(
    plans: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each module's scan is kept beside the plan (by its text): after an edit the project is planned
    again, but only the edited module is parsed and scanned; the plan is the one a fresh planning makes."""
    from dockwright.project import module_scans

    (project / "helpers.py").write_text("import os\n\nDATA = os.environ.get('DATA_DIR', '/data')\n")
    scanned: list[str] = []
    real = module_scans._scanned

    def counted(rel: str, *args: Any) -> Any:
        scanned.append(rel)
        return real(rel, *args)

    monkeypatch.setattr(module_scans, "_scanned", counted)
    planned(project)
    assert sorted(set(scanned)) == ["app.py", "helpers.py"]
    assert list(plans.glob("*.memo"))
    scanned.clear()
    with (project / "app.py").open("a") as handle:
        handle.write("\n\ndef added() -> int:\n    return 1\n")
    again = planned(project)
    assert scanned == ["app.py"]
    scanned.clear()
    assert again == planned(project, fresh=True)  # a fresh planning reads no memo: every module
    assert sorted(set(scanned)) == ["app.py", "helpers.py"]


def test_a_memo_of_another_dockwright_or_a_forged_one_is_not_used(
    plans: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dockwright.project import module_scans

    (project / "helpers.py").write_text("LIMIT = 3\n")
    planned(project)
    (memo,) = plans.glob("*.memo")
    data = memo.read_bytes()
    memo.write_bytes(data.replace(b'"code":"', b'"code":"x', 1))  # its MAC no longer holds
    scanned: list[str] = []
    real = module_scans._scanned
    monkeypatch.setattr(module_scans, "_scanned", lambda rel, *a: scanned.append(rel) or real(rel, *a))
    with (project / "app.py").open("a") as handle:
        handle.write("\n# edited\n")
    planned(project)
    assert sorted(scanned) == ["app.py", "helpers.py"]


def test_the_memo_is_no_observation_of_the_plan(plans: Path, project: Path) -> None:
    """The store of module scans is read before and written after the recording: a kept plan never
    depends on it (else every planning, which rewrites it, would make the next one plan again)."""
    planned(project)
    planned(project)
    (entry,) = entries(plans)
    assert b".memo" not in entry.read_bytes()
    (project / "extra.py").write_text("VALUE = 1\n")  # a new module: planned again, the memo rewritten
    planned(project)
    assert all(b".memo" not in e.read_bytes() for e in entries(plans))


def test_a_memo_item_holding_a_credential_is_never_written(plans: Path, tmp_path: Path) -> None:
    folder = plans
    folder.mkdir(parents=True)
    folder.chmod(0o700)
    key = kept_plan._user_key(folder)
    assert key is not None
    secret = b"https://deploy:" + SECRET_TOKEN.encode() + b"@git.example.org/x.git"
    used = {"a": b"plain scan", "b": b"a scan naming " + secret}
    kept_plan._write_memo(folder, key, tmp_path, "code", used, {}, {})
    (memo,) = folder.glob("*.memo")
    assert SECRET_TOKEN.encode() not in memo.read_bytes()
    assert kept_plan._read_memo(folder, key, tmp_path, "code") == {"a": b"plain scan"}


NEWER = "type Pair = tuple[int, int]\n" if sys.version_info < (3, 12) else 'shown = t"{1}"\n'


@pytest.fixture
def newer_grammar(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A module only a newer grammar parses (``shapes.py``) and that minor's interpreter stubbed: the
    modules each run of it was asked to parse."""
    from dockwright.project import syntax

    (project / "shapes.py").write_text(NEWER)
    asked: list[list[str]] = []

    def interpreter(minor: str, files: list[tuple[str, str]]) -> list[str] | None:
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)  # as the real one
        asked.append([rel for rel, _ in files])
        return []

    monkeypatch.setattr(syntax, "interpreter_parser", interpreter)
    return asked


def test_a_newer_grammar_asked_of_an_interpreter_is_kept_by_the_texts(
    plans: Path, project: Path, newer_grammar: list[list[str]], detections: list[Path]
) -> None:
    """A module only a newer grammar parses is handed to that minor's interpreter (a program run, which
    no kept plan can check again): the answer is kept in the memo by the texts, so the next planning
    asks no program and its plan is kept; an edit of that module asks again."""
    asked = newer_grammar
    first = planned(project)
    assert asked == [["shapes.py"]] and entries(plans) == []  # a program ran: not kept
    asked.clear()
    assert planned(project) == first
    assert asked == [] and len(entries(plans)) == 1  # answered from the memo: kept
    detections.clear()
    planned(project)
    assert detections == []
    (project / "shapes.py").write_text(NEWER + "\nLIMIT = 3\n")
    planned(project)
    assert asked == [["shapes.py"]]


def test_a_listing_read_again_by_another_planning_keeps_the_plan(plans: Path, project: Path) -> None:
    """The index listings kept on disk bound a plan by their freshness (``readset.kept_until``), not by
    their bytes: another planning that reads a page again, or fetches one beside this planning while it
    found none, leaves a kept plan good until the listing it was made with expires; a pip.conf or netrc
    beside them is still an observation."""
    from dockwright.plan import listing_cache

    folder = os.environ["DOCKWRIGHT_INDEX_CACHE"]
    url = "https://index.example/simple/flask/"
    page = [("flask-3.0.0.tar.gz", None, None)]
    listing_cache.store(folder, url, page, 600)
    other = Path(folder) / "pip.conf"
    other.write_text("[global]\n")
    made: list[Any] = []

    def make() -> Any:
        made.append(listing_cache.load(folder, url))
        listing_cache.half_spent(folder, url)
        other.read_text()
        return {"plan": 1}

    kept_plan.kept_or_made(project, {}, None, make)
    listing_cache.store(folder, url, page, 600)  # read again by another planning: new bytes
    kept_plan.kept_or_made(project, {}, None, make)
    assert len(made) == 1
    other.write_text("[global]\nindex-url = https://mirror.example/simple\n")
    kept_plan.kept_or_made(project, {}, None, make)
    assert len(made) == 2


def test_a_file_added_beside_the_project_keeps_the_plan(
    plans: Path, project: Path, detections: list[Path]
) -> None:
    """Planning asks about a few names above the project (a compose file, a workspace root): it asks
    those names, never lists the folder, so a file added there (/tmp, a home folder) changes nothing."""
    planned(project)
    (project.parent / "unrelated.log").write_text("x\n")
    detections.clear()
    planned(project)
    assert detections == []
    (project.parent / "compose.yaml").write_text("services: {}\n")  # a name planning asked about
    planned(project)
    assert detections == [project]


def test_a_kept_plan_that_no_longer_holds_is_handed_over_as_a_guess(plans: Path, project: Path) -> None:
    """build_ahead starts a build from it beside the planning (dockwright/build_ahead.py)."""
    guesses: list[Any] = []
    first = api._kept_plan_for_build(project, {}, None, False, guesses.append)
    assert guesses == []  # nothing kept yet
    assert api._kept_plan_for_build(project, {}, None, False, guesses.append) == first
    assert guesses == []  # kept and holding: not planned, nothing to guess
    (project / "app.py").write_text((project / "app.py").read_text() + "\n# an edit\n")
    api._kept_plan_for_build(project, {}, None, False, guesses.append)
    assert guesses == [first]
    api._kept_plan_for_build(project, {}, None, True, guesses.append)  # --fresh-plan guesses too
    assert len(guesses) == 2
    for entry in entries(plans):  # an entry whose signature fails guesses nothing
        data = entry.read_bytes()
        entry.write_bytes(data[:-8])
    api._kept_plan_for_build(project, {}, None, True, guesses.append)
    assert len(guesses) == 2


def test_init_keeps_the_plan_the_next_build_uses(plans: Path, project: Path, detections: list[Path]) -> None:
    """`dockwright init && dockwright build`: the build finds init's plan (planned after init wrote its
    files, for a build without planning flags and one with init's own) and plans nothing."""
    api.init(project, port=9000)
    detections.clear()
    plain = dict.fromkeys(api.BUILD_PLANNING)
    assert api._kept_plan_for_build(project, plain, None, False).expose == 8000
    assert api._kept_plan_for_build(project, {**plain, "port": 9000}, None, False).expose == 9000
    assert detections == []
    api._kept_plan_for_build(project, {**plain, "port": 9001}, None, False)
    assert detections  # options init was not given: planned


def test_init_keeps_nothing_when_plans_are_off_or_on_a_dry_run(
    plans: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.init(project, dry_run=True)
    assert entries(plans) == []
    monkeypatch.setenv("DOCKWRIGHT_PLAN_CACHE", "off")
    api.init(project)
    assert entries(plans) == []


def test_the_build_commands_planning_options_are_the_kept_ones(
    monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    seen: dict[str, Any] = {}

    def spy(path: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        raise api_errors.ConfigError("stop here")

    monkeypatch.setattr(api, "build", spy)
    assert main(["build", str(project), "--no-syntax"]) == 2
    planning = {k for k in seen if k in api.BUILD_PLANNING or k not in _BUILD_ARGUMENTS}
    assert planning == set(api.BUILD_PLANNING)


def test_init_keeps_the_plan_of_a_project_a_newer_grammar_parses(
    plans: Path, project: Path, newer_grammar: list[list[str]], detections: list[Path]
) -> None:
    """init's own planning asks the newer minor's interpreter (not kept); the build's plan it keeps
    next takes that answer from the memo, runs no program, and is kept (a real FastAPI app with one
    PEP 695 module had no plan kept after init)."""
    api.init(project)
    assert newer_grammar == [["shapes.py"]]
    detections.clear()
    api._kept_plan_for_build(project, dict.fromkeys(api.BUILD_PLANNING), None, False)
    assert detections == [] and newer_grammar == [["shapes.py"]]


def test_a_source_edit_parses_no_toml_file_again(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A uv project's uv.lock and pyproject.toml are kept in the memo as parsed tables (by name and
    text): the planning after a source edit, in a fresh process, parses neither again, and the lock's
    conversion takes detection's table instead of parsing the lock a second time."""
    from dockwright.project import tree
    from dockwright.toml_reader import tomllib

    root = tmp_path / "svc"
    shutil.copytree(REPO / "examples" / "fastapi-uv", root)
    monkeypatch.setattr(tree, "_PARSED_TOML", {})  # nothing parsed by an earlier test
    parsed: list[int] = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text, **kw: parsed.append(len(text)) or real(text, **kw))
    planned(root)
    lock_size = len((root / "uv.lock").read_text())
    assert parsed.count(lock_size) == 1  # detection's parse, which the conversion reused
    tree._PARSED_TOML.clear()  # as a new process (a fork of the daemon) finds it
    parsed.clear()
    with (root / "main.py").open("a") as handle:
        handle.write("\n# edited\n")
    again = planned(root)
    assert parsed == []
    assert again == planned(root, fresh=True)
