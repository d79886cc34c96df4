"""Every write to the cases library."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from contracts.models import Contract
from portal.audit import audit_log
from portal.errors import NotPermitted, TransitionNotAllowed
from portal.library.search import search_vector


def _require_staff(by) -> None:
    if not (getattr(by, "is_superuser", False) or getattr(by, "is_market_staff", False)):
        raise NotPermitted(_("Only staff write cases."))


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


@transaction.atomic
def case_save(*, case: Case, by) -> Case:
    _require_staff(by)
    if case.pk is None:
        case.created_by = by
    case.full_clean(exclude=["search_vector", "created_by"])
    case.save()
    Case.objects.filter(pk=case.pk).update(
        search_vector=search_vector(a=[case.title], b=[case.summary], c=[case.body])
    )
    return case


@transaction.atomic
def case_publish(*, case: Case, by) -> Case:
    _require_staff(by)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == Case.Status.PUBLISHED:
        raise TransitionNotAllowed(_("This case is published already."))
    locked.status, locked.published_at = Case.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit_log(
        action="cases.case.published",
        actor=by,
        target=locked,
        from_status="draft",
        to_status="published",
    )
    return locked
