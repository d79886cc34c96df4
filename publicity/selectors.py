"""Shared reads of publicities and objections."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from publicity.models import Objection, Publicity
from publicity.permissions import can_decide
from publicity.subjects import SUBJECTS


def publicities_of(subject) -> QuerySet[Publicity]:
    """Every version of every notice of a subject, newest first (they are public)."""
    return Publicity.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk
    ).order_by("-created_at", "-id")


def objections_visible_to(user, publicity: Publicity) -> QuerySet[Objection]:
    """The objector sees its own; whoever decides them sees all (names and
    contacts are personal data)."""
    qs = publicity.objections.select_related("objector", "organization")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if can_decide(user, publicity):
        return qs
    return qs.filter(objector=user)


def publicities_of_subject(text: str) -> QuerySet[Publicity] | None:
    """`listing:12` → that listing's publicities; None for an unknown subject."""
    name, _sep, pk = (text or "").partition(":")
    subject = SUBJECTS.get(name)
    if subject is None or not pk.isdigit():
        return None
    return Publicity.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject.model), subject_id=int(pk)
    ).order_by("-created_at", "-id")


def current(subject, kind: str) -> Publicity | None:
    """The subject's live version of this kind (running or suspended), if any."""
    return (
        Publicity.objects.filter(
            subject_type=ContentType.objects.get_for_model(type(subject)),
            subject_id=subject.pk,
            kind=kind,
            status__in=[Publicity.Status.RUNNING, Publicity.Status.SUSPENDED],
        )
        .order_by("-version")
        .first()
    )


def blocking(publicity: Publicity | None) -> str:
    """Why the step that depends on this publicity may not happen yet ("" if it may)."""
    if publicity is None:
        return ""
    objections = publicity.objections.all()
    if objections.filter(status=Objection.Status.UPHELD).exists():
        return _("An objection to “%(title)s” was upheld.") % {"title": publicity.title}
    if objections.filter(status=Objection.Status.RECEIVED).exists():
        return _("An objection to “%(title)s” waits for staff's decision.") % {
            "title": publicity.title
        }
    return ""
