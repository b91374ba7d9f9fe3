"""Plain words for the evidence reports' figures, and the group sizes below which a
figure is not shown (anyone could be recognised) or not judged (too uncertain)."""

from __future__ import annotations

from coachkit.statistics.paired import Difference

MIN_SHOWN = 5  # fewer people than this: nothing about them is shown
MIN_JUDGED = 10  # fewer hires than this: figures shown, but no reading
SMALL_GROUP = 20  # fewer people than this: the wording warns the interval is wide


def strength(r: float) -> str:
    """Cohen's rough bands for a correlation's size."""
    size = abs(r)
    if size < 0.1:
        return "no real"
    if size < 0.3:
        return "a weak"
    if size < 0.5:
        return "a moderate"
    return "a strong"


def correlation_reading(r: float | None, interval: tuple[float, float] | None, n: int) -> str:
    """What a correlation of screening and later results means at this many hires."""
    if n < MIN_JUDGED:
        return f"Too few hires to judge: {n} so far, and at least {MIN_JUDGED} are needed."
    if r is None or interval is None:
        return "No correlation: one of the two measures is the same for every hire."
    kind = strength(r) + ("" if abs(r) < 0.1 else " positive" if r > 0 else " negative")
    low, high = interval
    words = (
        f"With {n} hires, r = {r:.2f} suggests {kind} relation "
        f"(95% interval {low:.2f} to {high:.2f})."
    )
    if low <= 0 <= high:
        words += " The interval includes zero: this many hires cannot rule out no relation."
    elif r > 0:
        words += " Higher screening scores went with higher later results."
    else:
        words += " Higher screening scores went with lower later results: worth a look."
    if n < SMALL_GROUP:
        words += " The interval is wide at this size; a few more hires can move r a lot."
    return words


def change_reading(difference: Difference | None, n: int, what: str = "Ratings") -> str:
    """What a mean paired change (after minus before) of this many people means."""
    if n < MIN_SHOWN:
        return f"Fewer than {MIN_SHOWN} people: not shown, so no one can be recognised."
    if difference is None or difference.low is None or difference.high is None:
        return "No interval: too few pairs."
    if difference.clear:
        way = "rose" if difference.mean > 0 else "fell"
        words = f"{what} {way} by {abs(difference.mean):.2f} on average."
    else:
        words = "No clear change: the interval includes zero."
    if n < SMALL_GROUP:
        words += f" Only {n} people: read it as a hint, not a finding."
    return words
