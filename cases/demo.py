"""20 demo cases: from the registered demo contracts, and stories across the fields."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from cases.models import Case
from cases.services import case_from_contract, case_save
from contracts.models import Contract
from portal.core.demo_text import FIELDS

REGIONS = ["420111", "420602", "420502", "420106", "420881", "421002", "420303"]


def load_cases(total: int = 20) -> int:
    if Case.objects.exists():
        return Case.objects.count()
    staff = User.objects.get(username="staff_wuhan")
    made = 0
    for contract in Contract.objects.filter(status="registered").order_by("id"):
        case = case_from_contract(contract)
        case.new_revenue = contract.amount * 3
        case.jobs = 20 + 5 * made
        case_save(case=case, by=staff)
        made += 1
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
    Case.objects.exclude(id__in=list(drafts)).update(status="published", published_at=now)
    return made
