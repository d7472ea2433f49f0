"""Each crafted bad image FAILs/WARNs the right checklist item; a clean one passes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from audit_images import F, Img, app_layer, base_layer, serve

from dockwright import api
from dockwright.audit.checks import CheckOptions, ProcessResult, Status
from dockwright.cli import main
from dockwright.dockerfile.ignore import DockerIgnore
from dockwright.secrets import SECRET_PATTERNS

SP = "usr/local/lib/python3.11/site-packages"
_LABELS = {"org.opencontainers.image.version": "1", "org.opencontainers.image.title": "t"}


def _no_tools(_: str) -> str | None:
    return None


def audit(img: Img, layout: str = "legacy", **kw: Any):  # type: ignore[no-untyped-def]
    return api.audit("demo:1", engine=serve(img, layout), **kw)


def statuses(report: Any) -> dict[str, str]:
    return {c.id: c.status.value for c in report.checks}


@pytest.fixture(autouse=True)
def _no_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dockwright.audit.checks.base.shutil.which", _no_tools)


@pytest.mark.parametrize("layout", ["legacy", "oci"])
def test_clean_image_passes(clean_image: Img, layout: str) -> None:
    report = audit(clean_image, layout)
    got = statuses(report)
    assert report.exit_code == 0, got
    for check in (
        "toolchain",
        "caches",
        "user",
        "healthcheck",
        "labels",
        "logs",
        "signals",
        "dotfiles",
        "secrets",
    ):
        assert got[check] == "PASS", (check, report.check(check))
    assert got["scan"] == "SKIP" and "PATH" in report.check("scan").summary
    assert got["dockerignore"] == "SKIP" and got["size"] == "SKIP" and got["startup"] == "SKIP"
    assert report.check("setuid").summary.startswith("only Debian's base set")
    assert report.check("shell").summary == "/bin/sh present"
    data = report.to_dict()
    assert data["schema"] == "dockwright.audit/1"
    json.dumps(data)


def _bad(extra: list[F], config: dict[str, Any] | None = None) -> Img:
    img = Img([base_layer(), app_layer(), extra])
    img.config.update(config or {})
    return img


CASES = [
    ("pip cache left", [F("root/.cache/pip/http-v2/a/b/c", 200_000)], None, "caches", "FAIL"),
    ("uv cache in a home", [F("home/app/.cache/uv/archive-v0/x.so", 100_000)], None, "caches", "FAIL"),
    ("leftover wheel", [F("wheels/flask-3.0.0-py3-none-any.whl", 1000)], None, "caches", "FAIL"),
    (
        "wheel at the top of site-packages",
        [F(f"{SP}/flask-3.0.0-py3-none-any.whl", 1000)],
        None,
        "caches",
        "FAIL",
    ),
    (
        "apt lists",
        [F("var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease", 150_000)],
        None,
        "caches",
        "FAIL",
    ),
    (
        "gcc binary",
        [F("usr/bin/gcc-12", 900_000, mode=0o755), F("usr/bin/gcc", kind="symlink", link="gcc-12")],
        None,
        "toolchain",
        "FAIL",
    ),
    ("dev headers only", [F("usr/include/libpq-fe.h", 20_000)], None, "toolchain", "WARN"),
    ("root user", [], {"User": ""}, "user", "FAIL"),
    ("USER 0", [], {"User": "0:0"}, "user", "FAIL"),
    ("name-only user, low uid", [], {"User": "web"}, "user", "WARN"),
    ("no healthcheck, web", [], {"Healthcheck": None}, "healthcheck", "FAIL"),
    ("no healthcheck, worker", [], {"Healthcheck": None, "ExposedPorts": None}, "healthcheck", "WARN"),
    ("no labels", [], {"Labels": None}, "labels", "FAIL"),
    ("labels without version", [], {"Labels": {"org.opencontainers.image.title": "x"}}, "labels", "FAIL"),
    ("no PYTHONUNBUFFERED", [], {"Env": ["PATH=/usr/bin"]}, "logs", "FAIL"),
    (
        "shell-form CMD",
        [],
        {"Entrypoint": None, "Cmd": ["/bin/sh", "-c", "gunicorn app:app"]},
        "signals",
        "FAIL",
    ),
    ("no init", [], {"Entrypoint": None}, "signals", "WARN"),
    ("tini, then shell form", [], {"Cmd": ["/bin/sh", "-c", "gunicorn app:app"]}, "signals", "FAIL"),
    (
        "tini, then sh -c whose last command is exec",
        [],
        {"Cmd": ["/bin/sh", "-c", "python manage.py migrate && exec gunicorn app.wsgi"]},
        "signals",
        "PASS",
    ),
    (
        "tini, then sh -c whose last command is exec after variable assignments",
        [],
        {
            "Cmd": [
                "/bin/sh",
                "-c",
                "python manage.py migrate ; SETTINGS=prod LEVEL='a b' exec gunicorn app.wsgi",
            ]
        },
        "signals",
        "PASS",
    ),
    (
        "tini, then sh -c whose last command only assigns a variable named exec-something",
        [],
        {"Cmd": ["/bin/sh", "-c", "migrate ; MODE=exec gunicorn app.wsgi"]},
        "signals",
        "FAIL",
    ),
    (
        # an unclosed quote after a long value: the assignments' pattern must not backtrack for minutes
        "tini, then sh -c whose last word is a long assignment with an unclosed quote",
        [],
        {"Cmd": ["/bin/sh", "-c", "migrate ; A=" + "a" * 40 + '"']},
        "signals",
        "FAIL",
    ),
    (
        "tini, then sh -c that execs first and runs more",
        [],
        {"Cmd": ["/bin/sh", "-c", "exec python a.py; gunicorn app:app"]},
        "signals",
        "FAIL",
    ),
    (
        "tini, then sh -c whose exec is piped",
        [],
        {"Cmd": ["/bin/sh", "-c", "migrate && exec gunicorn app:app | tee log"]},
        "signals",
        "FAIL",
    ),
    (
        "tini, then sh -c whose exec names a quoted ; and |",
        [],
        {"Cmd": ["/bin/sh", "-c", "migrate && exec gunicorn --name 'a;b' --tag \"c|d\" app:app"]},
        "signals",
        "PASS",
    ),
    (
        "tini, then sh -c whose last line execs",
        [],
        {"Cmd": ["/bin/sh", "-c", "migrate\nexec gunicorn app:app"]},
        "signals",
        "PASS",
    ),
    (
        "tini, then sh -c whose exec is followed by an escaped ; and another command",
        [],
        {"Cmd": ["/bin/sh", "-c", "exec gunicorn a\\;b || gunicorn app:app"]},
        "signals",
        "FAIL",
    ),
    (".env copied", [F("app/.env", b"SECRET=1\n")], None, "dotfiles", "FAIL"),
    (".git copied", [F("app/.git/HEAD", b"ref: refs/heads/main\n")], None, "dotfiles", "FAIL"),
    ("nested .env copied", [F("app/config/.env", b"SECRET=1\n")], None, "dotfiles", "FAIL"),
    ("named prod.env copied", [F("app/deploy/prod.env", b"SECRET=1\n")], None, "dotfiles", "FAIL"),
    (".npmrc copied", [F("app/frontend/.npmrc", b"registry=x\n")], None, "dotfiles", "FAIL"),
    ("pip.conf copied", [F("app/pip.conf", b"[global]\n")], None, "dotfiles", "FAIL"),
    (
        "PEM key",
        [F("app/key.pem", b"-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n")],
        None,
        "secrets",
        "FAIL",
    ),
    ("AWS key", [F("app/conf.ini", b"aws_access_key_id = AKIAABCDEFGHIJKLMNOP\n")], None, "secrets", "FAIL"),
    (
        "pycryptodome self-test key",
        [
            F(
                f"{SP}/Cryptodome/SelfTest/PublicKey/test_keys.py",
                b"-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
            )
        ],
        None,
        "secrets",
        "WARN",
    ),
    ("setuid bin", [F("usr/local/bin/helper", 5000, mode=0o4755)], None, "setuid", "WARN"),
    (
        "pip in runtime",
        [F(f"{SP}/pip/__init__.py", 5000), F(f"{SP}/pip-24.0.dist-info", kind="dir")],
        None,
        "pip-in-runtime",
        "WARN",
    ),
    (
        "tests in site-packages",
        [F(f"{SP}/numpy/core/tests/test_big.py", 2_000_000)],
        None,
        "site-tests",
        "WARN",
    ),
    (
        "a docs folder of a package's served static files is not documentation",
        [
            F(f"{SP}/rest_framework/static/rest_framework/docs/js/api.js", 2_000_000),
            F(f"{SP}/rest_framework/templates/rest_framework/docs/index.html", 100_000),
        ],
        None,
        "site-tests",
        "PASS",
    ),
    (
        "two site-packages",
        [
            F("app/.venv/lib/python3.11/site-packages/requests-2.0.dist-info", kind="dir"),
            F("app/.venv/lib/python3.11/site-packages/requests/api.py", 100),
        ],
        None,
        "site-trees",
        "WARN",
    ),
    ("stale bytecode", [F("app/__pycache__/app.cpython-312.pyc", 300)], None, "bytecode", "WARN"),
    ("big file deleted later", [F("usr/local/bin/python3.11", kind="whiteout")], None, "waste", "PASS"),
]


@pytest.mark.parametrize(("name", "extra", "config", "check", "expected"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("layout", ["legacy", "oci"])
def test_bad_images(
    name: str, extra: list[F], config: dict[str, Any] | None, check: str, expected: str, layout: str
) -> None:
    report = audit(_bad(extra, config), layout)
    result = report.check(check)
    assert result.status.value == expected, result
    assert report.exit_code == (1 if any(c.status is Status.FAIL for c in report.checks) else 0)
    others = {k: v for k, v in statuses(report).items() if k != check and v == "FAIL"}
    if name not in ("no PYTHONUNBUFFERED",):
        assert not others, others  # only the right item fails
    if expected in ("FAIL", "WARN") and extra:
        assert any(ev.layer == 2 for ev in result.evidence), result.evidence


def test_waste_evidence_and_warning() -> None:
    img = Img(
        [base_layer(), app_layer(), [F("data/dump.sql", 3_000_000)], [F("data/dump.sql", kind="whiteout")]]
    )
    report = audit(img)
    waste = report.check("waste")
    assert waste.status is Status.WARN
    assert waste.evidence[0].path == "/data/dump.sql" and waste.evidence[0].layer == 2
    assert report.image.wasted_bytes == 3_000_000


def test_size_target_from_option_and_pyproject(clean_image: Img, tmp_path: Path) -> None:
    assert audit(clean_image, max_size_mb=0.001).check("size").status is Status.FAIL
    assert audit(clean_image, max_size_mb=100).check("size").status is Status.PASS
    (tmp_path / "pyproject.toml").write_text("[tool.dockwright]\nmax-size-mb = 0.002\n")
    secrets = "\n".join(s.pattern for s in SECRET_PATTERNS)
    (tmp_path / ".dockerignore").write_text(f".venv\n**/__pycache__\n.git\n{secrets}\n")
    report = audit(clean_image, context=tmp_path)
    assert report.check("size").status is Status.FAIL
    assert "[tool.dockwright]" in report.check("size").summary
    assert report.check("dockerignore").status is Status.PASS


def test_dockerignore_check(clean_image: Img, tmp_path: Path) -> None:
    assert audit(clean_image, context=tmp_path).check("dockerignore").status is Status.FAIL  # missing
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dockerignore").write_text("__pycache__\n")
    result = audit(clean_image, context=tmp_path).check("dockerignore")
    assert result.status is Status.FAIL
    assert any(".git not excluded (.git)" in ev.detail for ev in result.evidence)


def dockerignore_excludes(lines: list[str], path: str) -> bool:
    return DockerIgnore.parse("\n".join(lines)).excluded(path)


def test_dockerignore_matching() -> None:
    rules = ["**/__pycache__", ".venv", "*.pyc", "!keep.pyc", "/build/"]
    assert dockerignore_excludes(rules, "pkg/sub/__pycache__/m.pyc")
    assert dockerignore_excludes(rules, ".venv/bin/python")
    assert dockerignore_excludes(rules, "a.pyc") and not dockerignore_excludes(rules, "keep.pyc")
    assert dockerignore_excludes(rules, "build/x")
    assert not dockerignore_excludes(rules, "src/app.py")


def test_scan_with_fake_trivy(clean_image: Img, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockwright.audit.audit import report_from_facts
    from dockwright.audit.image import read_image

    out = {
        "Results": [
            {"Vulnerabilities": [{"Severity": "HIGH", "VulnerabilityID": "CVE-1", "PkgName": "openssl"}]}
        ]
    }

    def fake_run(argv: Sequence[str], timeout: float) -> ProcessResult:
        assert argv[0] == "trivy" and argv[-1] == "demo:1"
        return ProcessResult(0, json.dumps(out), "")

    options = CheckOptions(which=lambda t: "/usr/bin/trivy" if t == "trivy" else None, run_process=fake_run)
    report = report_from_facts(read_image(serve(clean_image), "demo:1"), options)
    scan = report.check("scan")
    assert scan.status is Status.WARN and "1 high" in scan.summary
    assert scan.evidence[0].detail == "HIGH CVE-1"


def test_run_times_health_and_stop(clean_image: Img) -> None:
    from dockwright.audit.audit import run_audit

    engine = serve(clean_image)
    engine.states = [
        {"Running": True, "Health": {"Status": "starting"}},
        {"Running": True, "Health": {"Status": "healthy"}},
    ]
    report = run_audit("demo:1", engine, run=True, options=CheckOptions(sleep=lambda s: None))
    startup = report.check("startup")
    assert startup.status is Status.PASS, startup
    assert any(c.startswith("stop dockwright-audit-") for c in engine.calls)
    assert any(c.startswith("remove dockwright-audit-") for c in engine.calls)
    engine.stop_seconds = 10.2
    assert run_audit("demo:1", engine, run=True).check("startup").status is Status.WARN
    engine.states = [{"Running": False, "ExitCode": 3}]
    assert run_audit("demo:1", engine, run=True).check("startup").status is Status.FAIL


def test_run_without_a_probe_fails_a_crash_after_its_first_output(clean_image: Img) -> None:
    """A traceback is output too: a container without a HEALTHCHECK that exits with an error in the polls
    after its first output fails; one still running then, or exiting 0, passes."""
    from dockwright.audit.audit import run_audit

    del clean_image.config["Healthcheck"]
    engine = serve(clean_image)
    engine.log_text = "Traceback (most recent call last):\nPermissionError: '/app/twistd.pid'\n"
    engine.states = [{"Running": True}, {"Running": True}, {"Running": False, "ExitCode": 1}]
    quick = CheckOptions(sleep=lambda s: None)
    startup = run_audit("demo:1", engine, run=True, options=quick).check("startup")
    assert startup.status is Status.FAIL and "exited with code 1" in startup.summary, startup
    assert any(e.detail == "PermissionError: '/app/twistd.pid'" for e in startup.evidence)
    engine.states = [{"Running": True}]
    assert run_audit("demo:1", engine, run=True, options=quick).check("startup").status is Status.PASS
    engine.states = [{"Running": True}, {"Running": False, "ExitCode": 0}]
    assert run_audit("demo:1", engine, run=True, options=quick).check("startup").status is Status.PASS


def test_a_failed_start_shows_why_the_container_said(clean_image: Img) -> None:
    """rw37: an image whose server could not bind its port failed with "unhealthy after 5.6 s" only,
    though the container had exited: an exit is reported before the probe's status, with the last
    output lines; an unhealthy container shows the probe's last answer and its output."""
    from dockwright.audit.audit import run_audit

    engine = serve(clean_image)
    engine.log_text = "Booting worker\n[ERROR] Can't connect to ('0.0.0.0', 80)\nPermission denied\n"
    engine.states = [{"Running": False, "ExitCode": 1, "Health": {"Status": "unhealthy"}}]
    quick = CheckOptions(sleep=lambda s: None)
    startup = run_audit("demo:1", engine, run=True, options=quick).check("startup")
    assert startup.status is Status.FAIL and "exited with code 1" in startup.summary, startup
    assert [e.detail for e in startup.evidence if e.path == "logs"] == [
        "Booting worker",
        "[ERROR] Can't connect to ('0.0.0.0', 80)",
        "Permission denied",
    ]
    log = [{"Output": "urllib.error.URLError: <urlopen error [SSL: WRONG_VERSION_NUMBER]>\n", "ExitCode": 1}]
    engine.states = [{"Running": True, "Health": {"Status": "unhealthy", "Log": log}}]
    startup = run_audit("demo:1", engine, run=True, options=quick).check("startup")
    assert startup.status is Status.FAIL and startup.summary.startswith("unhealthy after")
    assert startup.evidence[0].detail == (
        "probe said: urllib.error.URLError: <urlopen error [SSL: WRONG_VERSION_NUMBER]>"
    )


def test_cli_exit_codes_and_formats(
    clean_image: Img, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engines = {"good": serve(clean_image), "bad": serve(_bad([], {"User": "root"}))}
    real = api.audit

    def fake_audit(image: str, **kw: Any) -> Any:
        kw.pop("engine", None)  # the CLI's --engine choice; the test serves its own
        if image in engines:
            return real("demo:1", engine=engines[image], **kw)
        return real(image, engine=engines["good"], **kw)

    monkeypatch.setattr("dockwright.cli.audit_cmd.api.audit", fake_audit)
    assert main(["audit", "good"]) == 0
    assert "runs as UID 10001" in capsys.readouterr().out
    assert main(["audit", "bad", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["schema"] == "dockwright.audit/1"
    assert main(["audit", "nope:1"]) == 2
    assert capsys.readouterr().err.strip() == "error: no such image: nope:1"
    target = tmp_path / "r.html"
    assert main(["audit", "good", "--format", "html", "-o", str(target)]) == 0
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert main(["audit", "good", "--max-size", "-3"]) == 2


PASSING = [
    ("name mapped to uid >= 10000", [], {"User": "app"}, "user"),
    ("HEALTHCHECK NONE", [], {"Healthcheck": {"Test": ["NONE"]}}, "healthcheck"),
    (
        "healthcheck omitted by label",
        [],
        {"Healthcheck": None, "Labels": {**_LABELS, "io.dockwright.healthcheck": "none"}},
        "healthcheck",
    ),
    ("python -u", [], {"Env": ["PATH=/usr/bin"], "Cmd": ["python", "-u", "app.py"]}, "logs"),
    (
        "tini, sh -c exec",
        [],
        {"Cmd": ["/bin/sh", "-c", "exec gunicorn app:app"]},
        "signals",
    ),
    (
        "dangling cc symlink",
        [F("usr/bin/cc", kind="symlink", link="/etc/alternatives/cc")],
        None,
        "toolchain",
    ),
    ("python headers only", [F("usr/local/include/python3.11/Python.h", 5000)], None, "toolchain"),
    (
        "ensurepip wheel",
        [F("usr/local/lib/python3.11/ensurepip/_bundled/pip-24.0-py3-none-any.whl", 2000)],
        None,
        "caches",
    ),
    (
        "wheels a package ships as its data",
        [F(f"{SP}/virtualenv/seed/wheels/embed/pip-25.0.1-py3-none-any.whl", 2000)],
        None,
        "caches",
    ),
    (".env.example", [F("app/.env.example", b"A=\n")], None, "dotfiles"),
    (
        "CA bundle in site-packages",
        [F(f"{SP}/certifi/cacert.pem", b"-----BEGIN CERTIFICATE-----\n")],
        None,
        "dotfiles",
    ),
    (
        "CA bundle in /etc/ssl",
        [F("etc/ssl/certs/ca.pem", b"-----BEGIN CERTIFICATE-----\n")],
        None,
        "dotfiles",
    ),
    (
        "certificate is not a key",
        [F("etc/ssl/certs/ca.pem", b"-----BEGIN CERTIFICATE-----\nabc\n")],
        None,
        "secrets",
    ),
    ("compiled bytecode by choice", [F("app/__pycache__/app.cpython-311.pyc", 300)], None, "bytecode"),
]


@pytest.mark.parametrize(("name", "extra", "config", "check"), PASSING, ids=[c[0] for c in PASSING])
def test_good_variants_pass(name: str, extra: list[F], config: dict[str, Any] | None, check: str) -> None:
    result = audit(_bad(extra, config), "oci").check(check)
    assert result.status is Status.PASS, result


def test_dpkg_toolchain_and_distroless_status_d() -> None:
    status = (
        b"Package: build-essential\nStatus: install ok installed\n\n"
        b"Package: libpq-dev\nStatus: install ok installed\n"
    )
    img = _bad([F("var/lib/dpkg/status", status), F("var/lib/dpkg/status.d/libssl3", b"Package: libssl3\n")])
    report = audit(img)
    toolchain = report.check("toolchain")
    assert toolchain.status is Status.FAIL
    details = {ev.detail for ev in toolchain.evidence}
    assert "package build-essential installed" in details and "package libpq-dev installed" in details


def test_secret_in_site_packages_tests_is_only_a_warning() -> None:
    key = b"-----BEGIN EC PRIVATE KEY-----\nabc\n"
    result = audit(_bad([F(f"{SP}/tornado/test/test.key", key)])).check("secrets")
    assert result.status is Status.WARN


# our own example: a site's public client key id that a published extractor module embeds (the shape of
# yt-dlp's extractor/shahid.py), AWS's pattern without its EXAMPLE ending
CLIENT_ID = b'_AWS_KEY_ID = "AKIAQWERTYUIOPASDFGH"\n'
KEY_SP = "opt/venv/lib/python3.13/site-packages"


def _dist(name: str, version: str, direct_url: bool = False) -> list[F]:
    info = f"{KEY_SP}/{name}-{version}.dist-info"
    url = [F(f"{info}/direct_url.json", b'{"url": "file:///dist/x.whl", "archive_info": {}}')]
    return [F(f"{info}/METADATA", b"Metadata-Version: 2.1\n"), *(url if direct_url else [])]


def test_a_key_id_in_a_distribution_from_an_index_is_only_a_warning() -> None:
    lock = F("app/requirements.txt", b"yt-dlp==2025.3.31\n")  # the lock shows it came from an index
    img = _bad([*_dist("yt_dlp", "2025.3.31"), F(f"{KEY_SP}/yt_dlp/extractor/tvsite.py", CLIENT_ID), lock])
    result = audit(img).check("secrets")
    assert result.status is Status.WARN, result
    assert result.summary == "1 published key ids"
    assert "in yt_dlp-2025.3.31's own files, installed from an index" in result.evidence[0].detail


@pytest.mark.parametrize(
    "files",
    [
        # the app's own code and config
        [F("app/settings.py", CLIENT_ID)],
        [F("app/config/deploy.env.py", CLIENT_ID)],
        # the project's own wheel, or a git dependency: installed from a file or URL (direct_url.json)
        [*_dist("ledger", "1.0", direct_url=True), F(f"{KEY_SP}/ledger/settings.py", CLIENT_ID)],
        # a file in site-packages no distribution of that name owns
        [F(f"{KEY_SP}/sitecustomize.py", CLIENT_ID)],
        # installed by name, but nothing in the image shows a package index (a --find-links wheel)
        [*_dist("yt_dlp", "2025.3.31"), F(f"{KEY_SP}/yt_dlp/extractor/tvsite.py", CLIENT_ID)],
        # a token, not a key id, in a published distribution's files
        [*_dist("yt_dlp", "2025.3.31"), F(f"{KEY_SP}/yt_dlp/auth.py", b"T = 'ghp_" + b"a1" * 18 + b"'\n")],
    ],
)
def test_key_ids_of_the_app_its_own_wheel_and_tokens_still_fail(files: list[F]) -> None:
    assert audit(_bad(files)).check("secrets").status is Status.FAIL


VENV_SP = "opt/venv/lib/python3.11/site-packages"
VENV_ENV = {"Env": ["PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin", "PYTHONUNBUFFERED=1"]}


def _venv_image(extra: list[F]) -> Img:
    venv = [
        F("opt/venv/pyvenv.cfg", b"home = /usr/local/bin\ninclude-system-site-packages = false\n"),
        F(f"{VENV_SP}/flask/__init__.py", 3000),
        F(f"{VENV_SP}/flask-3.0.0.dist-info", kind="dir"),
        *extra,
    ]
    base_pip = [F(f"{SP}/pip/__init__.py", 5000), F(f"{SP}/pip-24.0.dist-info", kind="dir")]
    img = Img([[*base_layer(), *base_pip], venv])
    img.config.update(VENV_ENV)
    return img


def test_pip_outside_the_apps_venv_is_the_base_images() -> None:
    result = audit(_venv_image([])).check("pip-in-runtime")
    assert result.status is Status.PASS, result
    assert "/opt/venv" in result.summary and "outside the venv" in result.summary
    assert [ev.path for ev in result.evidence] == [f"/{SP}/pip"]


def test_pip_inside_the_apps_venv_warns() -> None:
    extra = [F(f"{VENV_SP}/pip/__init__.py", 5000), F(f"{VENV_SP}/pip-24.0.dist-info", kind="dir")]
    result = audit(_venv_image(extra)).check("pip-in-runtime")
    assert result.status is Status.WARN, result
    assert [ev.path for ev in result.evidence] == [f"/{VENV_SP}/pip"]


def test_text_report_redacts_credentials(clean_image: Img) -> None:
    """Every output of the audit is redacted, the terminal text included (not only JSON and HTML)."""
    import dataclasses
    import io

    from rich.console import Console

    from dockwright.audit.report import render_text

    report = audit(clean_image)
    leaked = "https://deploy:s3cr3t-token@pypi.example.com/simple/"
    report = dataclasses.replace(report, notes=(*report.notes, f"index {leaked}"))
    out = io.StringIO()
    render_text(report, Console(file=out, width=200, highlight=False))
    assert "s3cr3t-token" not in out.getvalue() and "https://***@pypi.example.com" in out.getvalue()


def test_setuptools_pinned_by_the_lock_is_a_dependency_not_a_leftover(tmp_path: Path) -> None:
    """Dash declares setuptools as a run-time requirement: with --context, the lock says so."""
    extra = [
        F(f"{VENV_SP}/setuptools/__init__.py", 5000),
        F(f"{VENV_SP}/setuptools-80.0.0.dist-info", kind="dir"),
    ]
    img = _venv_image(extra)
    assert audit(img).check("pip-in-runtime").status is Status.WARN, "without the lock: a leftover"
    sha = "a" * 64
    (tmp_path / "requirements.txt").write_text(
        f"flask==3.0.0 --hash=sha256:{sha}\nsetuptools==80.0.0 --hash=sha256:{sha}\n", encoding="utf-8"
    )
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n", encoding="utf-8")
    result = audit(img, context=tmp_path).check("pip-in-runtime")
    assert result.status is Status.PASS, result
    assert "setuptools pinned by requirements.txt" in result.summary
