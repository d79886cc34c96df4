"""About 200 demo achievements across every field, market and status."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from achievements.models import Achievement
from portal.core.demo_text import (
    ACHIEVEMENT_BODY,
    ACHIEVEMENT_SUMMARY,
    FIELDS,
    STAGES,
    keywords_for,
)
from portal.library.services import item_reindex

S = Achievement.Status

# Out of 20 achievements: mostly published, some in every other status.
STATUS_CYCLE = [S.PUBLISHED] * 14 + [
    S.DRAFT,
    S.PENDING,
    S.PENDING,
    S.REJECTED,
    S.WITHDRAWN,
    S.TRANSFERRED,
]
SUFFIXES = ["", "及其应用", "关键技术", "成套装备", "工艺与装置", "产业化技术"]


def load_achievements(orgs: dict, *, count: int = 200) -> int:
    rng = random.Random(2025)  # the same demo data on every machine
    owners = [
        orgs[k]
        for k in ("whu", "hust", "wut", "hbuas", "ctgu", "whoe", "ycchem", "optic", "xyauto")
    ]
    fields = list(FIELDS)
    now = timezone.now()
    made = 0
    for n in range(count):
        field = fields[n % len(fields)]
        vocab = FIELDS[field]
        tech = vocab["tech"][(n // len(fields)) % len(vocab["tech"])]
        title = f"{tech}{SUFFIXES[(n // 37) % len(SUFFIXES)]}"
        org = owners[n % len(owners)]
        trl = rng.choice(list(STAGES))
        kw = keywords_for(tech, vocab["keywords"], rng)
        pricing = rng.choice(["negotiated", "negotiated", "listed", "auction"])
        status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
        published = now - timedelta(days=rng.randint(1, 700))
        defaults = {
            "summary": ACHIEVEMENT_SUMMARY.format(
                tech=tech, use=rng.choice(vocab["use"]), stage=STAGES[trl]
            ),
            "description": ACHIEVEMENT_BODY.format(
                tech=tech,
                use=rng.choice(vocab["use"]),
                kw=kw[0],
                kw2=kw[-1],
                stage=STAGES[trl],
                mode="转让或许可",
            ),
            "tech_field": field,
            "industries": vocab["industries"][: rng.randint(1, 2)],
            "keywords": kw,
            "trl": trl,
            "completers": rng.sample(
                ["王强", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"], k=3
            ),
            "patents": [],
            "transfer_modes": rng.sample(
                ["transfer", "license", "equity", "cooperation"], k=rng.randint(1, 2)
            ),
            "pricing_mode": pricing,
            "asking_price": (
                Decimal(rng.randrange(10, 800)) * 10000 if pricing != "negotiated" else None
            ),
            "status": status,
            "reject_reason": "请补充专利证书与第三方检测报告。" if status == S.REJECTED else "",
            "submitted_at": published - timedelta(days=3) if status != S.DRAFT else None,
            "published_at": published
            if status in (S.PUBLISHED, S.WITHDRAWN, S.TRANSFERRED)
            else None,
        }
        item, _ = Achievement.objects.update_or_create(
            organization=org, title=title, defaults=defaults
        )
        item_reindex(item)
        made += 1
    return made
