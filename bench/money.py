"""Bulk paths of the money side: the monitoring aggregates and the finance export.

    python bench/money.py [--contracts 500000] [--applications 10000] [--year 2026]

Fills the database (after bench/generate.py made the organisations) with
--contracts registered contracts of --year, spread over the bench enterprises
as buyers and the universities and institutes as sellers, log-uniform amounts
from 10,000 to 4,000,000 yuan; then --applications approved subsidy
applications of one programme, each claiming three verified payments. Rows go
in through INSERT ... SELECT over generate_series inside PostgreSQL. Then it
times, each three times:

- the monitoring aggregates (portal.site.stats.compute, uncached: every indicator
  per market and for the province, and the monthly trend; target ≤ 2 s);
- the finance export of the approved applications (contracts.exports, the
  whole workbook built; target ≤ 30 s).

Rows it made earlier are removed first, so it can be rerun.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from accounts.models import Organization  # noqa: E402
from contracts.exports import approved_applications  # noqa: E402
from contracts.models import Contract, SubsidyApplication, SubsidyProgram  # noqa: E402
from portal.core.reference import TechField  # noqa: E402
from portal.site import stats  # noqa: E402

TAG = "基准合同"
FIELDS = list(TechField.values)
KINDS = list(Contract.Type.values)
PROGRAM = "基准补助计划"


def clear() -> None:
    with connection.cursor() as c:
        c.execute(
            "DELETE FROM contracts_subsidyline WHERE program_id IN "
            "(SELECT id FROM contracts_subsidyprogram WHERE name = %s)",
            [PROGRAM],
        )
        c.execute(
            "DELETE FROM contracts_subsidyapplication WHERE program_id IN "
            "(SELECT id FROM contracts_subsidyprogram WHERE name = %s)",
            [PROGRAM],
        )
        c.execute("DELETE FROM contracts_subsidyprogram WHERE name = %s", [PROGRAM])
        c.execute(
            "DELETE FROM contracts_payment WHERE contract_id IN "
            "(SELECT id FROM contracts_contract WHERE title LIKE %s)",
            [TAG + "%"],
        )
        c.execute("DELETE FROM contracts_contract WHERE title LIKE %s", [TAG + "%"])


def fill(contracts: int, applications: int, year: int) -> SubsidyProgram:
    buyers = list(
        Organization.objects.filter(name__startswith="基准机构", kind="enterprise")
        .order_by("id")
        .values_list("id", flat=True)
    )
    sellers = list(
        Organization.objects.filter(
            name__startswith="基准机构", kind__in=["university", "institute"]
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    if len(buyers) < applications or not sellers:
        raise SystemExit(
            f"needs {applications:,} bench enterprises: run bench/generate.py "
            f"--organizations {applications * 5 // 3 + 1} first"
        )
    program = SubsidyProgram.objects.create(
        name=PROGRAM,
        year=year,
        payment_from=datetime.date(year, 1, 1),
        payment_to=datetime.date(year, 12, 31),
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 12, 31),
    )
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT setseed(0.2025)")
        # Contracts: buyer g-th enterprise (round robin), seller a university
        # or institute, registered at a random moment of the year.
        c.execute(
            """
            INSERT INTO contracts_contract (
                title, contract_type, subtype, related_party, signed_on, valid_from,
                valid_to, amount, tech_transaction_amount, payment_method, tech_field,
                status, registration_number, reject_reason, registered_at, document,
                document_name, created_at, updated_at, buyer_id, seller_id, market_id,
                consent_flagged, market_deal, pricing_method, tech_amount_reason)
            SELECT %(tag)s || g, t.kind, '', false, d.day, d.day, d.day + 365,
                   a.amount, round(a.amount * 0.9, 2), 'lump_sum',
                   (%(fields)s::text[])[1 + g %% %(nf)s],
                   CASE WHEN g %% 50 = 0 THEN 'terminated' ELSE 'registered' END,
                   'BJ' || lpad(g::text, 12, '0'), '', d.at, '', '', d.at, d.at,
                   b.id, s.id, b.market_id, false, '', '', ''
            FROM generate_series(1, %(n)s) g
            CROSS JOIN LATERAL (SELECT (%(buyers)s::bigint[])[1 + g %% %(nb)s] AS bid) pick
            JOIN accounts_organization b ON b.id = pick.bid
            JOIN accounts_organization s
              ON s.id = (%(sellers)s::bigint[])[1 + (g * 7) %% %(ns)s]
            -- `0 * g` ties each draw to its row: an uncorrelated subquery runs once.
            CROSS JOIN LATERAL (
                SELECT round((10000 * exp(random() * ln(400) + 0 * g))::numeric, 2) AS amount
            ) a
            CROSS JOIN LATERAL (
                SELECT (%(kinds)s::text[])[1 + g %% %(nk)s] AS kind
            ) t
            CROSS JOIN LATERAL (
                SELECT %(start)s::timestamptz + (random() + 0 * g) * interval '364 days' AS at
            ) r
            CROSS JOIN LATERAL (SELECT r.at AS at, r.at::date AS day) d
            """,
            {
                "n": contracts,
                "tag": TAG,
                "start": f"{year}-01-01",
                "fields": FIELDS,
                "nf": len(FIELDS),
                "kinds": KINDS,
                "nk": len(KINDS),
                "buyers": buyers,
                "nb": len(buyers),
                "sellers": sellers,
                "ns": len(sellers),
            },
        )
        # Applications: the first `applications` enterprises, approved, each
        # claiming one verified payment on each of three of its contracts.
        c.execute(
            """
            INSERT INTO contracts_payment (amount, paid_on, evidence, evidence_name, status,
                reject_reason, verified_at, created_at, updated_at, contract_id)
            SELECT c.tech_transaction_amount, c.signed_on + 30, '', '', 'verified', '',
                   c.registered_at, c.registered_at, c.registered_at, c.id
            FROM (
                SELECT id, tech_transaction_amount, signed_on, registered_at,
                       row_number() OVER (PARTITION BY buyer_id ORDER BY id) AS nth,
                       buyer_id
                FROM contracts_contract
                WHERE title LIKE %(tag)s AND buyer_id = ANY(%(buyers)s)
            ) c
            WHERE c.nth <= 3
            """,
            {"tag": TAG + "%", "buyers": buyers[:applications]},
        )
        c.execute(
            """
            INSERT INTO contracts_subsidyapplication (status, eligible_paid_amount,
                computed_amount, granted_amount, reject_reason, submitted_at, approved_at,
                voucher, created_at, updated_at, organization_id, program_id,
                return_reason, round)
            SELECT 'approved', p.paid, least(round(p.paid * 0.1, 2), 1000000),
                   least(round(p.paid * 0.1, 2), 1000000), '', now(), now(), '',
                   now(), now(), p.buyer_id, %(program)s, '', 1
            FROM (
                SELECT k.buyer_id, sum(y.amount) AS paid
                FROM contracts_payment y JOIN contracts_contract k ON k.id = y.contract_id
                WHERE k.title LIKE %(tag)s
                GROUP BY k.buyer_id
            ) p
            """,
            {"tag": TAG + "%", "program": program.pk},
        )
        c.execute(
            """
            INSERT INTO contracts_subsidyline (paid_amount, subsidy, live, application_id,
                contract_id, payment_id, program_id)
            SELECT y.amount, round(y.amount * 0.1, 2), true, a.id, k.id, y.id, %(program)s
            FROM contracts_payment y
            JOIN contracts_contract k ON k.id = y.contract_id
            JOIN contracts_subsidyapplication a
              ON a.organization_id = k.buyer_id AND a.program_id = %(program)s
            WHERE k.title LIKE %(tag)s
            """,
            {"tag": TAG + "%", "program": program.pk},
        )
        for table in ("contract", "payment", "subsidyapplication", "subsidyline"):
            c.execute(f"ANALYZE contracts_{table}")
    return program


def timed(label: str, fn, rounds: int = 3) -> None:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<34} median {statistics.median(times):7.2f} s   "
        f"max {max(times):7.2f} s   peak Python memory {peak / 2**20:6.1f} MB"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contracts", type=int, default=500_000)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=datetime.date.today().year)
    args = parser.parse_args()
    started = time.perf_counter()
    clear()
    program = fill(args.contracts, args.applications, args.year)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM contracts_contract")
        total_contracts = c.fetchone()[0]
    applications = program.applications.count()
    print(
        f"filled {total_contracts:,} contracts and {applications:,} approved applications "
        f"in {time.perf_counter() - started:.1f} s"
    )

    data = timed("monitoring aggregates (uncached)", lambda: stats.compute(args.year))
    turnover = Decimal(data["province"]["turnover"]["value"])
    print(
        f"  province: {data['province']['contracts']['value']:,} contracts, "
        f"turnover {turnover:,.2f} yuan"
    )
    response = timed(
        f"finance export of {applications:,} applications",
        # every market's applications, as central staff export them
        lambda: approved_applications(program, SubsidyApplication.objects.all()),
    )
    print(f"  workbook: {len(response.content) / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
