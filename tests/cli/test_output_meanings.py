"""``--output`` is a buildx output SPEC on build and a report FILE on audit and sbom (the names stay,
users rely on both): each verb's help says which, and the other meaning is a one-line usage error that
names the right form, before any planning or engine."""

from __future__ import annotations

import pytest

from dockwright.cli import main


@pytest.mark.parametrize("value", ["app.tar", "out/", "-"])
def test_build_refuses_a_file_name_and_names_the_specs(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "/no/such/project", "--dry-run", "--output", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: Invalid value for '--output': {value!r} is not a buildx output spec")
    assert f"type=oci,dest={value} (an OCI archive)" in err and err.count("\n") == 1


@pytest.mark.parametrize("value", ["type=registry", "type=oci,dest=app.tar", "dest=app.tar,type=docker"])
def test_build_takes_buildx_specs(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "/no/such/project", "--dry-run", "--output", value]) == 2
    assert capsys.readouterr().err == "error: /no/such/project: no such directory\n"  # past the option


@pytest.mark.parametrize("verb", ["audit", "sbom"])
def test_reports_refuse_a_buildx_spec(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([verb, "app:1.0", "-o", "type=oci,dest=app.tar"]) == 2
    err = capsys.readouterr().err
    assert "'type=oci,dest=app.tar' is a buildx output spec; here --output is the FILE the report is" in err
    assert "`dockwright build --output SPEC`" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("verb", "says"),
    [
        (["build"], "a buildx output SPEC (type=...)"),
        (["audit"], "Write the report to FILE (atomically) instead of stdout. A file name, not build's"),
        (["sbom"], "Write the SBOM to FILE (atomically) instead of stdout. A file name, not build's"),
    ],
)
def test_each_help_says_which_output_it_means(
    verb: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*verb, "--help"]) == 0
    assert says in " ".join(capsys.readouterr().out.split())
