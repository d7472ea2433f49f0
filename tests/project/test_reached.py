"""reached: the walk to a fixed point the import and call readers share."""

from __future__ import annotations

from dockwright.project.reached import reached


def test_every_item_is_followed_once_and_cycles_end() -> None:
    edges = {"a": ["b", "c"], "b": ["a", "d"], "c": [], "d": ["d"], "e": ["a"]}
    followed: list[str] = []

    def following(item: str) -> list[str]:
        followed.append(item)
        return edges[item]

    assert reached(["a"], following) == {"a", "b", "c", "d"}
    assert sorted(followed) == ["a", "b", "c", "d"]
    assert reached([], following) == set()
