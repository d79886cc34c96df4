"""What of public credit an account may see, and the black list the trading
and subsidy services consult."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_central, is_staff
from credit.models import Complaint, CreditRecord


def in_force(on=None) -> Q:
    """Records in force on a day: started, not ended, not lifted."""
    on = on or timezone.localdate()
    return Q(starts_on__lte=on, lifted_at__isnull=True) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def black_record(*, organization_id=None, broker_id=None, on=None) -> CreditRecord | None:
    """The black-list record in force for an organisation or a broker, if any."""
    if organization_id is None and broker_id is None:
        return None
    subject = Q(organization_id=organization_id) if organization_id else Q(broker_id=broker_id)
    return (
        CreditRecord.objects.filter(subject, in_force(on), kind=CreditRecord.Kind.BLACK)
        .order_by("starts_on")
        .first()
    )


def blacklist_problem(organization_id) -> str:
    """Why a black-listed organisation is refused ("" when it is not): the
    message the trading and subsidy services show."""
    record = black_record(organization_id=organization_id)
    if record is None:
        return ""
    until = record.ends_on.isoformat() if record.ends_on else _("further notice")
    return _("The organisation is on the black list until %(until)s: %(reason)s") % {
        "until": until,
        "reason": record.reason,
    }


def is_broker_account() -> Q:
    """An account of a broker: marked so, or in the broker registry whatever its state."""
    return Q(broker_profile__isnull=False) | Q(broker_record__isnull=False)


def public_records(*, organization_id=None, broker_id=None) -> QuerySet[CreditRecord]:
    subject = Q(organization_id=organization_id) if organization_id else Q(broker_id=broker_id)
    return CreditRecord.objects.filter(subject, public=True).order_by("-starts_on", "-id")


def upheld_complaints(*, organization_id=None, broker_id=None) -> QuerySet[Complaint]:
    subject = Q(organization_id=organization_id) if organization_id else Q(broker_id=broker_id)
    return Complaint.objects.filter(subject, status=Complaint.Status.UPHELD).order_by("-decided_at")


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """The complainant sees its own; staff of the subject's market (a broker's:
    of the broker's organisation), central staff all. Subjects never see the
    complainant's file, only the upheld outcome on the credit page."""
    qs = Complaint.objects.select_related("organization", "broker")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs
    own = Q(complainant=user)
    if is_staff(user):
        own |= Q(organization__market_id=user.staff_market_id) | Q(
            broker__organization__market_id=user.staff_market_id
        )
    return qs.filter(own)


def complaints_to_decide(user) -> QuerySet[Complaint]:
    if not is_staff(user):
        return Complaint.objects.none()
    return complaints_visible_to(user).filter(status__in=Complaint.OPEN).exclude(complainant=user)
