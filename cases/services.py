"""Every write to the cases library."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from cases.permissions import can_edit_case, can_write_cases
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted
from portal.core.locks import for_update
from portal.core.workflow import apply_transition
from portal.library.search import search_vector


def _require_writer(by, case: Case) -> None:
    if not can_write_cases(by):
        raise NotPermitted(_("Only staff write cases."))
    if not can_edit_case(by, case):
        raise NotPermitted(_("This case belongs to another market; its staff keep it."))


def case_reindex(case: Case) -> None:
    """Recompute the case's search vector (title A, summary B, story C)."""
    Case.objects.filter(pk=case.pk).update(
        search_vector=search_vector(a=[case.title], b=[case.summary], c=[case.body])
    )


CASE_FIELDS = (*Case.WRITTEN, "achievement_id", "contract_id")


@transaction.atomic
def case_save(*, case: Case, by) -> Case:
    """Create or change a case; who changed what is kept in the audit trail."""
    created = case.pk is None
    before = None if created else for_update(Case.objects).filter(pk=case.pk).first()
    if before is not None:
        _require_writer(by, before)  # the market that keeps it now
    _require_writer(by, case)
    if created:
        case.created_by = by
    case.full_clean(exclude=["search_vector", "created_by"])
    case.save()
    case_reindex(case)
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
    _require_writer(by, case)
    return apply_transition(case, "publish", by=by, changes={"published_at": timezone.now()})
