"""Matching speed and memory at provincial scale.

    python bench/matching_speed.py [--achievements 100000] [--demands 10000]

Synthetic documents with realistic term statistics (a Zipf-distributed
vocabulary of 40,000 technical terms, titles weighted ×3 and summaries ×2 as
portal/library/terms.py does, near-synonym group tokens, all fields and markets,
log-normal prices and budgets) go straight into the real engine
(matching.engine). Prints:
  - the full re-match: every demand's top 20 achievements and every
    achievement's top 20 demands, in the chunks that Celery workers run;
  - one new demand matched against all achievements (the incremental path);
  - peak memory (resident set) of the process.
Database writes are not included: docs/matching.md reports them separately.
"""

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from matching.engine import Doc, Index, Queries, rank_achievements, rank_demands  # noqa: E402
from portal.core.reference import Industry, TechField  # noqa: E402

FIELDS = list(TechField.values)
INDUSTRIES = list(Industry.values)
VOCABULARY = 40_000


def synthetic(n: int, *, demands: bool, rng: np.random.Generator, start: int) -> list[Doc]:
    # Each field has its own slice of the vocabulary it prefers, plus shared terms.
    zipf = rng.zipf(1.3, size=(n, 60)) % VOCABULARY
    fields = rng.integers(0, len(FIELDS), size=n)
    docs = []
    for i in range(n):
        offset = fields[i] * 3000
        words = [f"t{(w + offset) % VOCABULARY}" for w in zipf[i]]
        title, summary, body = words[:5], words[5:15], words[15 : 60 if not demands else 40]
        groups = [f"~{w % 60}" for w in zipf[i][:3]]
        terms = " ".join(title * 3 + summary * 2 + body + groups)
        industries = [INDUSTRIES[j] for j in rng.choice(len(INDUSTRIES), size=2, replace=False)]
        price = float(np.exp(rng.normal(13, 1.2)))
        if demands:
            docs.append(
                Doc(
                    id=start + i,
                    terms=terms,
                    tech_field=FIELDS[fields[i]],
                    industries=industries,
                    market_id=int(rng.integers(1, 4)),
                    org_id=int(rng.integers(1, 20_000)),
                    budget_min=price / 3,
                    budget_max=price,
                    modes=[rng.choice(["purchase", "license", "cooperation"])],
                )
            )
        else:
            docs.append(
                Doc(
                    id=start + i,
                    terms=terms,
                    tech_field=FIELDS[fields[i]],
                    industries=industries,
                    market_id=int(rng.integers(1, 4)),
                    org_id=int(rng.integers(1, 20_000)),
                    trl=int(rng.integers(1, 10)),
                    price=None if rng.random() < 0.4 else price,
                )
            )
    return docs


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Set before the workers fork, as a Celery worker process holds them.
STATE: dict = {}


def chunk(task: tuple[str, int, int]) -> tuple[int, float, float]:
    """One chunk, as matching.services.chunk_run computes it (without the database)."""
    side, start, end = task
    index, queries = STATE["index"], STATE["queries"]
    t = time.perf_counter()
    if side == "demand":
        ranking = rank_demands(queries, index, rows=np.arange(start, end))
    else:
        ranking = rank_achievements(queries, index, cols=np.arange(start, end))
    return ranking.pairs, time.perf_counter() - t, peak_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--achievements", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=10_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="worker processes, as Celery workers run the chunks (default 2)",
    )
    parser.add_argument("--demand-chunk", type=int, default=500)
    parser.add_argument("--achievement-chunk", type=int, default=5_000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)

    t = time.perf_counter()
    achievements = synthetic(args.achievements, demands=False, rng=rng, start=1)
    demands = synthetic(args.demands, demands=True, rng=rng, start=1)
    generated = time.perf_counter() - t

    t0 = time.perf_counter()
    STATE["index"] = index = Index(achievements)
    STATE["queries"] = Queries(demands, index)
    built = time.perf_counter() - t0
    tasks = [
        ("demand", s, min(s + args.demand_chunk, len(demands)))
        for s in range(0, len(demands), args.demand_chunk)
    ]
    tasks += [
        ("achievement", s, min(s + args.achievement_chunk, len(achievements)))
        for s in range(0, len(achievements), args.achievement_chunk)
    ]
    t1 = time.perf_counter()
    if args.workers > 1:
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = pool.map(chunk, tasks, chunksize=1)
    else:
        results = [chunk(task) for task in tasks]
    ranked = time.perf_counter() - t1
    full = time.perf_counter() - t0
    pairs = sum(r[0] for r in results)
    busy = {
        side: sum(r[1] for r, (s, _a, _b) in zip(results, tasks, strict=True) if s == side)
        for side in ("demand", "achievement")
    }
    worker_peak = max(r[2] for r in results)

    fresh = synthetic(50, demands=True, rng=rng, start=10_000_000)
    timings = []
    for doc in fresh:
        t = time.perf_counter()
        rank_demands(Queries([doc], index), index)
        timings.append((time.perf_counter() - t) * 1000)

    print(
        f"data: {len(achievements):,} achievements × {len(demands):,} demands "
        f"(generated in {generated:.1f} s); {args.workers} worker process(es)"
    )
    print(f"{'step':<52} {'result':>12}")
    print(f"{'build index and queries':<52} {built:>10.1f} s")
    print(f"{'every demand → top 20 achievements (CPU time)':<52} {busy['demand']:>10.1f} s")
    print(f"{'every achievement → top 20 demands (CPU time)':<52} {busy['achievement']:>10.1f} s")
    print(f"{'chunks, wall time':<52} {ranked:>10.1f} s")
    print(f"{'full re-match, wall time (target ≤ 60 s)':<52} {full:>10.1f} s")
    print(f"{'pairs kept':<52} {pairs:>12,}")
    print(f"{'one new demand, median (target ≤ 200 ms)':<52} {np.median(timings):>9.1f} ms")
    print(f"{'one new demand, p95':<52} {np.percentile(timings, 95):>9.1f} ms")
    print(f"{'peak memory, main process':<52} {peak_mb():>9,.0f} MB")
    print(f"{'peak memory, one worker (target ≤ 2 GB each)':<52} {worker_peak:>9,.0f} MB")


if __name__ == "__main__":
    main()
