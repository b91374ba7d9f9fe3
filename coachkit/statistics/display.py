"""How a statistic is shown so that its digits never contradict its flag.

A figure is flagged by comparing the exact value with a threshold; rounding for display
can move it onto or across that threshold (0.7995 shows as "0.80" beside "below 0.8").
The rule: show PLACES decimals; if the shown number, read back, compares with any
threshold differently from the exact value (below, equal, above), show more decimals,
up to MAX_PLACES; if even that does not separate them, cut the last digit toward the
value's side of the threshold (0.79999 shows "0.7999"). Far from every threshold a
figure looks as it always did.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

PLACES = 2
MAX_PLACES = 4
EMPTY = "–"


def _side(value: float, threshold: float) -> int:
    return (value > threshold) - (value < threshold)


def shown(value: float | None, *thresholds: float, places: int = PLACES, empty: str = EMPTY) -> str:
    """`value` with `places` decimals, or more where rounding would put it on the
    other side of (or onto) one of `thresholds`. None shows as `empty`."""
    if value is None:
        return empty
    for digits in range(places, MAX_PLACES + 1):
        text = f"{value:.{digits}f}"
        crossed = [t for t in thresholds if _side(float(text), t) != _side(value, t)]
        if not crossed:
            return _unsigned_zero(text)
    # Still on the wrong side at MAX_PLACES: cut toward the exact value's side.
    rounding = ROUND_FLOOR if value < crossed[0] else ROUND_CEILING
    exponent = Decimal(1).scaleb(-MAX_PLACES)
    return _unsigned_zero(str(Decimal(value).quantize(exponent, rounding=rounding)))


def _unsigned_zero(text: str) -> str:
    """'-0.00' reads as a negative figure; a value that rounds to zero shows '0.00'."""
    return text[1:] if text.startswith("-") and float(text) == 0 else text
