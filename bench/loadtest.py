"""`make loadtest`: about fifty people using coachkit at once for a minute, on loopback.

1. A fresh SQLite database: `flask db upgrade`, `flask demo`, then (through the app's
   own code) enough extra employees, managers with teams, recruiters and invited
   candidates that every simulated person is someone different (bench/population.py).
2. gunicorn serving it with the project's gunicorn.conf.py (bench/load.py's Server),
   its request log kept.
3. One thread per simulated person (bench/journeys.py): employees play a training module
   to its results and acknowledge coaching, managers record sessions, recruiters rate
   answers, candidates answer an exercise through their invite link. Staff sign in once,
   a few at a time before the clock starts (argon2 is slow on purpose), and keep their
   session; people arrive over the first seconds and pause 0.5-1.5 s on each page.
   When the time is up nobody starts a new journey; those under way finish (within
   DRAIN_SECONDS), so every step is measured under load.
4. Requests, errors (any unexpected status or failed request) and p50/p95/p99 per step
   and overall; the request log is checked: one JSON object per line, no password,
   token, CSRF token, session cookie, answer or note text in it. A table on the
   terminal and bench/results/loadtest.json.

    python -m bench.loadtest [--seconds 60] [--users 50] [--output PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from bench.client import Browser, JourneyError, Sample, TimeUp
from bench.journeys import JOURNEYS, PASSWORD, STEPS, TYPED, Invites, Person, sign_in
from bench.journeys import candidate as candidate_journey
from bench.load import Server
from bench.population import Population, populate
from bench.store import ROOT
from coachkit.request_log import FIELDS

RESULT = ROOT / "bench" / "results" / "loadtest.json"
THINK = (0.5, 1.5)
RAMP_SECONDS = 5.0  # people arrive over the first seconds, not all at once
SIGN_INS_AT_ONCE = 4
DRAIN_SECONDS = 30  # journeys under way when the time is up may finish within this


def run(seconds: float, users: int, think: tuple[float, float] = THINK) -> dict[str, Any]:
    """Prepare, serve, load for `seconds` with `users` people; the report as a dict."""
    phases = {"prepare": time.monotonic()}
    with tempfile.TemporaryDirectory(prefix="coachkit-loadtest-") as scratch:
        directory = Path(scratch)
        population = populate(directory, users, seconds)
        access_log = directory / "access.log"
        phases["start_server"] = time.monotonic()
        server = Server(
            population.url,
            secrets.token_hex(32),
            directory / "gunicorn.log",
            access_log=str(access_log),
        )
        phases["sign_in"] = time.monotonic()
        try:
            browsers, started = load(server.port, population, seconds, think)
            phases["run"] = started
            phases["stop_server"] = time.monotonic()
        finally:
            server.stop()
        phases["end"] = time.monotonic()
        report = summarise(browsers, population, started, phases["stop_server"] - started)
        report["log"] = check_logs(
            [access_log, directory / "gunicorn.log"], secrets_in(browsers, population)
        )
    report.update(seconds=seconds, users=users, think_seconds=list(think))
    moments = list(phases.values())
    report["phase_seconds"] = {
        name: round(later - earlier, 1)
        for name, earlier, later in zip(phases, moments, moments[1:], strict=False)
    }
    return report


def load(
    port: int, population: Population, seconds: float, think: tuple[float, float]
) -> tuple[list[tuple[str, Browser]], float]:
    """Sign the staff in, then run everyone for `seconds` (journeys under way then may
    finish within DRAIN_SECONDS); the browsers and when the run started."""
    people = population.people
    browsers = [Browser(port, math.inf, think, seed=n) for n in range(len(people))]
    with ThreadPoolExecutor(SIGN_INS_AT_ONCE) as pool:
        signed_in = list(pool.map(warm_up, browsers, people))
    invites = Invites(population.tokens)
    started = time.monotonic()
    ends = started + seconds
    threads = []
    for browser, person, ready in zip(browsers, people, signed_in, strict=True):
        browser.deadline = ends + DRAIN_SECONDS
        arguments = (browser, person, invites, ends, ready)
        threads.append(threading.Thread(target=simulate, args=arguments, daemon=True))
    ramp = min(RAMP_SECONDS, seconds / 4)
    for number, thread in enumerate(threads):
        time.sleep(max(0.0, started + ramp * number / len(threads) - time.monotonic()))
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + DRAIN_SECONDS + 60)
    return [
        (person.role, browser) for browser, person in zip(browsers, people, strict=True)
    ], started


def warm_up(browser: Browser, person: Person) -> bool:
    """Sign a member of staff in before the clock starts (argon2 is slow on purpose, and
    fifty people do not all sign in within the same few seconds); True when done."""
    if person.role == "candidate":
        return True
    return attempt(browser, person, partial(sign_in, browser, person))


def attempt(browser: Browser, person: Person, action: Callable[[], None]) -> bool:
    """Run `action`; a failure is recorded as an error (never fatal to the run) and the
    person pauses before going on, as someone would retry."""
    try:
        action()
        return True
    except TimeUp:
        raise
    except Exception as error:
        if not (isinstance(error, JourneyError) and error.recorded):
            browser.samples.append(Sample(f"{person.role}: journey", 0.0, 0, repr(error)))
        browser.think()
        return False


def simulate(
    browser: Browser, person: Person, invites: Invites, ends: float, signed_in: bool
) -> None:
    """One person's journeys, one after another until the run `ends` (a candidate: one
    invite after another); staff sign in again only if signing in failed before."""
    try:
        while time.monotonic() < ends:
            if not signed_in:
                signed_in = attempt(browser, person, partial(sign_in, browser, person))
            elif person.role != "candidate":
                attempt(browser, person, partial(JOURNEYS[person.role], browser, person))
            elif (token := invites.take()) is not None:
                attempt(browser, person, partial(candidate_journey, browser, token))
            else:
                return  # every invite used: this candidate has gone
    except TimeUp:
        return
    finally:
        browser.close()


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile of `values` (seconds), in milliseconds."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return round(1000 * ordered[int(rank) - 1], 1)


def _stats(samples: list[Sample]) -> dict[str, Any]:
    times = [sample.seconds for sample in samples if sample.status]
    return {
        "requests": len(samples),
        "errors": sum(1 for sample in samples if sample.error),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
    }


def summarise(
    browsers: list[tuple[str, Browser]], population: Population, started: float, elapsed: float
) -> dict[str, Any]:
    samples = [sample for _, browser in browsers for sample in browser.samples]
    by_step: dict[str, list[Sample]] = {}
    for sample in samples:
        by_step.setdefault(sample.step, []).append(sample)
    expected = [f"{role}: {step}" for role, steps in STEPS.items() for step in steps]
    steps = [{"step": name, **_stats(by_step.get(name, []))} for name in expected]
    steps += [{"step": name, **_stats(by_step[name])} for name in by_step if name not in expected]
    overall = _stats(samples)
    return {
        **overall,
        # Over the run (sign-ins before it excluded), journeys finishing after it included.
        "requests_per_second": round(sum(1 for s in samples if s.at >= started) / elapsed, 1),
        "run_seconds": round(elapsed, 1),
        "people": {role: sum(1 for r, _ in browsers if r == role) for role in STEPS},
        "candidates_handed_in": len(by_step.get("candidate: hand in", [])),
        "workers": population.workers,
        "error_messages": sorted({s.error for s in samples if s.error})[:20],
        "steps": steps,
    }


def secrets_in(browsers: list[tuple[str, Browser]], population: Population) -> set[str]:
    """What must never reach a log: the password, invite tokens, every CSRF token and
    session cookie handed out, and all the text people typed."""
    found = {PASSWORD, *TYPED, *population.tokens}
    for _, browser in browsers:
        found |= browser.cookie_values | browser.csrf_tokens
    return {secret for secret in found if len(secret) >= 8}


def check_logs(paths: list[Path], hidden: set[str]) -> dict[str, Any]:
    """Request lines that are not JSON with every field, and lines showing a secret."""
    pattern = re.compile("|".join(re.escape(secret) for secret in sorted(hidden, key=len)[::-1]))
    lines = invalid = leaks = 0
    durations = []
    for path in paths:
        for line in path.read_text(errors="replace").splitlines():
            if pattern.search(line):
                leaks += 1
            if path.name != "access.log":
                continue
            lines += 1
            try:
                record = json.loads(line)
            except ValueError:
                record = {}
            if set(record) != FIELDS:
                invalid += 1
            elif record["duration_ms"] is not None:
                durations.append(record["duration_ms"] / 1000)
    return {
        "request_lines": lines,
        "invalid_lines": invalid,
        "lines_with_secrets": leaks,
        # Time in the app alone; the rest of a request's time is waiting for a worker.
        "app_p50_ms": percentile(durations, 0.50),
        "app_p95_ms": percentile(durations, 0.95),
    }


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def table(report: dict[str, Any]) -> str:
    rows = [f"{'step':<34} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"]
    for step in [*report["steps"], {"step": "all", **report}]:
        rows.append(
            f"{step['step']:<34} {step['requests']:>8} {step['errors']:>6} "
            f"{_ms(step['p50_ms']):>7} {_ms(step['p95_ms']):>7} {_ms(step['p99_ms']):>7}"
        )
    log = report["log"]
    rows.append(
        f"\n{report['users']} people ({', '.join(f'{n} {r}' for r, n in report['people'].items())})"
        f" for {report['seconds']:g} s (journeys under way then finished by "
        f"{report['run_seconds']:g} s), {report['workers']} gunicorn workers: "
        f"{report['requests']} requests ({report['requests_per_second']}/s), "
        f"{report['errors']} errors, p95 {_ms(report['p95_ms'])} ms; "
        f"{report['candidates_handed_in']} candidates handed in."
    )
    rows.append(
        f"Request log: {log['request_lines']} lines, {log['invalid_lines']} not JSON with "
        f"every field, {log['lines_with_secrets']} showing a secret; time in the app "
        f"p50 {_ms(log['app_p50_ms'])} ms, p95 {_ms(log['app_p95_ms'])} ms."
    )
    rows += [f"  error: {message}" for message in report["error_messages"]]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--output", type=Path, default=RESULT)
    options = parser.parse_args(argv)
    report = run(options.seconds, options.users)
    print(table(report))
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Wrote {options.output}")
    log = report["log"]
    failed = report["errors"] or log["invalid_lines"] or log["lines_with_secrets"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
