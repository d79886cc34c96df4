"""搜索联想 and "did you mean" at provincial scale.

    python bench/suggest.py [--terms 300000] [--rounds 200]

Fills the vocabulary (`portal_searchterm`) with --terms synthetic terms built
from real Chinese technology words (a 1M-achievement province has roughly
this many distinct titles and keywords), inside a transaction that is rolled
back, then times `GET /api/v1/search/suggestions/?q=` through Django's full
stack for one-, two- and three-character prefixes, and `did_you_mean` for
misspelt words. Prints p50 / p95 / p99 in milliseconds; the target is
p95 ≤ 30 ms for suggestions (issue 18, point 4).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from portal.library.suggest import did_you_mean  # noqa: E402

WORDS = (
    "氢燃料 电池 催化剂 输电线路 巡检 无人机 茶多酚 提取 高值化 利用 秸秆 锂离子 正极 材料 回收 "
    "污水 深度处理 膜分离 石墨烯 散热膜 激光 焊接 机器人 视觉 检测 钢渣 微粉 光伏 组件 清洗 "
    "磷石膏 综合利用 中药 饮片 溯源 柔性 传感器 生物 降解 地膜 增材 制造 钛合金 智能 控制 "
    "新能源 汽车 储能 系统 芯片 封装 光纤 通信 算法 平台 精密 加工 医疗 器械 疫苗 农业 育种"
).split()
CHARS = "".join(sorted(set("".join(WORDS))))


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"{statistics.median(samples):7.2f} / {cuts[94]:7.2f} / {cuts[98]:7.2f}"


def fill(n: int, rng: random.Random) -> None:
    rows, seen = [], set()
    while len(rows) < n:
        term = "".join(rng.sample(WORDS, rng.choice((1, 2, 2, 3))))[:100]
        if rng.random() < 0.3:
            term += str(rng.randint(1, 9999))
        if term in seen:
            continue
        seen.add(term)
        rows.append((term, term[::-1], rng.randint(1, 500), rng.random() < 0.5))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_searchterm")
        cursor.executemany(
            "INSERT INTO portal_searchterm (term, reversed_term, items, is_title) "
            "VALUES (%s, %s, %s, %s)",
            rows,
        )
        cursor.execute("ANALYZE portal_searchterm")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--terms", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    settings.RATE_LIMITS_ENABLED = False
    rng = random.Random(18)
    client = APIClient(HTTP_HOST="localhost")
    with transaction.atomic():
        started = time.perf_counter()
        fill(args.terms, rng)
        print(f"{args.terms:,} terms in {time.perf_counter() - started:.1f} s")
        print("kind                       p50 /     p95 /     p99 ms")
        for size in (1, 2, 3):
            samples = []
            for _ in range(args.rounds):
                prefix = rng.choice(WORDS)[:size]
                t = time.perf_counter()
                response = client.get("/api/v1/search/suggestions/", {"q": prefix})
                samples.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
            print(f"suggestions, {size}-char prefix   {percentiles(samples)}")
        samples = []
        for _ in range(args.rounds):
            word = rng.choice(WORDS)
            i = rng.randrange(len(word))
            typo = word[:i] + rng.choice(CHARS) + word[i + 1 :]
            t = time.perf_counter()
            did_you_mean(typo)
            samples.append((time.perf_counter() - t) * 1000)
        print(f"did you mean (one typo)       {percentiles(samples)}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
