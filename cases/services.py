"""Every write to the cases library."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import market_for_region
from cases.models import Case
from contracts.models import Contract
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, TransitionNotAllowed
from portal.library.search import search_vector


def _require_staff(by, case: Case) -> None:
    """Staff write cases: central staff any, a city market's staff those of its
    area (a case's region decides its market, as an organisation's does)."""
    if not (getattr(by, "is_superuser", False) or getattr(by, "is_market_staff", False)):
        raise NotPermitted(_("Only staff write cases."))
    if by.is_superuser or by.is_central_staff or not case.region_code:
        return
    if market_for_region(case.region_code).pk != by.staff_market_id:
        raise NotPermitted(_("This case belongs to another market; its staff keep it."))


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


CASE_FIELDS = (
    "title",
    "summary",
    "body",
    "tech_field",
    "industries",
    "region_code",
    "achievement_id",
    "contract_id",
    "contract_amount",
    "new_revenue",
    "jobs",
)


@transaction.atomic
def case_save(*, case: Case, by) -> Case:
    """Create or change a case; who changed what is kept in the audit trail."""
    created = case.pk is None
    before = None if created else Case.objects.select_for_update().filter(pk=case.pk).first()
    if before is not None:
        _require_staff(by, before)  # the market that keeps it now
    _require_staff(by, case)
    if created:
        case.created_by = by
    case.full_clean(exclude=["search_vector", "created_by"])
    case.save()
    Case.objects.filter(pk=case.pk).update(
        search_vector=search_vector(a=[case.title], b=[case.summary], c=[case.body])
    )
    changed = {
        name: [str(getattr(before, name))[:300], str(getattr(case, name))[:300]]
        for name in CASE_FIELDS
        if before is not None and getattr(before, name) != getattr(case, name)
    }
    audit_log(
        action="cases.case.created" if created else "cases.case.updated",
        actor=by,
        target=case,
        from_status="" if created else before.status,
        to_status=case.status,
        data={"title": case.title} if created else {"changed": changed},
    )
    return case


@transaction.atomic
def case_publish(*, case: Case, by) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _require_staff(by, locked)
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
