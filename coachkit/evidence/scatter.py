"""The geometry of a scatter plot of two 1-5 measures, for the template to draw as SVG
(no JavaScript): where each point, tick and label goes in the plot's own units."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 320, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 44
LOW, HIGH = 1.0, 5.0  # both measures are on the 1-5 skill scale


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    count: int  # hires at exactly this spot: drawn bigger rather than hidden


@dataclass(frozen=True)
class Tick:
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class Plot:
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _x(value: float) -> float:
    return round(LEFT + (value - LOW) / (HIGH - LOW) * (WIDTH - LEFT - RIGHT), 1)


def _y(value: float) -> float:
    return round(HEIGHT - BOTTOM - (value - LOW) / (HIGH - LOW) * (HEIGHT - TOP - BOTTOM), 1)


def plot(points: Sequence[tuple[float, float]]) -> Plot:
    """Dots for (x, y) pairs on 1-5 scales; identical pairs become one larger dot."""
    clamp = lambda v: max(LOW, min(HIGH, v))  # noqa: E731 - a one-line local rule
    spots = Counter((round(clamp(x), 2), round(clamp(y), 2)) for x, y in points)
    dots = tuple(Dot(_x(x), _y(y), count) for (x, y), count in sorted(spots.items()))
    ticks = tuple(Tick(value, _x(value), _y(value)) for value in range(1, 6))
    return Plot(dots, ticks)
