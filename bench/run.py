"""`make bench`: a reduced run of every benchmark, in a scratch database, one table.

    python bench/run.py [--achievements 20000] [--demands 2000] [--contracts 50000]

Creates the database `portal_bench` beside the one DATABASE_URL names (or in
the embedded PostgreSQL), migrates it, fills it with bench/generate.py, then
runs the search, matching-speed, matching-quality, money (monitoring
aggregates, finance export) and bids benchmarks and prints their key figures as one
table. The full-scale figures and how to get them are
in docs/benchmarks.md.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def base_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    sys.path.insert(0, str(ROOT))
    from portal.core.embedded_pg import embedded_database_url

    return embedded_database_url(ROOT / ".data" / "pg")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(args: list[str], env: dict) -> str:
    started = time.perf_counter()
    result = subprocess.run(
        [PY, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{args[0]} failed")
    print(f"$ {' '.join(args)}  ({time.perf_counter() - started:.0f} s)")
    print(result.stdout)
    return result.stdout


def pick(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1).strip() if match else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--achievements", type=int, default=20_000)
    parser.add_argument("--demands", type=int, default=2_000)
    parser.add_argument("--contracts", type=int, default=50_000)
    args = parser.parse_args()
    import psycopg2

    url = base_url()
    admin = psycopg2.connect(with_database(url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS portal_bench")
        cursor.execute("CREATE DATABASE portal_bench")
    admin.close()
    env = {
        **os.environ,
        "DATABASE_URL": with_database(url, "portal_bench"),
        "DEBUG": "1",
        # the scratch database's search index, apart from the portal's own
        "SEARCH_INDEX_DIR": str(ROOT / ".data" / "bench-search"),
    }
    run(["manage.py", "migrate", "--no-input", "-v0"], env)
    gen = run(
        [
            "bench/generate.py",
            "--achievements",
            str(args.achievements),
            "--demands",
            str(args.demands),
        ],
        env,
    )
    run(["manage.py", "search_rebuild"], env)
    search = run(["bench/search.py", "--rounds", "10"], env)
    speed = run(
        [
            "bench/matching_speed.py",
            "--achievements",
            str(args.achievements),
            "--demands",
            str(args.demands),
        ],
        env,
    )
    quality = run(["bench/matching_quality.py"], env)
    money = run(
        ["bench/money.py", "--contracts", str(args.contracts), "--applications", "1000"], env
    )
    bids = run(["bench/bids.py", "--seconds", "5"], env)

    rows = [
        (
            "generate",
            f"{args.achievements:,} achievements + {args.demands:,} demands",
            pick(r"in ([\d.]+ s)", gen),
        ),
        (
            "search p95, 1 common word",
            "API view",
            pick(r"^1 word, common\s+tantivy\s+\S+\s+(\S+)", search) + " ms",
        ),
        (
            "search p95, 2 words",
            "API view",
            pick(r"^2 words\s+tantivy\s+\S+\s+(\S+)", search) + " ms",
        ),
        (
            "search p95, 2 words + facets",
            "API view",
            pick(r"^2 words \+ facets\s+tantivy\s+\S+\s+(\S+)", search) + " ms",
        ),
        ("full re-match", "2 workers", pick(r"full re-match, wall time.*?(\S+ s)$", speed)),
        ("one new demand", "median", pick(r"one new demand, median.*?(\S+ ms)$", speed)),
        (
            "matching private memory",
            "one worker",
            pick(r"private memory, one worker.*?(\S+ MB)$", speed),
        ),
        (
            "matching nDCG@10, held-out",
            "engine (BM25)",
            pick(r"^held-out summary: engine nDCG@10 (\S+ \(BM25 \S+\))", quality),
        ),
        (
            "monitoring aggregates",
            f"{args.contracts:,} contracts, uncached",
            pick(r"^monitoring aggregates \(uncached\)\s+median\s+(\S+ s)", money),
        ),
        (
            "finance export",
            "1,000 approved applications",
            pick(r"^finance export of [\d,]+ applications\s+median\s+(\S+ s)", money),
        ),
        (
            "bids, one hot lot",
            "8 threads, accepted/s · p95",
            pick(r"^one hot lot\s+(\S+)", bids)
            + " · "
            + pick(r"^one hot lot(?:\s+\S+){3}\s+(\S+)", bids)
            + " ms",
        ),
        (
            "bids over 100 lots",
            "8 threads, accepted/s · p95",
            pick(r"^100 lots\s+(\S+)", bids)
            + " · "
            + pick(r"^100 lots(?:\s+\S+){3}\s+(\S+)", bids)
            + " ms",
        ),
    ]
    print("summary")
    print(f"{'benchmark':<32} {'setting':<42} {'result':>14}")
    for name, setting, result in rows:
        print(f"{name:<32} {setting:<42} {result:>14}")


if __name__ == "__main__":
    main()
