"""ast_names: the names a module's imports bind, shared by the readers of library calls."""

from __future__ import annotations

import ast

import pytest

from dockwright.project.ast_names import bound_names, path_join, resolved


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("from pkg import attr\n", {"attr"}),
        ("from pkg import attr as a\n", {"a"}),
        ("import pkg\n", {"pkg.attr"}),
        ("import pkg as p\n", {"p.attr"}),
        ("import pkg.attr\n", {"pkg.attr"}),
        ("from pkg import other\n", set()),
        ("from .pkg import attr\n", set()),  # relative: the project's own module, not the library
        ("import pkg\nfrom pkg import attr as go\n", {"pkg.attr", "go"}),
    ],
)
def test_the_names_a_module_binds_to_a_library_attribute(source: str, names: set[str]) -> None:
    assert bound_names(ast.parse(source), "pkg.attr") == names


def test_a_nested_target_is_reached_through_its_module() -> None:
    module = ast.parse("from pkg import sub\nfrom pkg.sub import fn as f\n")
    assert bound_names(module, "pkg.sub.fn") == {"sub.fn", "f"}


@pytest.mark.parametrize(
    ("call", "full"),
    [("np.zeros", "numpy.zeros"), ("load", "joblib.load"), ("other.x", "other.x"), ("f().x", "")],
)
def test_a_call_is_resolved_through_the_imports(call: str, full: str) -> None:
    aliases = {"np": "numpy", "load": "joblib.load"}
    node = ast.parse(call, mode="eval").body
    assert resolved(node, aliases) == full


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('ROOT / "data"', ("ROOT", 0, "data")),
        ('os.path.join(ROOT, "data", "x.csv")', ("ROOT", 0, "data")),
        ('Path(ROOT, "..", "..", "data")', ("ROOT", 2, "data")),
        ('os.path.join(ROOT, "..")', None),  # steps only: no name
        ("ROOT / name", None),
        ('open(ROOT, "data")', None),
    ],
)
def test_path_join_reads_the_folder_the_steps_and_the_name(
    source: str, found: tuple[str, int, str] | None
) -> None:
    joined = path_join(ast.parse(source, mode="eval").body)
    assert (None if joined is None else (ast.unparse(joined.base), joined.ups, joined.name)) == found
