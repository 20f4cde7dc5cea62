"""The home page's tiles: each feature app's selectors say what needs doing today."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str
    urgent: bool = False
