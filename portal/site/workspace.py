"""What needs an account's action now, with counts and links (the workspace)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _


def tasks_for(user) -> list[dict]:
    from accounts.selectors import organizations_to_verify
    from achievements.models import Achievement
    from achievements.selectors import achievements_to_review
    from contracts.models import Contract, SubsidyApplication
    from contracts.selectors import contracts_to_register, payments_to_verify, subsidies_to_review
    from demands.models import Demand
    from demands.selectors import demands_to_review
    from experts.models import ExpertAssignment
    from matching.selectors import best_open_pairs, unanswered_matches
    from portal.core.models import Notification
    from scenarios.selectors import scenarios_to_review

    tasks = []

    def add(label, count, url):
        tasks.append({"label": label, "count": count, "url": url})

    org = user.organization
    if org is not None:
        if org.kind in ("university", "institute", "enterprise"):
            mine = Achievement.objects.filter(organization=org)
            add(
                _("Achievement drafts"),
                mine.filter(status="draft").count(),
                reverse("achievements:mine") + "?status=draft",
            )
            add(
                _("Achievements returned for changes"),
                mine.filter(status="rejected").count(),
                reverse("achievements:mine") + "?status=rejected",
            )
        if org.kind == "enterprise":
            demands = Demand.objects.filter(organization=org)
            add(
                _("Demand drafts"),
                demands.filter(status="draft").count(),
                reverse("demands:mine") + "?status=draft",
            )
            add(
                _("Demands returned for changes"),
                demands.filter(status="rejected").count(),
                reverse("demands:mine") + "?status=rejected",
            )
            add(
                _("Subsidy applications to submit"),
                SubsidyApplication.objects.filter(organization=org, status="draft").count(),
                reverse("contracts:subsidies"),
            )
        add(_("Recommendations to look at"), unanswered_matches(user), reverse("matching:mine"))
        add(
            _("Contracts to complete or resubmit"),
            Contract.objects.filter(
                Q(buyer=org) | Q(seller=org), status__in=["draft", "rejected"]
            ).count(),
            reverse("contracts:list"),
        )
    if user.is_broker:
        add(
            _("Contracts I drafted, to complete or resubmit"),
            Contract.objects.filter(broker=user, status__in=["draft", "rejected"]).count(),
            reverse("contracts:list"),
        )
        add(_("Open pairs to follow up"), len(best_open_pairs(user)), reverse("matching:board"))
    if user.is_market_staff or user.is_superuser:
        add(_("Achievements to review"), achievements_to_review(user).count(), reverse("review"))
        add(_("Demands to review"), demands_to_review(user).count(), reverse("review"))
        add(_("Scenarios to review"), scenarios_to_review(user).count(), reverse("review"))
        add(_("Contracts to register"), contracts_to_register(user).count(), reverse("review"))
        add(_("Payments to verify"), payments_to_verify(user).count(), reverse("review"))
        add(
            _("Subsidy applications to review"),
            subsidies_to_review(user).count(),
            reverse("review"),
        )
        add(
            _("Organisations to verify"),
            organizations_to_verify(user).count(),
            reverse("accounts:verify_queue"),
        )
    if ExpertAssignment.objects.filter(expert__user=user).exists():
        add(
            _("Achievements to score"),
            ExpertAssignment.objects.filter(expert__user=user, scored_at__isnull=True).count(),
            reverse("experts:assignments"),
        )
    add(
        _("Unread notifications"),
        Notification.objects.filter(user=user, read_at__isnull=True).count(),
        reverse("notifications"),
    )
    return tasks
