"""Inquiries (issue 16, point 1): from a published item to a conversation,
with consent for contact details, scope on every read, and staff follow-up."""

import datetime

import pytest
from django.utils import timezone

from inquiries import selectors, services
from inquiries.models import Inquiry
from matching.models import Match, MatchFeedback
from portal.core.attachments import attachments_of
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry, Notification
from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    ContractFactory,
    DemandFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)
from tests.files import PDF, upload
from tests.market import flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    flow.enter_calendar()
    university = OrganizationFactory(kind="university")
    enterprise = OrganizationFactory(kind="enterprise")
    return {
        "owner": UserFactory(organization=university),
        "asker": UserFactory(organization=enterprise),
        "stranger": UserFactory(),
        "achievement": AchievementFactory(
            organization=university, status="published", published_at=timezone.now()
        ),
    }


def send(cast, **extra):
    data = {
        "by": cast["asker"],
        "subject_type": "achievement",
        "subject_id": cast["achievement"].pk,
        "kind": "license",
        "message": "我们希望获得该技术的普通许可。",
        **extra,
    }
    return services.inquiry_send(**data)[0]


def test_an_inquiry_through_the_api_reaches_the_owner(cast, api):
    api.force_authenticate(cast["asker"])
    body = {
        "subject_type": "achievement",
        "subject": cast["achievement"].pk,
        "kind": "license",
        "message": "希望洽谈许可。",
        "broker_requested": True,
    }
    response = api.post("/api/v1/inquiries/", body, format="json")
    assert response.status_code == 201, response.json()
    got = response.json()
    assert got["status"] == "sent" and got["to_organization"] == cast["owner"].organization.name
    assert got["contacts"] is None and got["broker_requested"] is True
    assert Notification.objects.filter(user=cast["owner"], kind="inquiries.inquiry").exists()
    assert AuditEntry.objects.filter(action="inquiries.inquiry.sent").count() == 1
    # A second click opens the same inquiry.
    again = api.post("/api/v1/inquiries/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == got["id"]
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "steal"}, "kind"),
        ({"message": ""}, "message"),
        ({"subject": 999999}, "subject"),
        ({"subject_type": "case"}, "subject_type"),
    ],
)
def test_bad_input_is_a_400_with_its_field_and_saves_nothing(cast, api, change, field):
    api.force_authenticate(cast["asker"])
    body = {
        "subject_type": "achievement",
        "subject": cast["achievement"].pk,
        "kind": "license",
        "message": "希望洽谈。",
        **change,
    }
    response = api.post("/api/v1/inquiries/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Inquiry.objects.exists()


def test_who_may_not_send(cast):
    with pytest.raises(RuleBroken):  # its own item
        send(cast, by=cast["owner"])
    unverified = UserFactory(organization=OrganizationFactory(verified=False))
    with pytest.raises(NotPermitted):
        send(cast, by=unverified)
    reader = UserFactory(organization=cast["asker"].organization, role="reader")
    with pytest.raises(NotPermitted):
        send(cast, by=reader)
    draft = AchievementFactory(organization=cast["owner"].organization)
    with pytest.raises(RuleBroken):
        send(cast, subject_id=draft.pk)
    assert not Inquiry.objects.exists()


def test_read_reply_accept_and_contacts(cast, api):
    inquiry = send(cast)
    api.force_authenticate(cast["stranger"])
    assert api.get(f"/api/v1/inquiries/{inquiry.pk}/").status_code == 404
    assert api.get("/api/v1/inquiries/").json()["count"] == 0
    api.force_authenticate(cast["owner"])
    assert api.get(f"/api/v1/inquiries/{inquiry.pk}/").json()["status"] == "read"
    reply = api.post(
        f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": "可以，欢迎来访。"}, format="json"
    )
    assert reply.status_code == 201
    inquiry.refresh_from_db()
    assert inquiry.status == "replied" and inquiry.replied_at
    # Only the owner accepts; then both see each other's contacts.
    api.force_authenticate(cast["asker"])
    assert api.post(f"/api/v1/inquiries/{inquiry.pk}/accept/").status_code == 403
    api.force_authenticate(cast["owner"])
    accepted = api.post(f"/api/v1/inquiries/{inquiry.pk}/accept/").json()
    assert accepted["status"] == "negotiating"
    assert accepted["contacts"]["from"]["email"] == cast["asker"].email
    assert accepted["contacts"]["to"]["email"] == cast["owner"].email
    api.force_authenticate(cast["stranger"])
    assert (
        api.post(
            f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": "我也想聊"}, format="json"
        ).status_code
        == 404
    )


def test_unread_marks_follow_the_other_sides_messages(cast):
    inquiry = send(cast)
    owner_view = selectors.inquiries_of(cast["owner"])
    assert selectors.unread_for(cast["owner"], owner_view) == {inquiry.pk}
    assert selectors.unread_for(cast["asker"], selectors.inquiries_of(cast["asker"])) == set()
    services.inquiry_opened(inquiry=inquiry, by=cast["owner"])
    assert selectors.unread_for(cast["owner"], owner_view) == set()
    services.message_post(inquiry=inquiry, by=cast["owner"], text="收到")
    assert selectors.unread_for(cast["asker"], selectors.inquiries_of(cast["asker"])) == {
        inquiry.pk
    }


def test_a_deal_names_a_registered_contract_between_the_two(cast):
    inquiry = send(cast)
    services.message_post(inquiry=inquiry, by=cast["owner"], text="可以谈")
    others = ContractFactory()  # registered, but between other organisations
    with pytest.raises(RuleBroken) as refused:
        services.inquiry_close(
            inquiry=inquiry, by=cast["asker"], outcome="deal", contract=others.pk
        )
    assert "contract" in refused.value.message_dict
    unregistered = ContractFactory(
        buyer=cast["asker"].organization, seller=cast["owner"].organization, status="submitted"
    )
    with pytest.raises(RuleBroken):
        services.inquiry_close(
            inquiry=inquiry, by=cast["asker"], outcome="deal", contract=unregistered.pk
        )
    theirs = ContractFactory(buyer=cast["asker"].organization, seller=cast["owner"].organization)
    closed = services.inquiry_close(
        inquiry=inquiry, by=cast["asker"], outcome="deal", contract=theirs.pk
    )
    assert closed.status == "closed_deal" and closed.contract_id == theirs.pk
    with pytest.raises(TransitionNotAllowed):
        services.message_post(inquiry=closed, by=cast["owner"], text="还在吗")


def test_no_deal_needs_a_reason_and_then_a_new_inquiry_may_follow(cast):
    inquiry = send(cast)
    with pytest.raises(RuleBroken):
        services.inquiry_close(inquiry=inquiry, by=cast["owner"], outcome="no_deal")
    services.inquiry_close(inquiry=inquiry, by=cast["owner"], outcome="no_deal", reason="已转让")
    assert Inquiry.objects.get(pk=inquiry.pk).status == "closed_no_deal"
    assert send(cast).pk != inquiry.pk


def test_attachments_are_seen_by_the_sides_only(cast, client):
    inquiry = send(cast, files=[upload("需求说明.pdf", PDF)])
    attachment = attachments_of(inquiry).get()
    client.force_login(cast["owner"])
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200
    client.force_login(cast["stranger"])
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_a_refused_file_sends_nothing(cast):
    with pytest.raises(RuleBroken):
        send(cast, files=[upload("x.pdf", b"not a pdf at all")])
    assert not Inquiry.objects.exists()


def test_staff_see_inquiries_without_a_reply_after_five_working_days(cast):
    staff = StaffFactory()
    inquiry = send(cast)
    monday = datetime.date(2026, 12, 7)  # the enquiry below was sent on Monday 30 Nov
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 11, 30, 10))
    )
    assert list(selectors.unanswered(staff, today=monday)) == []  # its 5th working day is today
    assert list(selectors.unanswered(staff, today=monday + datetime.timedelta(days=1))) == [inquiry]
    assert (
        list(selectors.unanswered(cast["owner"], today=monday + datetime.timedelta(days=1))) == []
    )
    broker = BrokerFactory()
    assigned = services.broker_assign(inquiry=inquiry, by=staff, broker=broker)
    assert assigned.broker_id == broker.pk
    services.message_post(inquiry=inquiry, by=broker, text="我来协助双方沟通。")
    with pytest.raises(NotPermitted):
        services.broker_assign(inquiry=inquiry, by=cast["owner"], broker=broker)
    with pytest.raises(RuleBroken):
        services.broker_assign(inquiry=inquiry, by=staff, broker=cast["stranger"])


def test_an_inquiry_from_a_recommendation_is_the_contacted_feedback(cast):
    demand = DemandFactory(
        organization=cast["asker"].organization, status="published", published_at=timezone.now()
    )
    match = Match.objects.create(demand=demand, achievement=cast["achievement"], score=0.8)
    send(cast, match=match)
    feedback = MatchFeedback.objects.get(match=match)
    assert feedback.verdict == "contacted"
    assert feedback.organization_id == cast["asker"].organization_id


def test_monitoring_counts_inquiries_replies_and_deals(cast):
    from portal.site import stats

    inquiry = send(cast)
    services.message_post(inquiry=inquiry, by=cast["owner"], text="可以")
    contract = ContractFactory(buyer=cast["asker"].organization, seller=cast["owner"].organization)
    services.inquiry_close(inquiry=inquiry, by=cast["owner"], outcome="deal", contract=contract.pk)
    province = stats.compute(timezone.localdate().year)["province"]
    assert province["inquiries"]["value"] == 1
    assert province["inquiry_replies"]["value"] == 1
    assert province["inquiry_deals"]["value"] == 1


def test_the_pages(cast, client):
    client.force_login(cast["asker"])
    page = client.get(cast["achievement"].get_absolute_url()).content.decode()
    assert 'data-testid="inquire"' in page and "inquiries/new/" in page
    url = f"/inquiries/new/?subject=achievement&id={cast['achievement'].pk}"
    refused = client.post(url, {"kind": "purchase", "message": ""})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "is-invalid" in text and 'value="purchase" selected' in text
    assert not Inquiry.objects.exists()
    sent = client.post(url, {"kind": "purchase", "message": "想购买"})
    inquiry = Inquiry.objects.get()
    assert sent.status_code == 302 and sent["Location"] == inquiry.get_absolute_url()
    # The second click opens the existing inquiry.
    assert client.get(url)["Location"] == inquiry.get_absolute_url()
    client.force_login(cast["owner"])
    thread = client.get(inquiry.get_absolute_url()).content.decode()
    assert "想购买" in thread and cast["asker"].email not in thread  # no contacts yet
    client.post(inquiry.get_absolute_url(), {"text": "欢迎"})
    client.post(f"/inquiries/{inquiry.pk}/accept/")
    inquiry.refresh_from_db()
    assert inquiry.status == "negotiating"
    assert cast["asker"].email in client.get(inquiry.get_absolute_url()).content.decode()
    client.force_login(cast["stranger"])
    assert client.get(inquiry.get_absolute_url()).status_code == 404
    assert client.get("/inquiries/").status_code == 200
