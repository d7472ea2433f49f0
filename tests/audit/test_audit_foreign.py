"""The audit on images dockwright did not write: shapes met on real repositories' own Dockerfiles
(docs/realworld.md, "Session 17: auditreal"), on crafted images of our own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from audit_images import F, Img, app_layer, base_layer, serve

from dockwright import api
from dockwright.audit.checks import Status
from dockwright.audit.checks.waste import _instruction

SP = "usr/local/lib/python3.11/site-packages"
VENV = "opt/svc"
VENV_SP = f"{VENV}/lib/python3.11/site-packages"


@pytest.fixture(autouse=True)
def _no_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dockwright.audit.checks.base.shutil.which", lambda _: None)


def audit(img: Img) -> Any:
    return api.audit("demo:1", engine=serve(img, "legacy"))


def _venv_off_path(cmd: list[str]) -> Img:
    """A venv the command names by path, not on PATH; the base keeps its own pip outside it."""
    base_pip = [F(f"{SP}/pip/__init__.py", 5000), F(f"{SP}/pip-24.0.dist-info", kind="dir")]
    venv = [
        F(f"{VENV}/pyvenv.cfg", b"home = /usr/local/bin\ninclude-system-site-packages = false\n"),
        F(f"{VENV}/bin/start.sh", b"#!/bin/sh\nexec /opt/svc/bin/gunicorn app:app\n", mode=0o755),
        F(f"{VENV_SP}/flask/__init__.py", 3000),
        F(f"{VENV_SP}/flask-3.0.0.dist-info", kind="dir"),
    ]
    img = Img([[*base_layer(), *base_pip], venv])
    img.config.update({"Entrypoint": [], "Cmd": cmd, "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]})
    return img


@pytest.mark.parametrize(
    "cmd",
    [
        ["/opt/svc/bin/start.sh"],
        ["/usr/bin/tini", "--", "/opt/svc/bin/gunicorn", "app:app"],
        ["/bin/sh", "-c", "exec /opt/svc/bin/gunicorn app:app"],
    ],
)
def test_venv_the_command_names_by_path_is_the_apps(cmd: list[str]) -> None:
    result = audit(_venv_off_path(cmd)).check("pip-in-runtime")
    assert result.status is Status.PASS, result
    assert "/opt/svc" in result.summary and "outside the venv" in result.summary


def test_program_outside_any_venv_keeps_the_base_pip_a_warning() -> None:
    result = audit(_venv_off_path(["/usr/local/bin/gunicorn", "app:app"])).check("pip-in-runtime")
    assert result.status is Status.WARN
    assert [ev.path for ev in result.evidence] == [f"/{SP}/pip"]


def _rewritten_by(step: str) -> Img:
    big = [F(f"{SP}/numpy/core.so", 2_000_000), F(f"{SP}/numpy/__init__.py", 1000)]
    again = [F(f"{SP}/numpy/core.so", 2_000_000, uid=999), F(f"{SP}/numpy/__init__.py", 1000, uid=999)]
    history = [
        {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
        {"created_by": "COPY /src /usr/local # buildkit"},
        {"created_by": step},
    ]
    return Img([base_layer(), big, again], history=history)


def test_waste_names_the_step_and_tells_chown_apart() -> None:
    step = "RUN |1 APP_VERSION=1.0 /bin/sh -c chown --recursive app /usr/local # buildkit"
    result = audit(_rewritten_by(step)).check("waste")
    assert result.status is Status.WARN
    assert "layer 2 (RUN chown --recursive app /usr/local) hides 2.0 MB in 2 copies" in result.summary
    assert "COPY --chown" in result.summary


def test_waste_of_another_step_gets_no_chown_advice() -> None:
    result = audit(_rewritten_by("/bin/sh -c pip install --force-reinstall numpy")).check("waste")
    assert "layer 2 (RUN pip install --force-reinstall numpy)" in result.summary
    assert "chown" not in result.summary


@pytest.mark.parametrize(
    ("created_by", "shown"),
    [
        ("RUN |2 A=1 B= /bin/sh -c make install # buildkit", "RUN make install"),
        ("/bin/sh -c apt-get update", "RUN apt-get update"),
        ("/bin/sh -c #(nop) COPY dir:abc in /app ", "COPY dir:abc in /app"),
        ("COPY . /app # buildkit", "COPY . /app"),
        ("RUN /bin/bash -c set -e; make", "RUN set -e; make"),
    ],
)
def test_history_steps_read_as_instructions(created_by: str, shown: str) -> None:
    assert _instruction(created_by) == shown


def test_test_keys_rewritten_later_are_counted_once_and_said_rewritten() -> None:
    key = b"-----BEGIN RSA PRIVATE KEY-----\nabc\n"
    path = f"{SP}/gevent/tests/server.key"
    img = Img([base_layer(), app_layer(), [F(path, key)], [F(path, key, uid=999)]])
    result = audit(img).check("secrets")
    assert result.status is Status.WARN
    assert result.summary == "1 test/snakeoil keys (2 copies: rewritten in a later layer)"
    assert {ev.detail for ev in result.evidence} == {
        "private key",
        "private key (rewritten later; this copy still ships)",
    }


def test_deleted_key_still_said_deleted() -> None:
    key = b"-----BEGIN RSA PRIVATE KEY-----\nabc\n"
    img = Img(
        [base_layer(), app_layer(), [F("root/deploy.key", key)], [F("root/deploy.key", kind="whiteout")]]
    )
    result = audit(img).check("secrets")
    assert result.status is Status.FAIL
    assert result.evidence[0].detail == "private key (deleted later, still in the layer)"


@pytest.mark.parametrize(
    ("labels", "said"),
    [
        (
            {"org.label-schema.version": "0.16.0", "org.label-schema.name": "x"},
            "org.label-schema.version=0.16.0",
        ),
        ({"version": "0.10.2", "name": "httpbin"}, "version=0.10.2"),
    ],
)
def test_labels_point_at_a_version_under_another_key(labels: dict[str, str], said: str) -> None:
    img = Img([base_layer(), app_layer()])
    img.config["Labels"] = labels
    result = audit(img).check("labels")
    assert result.status is Status.FAIL
    assert f"the version is in {said}: label it org.opencontainers.image.version too" in result.summary


def test_labels_with_no_version_anywhere_say_only_what_is_missing() -> None:
    img = Img([base_layer(), app_layer()])
    img.config["Labels"] = {"maintainer": "someone"}
    assert audit(img).check("labels").summary == "no org.opencontainers.image.* labels"


APT_TREE = "usr/lib/python3/dist-packages"


def _two_trees(cmd: list[str], other: str) -> Img:
    img = _venv_off_path(cmd)
    img.layers[0] += [F(f"{other}/yaml/__init__.py", 2000), F(f"{other}/PyYAML-6.0.dist-info", kind="dir")]
    return img


def test_apts_tree_outside_the_apps_venv_is_not_a_second_tree() -> None:
    result = audit(_two_trees(["/opt/svc/bin/start.sh"], APT_TREE)).check("site-trees")
    assert result.status is Status.PASS, result
    assert result.summary == (
        "1 site-packages tree with packages (and the system's /usr/lib/python3/dist-packages, apt's, "
        "outside the app's venv /opt/svc)"
    )


@pytest.mark.parametrize(
    ("cmd", "other"),
    [
        (["/usr/local/bin/gunicorn", "app:app"], APT_TREE),  # no venv: the app sees both trees
        (["/opt/svc/bin/start.sh"], SP),  # packages pip put in the base's own Python
    ],
)
def test_two_trees_still_warn(cmd: list[str], other: str) -> None:
    assert audit(_two_trees(cmd, other)).check("site-trees").status is Status.WARN


def test_lock_read_for_the_images_python_despite_an_old_runtime_txt(tmp_path: Path) -> None:
    """Heroku's runtime.txt naming a Python dockwright would not build for does not stop the audit
    from reading the pins: the project is read for the image's own interpreter (3.11 here)."""
    (tmp_path / "runtime.txt").write_text("python-3.6.5\n")
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\n")
    report = api.audit("demo:1", engine=serve(Img([base_layer(), app_layer()]), "legacy"), context=tmp_path)
    lock = report.check("lock")
    assert lock.status is Status.PASS, lock
    assert lock.summary == "1 of 1 locked packages installed as pinned"


def test_pinned_requirements_are_named_as_the_lock(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask==2.0.0\n")
    report = api.audit("demo:1", engine=serve(Img([base_layer(), app_layer()]), "legacy"), context=tmp_path)
    lock = report.check("lock")
    assert lock.status is Status.FAIL
    assert lock.summary == "1 differ from requirements.txt: flask 3.0.0"
