"""`make bench`: how fast coachkit's main pages are at a million attempts.

1. Generate the data at sizes S and L, or reuse the cached copies (bench/generate.py).
2. Count each page's SQL statements at S and at L (bench/queries.py).
3. Serve L with gunicorn (2 workers, 127.0.0.1) and load each page with wrk, rounds of
   all pages with /healthz between every few, so the ceiling is measured in the same
   run; medians over the rounds. Then the workers' peak RSS.
4. Print the table, mark what misses the goals (../shared/QUALITY.md, Speed) and write
   bench/results/latest.json.

    python -m bench.run [--rounds 3] [--seconds 3] [--queries-only]

BENCH_DATABASE_URL=postgresql://... runs it all on PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import time
from collections import defaultdict

from sqlalchemy import create_engine

from bench.generate import ensure
from bench.load import Measurement, Server, get, plan_for, wrk
from bench.pages import HEAVY, ORDINARY, Page, resolve
from bench.queries import count
from bench.signin import close_sessions, cookie, open_sessions
from bench.store import DATA_DIR, ROOT, SIZES, app_config

RESULTS = ROOT / "bench" / "results"
# kind -> (least throughput as a share of /healthz's, most queries)
GOALS = {ORDINARY: (0.2, 5), HEAVY: (0.05, 10)}
RSS_LIMIT_MB = 150
HEALTHZ_EVERY = 5  # pages between two /healthz measurements


def pages_of(url: str) -> list[Page]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return resolve(connection)
    finally:
        engine.dispose()


def measure(url: str, pages: list[Page], rounds: int, seconds: int) -> dict:
    """Throughput and latency of every page under gunicorn, and of /healthz."""
    from coachkit import create_app

    secret_key = secrets.token_hex(32)
    app = create_app(app_config(url, SECRET_KEY=secret_key))
    tokens = open_sessions(app, [page.user_id for page in pages])
    cookies = {user_id: cookie(app, token) for user_id, token in tokens.items()}
    server = Server(url, secret_key, DATA_DIR / "gunicorn.log")
    try:
        plans = {}
        for page in pages:  # check each page answers, warm the workers, time a request
            for _ in range(2):
                status, took = get(server.port, page.path, cookies[page.user_id])
                if status != 200:  # 0: no answer (over gunicorn's timeout?)
                    raise RuntimeError(f"{page.name}: GET {page.path} answered {status}")
                if took > 1:
                    break
            plans[page.name] = plan_for(took, seconds)
        healthz: list[Measurement] = []
        runs: dict[str, list[Measurement]] = defaultdict(list)
        for number in range(1, rounds + 1):
            print(f"  round {number}/{rounds} ...", flush=True)
            for index, page in enumerate(pages):
                if index % HEALTHZ_EVERY == 0:
                    server.wait_idle()
                    healthz.append(wrk(server.base + "/healthz", None, plan_for(0, seconds)))
                server.wait_idle()
                url_ = server.base + page.path
                runs[page.name].append(wrk(url_, cookies[page.user_id], plans[page.name]))
        rss = server.peak_rss_mb()
    finally:
        server.stop()
        close_sessions(app, tokens.values())
    return {"healthz": healthz, "runs": runs, "rss": rss}


def _median(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def report(pages: list[Page], queries: dict[str, dict[str, int]], load: dict | None) -> dict:
    healthz_rps = _median([m.rps for m in load["healthz"]]) if load else None
    rows = []
    for page in pages:
        runs = load["runs"][page.name] if load else []
        rps = _median([m.rps for m in runs])
        rows.append(
            {
                "name": page.name,
                "kind": page.kind,
                "ratio": round(rps / healthz_rps, 3) if rps is not None and healthz_rps else None,
                "queries_small": queries["S"][page.name],
                "queries_large": queries["L"][page.name],
                "p50_ms": _rounded(_median([m.p50_ms for m in runs])),
                "p99_ms": _rounded(_median([m.p99_ms for m in runs])),
            }
        )
    return {
        "healthz_rps": _rounded(healthz_rps),
        "worker_rss_mb": _rounded(load["rss"]) if load else None,
        "pages": rows,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def misses(row: dict) -> list[str]:
    least, most = GOALS[row["kind"]]
    found = []
    if row["ratio"] is not None and row["ratio"] < least:
        found.append(f"ratio < {least}")
    if max(row["queries_small"], row["queries_large"]) > most:
        found.append(f"queries > {most}")
    if row["queries_small"] != row["queries_large"]:
        found.append("queries grow S->L")
    return found


def print_table(result: dict) -> None:
    header = (
        f"{'page':26} {'kind':8} {'ratio':>6} {'q S':>4} {'q L':>4} {'p50 ms':>8} {'p99 ms':>8}"
    )
    print(f"\n{header}  misses the goal")
    print("-" * (len(header) + 17))
    for row in result["pages"]:
        cells = [
            f"{row['name']:26} {row['kind']:8}",
            _cell(row["ratio"], 6, ".3f"),
            f"{row['queries_small']:>4} {row['queries_large']:>4}",
            _cell(row["p50_ms"], 8, ".1f"),
            _cell(row["p99_ms"], 8, ".1f"),
        ]
        print(" ".join(cells) + "  " + ", ".join(misses(row)))
    rss = result["worker_rss_mb"]
    if result["healthz_rps"] is not None:
        print(f"\n/healthz: {result['healthz_rps']:.0f} requests/s")
    if rss is not None:
        verdict = "" if rss < RSS_LIMIT_MB else f"  MISSES the goal (< {RSS_LIMIT_MB} MB)"
        print(f"peak worker RSS: {rss:.1f} MB{verdict}")


def _cell(value: float | None, width: int, spec: str) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}{spec}}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3, help="per wrk measurement")
    parser.add_argument("--queries-only", action="store_true", help="skip the load test")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    urls, pages, queries = {}, {}, {}
    for name in ("S", "L"):
        urls[name], _took = ensure(SIZES[name])
        pages[name] = pages_of(urls[name])
        queries[name] = count(urls[name], pages[name])
    print(f"queries counted at S and L ({time.perf_counter() - started:.0f}s so far)")
    load = None
    if not args.queries_only:
        print(f"load: gunicorn on the L data, {args.rounds} rounds of wrk")
        load = measure(urls["L"], pages["L"], args.rounds, args.seconds)
    result = report(pages["L"], queries, load)
    print_table(result)
    if load is not None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        written = RESULTS / "latest.json"
        partial = RESULTS / "latest.json.tmp"
        partial.write_text(json.dumps(result, indent=2) + "\n")
        partial.replace(written)
        print(f"wrote {written.relative_to(ROOT)}")
    print(f"make bench took {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
