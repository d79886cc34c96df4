"""Search speed through the real API view and the search page, over whatever
bench/generate.py loaded, with the search engine and with the previous
PostgreSQL search side by side in one run.

    python bench/search.py [--rounds 20] [--pg-rounds 5]

Runs one-, two- and three-word Chinese queries (common and rare words), with
and without facets, through GET /api/v1/achievements/ (Django's test client:
the whole middleware, view, filter and serializer path, no network), and the
search page across all libraries (/search/), and prints p50/p95/p99 per kind
and engine, the number of results, and PostgreSQL's plan of the previous
engine's slowest query. Words such as 技术, 系统 and 方法 are stop words of the
search (they would match nearly everything), so the common words are 智能, 材料,
检测. The anonymous list cache and the rate limits are off here: each round
runs the search. The engine's index must have been built
(`manage.py search_rebuild`); "postgres" is the same request with the engine
switched off in this process (portal.library.engine.ready answering False).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
# The search itself is measured, every round: the anonymous list cache would
# answer the repeated rounds in ~4 ms (docs/benchmarks.md, throughput).
os.environ["LIBRARY_LIST_CACHE_SECONDS"] = "0"
os.environ["RATE_LIMITS_ENABLED"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from achievements.filters import AchievementFilter  # noqa: E402
from achievements.models import Achievement  # noqa: E402
from portal.library import engine  # noqa: E402

QUERIES = {
    "1 word, common": ["智能", "材料", "检测"],
    "1 word, rare": ["钙钛矿", "磷石膏", "膜电极"],
    "2 words": ["石墨烯 散热", "动力电池 梯次利用", "机器视觉 缺陷检测"],
    "3 words": ["工业 废水 零排放", "智能 焊接 机器人", "水稻 抗病 品种"],
    "2 words + facets": [
        "石墨烯 散热&tech_field=materials&trl_min=5",
        "废水&market=yichang&pricing_mode=listed",
        "无人机&industry=smart_mfg&price_max=2000000",
    ],
    "search page, all libs": ["/search/?q=石墨烯 散热", "/search/?q=检测", "/search/?q=磷石膏"],
}


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def timed(client, url: str, rounds: int) -> tuple[list[float], int]:
    timings, count = [], 0
    for _ in range(rounds):
        t = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.content[:200]
        if url.startswith("/api/"):
            count = response.json()["count"]
    return timings, count


def url_of(query: str) -> str:
    return query if query.startswith("/") else f"/api/v1/achievements/?q={query}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pg-rounds", type=int, default=5, help="rounds of the previous engine")
    args = parser.parse_args()
    if not engine.ready(Achievement):
        sys.exit("No search index: run `python manage.py search_rebuild` first.")
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/api/v1/achievements/?q=石墨烯")  # warm up: jieba loads once per process
    total = Achievement.objects.filter(status="published").count()
    print(f"data: {total:,} published achievements, {engine.size(Achievement):,} in the index")
    header = f"{'query kind':<22} {'engine':<9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(f"{header} {'results':>10}")
    slowest = (0, "")
    ready = engine.ready
    for kind, queries in QUERIES.items():
        for name, rounds in (("tantivy", args.rounds), ("postgres", args.pg_rounds)):
            engine.ready = ready if name == "tantivy" else (lambda model: False)
            timings, counts = [], []
            for query in queries:
                client.get(url_of(query))  # a first request per query (cold caches)
                mine, count = timed(client, url_of(query), rounds)
                timings += mine
                counts.append(count)
                if name == "postgres" and not query.startswith("/"):
                    slowest = max(slowest, (statistics.median(mine), query))
            shown = f"{int(statistics.median(counts)):>10,}" if counts[0] or counts[-1] else ""
            print(
                f"{kind:<22} {name:<9} {statistics.median(timings):>8.1f} "
                f"{percentile(timings, 95):>8.1f} {percentile(timings, 99):>8.1f} {shown}"
            )
    engine.ready = ready
    q, _sep, rest = slowest[1].partition("&")
    params = {"q": q, **dict(p.split("=") for p in rest.split("&") if p)}
    engine.ready = lambda model: False
    qs = AchievementFilter(params, queryset=Achievement.objects.filter(status="published")).qs
    engine.ready = ready
    sql, sql_params = qs[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, sql_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(
        f"\nplan of the previous engine's slowest query ({slowest[1]!r}, median "
        f"{slowest[0]:.0f} ms):\n{plan}"
    )


if __name__ == "__main__":
    main()
