"""The sandbox's suites: which stand-in an image name is made from, and what pip fetches for it."""

from __future__ import annotations

from sandbox.config import SUITES, settings, suite_of

from dockwright.project.python_version import debian_suites
from sandbox import images, pypi


def test_image_names_map_to_their_suite() -> None:
    assert suite_of("python:3.14.4-slim-trixie") == SUITES["trixie"]
    assert suite_of("python:3.8.20-slim-bookworm") == SUITES["bookworm"]
    assert suite_of("gcr.io/distroless/cc-debian13:nonroot") == SUITES["trixie"]
    assert suite_of("gcr.io/distroless/python3-debian12") == SUITES["bookworm"]
    assert suite_of("python:3.14.4-alpine3.22") is None


def test_stand_in_interpreters_are_debians_own() -> None:
    for name, suite in SUITES.items():
        assert suite.python == debian_suites()[name].python3
        assert suite.distroless == debian_suites()[name].distroless


def test_pip_fetches_for_the_stand_ins_interpreter_and_glibc() -> None:
    trixie = pypi.target("3.13")
    assert "--python-version=3.13" in trixie and "--abi=cp313" in trixie
    assert "--platform=manylinux_2_41_x86_64" in trixie
    assert "--platform=manylinux_2_37_x86_64" not in pypi.target("3.11")


def test_each_suite_has_its_own_mirror_and_bookworm_keeps_its_place() -> None:
    config = settings()
    assert config.debs_of(SUITES["bookworm"]) == config.debs
    assert config.debs_of(SUITES["trixie"]) != config.debs
    assert not config.debs_of(SUITES["trixie"]).is_relative_to(config.debs)
    assert config.deb_url_of(SUITES["bookworm"]) == config.deb_url
    assert config.port_of(SUITES["trixie"]) != config.deb_port


def test_trixie_recipes_use_trixie_python_and_mirror() -> None:
    config = settings()
    recipes = {
        r.tags[0][0]: r
        for r in images.recipes_for(
            {"python:3.14.4-slim-trixie", "gcr.io/distroless/python3-debian13:nonroot"}, config
        )
    }
    slim = recipes["python:3.14.4-slim-trixie"]
    assert slim.suite.name == "trixie"
    assert any("libpython3.13" in arg for arg in slim.mmdebstrap)
    assert any(config.deb_url_of(SUITES["trixie"]) in arg for arg in slim.mmdebstrap)
    distroless = recipes["gcr.io/distroless/python3-debian13"]
    assert ('ENTRYPOINT ["/usr/bin/python3.13"]') in distroless.tags[0][1]


def test_the_node_stand_in_is_debians_nodejs_on_the_tags_suite() -> None:
    from dockwright.plan.buildsteps import node_image

    config = settings()
    (recipe,) = images.recipes_for({node_image()}, config)
    assert recipe.tags[0][0] == node_image() and recipe.suite.name == "trixie"
    assert "--include=nodejs,npm,ca-certificates" in recipe.mmdebstrap
    assert any(config.deb_url_of(SUITES["trixie"]) in arg for arg in recipe.mmdebstrap)
