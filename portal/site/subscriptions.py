"""Saved searches and their daily digest."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import registry
from portal.core.audit import audit_log
from portal.core.errors import RuleBroken
from portal.core.models import DigestLog, Subscription, SubscriptionNotice
from portal.core.notifications import notify

SHOWN = 10


def _library(name: str):
    """The registered library a saved search may follow, or None."""
    try:
        lib = registry.library(name)
    except LookupError:
        return None
    return lib if lib.subscribable else None


def _clean_query(query: str) -> QueryDict:
    params = QueryDict(query or "", mutable=True)
    for key in ("page", "format", "status"):
        params.pop(key, None)
    return params


@transaction.atomic
def subscription_create(*, user, library: str, query: str, name: str = "") -> Subscription:
    pages = _library(library)
    if pages is None:
        raise RuleBroken(
            {
                "library": [
                    _("Choose one of: %(names)s.")
                    % {
                        "names": "、".join(
                            lib.label for lib in registry.libraries(subscribable=True)
                        )
                    }
                ]
            }
        )
    params = _clean_query(query)
    filterset = pages.filterset(params, queryset=pages.published())
    if not filterset.is_valid():
        raise RuleBroken({"query": [_("This search has invalid filters.")]})
    query = params.urlencode()
    if len(query) > Subscription._meta.get_field("query").max_length:
        raise RuleBroken({"query": [_("This search is too long to be saved; shorten it.")]})
    name = " ".join((name or params.get("q") or str(pages.label)).split())[:100]
    if user.subscriptions.count() >= 50:
        raise RuleBroken(_("At most 50 saved searches per account."))
    subscription = Subscription.objects.create(user=user, library=library, name=name, query=query)
    audit_log(
        action="portal.subscription.created",
        actor=user,
        target=subscription,
        data={"library": library, "query": query},
    )
    return subscription


def new_items(subscription: Subscription) -> list:
    """Published items fitting the search, published since it was saved, never told."""
    pages = _library(subscription.library)
    if pages is None:  # a library no longer registered
        return []
    filterset = pages.filterset(
        _clean_query(subscription.query),
        queryset=pages.published(),
        published_since=subscription.created_at,
    )
    if not filterset.is_valid():
        return []
    told = SubscriptionNotice.objects.filter(
        subscription=subscription, content_type=ContentType.objects.get_for_model(pages.model)
    ).values("object_id")
    return list(filterset.qs.exclude(pk__in=told).order_by("-published_at")[:200])


@transaction.atomic
def digests_send(*, today: datetime.date | None = None) -> int:
    """One digest a day per account, of the new items of all its saved searches."""
    today = today or timezone.localdate()
    sent = 0
    users = {s.user for s in Subscription.objects.select_related("user") if s.user.is_active}
    for user in users:
        found = []
        for subscription in user.subscriptions.all():
            found += [(subscription, item) for item in new_items(subscription)]
        if not found:
            continue
        try:
            with transaction.atomic():
                DigestLog.objects.create(user=user, day=today)
        except IntegrityError:
            continue  # already sent today
        SubscriptionNotice.objects.bulk_create(
            [
                SubscriptionNotice(
                    subscription=s,
                    object_id=item.pk,
                    content_type=ContentType.objects.get_for_model(item),
                )
                for s, item in found
            ],
            ignore_conflicts=True,
        )
        lines = [f"· [{s.name}] {item.title}" for s, item in found[:SHOWN]]
        if len(found) > SHOWN:
            lines.append(_("… and %(n)d more.") % {"n": len(found) - SHOWN})
        first = found[0][1]
        notify(
            users=[user],
            kind="portal.subscription.digest",
            title=_("%(n)d new items for your saved searches") % {"n": len(found)},
            body="\n".join(lines),
            url=first.get_absolute_url(),
        )
        sent += 1
    return sent
