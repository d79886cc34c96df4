"""Demo cases: stories across the fields, up to 20 with the cases about the
registered demo contracts (contracts.cases.load_contract_cases)."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from cases.models import Case
from cases.services import case_save
from portal.core.demo_text import FIELDS

REGIONS = ["420111", "420602", "420502", "420106", "420881", "421002", "420303"]


def load_cases(total: int = 20) -> int:
    """Stories until the library holds `total` cases; the last two stay drafts."""
    if Case.objects.filter(contract__isnull=True).exists():
        return Case.objects.count()
    staff = User.objects.get(username="staff_wuhan")
    made = Case.objects.count()
    fields = list(FIELDS)
    n = 0
    while made < total:
        field = fields[n % len(fields)]
        vocab = FIELDS[field]
        tech = vocab["tech"][n % len(vocab["tech"])]
        use = vocab["use"][n % len(vocab["use"])]
        case = Case(
            title=f"{tech}在{use}的转化应用",
            summary=f"{tech}从实验室走向{use}，实现规模化应用。",
            body=(
                f"某高校团队研发的{tech}技术，经技术经纪人对接，与{use}签订技术合同。"
                f"双方组建联合团队完成中试验证，一年内实现产业化，带动上下游企业协同发展。"
            ),
            tech_field=field,
            industries=vocab["industries"][:1],
            region_code=REGIONS[n % len(REGIONS)],
            contract_amount=Decimal(500000 + 250000 * n),
            new_revenue=Decimal(2000000 + 800000 * n),
            jobs=10 + 3 * n,
        )
        case_save(case=case, by=staff)
        made += 1
        n += 1
    now = timezone.now()
    drafts = Case.objects.order_by("-id")[:2].values_list("id", flat=True)
    Case.objects.exclude(id__in=list(drafts)).update(status=Case.Status.PUBLISHED, published_at=now)
    return made
