from __future__ import annotations

from dockwright.project.wheels import linux_binary_wheel, wheel_for_target


def test_manylinux_cp311_wheel_matches() -> None:
    names = ["numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy-2.1.3.tar.gz"]
    assert wheel_for_target(names, "3.11.15") is True


def test_other_python_or_platform_does_not_match() -> None:
    names = [
        "numpy-2.1.3-cp312-cp312-manylinux_2_17_x86_64.whl",
        "numpy-2.1.3-cp311-cp311-musllinux_1_1_x86_64.whl",
        "numpy-2.1.3-cp311-cp311-manylinux_2_17_aarch64.whl",
        "numpy-2.1.3-cp311-cp311-manylinux_2_39_x86_64.whl",  # newer glibc than bookworm's 2.36
        "numpy-2.1.3-cp311-cp311-win_amd64.whl",
        "numpy-2.1.3.tar.gz",
    ]
    assert wheel_for_target(names, "3.11") is False


def test_pure_and_abi3_wheels_match() -> None:
    assert wheel_for_target(["flask-3.0.3-py3-none-any.whl"], "3.11") is True
    assert wheel_for_target(["cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl"], "3.11") is True


def test_no_files_is_unknown() -> None:
    assert wheel_for_target([], "3.11") is None
    assert wheel_for_target(["psycopg2-2.9.10.tar.gz"], "3.11") is False


def test_a_local_version_label_url_encoded_in_the_file_name_is_a_wheel() -> None:
    """uv.lock keeps a wheel's URL as the index serves it: a local version's ``+`` is ``%2B``
    (``shop-2.0.0%2Bcpu-cp313-cp313-manylinux_2_28_x86_64.whl``); the file is still that wheel."""
    name = "shop-2.0.0%2Bcpu-cp313-cp313-manylinux_2_28_x86_64.whl"
    assert wheel_for_target([name], "3.13", "x86_64") is True
    assert linux_binary_wheel(name)
