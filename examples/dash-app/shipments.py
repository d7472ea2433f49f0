"""A small in-code data set: weekly shipments per region (no files, no database)."""

from __future__ import annotations

WEEKS = [f"W{n}" for n in range(1, 9)]
SHIPMENTS: dict[str, list[int]] = {
    "north": [120, 132, 101, 134, 190, 230, 210, 198],
    "south": [220, 182, 191, 234, 290, 330, 310, 301],
    "east": [150, 232, 201, 154, 190, 330, 410, 385],
}


def weekly(region: str) -> list[int]:
    """The weekly counts of one region; an unknown region has none."""
    return SHIPMENTS.get(region, [0] * len(WEEKS))
