"""Every write to application scenarios and their proposals."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workflow import apply_transition
from portal.library import services as library
from scenarios.models import Proposal, Scenario
from scenarios.permissions import PUBLISHERS, can_decide, is_open_for_proposals


def scenario_create(*, by, data: dict) -> Scenario:
    return library.item_create(model=Scenario, by=by, data=data, allowed_kinds=PUBLISHERS)


def scenario_update(*, scenario: Scenario, by, data: dict) -> Scenario:
    return library.item_update(item=scenario, by=by, data=data)


def scenario_delete(*, scenario: Scenario, by) -> None:
    library.item_delete(item=scenario, by=by)


def _deadline_in_future(scenario: Scenario) -> None:
    if scenario.deadline <= timezone.localdate():
        raise RuleBroken({"deadline": [_("The deadline must be in the future.")]})


def scenario_submit(*, scenario: Scenario, by) -> Scenario:
    return library.item_submit(item=scenario, by=by, extra_checks=_deadline_in_future)


def scenario_approve(*, scenario: Scenario, by) -> Scenario:
    return library.item_approve(item=scenario, by=by)


def scenario_reject(*, scenario: Scenario, by, reason: str) -> Scenario:
    return library.item_reject(item=scenario, by=by, reason=reason)


def scenario_close(*, scenario: Scenario, by) -> Scenario:
    return library.item_owner_action(item=scenario, by=by, action="close")


def scenarios_close_expired(*, today: datetime.date | None = None) -> int:
    """Open scenarios past their proposal deadline close (daily beat job)."""
    today = today or timezone.localdate()
    closed = 0
    for scenario in Scenario.objects.filter(status=Scenario.Status.OPEN, deadline__lt=today):
        try:
            apply_transition(scenario, "close", by=None, reason=_("The deadline passed."))
        except TransitionNotAllowed:
            continue
        closed += 1
    return closed


@transaction.atomic
def proposal_submit(*, scenario: Scenario, by, achievement, note: str = "") -> Proposal:
    """An organisation proposes one of its own published achievements."""
    org = getattr(by, "organization", None)
    if org is None or not acts_for(by, org.pk):
        raise NotPermitted(_("Only members of an organisation who may act for it can propose."))
    current = for_update(Scenario.objects).get(pk=scenario.pk)
    if current.status != Scenario.Status.OPEN:
        raise TransitionNotAllowed(_("This scenario is not open for proposals."))
    if not is_open_for_proposals(current):
        raise TransitionNotAllowed(_("The proposal deadline has passed."))
    if current.organization_id == org.pk:
        raise RuleBroken(_("A publisher does not propose to its own scenario."))
    errors = []
    if achievement.organization_id != org.pk:
        errors.append(_("Propose an achievement of your own organisation."))
    elif achievement.status != achievement.PUBLISHED:
        errors.append(_("Only published achievements can be proposed."))
    if errors:
        raise RuleBroken({"achievement": errors})
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                scenario=current,
                organization=org,
                achievement=achievement,
                note=(note or "").strip(),
                created_by=by,
            )
    except IntegrityError:
        raise RuleBroken({"achievement": [_("This achievement is proposed already.")]}) from None
    audit_log(
        action="scenarios.proposal.submitted",
        actor=by,
        target=proposal,
        to_status=proposal.status,
        data={"scenario": current.pk, "achievement": achievement.pk},
    )
    notify(
        users=[current.created_by],
        kind="scenarios.proposal.submitted",
        title=_("New proposal for %(title)s") % {"title": current.title},
        body=f"{org.name}：{achievement.title}",
        url=current.get_absolute_url(),
    )
    return proposal


@transaction.atomic
def proposal_decide(*, proposal: Proposal, by, status: str) -> Proposal:
    """The publisher short-lists or declines a proposal."""
    if not can_decide(by, proposal.scenario):
        raise NotPermitted(_("Only the publisher decides on proposals."))
    actions = {Proposal.Status.SHORTLISTED: "shortlist", Proposal.Status.DECLINED: "decline"}
    if status not in actions:
        raise RuleBroken({"status": [_("Choose shortlisted or declined.")]})
    decided = apply_transition(proposal, actions[status], by=by)
    notify(
        users=[decided.created_by],
        kind=f"scenarios.proposal.{decided.status}",
        title=_("Your proposal for %(title)s: %(status)s")
        % {"title": decided.scenario.title, "status": decided.get_status_display()},
        url=decided.scenario.get_absolute_url(),
    )
    return decided


# How the pages and the API call these services.
SERVICES = library.ItemServices(
    noun="scenario",
    create=scenario_create,
    update=scenario_update,
    actions={
        "submit": scenario_submit,
        "approve": scenario_approve,
        "reject": scenario_reject,
        "close": scenario_close,
        "delete": scenario_delete,
    },
)
