"""About 80 demo demands across every field and market."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demands.models import Demand
from portal.core.demo_text import DEMAND_BODY, DEMAND_TITLE, FIELDS, keywords_for
from portal.library.services import item_reindex

S = Demand.Status

STATUS_CYCLE = [S.PUBLISHED] * 12 + [
    S.DRAFT,
    S.PENDING,
    S.REJECTED,
    S.CLOSED,
    S.EXPIRED,
    S.SOLVED,
    S.PUBLISHED,
    S.PENDING,
]


def load_demands(orgs: dict, *, count: int = 80) -> int:
    rng = random.Random(2026)
    owners = [orgs[k] for k in ("optic", "xyauto", "ycphos")]
    fields = list(FIELDS)
    today = timezone.localdate()
    now = timezone.now()
    for n in range(count):
        field = fields[(n * 3) % len(fields)]
        vocab = FIELDS[field]
        tech = vocab["tech"][(n // 2) % len(vocab["tech"])]
        org = owners[n % len(owners)]
        kw = keywords_for(tech, vocab["keywords"], rng)[:2]
        status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
        low = Decimal(rng.randrange(5, 200)) * 10000
        challenge = n % 9 == 0
        variant = ["", "合作", "解决方案"][n // 27]
        title = DEMAND_TITLE.format(tech=tech) + variant + ("（揭榜挂帅）" if challenge else "")
        defaults = {
            "description": DEMAND_BODY.format(
                use=rng.choice(vocab["use"]),
                kw=kw[0],
                kw2=kw[-1],
                tech=tech,
                mode="技术转让、许可或委托开发",
            ),
            "tech_field": field,
            "industries": vocab["industries"][:1],
            "keywords": kw,
            "budget_min": low,
            "budget_max": low * rng.choice([2, 3, 5]),
            "deadline": today
            + timedelta(days=-10 if status == S.EXPIRED else rng.randint(30, 300)),
            "cooperation_modes": rng.sample(
                ["purchase", "license", "commissioned", "cooperation", "consulting"], k=2
            ),
            "is_challenge": challenge,
            "reward": low * 2 if challenge else None,
            "status": status,
            "reject_reason": "请明确技术指标和预算。" if status == S.REJECTED else "",
            "submitted_at": now - timedelta(days=5) if status != S.DRAFT else None,
            "published_at": now - timedelta(days=rng.randint(1, 300))
            if status in (S.PUBLISHED, S.CLOSED, S.EXPIRED, S.SOLVED)
            else None,
        }
        item, _ = Demand.objects.update_or_create(organization=org, title=title, defaults=defaults)
        item_reindex(item)
    return count
