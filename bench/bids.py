"""Bid throughput through the API: one hot lot, and bids spread over many lots.

    python bench/bids.py [--threads 8] [--seconds 10] [--lots 100]

Creates (and removes afterwards) a seller, --threads bidding enterprises with
their qualified registrations and frozen deposits, one hot lot and --lots
other lots, all bidding now. Each thread is one bidder posting
`POST /api/v1/auctions/{id}/bids/` through Django's full stack (middleware,
DRF, the service's transaction and row lock) on its own database connection,
for --seconds: on the hot lot every thread bids the next valid amount it last
saw (most collide and are refused as below_min_next: that is the contention
being measured); across lots each thread bids on a lot of its own choosing at
random. Prints accepted bids per second, requests per second, and the p50 and
p95 latency of a request.
"""

import argparse
import collections
import datetime
import itertools
import logging
import os
import random
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import Membership, Organization, User  # noqa: E402
from accounts.services import market_for_region  # noqa: E402
from accounts.validators import credit_code_check_char, name_skeleton  # noqa: E402
from achievements.models import Achievement  # noqa: E402
from market.models import Auction, AuctionRegistration, Bid, Deposit  # noqa: E402

TAG = "基准竞价"


def _org(n: int, kind: str) -> Organization:
    """The bench's organisations and accounts stay (the audit trail refers to them)."""
    body = f"91429{n:012d}"
    region = "420111"
    return Organization.objects.get_or_create(
        credit_code=body + credit_code_check_char(body),
        defaults={
            "name": f"{TAG}{kind}{n}",
            "name_key": name_skeleton(f"{TAG}{kind}{n}"),
            "kind": kind,
            "region_code": region,
            "market": market_for_region(region),
            "verified": True,
        },
    )[0]


def _admin(org: Organization, n: int) -> User:
    user, _created = User.objects.get_or_create(
        username=f"bench_bidder_{n}", defaults={"organization": org}
    )
    Membership.objects.update_or_create(
        user=user,
        organization=org,
        defaults={"status": "active", "role": Membership.Role.ADMINISTRATOR},
    )
    return user


def setup(threads: int, lots: int) -> tuple[list[Auction], list[User]]:
    clear()
    seller = _org(900000, "university")
    now = timezone.now()
    created = []
    for n in range(lots + 1):
        achievement = Achievement.objects.create(
            title=f"{TAG}成果{n}",
            organization=seller,
            tech_field="materials",
            summary="基准",
            description="基准",
            trl=6,
            transfer_modes=["transfer"],
            pricing_mode="auction",
            status=Achievement.Status.PUBLISHED,
            published_at=now,
        )
        created.append(
            Auction.objects.create(
                code=f"PM-BENCH-{n:05d}",
                achievement=achievement,
                seller=seller,
                starting_price=Decimal("100000.00"),
                increment=Decimal("1000.00"),
                deposit_amount=Decimal("10000.00"),
                starts_at=now - datetime.timedelta(minutes=1),
                scheduled_end_at=now + datetime.timedelta(days=1),
                ends_at=now + datetime.timedelta(days=1),
                status=Auction.Status.ANNOUNCED,
                approved_at=now,
            )
        )
    users = []
    for n in range(threads):
        org = _org(900001 + n, "enterprise")
        users.append(_admin(org, n))
        for lot in created:
            deposit = Deposit.objects.create(
                auction=lot, organization=org, amount=lot.deposit_amount, status="frozen"
            )
            AuctionRegistration.objects.create(
                auction=lot,
                organization=org,
                registered_by=users[-1],
                bidder_code=f"{100000 + n}",
                status="qualified",
                deposit=deposit,
            )
    return created, users


def clear() -> None:
    lots = Auction.objects.filter(code__startswith="PM-BENCH-")
    Bid.objects.filter(auction__in=lots).delete()
    lots.update(leader=None, winner=None)
    regs = AuctionRegistration.objects.filter(auction__in=lots)
    deposit_ids = list(regs.values_list("deposit_id", flat=True))
    regs.delete()
    Deposit.objects.filter(pk__in=deposit_ids).delete()
    achievements = list(lots.values_list("achievement_id", flat=True))
    lots.delete()
    Achievement.objects.filter(pk__in=achievements).delete()


def hammer(lots: list[Auction], users: list[User], seconds: float) -> dict:
    latencies: list[float] = []
    outcomes = {"accepted": 0, "refused": 0, "errors": 0}
    codes: collections.Counter = collections.Counter()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    start_barrier = threading.Barrier(len(users))

    def bidder(n: int, user: User) -> None:
        client = APIClient()
        client.force_authenticate(user)
        rng = random.Random(n)
        seen: dict[int, Decimal | None] = {}
        counter = 0
        start_barrier.wait()
        try:
            while time.perf_counter() < stop:
                lot = lots[0] if len(lots) == 1 else lots[rng.randrange(len(lots))]
                current = seen.get(lot.pk)
                amount = lot.starting_price if current is None else current + lot.increment
                counter += 1
                began = time.perf_counter()
                response = client.post(
                    f"/api/v1/auctions/{lot.pk}/bids/",
                    {"amount": f"{amount:.2f}", "request_id": f"b{n}-{counter}"},
                    format="json",
                )
                took = time.perf_counter() - began
                if response.status_code == 201:
                    kind = "accepted"
                    seen[lot.pk] = amount
                elif response.status_code in (400, 409) and "code" in response.json():
                    kind = "refused"
                    codes[response.json()["code"]] += 1
                    seen[lot.pk] = Auction.objects.values_list("current_price", flat=True).get(
                        pk=lot.pk
                    )
                else:
                    kind = "errors"
                    if outcomes["errors"] == 0:
                        print("unexpected answer:", response.status_code, response.content[:300])
                with lock:
                    latencies.append(took)
                    outcomes[kind] += 1
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=bidder, args=(n, u)) for n, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        **outcomes,
        "codes": dict(codes),
        "wall": wall,
        "requests_per_s": len(latencies) / wall,
        "accepted_per_s": outcomes["accepted"] / wall,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0,
    }


def check(lot: Auction) -> bool:
    """The hot lot's accepted bids: gapless and rising, and the lot's price,
    leader and count those of the last (the race test's invariant)."""
    accepted = list(Bid.objects.filter(auction=lot, sequence__isnull=False).order_by("sequence"))
    lot.refresh_from_db()
    last = accepted[-1] if accepted else None
    return (
        [b.sequence for b in accepted] == list(range(1, len(accepted) + 1))
        and all(b.amount < c.amount for b, c in itertools.pairwise(accepted))
        and lot.bid_count == len(accepted)
        and (
            last is None
            or (lot.current_price, lot.leader_id) == (last.amount, last.registration_id)
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--lots", type=int, default=100)
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # refused bids are expected
    settings.RATE_LIMITS_ENABLED = False  # the throughput of the market, not of the limiter
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # As in production, the notifications a bid causes are queued for a worker,
    # not sent inside the request (nothing runs them here).
    from portal.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    lots, users = setup(args.threads, args.lots)
    try:
        hot = hammer(lots[:1], users, args.seconds)
        spread = hammer(lots[1:], users, args.seconds)
        consistent = check(lots[0])
    finally:
        clear()
    print(f"bids through the API, {args.threads} threads, {args.seconds:.0f} s each")
    print(f"{'setting':<22} {'accepted/s':>11} {'requests/s':>11} {'p50 ms':>8} {'p95 ms':>8}")
    for name, r in (("one hot lot", hot), (f"{args.lots} lots", spread)):
        print(
            f"{name:<22} {r['accepted_per_s']:>11.1f} {r['requests_per_s']:>11.1f} "
            f"{r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}"
        )
    print(
        f"hot lot: {hot['accepted']} accepted, {hot['refused']} refused {hot['codes']}, "
        f"{hot['errors']} errors; "
        f"{'consistent' if consistent else 'INCONSISTENT'}"
    )
    print(
        f"{args.lots} lots: {spread['accepted']} accepted, {spread['refused']} refused, "
        f"{spread['errors']} errors"
    )


if __name__ == "__main__":
    main()
