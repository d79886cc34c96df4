"""Matching events and investment matching (issue 19, points 4, 5 and 6)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from events import services
from events.models import EventOutcome, EventRegistration, InvestmentDeal, MatchingEvent
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry
from tests.events import flow
from tests.factories import (
    AchievementFactory,
    ContractFactory,
    DemandFactory,
    OrganizationFactory,
    StaffFactory,
    member_of,
)
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


# --- planning ---------------------------------------------------------------------


def test_an_agency_plans_an_event_with_a_gapless_code_and_the_citys_market():
    first, _person = flow.event()
    second, _other = flow.event()
    year = timezone.localdate().year
    assert (first.code, second.code) == (f"DJ-{year}-0001", f"DJ-{year}-0002")
    assert first.market.code == "xiangyang" and first.status == MatchingEvent.Status.PLANNED
    assert AuditEntry.objects.filter(action="events.matchingevent.created").count() == 2


@pytest.mark.parametrize("kind", ["enterprise", "investor"])
def test_an_enterprise_or_an_unverified_agency_cannot_organise(kind):
    member = member_of(OrganizationFactory(kind=kind))
    with pytest.raises(NotPermitted):
        services.event_create(by=member, data=flow.data())
    unverified = member_of(OrganizationFactory(kind="agency", verified=False))
    with pytest.raises(NotPermitted):
        services.event_create(by=unverified, data=flow.data())
    assert not MatchingEvent.objects.exists()


def test_bad_event_input_is_refused_with_every_field_and_changes_nothing():
    _agency, person = flow.organizer()
    now = timezone.now()
    with pytest.raises(RuleBroken) as refused:
        services.event_create(
            by=person,
            data=flow.data(
                city="440300", ends_at=now, starts_at=now + datetime.timedelta(hours=1), capacity=0
            ),
        )
    assert {"city", "ends_at", "capacity"} <= set(refused.value.message_dict)
    assert not MatchingEvent.objects.exists()


def test_a_planned_event_is_seen_by_its_organiser_and_staff_only(client, api):
    event, person = flow.event()
    assert api.get("/api/v1/events/").json()["count"] == 0
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(person)
    assert client.get(event.get_absolute_url()).status_code == 200
    services.event_act(event=event, by=person, action="open_registration")
    listed = api.get("/api/v1/events/").json()["results"]
    assert [e["code"] for e in listed] == [event.code] and listed[0]["city"] == "420600"


def test_cancelling_after_registrations_needs_a_reason_and_tells_them():
    event, person = flow.event("registration_open")
    _org, guest = flow.registered(event)
    with pytest.raises(RuleBroken):
        services.event_act(event=event, by=person, action="cancel")
    services.event_act(event=event, by=person, action="cancel", reason="场地变更")
    assert guest.notifications.filter(kind="events.event.cancelled").exists()


# --- registration and check-in ----------------------------------------------------------


def test_registration_respects_window_capacity_consent_and_once():
    event, _person = flow.event("planned", capacity=1)
    org = OrganizationFactory(kind="enterprise")
    member = member_of(org)
    with pytest.raises(TransitionNotAllowed):
        services.event_register(event=event, by=member, role="enterprise", organization=org)
    services.event_act(event=event, by=_person, action="open_registration")
    stranger = member_of(OrganizationFactory())
    with pytest.raises(NotPermitted):  # for an organisation that did not admit them
        services.event_register(event=event, by=stranger, role="enterprise", organization=org)
    services.event_register(event=event, by=member, role="enterprise", organization=org)
    with pytest.raises(TransitionNotAllowed):
        services.event_register(event=event, by=member, role="enterprise", organization=org)
    with pytest.raises(TransitionNotAllowed):  # full
        services.event_register(event=event, by=stranger, role="investor")
    assert EventRegistration.objects.count() == 1


def test_check_in_by_code_by_the_organiser_inside_the_window():
    event, person = flow.event("registration_open")
    _org, guest = flow.registered(event)
    registration = EventRegistration.objects.get(user=guest)
    with pytest.raises(NotPermitted):  # a participant does not check themselves in
        services.registration_check_in(registration=registration, by=guest)
    with pytest.raises(TransitionNotAllowed):  # two days early
        services.registration_check_in(
            registration=registration, by=person, now=event.starts_at - datetime.timedelta(days=2)
        )
    with pytest.raises(RuleBroken):
        services.check_in_code(event=event, by=person, code="NOTACODE")
    done = services.check_in_code(event=event, by=person, code=registration.code.lower())
    assert done.checked_in_at is not None and done.checked_in_by == person
    with pytest.raises(TransitionNotAllowed):
        services.check_in_code(event=event, by=person, code=registration.code)


def test_the_ticket_is_a_qr_code_for_its_holder_only(client):
    event, _person = flow.event("registration_open")
    _org, guest = flow.registered(event)
    registration = EventRegistration.objects.get(user=guest)
    client.force_login(guest)
    page = client.get(event.get_absolute_url()).content.decode()
    assert registration.code in page
    svg = client.get(f"/events/tickets/{registration.pk}/")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    client.force_login(member_of(OrganizationFactory()))
    assert client.get(f"/events/tickets/{registration.pk}/").status_code == 404


def test_registration_and_check_in_through_the_api(api):
    event, person = flow.event("registration_open")
    org = OrganizationFactory(kind="university")
    member = member_of(org)
    api.force_authenticate(member)
    made = api.post(f"/api/v1/events/{event.pk}/registrations/", {"role": "university"})
    assert made.status_code == 201 and made.json()["organization"] == org.pk
    again = api.post(f"/api/v1/events/{event.pk}/registrations/", {"role": "university"})
    assert again.status_code == 409
    assert (
        api.post(f"/api/v1/events/{event.pk}/registrations/", {"role": "pirate"}).status_code == 400
    )
    pk = made.json()["id"]
    assert api.post(f"/api/v1/event-registrations/{pk}/check_in/").status_code == 403
    api.force_authenticate(person)
    checked = api.post(f"/api/v1/event-registrations/{pk}/check_in/")
    assert checked.status_code == 200 and checked.json()["checked_in_at"]


# --- items, intents, outcomes -----------------------------------------------------------


def _running_with_items():
    """An event under way with an achievement and a demand on its programme and
    an enterprise registered."""
    event, person = flow.event("registration_open")
    _org, buyer = flow.registered(event)
    event = services.event_act(event=event, by=person, action="start")
    university = OrganizationFactory(kind="university")
    achievement = AchievementFactory(status="published", organization=university)
    demand = DemandFactory(status="published")
    item = services.item_add(event=event, by=person, subject=achievement)
    demand_item = services.item_add(event=event, by=person, subject=demand)
    return event, person, item, demand_item, buyer


def test_intents_need_a_registered_party_the_right_kind_and_another_owner():
    _event, _person, item, demand_item, buyer = _running_with_items()
    owner = member_of(item.owner)
    outsider = member_of(OrganizationFactory(kind="enterprise"))
    with pytest.raises(NotPermitted):
        services.intent_record(item=item, by=outsider, kind="license")
    with pytest.raises(RuleBroken) as wrong_kind:
        services.intent_record(item=demand_item, by=buyer, kind="investment")
    assert "kind" in wrong_kind.value.message_dict
    intent = services.intent_record(
        item=item, by=buyer, kind="license", amount_intended="300000.00"
    )
    assert intent.amount_intended == Decimal("300000.00")
    assert owner.notifications.filter(kind="events.intent").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.intent_record(item=item, by=buyer, kind="license")


def test_an_outcome_is_a_registered_contract_of_a_party_counted_once_at_its_amount(api):
    event, person, item, _demand_item, _buyer = _running_with_items()
    other, other_person = flow.event("ongoing")
    draft = ContractFactory(status="submitted", registration_number=None, seller=item.owner)
    with pytest.raises(RuleBroken):
        services.outcome_record(event=event, by=person, contract=draft)
    unrelated = ContractFactory()
    with pytest.raises(RuleBroken):
        services.outcome_record(event=event, by=person, contract=unrelated)
    contract = ContractFactory(seller=item.owner, tech_transaction_amount="800000.00")
    api.force_authenticate(person)
    typed = api.post(
        f"/api/v1/events/{event.pk}/outcomes/",
        {"kind": "contract_registered", "contract": contract.pk, "amount": "9999999.00"},
    )
    assert typed.status_code == 400 and "amount" in typed.json()
    assert not EventOutcome.objects.exists()
    made = api.post(
        f"/api/v1/events/{event.pk}/outcomes/",
        {"kind": "contract_registered", "contract": contract.pk},
    )
    assert made.status_code == 201 and made.json()["amount"] == "800000.00"
    services.item_add(
        event=other,
        by=other_person,
        subject=AchievementFactory(status="published", organization=item.owner),
    )
    with pytest.raises(TransitionNotAllowed):  # no double counting across events
        services.outcome_record(event=other, by=other_person, contract=contract)
    assert EventOutcome.objects.count() == 1


# --- investment -------------------------------------------------------------------------


def test_investors_see_open_projects_and_move_a_deal_to_closed_with_its_agreement(client):
    project = flow.project()
    _org, investor = flow.investor()
    enterprise = member_of(OrganizationFactory(kind="enterprise"))
    client.force_login(enterprise)
    assert client.get(project.get_absolute_url()).status_code == 404
    with pytest.raises(NotPermitted):
        services.deal_start(project=project, by=enterprise, instrument="equity", amount="1.00")
    client.force_login(investor)
    assert client.get(project.get_absolute_url()).status_code == 200
    deal = services.deal_start(project=project, by=investor, instrument="equity", amount="5000000")
    with pytest.raises(TransitionNotAllowed):  # one open deal per investor and project
        services.deal_start(project=project, by=investor, instrument="loan", amount="1000")
    owner = member_of(project.organization)
    deal = services.deal_advance(deal=deal, by=owner, action="sign_nda")  # either side signs
    with pytest.raises(NotPermitted):  # due diligence is the investor's step
        services.deal_advance(deal=deal, by=owner, action="start_due_diligence")
    for step in ("start_due_diligence", "agree_term_sheet", "sign"):
        deal = services.deal_advance(deal=deal, by=investor, action=step)
    with pytest.raises(RuleBroken):  # closing needs the signed agreement
        services.deal_advance(deal=deal, by=owner, action="close")
    deal = services.deal_advance(
        deal=deal, by=owner, action="close", document=upload("协议.pdf", PDF)
    )
    assert deal.status == InvestmentDeal.Status.CLOSED and deal.document
    steps = AuditEntry.objects.filter(action__startswith="events.investmentdeal.")
    assert list(steps.order_by("id").values_list("to_status", flat=True)) == [
        "intent",
        "nda",
        "due_diligence",
        "term_sheet",
        "signed",
        "closed",
    ]


def test_a_dropped_deal_needs_a_reason():
    project = flow.project()
    _org, investor = flow.investor()
    deal = services.deal_start(project=project, by=investor, instrument="loan", amount="1000")
    with pytest.raises(RuleBroken):
        services.deal_advance(deal=deal, by=investor, action="drop")
    dropped = services.deal_advance(deal=deal, by=investor, action="drop", reason="估值分歧")
    assert dropped.status == InvestmentDeal.Status.DROPPED and dropped.drop_reason == "估值分歧"


def test_a_closed_investment_between_participants_is_an_outcome():
    event, person = flow.event("ongoing")
    project = flow.project()
    services.item_add(event=event, by=person, subject=project)
    deal, _investor = flow.closed_deal(project)
    outcome = services.outcome_record(event=event, by=person, deal=deal)
    assert outcome.kind == EventOutcome.Kind.INVESTMENT_CLOSED and outcome.amount == deal.amount


# --- monitoring -------------------------------------------------------------------------


def test_monitoring_counts_events_held_against_the_target(client):
    from portal.site import stats

    _held, _person = flow.event("ongoing")
    flow.event("registration_open")  # not held yet
    _org, _guest = flow.registered(flow.event("registration_open")[0])
    figures = stats.compute(timezone.localdate().year)
    province = figures["province"]
    assert province["matching_events"]["value"] == 1
    assert province["matching_events"]["target"] == 50
    xiangyang = next(m for m in figures["markets"] if m["code"] == "xiangyang")
    assert xiangyang["matching_events"]["value"] == 1
    page = client.get("/events/").content.decode()
    assert 'data-testid="held-total">1<' in page


def test_the_archive_job_archives_events_after_their_reporting_period():
    event, _person = flow.event("outcomes_reporting")
    assert services.events_archive_due() == 0
    MatchingEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=40),
        ends_at=timezone.now() - datetime.timedelta(days=39),
    )
    assert services.events_archive_due() == 1
    event.refresh_from_db()
    assert event.status == MatchingEvent.Status.ARCHIVED


def test_staff_of_another_market_cannot_run_the_event():
    event, _person = flow.event("registration_open")
    from accounts.models import Market

    yichang = StaffFactory(staff_market=Market.objects.get(code="yichang"))
    with pytest.raises(NotPermitted):
        services.event_act(event=event, by=yichang, action="start")


def test_anyone_reads_an_open_event_and_is_asked_to_sign_in(client):
    event, _person = flow.event("registration_open")
    page = client.get(event.get_absolute_url())
    assert page.status_code == 200
    assert "/accounts/login/?next=" in page.content.decode()
