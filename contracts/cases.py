"""Cases written about registered contracts: the contract fills the case in.
(The cases library knows nothing of contracts; contracts know cases.)"""

from django.utils.translation import gettext as _

from cases.models import Case
from contracts.models import Contract
from portal.core.errors import TransitionNotAllowed


def case_from_contract(contract: Contract) -> Case:
    """An unsaved case pre-filled from a registered contract, its achievement and demand."""
    if contract.status not in (Contract.Status.REGISTERED, Contract.Status.TERMINATED):
        raise TransitionNotAllowed(_("Cases are written about registered contracts."))
    achievement, demand = contract.achievement, contract.demand
    story = [
        _(
            "%(seller)s and %(buyer)s signed “%(title)s” (registration number %(number)s) "
            "on %(date)s."
        )
        % {
            "seller": contract.seller.name,
            "buyer": contract.buyer.name,
            "title": contract.title,
            "number": contract.registration_number,
            "date": contract.signed_on,
        },
    ]
    if demand:
        story.append(_("The buyer's problem: %(text)s") % {"text": demand.description})
    if achievement:
        story.append(_("The technology: %(text)s") % {"text": achievement.summary})
    return Case(
        title=achievement.title if achievement else contract.title,
        summary=(achievement.summary if achievement else contract.title)[:500],
        body="\n\n".join(story),
        tech_field=contract.tech_field,
        industries=list(achievement.industries) if achievement else [],
        region_code=contract.buyer.region_code,
        achievement=achievement,
        contract=contract,
        contract_amount=contract.amount,
    )


def load_contract_cases(*, by, start_jobs: int = 20) -> int:
    """Demo: a case about each registered contract (load_demo)."""
    from cases.services import case_save

    made = 0
    for contract in Contract.objects.filter(status=Contract.Status.REGISTERED).order_by("id"):
        case = case_from_contract(contract)
        case.new_revenue = contract.amount * 3
        case.jobs = start_jobs + 5 * made
        case_save(case=case, by=by)
        made += 1
    return made
