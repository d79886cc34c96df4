"""Search speed through the real API view, over whatever bench/generate.py loaded.

    python bench/search.py [--rounds 20]

Runs one-, two- and three-word Chinese queries (common and rare words), with
and without facets, through GET /api/v1/achievements/ (Django's test client:
the whole middleware, view, filter and serializer path, no network), and
prints p50/p95/p99 per kind, the row count searched, and PostgreSQL's plan of
the slowest query. Words such as 技术, 系统 and 方法 are stop words of the search
(they would match nearly everything), so the common words are 智能, 材料, 检测.
The anonymous list cache is off here: each round runs the search.
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

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from achievements.filters import AchievementFilter  # noqa: E402
from achievements.models import Achievement  # noqa: E402

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
}


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/api/v1/achievements/?q=石墨烯")  # warm up: jieba loads once per process
    total = Achievement.objects.filter(status="published").count()
    print(f"data: {total:,} published achievements")
    print(f"{'query kind':<22} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'results':>10}")
    slowest = (0, "")
    for kind, queries in QUERIES.items():
        timings, counts = [], []
        for query in queries:
            mine = []
            for _ in range(args.rounds):
                t = time.perf_counter()
                response = client.get(f"/api/v1/achievements/?q={query}")
                mine.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.content[:200]
                counts.append(response.json()["count"])
            timings += mine
            slowest = max(slowest, (statistics.median(mine), query))
        p95 = percentile(timings, 95)
        print(
            f"{kind:<22} {statistics.median(timings):>8.1f} {p95:>8.1f} "
            f"{percentile(timings, 99):>8.1f} {int(statistics.median(counts)):>10,}"
        )
    q, _sep, rest = slowest[1].partition("&")
    params = {"q": q, **dict(p.split("=") for p in rest.split("&") if p)}
    qs = AchievementFilter(params, queryset=Achievement.objects.filter(status="published")).qs
    sql, sql_params = qs[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, sql_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\nplan of the slowest query ({slowest[1]!r}, median {slowest[0]:.0f} ms):\n{plan}")


if __name__ == "__main__":
    main()
