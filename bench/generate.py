"""Fill the database with realistic Chinese records, fast, for the benchmarks.

    python bench/generate.py --achievements 1000000 --demands 200000 [--organizations 5000]

Records are composed from the domain vocabulary of portal/core/demo_text.py (every
technology field, its technologies, uses and keywords), over organisations
in every market, with log-normal prices and budgets, and go in through COPY
in batches. Jieba runs once per distinct text piece (a few thousand), not once
per record; the search vectors are then computed by PostgreSQL from the
stored tokens, exactly as the services compute them (same tokens, same
weights). Uses DATABASE_URL like the portal (or the embedded server).
"""

import argparse
import csv
import io
import os
import sys
import time
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organization  # noqa: E402
from accounts.regions import HUBEI_COUNTIES  # noqa: E402
from accounts.services import _pick_market  # noqa: E402
from accounts.validators import credit_code_check_char  # noqa: E402
from portal.core.demo_text import ACHIEVEMENT_BODY, ACHIEVEMENT_SUMMARY, FIELDS, STAGES  # noqa: E402
from portal.library.search import index_tokens  # noqa: E402
from portal.library.terms import terms_of  # noqa: E402

SUFFIXES = [
    "",
    "及其应用",
    "关键技术",
    "成套装备",
    "工艺与装置",
    "产业化技术",
    "优化方法",
    "智能控制系统",
    "检测方法",
    "新型材料",
]
FIELD_NAMES = list(FIELDS)


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(
        f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} ({rate:,.0f}/s)"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def organizations(count: int, rng) -> list[tuple[int, int]]:
    """(id, market id) of `count` bench organisations (created once, reused)."""
    from accounts.models import Market

    existing = list(
        Organization.objects.filter(name__startswith="基准机构").values_list("id", "market_id")
    )
    if len(existing) >= count:
        return existing[:count]
    markets = list(Market.objects.all())
    counties = list(HUBEI_COUNTIES)
    kinds = ["university", "institute", "enterprise", "enterprise", "enterprise"]
    rows = []
    for n in range(len(existing), count):
        body = f"91429{n:012d}"
        region = counties[n % len(counties)]
        rows.append(
            Organization(
                name=f"基准机构{n:06d}",
                kind=kinds[n % len(kinds)],
                credit_code=body + credit_code_check_char(body),
                region_code=region,
                market=_pick_market(region, markets),
                verified=True,
            )
        )
    Organization.objects.bulk_create(rows, batch_size=2000)
    return list(
        Organization.objects.filter(name__startswith="基准机构").values_list("id", "market_id")
    )[:count]


@cache
def tokens(text: str) -> str:
    return index_tokens(text)


@cache
def match_terms(title: str, keywords: tuple, summary: str, description: str) -> str:
    return terms_of({"a": [title, *keywords], "b": [summary], "c": [description]})


class NullWriter:
    """csv.writer that writes None as \\N, so that empty strings stay strings."""

    def __init__(self, stream):
        self.writer = csv.writer(stream)

    def writerow(self, row):
        self.writer.writerow(["\\N" if v is None else v for v in row])


def pg_array(values) -> str:
    return "{" + ",".join('"' + v.replace('"', '\\"') + '"' for v in values) + "}"


ACHIEVEMENT_COLUMNS = [
    "title",
    "organization_id",
    "tech_field",
    "industries",
    "keywords",
    "reject_reason",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
    "match_terms",
    "status",
    "summary",
    "description",
    "completers",
    "trl",
    "patents",
    "transfer_modes",
    "pricing_mode",
    "asking_price",
]


def achievements(count: int, orgs, rng, batch: int) -> None:
    started = time.perf_counter()
    now = timezone.now()
    done = 0
    stages = list(STAGES)
    with connection.cursor() as cursor:
        _stage(cursor, "achievements_achievement", ACHIEVEMENT_COLUMNS)
        while done < count:
            size = min(batch, count - done)
            data = io.StringIO()
            out = NullWriter(data)
            fields = rng.integers(0, len(FIELD_NAMES), size=size)
            picks = rng.integers(0, 1_000_000, size=(size, 6))
            prices = np.exp(rng.normal(13, 1.2, size=size))
            for i in range(size):
                field = FIELD_NAMES[fields[i]]
                vocab = FIELDS[field]
                tech = vocab["tech"][picks[i, 0] % len(vocab["tech"])]
                use = vocab["use"][picks[i, 1] % len(vocab["use"])]
                stage_key = stages[picks[i, 2] % len(stages)]
                kw = tuple(
                    vocab["keywords"][(picks[i, 3] + j) % len(vocab["keywords"])] for j in range(2)
                )
                title = f"{tech}{SUFFIXES[picks[i, 4] % len(SUFFIXES)]}（{done + i:07d}）"
                base = title.rsplit("（", 1)[0]
                summary = ACHIEVEMENT_SUMMARY.format(tech=tech, use=use, stage=STAGES[stage_key])
                description = ACHIEVEMENT_BODY.format(
                    tech=tech,
                    use=use,
                    kw=kw[0],
                    kw2=kw[1],
                    stage=STAGES[stage_key],
                    mode="转让或许可",
                )
                org_id, _market = orgs[picks[i, 5] % len(orgs)]
                status = "published" if picks[i, 5] % 20 else "draft"
                pricing = ("negotiated", "listed", "auction")[picks[i, 2] % 3]
                published = now - np.timedelta64(int(picks[i, 1] % 700), "D")
                out.writerow(
                    [
                        title,
                        org_id,
                        field,
                        pg_array(vocab["industries"][:1]),
                        pg_array(kw),
                        "",
                        now,
                        now,
                        now,
                        published if status == "published" else None,
                        match_terms(base, kw, summary, description),
                        status,
                        summary,
                        description,
                        pg_array([]),
                        stage_key,
                        pg_array([]),
                        pg_array(["transfer"]),
                        pricing,
                        f"{prices[i]:.2f}" if pricing != "negotiated" else None,
                        f"{tokens(base)} {tokens(' '.join(kw))}",
                        tokens(summary),
                        tokens(description),
                    ]
                )
            data.seek(0)
            _load(cursor, "achievements_achievement", ACHIEVEMENT_COLUMNS, data)
            done += size
            progress("achievements", done, count, started)


DEMAND_COLUMNS = [
    "title",
    "organization_id",
    "tech_field",
    "industries",
    "keywords",
    "reject_reason",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
    "match_terms",
    "status",
    "description",
    "budget_min",
    "budget_max",
    "deadline",
    "cooperation_modes",
    "is_challenge",
    "reward",
]


def demands(count: int, orgs, rng, batch: int) -> None:
    started = time.perf_counter()
    now = timezone.now()
    deadline = (now + np.timedelta64(90, "D")).date()
    done = 0
    with connection.cursor() as cursor:
        _stage(cursor, "demands_demand", DEMAND_COLUMNS)
        while done < count:
            size = min(batch, count - done)
            data = io.StringIO()
            out = NullWriter(data)
            fields = rng.integers(0, len(FIELD_NAMES), size=size)
            picks = rng.integers(0, 1_000_000, size=(size, 4))
            budgets = np.exp(rng.normal(13, 1.0, size=size))
            for i in range(size):
                field = FIELD_NAMES[fields[i]]
                vocab = FIELDS[field]
                tech = vocab["tech"][picks[i, 0] % len(vocab["tech"])]
                use = vocab["use"][picks[i, 1] % len(vocab["use"])]
                kw = tuple(
                    vocab["keywords"][(picks[i, 2] + j) % len(vocab["keywords"])] for j in range(2)
                )
                title = f"寻求{tech}技术（{done + i:07d}）"
                description = (
                    f"我公司主要服务{use}，在{kw[0]}环节存在技术瓶颈，希望引进成熟的"
                    f"{tech}技术，重点解决{kw[1]}问题。"
                )
                org_id, _market = orgs[picks[i, 3] % len(orgs)]
                out.writerow(
                    [
                        title,
                        org_id,
                        field,
                        pg_array(vocab["industries"][:1]),
                        pg_array(kw),
                        "",
                        now,
                        now,
                        now,
                        now,
                        match_terms(title.rsplit("（", 1)[0], kw, "", description),
                        "published",
                        description,
                        f"{budgets[i] / 3:.2f}",
                        f"{budgets[i]:.2f}",
                        deadline,
                        pg_array(["purchase"]),
                        "false",
                        None,
                        f"{tokens(title.rsplit('（', 1)[0])} {tokens(' '.join(kw))}",
                        "",
                        tokens(description),
                    ]
                )
            data.seek(0)
            _load(cursor, "demands_demand", DEMAND_COLUMNS, data)
            done += size
            progress("demands", done, count, started)


def _stage(cursor, table: str, columns: list[str]) -> None:
    """A temporary table with the target's columns plus the texts' tokens by weight.

    Table and column names here are the module's own constants, never input
    (hence the `nosec` on the SQL built from them)."""
    cursor.execute(f"DROP TABLE IF EXISTS stage_{table}")
    names = ", ".join(columns)
    cursor.execute(f"CREATE TEMP TABLE stage_{table} AS SELECT {names} FROM {table} LIMIT 0")  # nosec B608
    cursor.execute(
        f"ALTER TABLE stage_{table} ADD COLUMN tok_a text, ADD COLUMN tok_b text, "
        "ADD COLUMN tok_c text"
    )


def _load(cursor, table: str, columns: list[str], data) -> None:
    """COPY a batch into the stage, then insert it with its search vector."""
    cols = ", ".join(columns)
    with transaction.atomic():
        cursor.execute(f"TRUNCATE stage_{table}")
        cursor.copy_expert(
            f"COPY stage_{table} ({cols}, tok_a, tok_b, tok_c) FROM STDIN "
            "WITH (FORMAT csv, NULL '\\N')",
            data,
        )
        cursor.execute(
            f"INSERT INTO {table} ({cols}, search_vector) SELECT {cols}, "  # nosec B608
            "setweight(to_tsvector('simple', tok_a), 'A') || "
            "setweight(to_tsvector('simple', coalesce(tok_b, '')), 'B') || "
            "setweight(to_tsvector('simple', tok_c), 'C') "
            f"FROM stage_{table}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--achievements", type=int, default=10_000)
    parser.add_argument("--demands", type=int, default=1_000)
    parser.add_argument("--organizations", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    orgs = organizations(args.organizations, rng)
    achievements(args.achievements, orgs, rng, args.batch)
    demands(args.demands, orgs, rng, args.batch)
    with connection.cursor() as cursor:
        # Fresh statistics for every table loaded, or the planner guesses (a
        # market's organisations estimated at 2 rows instead of 260).
        for table in ("accounts_organization", "achievements_achievement", "demands_demand"):
            cursor.execute(f"ANALYZE {table}")
    print(
        f"generated {args.achievements:,} achievements and {args.demands:,} demands in "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
