"""Public credit (issue 20, point 2): real-name complaints with evidence, their
investigation, credit records with evidence, and the black list that stops a
bid, a listing registration and a subsidy application."""

import datetime

import pytest
from django.utils import timezone

from credit import selectors, services
from credit.models import Complaint, CreditRecord
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry
from tests.factories import BrokerFactory, OrganizationFactory, StaffFactory, member_of
from tests.files import EXE, PDF, upload

pytestmark = pytest.mark.django_db


def complain(by, organization=None, broker=None, **kw):
    return services.complaint_submit(
        by=by,
        organization=organization,
        broker=broker,
        real_name=kw.get("real_name", "张三"),
        contact=kw.get("contact", "13800000000"),
        facts=kw.get("facts", "收取服务费后未提供任何服务。"),
        evidence=kw.get("evidence", upload("证据.pdf", PDF)),
    )


def upheld(complaint, staff):
    services.complaint_investigate(complaint=complaint, by=staff)
    return services.complaint_decide(complaint=complaint, by=staff, upheld=True, reply="查证属实")


def test_a_complaint_needs_a_real_name_facts_and_evidence_and_a_subject_not_ones_own():
    agency = OrganizationFactory(kind="agency")
    person = member_of(OrganizationFactory())
    cases = [
        {"real_name": " "},
        {"facts": ""},
        {"evidence": None},
        {"evidence": upload("x.exe", EXE)},
    ]
    for case in cases:
        with pytest.raises(RuleBroken):
            complain(person, agency, **case)
    with pytest.raises(RuleBroken):  # no subject, or two
        complain(person)
    with pytest.raises(RuleBroken):
        complain(member_of(agency), agency)  # one's own organisation
    with pytest.raises(RuleBroken):  # a broker other than oneself
        complain(person, broker=person)
    assert not Complaint.objects.exists()
    made = complain(person, agency)
    assert made.status == Complaint.Status.RECEIVED
    assert AuditEntry.objects.filter(action="credit.complaint.received").count() == 1


def test_staff_of_the_subjects_market_investigate_and_decide_with_a_reply():
    from accounts.models import Market

    agency = OrganizationFactory(kind="agency", region_code="420111")
    complaint = complain(member_of(OrganizationFactory()), agency)
    elsewhere = StaffFactory(staff_market=Market.objects.get(code="yichang"))
    with pytest.raises(NotPermitted):
        services.complaint_investigate(complaint=complaint, by=elsewhere)
    staff = StaffFactory()
    with pytest.raises(TransitionNotAllowed):  # upheld only after an investigation
        services.complaint_decide(complaint=complaint, by=staff, upheld=True, reply="x")
    services.complaint_investigate(complaint=complaint, by=staff)
    with pytest.raises(RuleBroken):
        services.complaint_decide(complaint=complaint, by=staff, upheld=True, reply=" ")
    done = services.complaint_decide(complaint=complaint, by=staff, upheld=False, reply="证据不足")
    assert done.status == Complaint.Status.REJECTED and done.reply == "证据不足"
    assert selectors.black_record(organization_id=agency.pk) is None


def test_two_upheld_complaints_within_a_year_black_list_for_three_years():
    agency = OrganizationFactory(kind="agency")
    staff = StaffFactory()
    old = upheld(complain(member_of(OrganizationFactory()), agency), staff)
    Complaint.objects.filter(pk=old.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=400)
    )
    upheld(complain(member_of(OrganizationFactory()), agency), staff)
    assert selectors.black_record(organization_id=agency.pk) is None  # the first is too old
    upheld(complain(member_of(OrganizationFactory()), agency), staff)
    record = selectors.black_record(organization_id=agency.pk)
    assert record.source == CreditRecord.Source.COMPLAINTS and "#" in record.evidence
    today = timezone.localdate()
    assert record.ends_on == today.replace(year=today.year + 3)
    upheld(complain(member_of(OrganizationFactory()), agency), staff)
    assert CreditRecord.objects.filter(organization=agency).count() == 1  # not twice


def test_a_broker_is_black_listed_the_same_way():
    broker = BrokerFactory()
    staff = StaffFactory(staff_market=broker.organization.market)
    for _ in range(2):
        upheld(complain(member_of(OrganizationFactory()), broker=broker), staff)
    assert selectors.black_record(broker_id=broker.pk) is not None


def test_a_credit_record_names_its_evidence_and_ends_after_it_starts():
    org = OrganizationFactory()
    staff = StaffFactory()
    data = {"kind": "black", "source": "falsification", "reason": "年报数据造假"}
    with pytest.raises(RuleBroken) as exc:
        services.record_create(by=staff, organization=org, evidence=" ", **data)
    assert "evidence" in exc.value.message_dict
    with pytest.raises(RuleBroken):
        services.record_create(
            by=staff,
            organization=org,
            evidence="鄂科函〔2026〕1号",
            ends_on=timezone.localdate() - datetime.timedelta(days=1),
            **data,
        )
    with pytest.raises(NotPermitted):
        services.record_create(by=member_of(org), organization=org, evidence="x", **data)
    record = services.record_create(
        by=staff, organization=org, evidence="鄂科函〔2026〕1号", **data
    )
    assert record.ends_on.year == timezone.localdate().year + 3  # falsification: three years
    assert "black list" in selectors.blacklist_problem(org.pk) or selectors.blacklist_problem(
        org.pk
    )
    services.record_lift(record=record, by=staff, reason="复议撤销")
    assert selectors.blacklist_problem(org.pk) == ""


# --- the black list stops trading and subsidies -------------------------------------------


def black(org):
    return services.record_create(
        by=StaffFactory(),
        organization=org,
        kind="black",
        source="forfeiture",
        reason="串通竞价，保证金被扣除",
        evidence="JYPZ 决定书",
    )


@pytest.fixture
def people(db):
    from tests.market import flow

    flow.enter_calendar()
    flow.trial_rules()
    return flow.cast()


def test_a_black_listed_enterprise_cannot_register_for_a_listing(people):
    from market.models import ListingIntent
    from market.services import listings
    from tests.market import flow

    listing = flow.announced_listing(people)
    black(people["a"])
    with pytest.raises(RuleBroken) as exc:
        listings.intent_register(listing=listing, by=people["a_admin"])
    assert "黑名单" in " ".join(exc.value.messages)
    assert not ListingIntent.objects.filter(organization=people["a"]).exists()
    listings.intent_register(listing=listing, by=people["b_admin"])  # the others still may


def test_a_black_listed_bidder_cannot_register_or_bid(people):
    from decimal import Decimal

    from market.models import Bid
    from market.services import auctions, bids
    from tests.market import flow

    lot = flow.announced_lot(people)
    flow.bidder(people, lot, "a")
    black(people["b"])
    with pytest.raises(RuleBroken):
        auctions.registration_create(auction=lot, by=people["b_admin"])
    lot = flow.open_bidding(lot)
    black(people["a"])
    placed, _created = bids.bid_place(
        auction=lot, by=people["a_admin"], amount=Decimal("500000.00"), request_id="bl-1"
    )
    assert placed.refusal == Bid.Refusal.BLACKLISTED
    lot.refresh_from_db()
    assert lot.current_price is None


def test_a_black_listed_enterprise_gets_no_subsidy():
    from contracts.services import subsidies

    enterprise = OrganizationFactory(kind="enterprise", region_code="420111")
    assert subsidies.buyer_problem(enterprise) == ""
    black(enterprise)
    assert subsidies.buyer_problem(enterprise)


# --- pages and API --------------------------------------------------------------------------


def test_the_public_credit_page_shows_the_black_list_and_upheld_findings(client):
    agency = OrganizationFactory(kind="agency")
    staff = StaffFactory()
    for _ in range(2):
        upheld(complain(member_of(OrganizationFactory()), agency), staff)
    page = client.get(f"/credit/organizations/{agency.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "黑名单" in text and "查证属实" in text and 'data-testid="upheld-count">2<' in text
    assert "张三" not in text  # the complainant is not published
    assert agency.name in client.get("/credit/").content.decode()


def test_complaints_through_the_page_and_the_api(client, api):
    agency = OrganizationFactory(kind="agency")
    person = member_of(OrganizationFactory())
    client.force_login(person)
    redisplayed = client.post(
        f"/credit/organizations/{agency.pk}/complain/",
        {"real_name": "张三", "contact": "138", "facts": "未履约"},
    )
    assert redisplayed.status_code == 200 and not Complaint.objects.exists()
    done = client.post(
        f"/credit/organizations/{agency.pk}/complain/",
        {
            "real_name": "张三",
            "contact": "138",
            "facts": "未履约",
            "evidence": upload("a.pdf", PDF),
        },
    )
    complaint = Complaint.objects.get()
    assert done.status_code == 302 and done.url == complaint.get_absolute_url()
    assert client.get(f"/credit/complaints/{complaint.pk}/evidence/").status_code == 200
    client.force_login(member_of(agency))  # the subject sees neither the file nor the complaint
    assert client.get(f"/credit/complaints/{complaint.pk}/").status_code == 404
    assert client.get(f"/credit/complaints/{complaint.pk}/evidence/").status_code == 404

    api.force_authenticate(person)
    bad = api.post("/api/v1/complaints/", {"organization": agency.pk, "facts": "x"})
    assert bad.status_code == 400
    assert api.get("/api/v1/complaints/").json()["count"] == 1
    api.force_authenticate(member_of(OrganizationFactory()))
    assert api.get("/api/v1/complaints/").json()["count"] == 0
    assert api.get(f"/api/v1/complaints/{complaint.pk}/").status_code == 404
    staff = StaffFactory()
    api.force_authenticate(staff)
    assert api.post(f"/api/v1/complaints/{complaint.pk}/investigate/").status_code == 200
    decided = api.post(
        f"/api/v1/complaints/{complaint.pk}/decision/",
        {"upheld": True, "reply": "属实"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"
    record = api.post(
        "/api/v1/credit-records/",
        {
            "organization": agency.pk,
            "kind": "black",
            "source": "decision",
            "reason": "r",
            "evidence": "",
        },
        format="json",
    )
    assert record.status_code == 400
