"""Generate realistic coachkit data at a benchmark size, or reuse the cached copy.

    python -m bench.generate S        # or L; --force rebuilds

S: 1k users, 100k training attempts, 10k coaching sessions, 5k candidates.
L: 10k users, 1M attempts, 100k sessions, 50k candidates.

People sit in teams with a manager; employees and managers play the content library's
modules (each answer stored as a step, each completed attempt rolled up into skill
scores); managers coach their members monthly; recruiters run openings whose
candidates are at every stage, with answers, two raters' scores and skill results.
Every row goes through the app's tables (see bench/store.py for how).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.store import SIZES, Size, Writer, target

SEED = 20261201


@dataclass
class Team:
    id: int
    managers: list[int]
    members: list[int] = field(default_factory=list)


@dataclass
class World:
    """What one generator step leaves for the next (ids and who belongs where)."""

    size: Size
    writer: Writer
    rng: random.Random
    now: datetime  # naive, UTC: the writer stores it as the app's UTCDateTime does
    library: object
    admins: list[int] = field(default_factory=list)
    recruiters: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)
    employees: list[int] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    team_of: dict[int, Team] = field(default_factory=dict)  # member id -> team
    # learner id -> (first attempt id, count); a learner's attempts are consecutive
    # ids in the order they were started
    attempts: dict[int, tuple[int, int]] = field(default_factory=dict)
    # learner id -> (their latest completed attempt's id, its module)
    completed: dict[int, tuple[int, str]] = field(default_factory=dict)


def spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up exactly."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def fill(size: Size, writer: Writer) -> dict[str, float]:
    """Write every table for `size`; return seconds per part."""
    from bench import gen_coaching, gen_hiring, gen_people, gen_training
    from coachkit.config import CONTENT_DIR
    from coachkit.content.library import load

    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    world = World(size, writer, random.Random(SEED), now, load(Path(CONTENT_DIR)))
    timings = {}
    for name, part in (
        ("people", gen_people.generate),
        ("training", gen_training.generate),
        ("coaching", gen_coaching.generate),
        ("hiring", gen_hiring.generate),
    ):
        started = time.perf_counter()
        part(world)
        timings[name] = time.perf_counter() - started
    return timings


def ensure(size: Size, *, force: bool = False, log=print) -> tuple[str, float]:
    """The URL of a database holding `size`'s data, generating it when not cached;
    and how many seconds generation took (0 when reused)."""
    where = target(size)
    if where.ready() and not force:
        log(f"{size.name}: reusing {where.label}")
        return where.url, 0.0
    log(f"{size.name}: generating into {where.label} ...")
    started = time.perf_counter()
    parts: dict[str, float] = {}
    counts: dict[str, int] = {}

    def run(writer: Writer) -> None:
        parts.update(fill(size, writer))
        counts.update(writer.counts)

    where.build(run)
    took = time.perf_counter() - started
    detail = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in parts.items())
    log(f"{size.name}: generated {sum(counts.values()):,} rows in {took:.1f}s ({detail})")
    for table, count in sorted(counts.items()):
        log(f"    {table:32} {count:>10,}")
    return where.url, took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["S", "L"], choices=sorted(SIZES))
    parser.add_argument("--force", action="store_true", help="rebuild even when cached")
    args = parser.parse_args(argv)
    for name in args.sizes:
        url, _took = ensure(SIZES[name], force=args.force)
        print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
