"""Subsidy applications carry documents and come back (issue 16, point 2)."""

from decimal import Decimal

import pytest

from contracts import services
from contracts.models import SubsidyApplication, SubsidyLine
from portal.core.attachments import attachments_of
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry
from tests.factories import (
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    member_of,
)
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    buyer = OrganizationFactory(kind="enterprise", region_code="420111")
    member = member_of(buyer)
    contract = ContractFactory(buyer=buyer)
    PaymentFactory(contract=contract, amount="300000.00")
    return {"member": member, "program": ProgramFactory(), "city": StaffFactory()}


def submitted(enterprise) -> SubsidyApplication:
    application = services.subsidy_apply(by=enterprise["member"], program=enterprise["program"])
    services.subsidy_attach(
        application=application, by=enterprise["member"], files=[upload("发票.pdf", PDF)]
    )
    return services.subsidy_submit(application=application, by=enterprise["member"])


def test_a_returned_application_is_changed_and_resubmitted_round_by_round(enterprise):
    application = submitted(enterprise)
    assert SubsidyLine.objects.filter(application=application, live=True).exists()
    with pytest.raises(RuleBroken):
        services.subsidy_send_back(application=application, by=enterprise["city"], reason="")
    returned = services.subsidy_send_back(
        application=application, by=enterprise["city"], reason="请补充付款银行回单"
    )
    assert returned.status == "returned" and returned.return_reason == "请补充付款银行回单"
    # Its claims are released while it is back with the enterprise.
    assert not SubsidyLine.objects.filter(application=application, live=True).exists()
    services.subsidy_attach(
        application=returned, by=enterprise["member"], files=[upload("回单.pdf", PDF)]
    )
    again = services.subsidy_submit(application=returned, by=enterprise["member"])
    assert again.status == "submitted" and again.round == 2
    assert again.computed_amount == Decimal("30000.00")
    assert attachments_of(again).count() == 2
    # The history shows each round.
    moves = list(
        AuditEntry.objects.filter(
            object_id=str(application.pk), to_status__in=["submitted", "returned"]
        )
        .order_by("id")
        .values_list("to_status", flat=True)
    )
    assert moves == ["submitted", "returned", "submitted"]


def test_documents_only_while_the_enterprise_may_change_it(enterprise):
    application = submitted(enterprise)
    with pytest.raises(TransitionNotAllowed):
        services.subsidy_attach(
            application=application, by=enterprise["member"], files=[upload("x.pdf", PDF)]
        )
    stranger = member_of(OrganizationFactory(kind="enterprise"))
    with pytest.raises(NotPermitted):
        services.subsidy_attach(application=application, by=stranger, files=[upload("x.pdf", PDF)])
    with pytest.raises(NotPermitted):
        services.subsidy_send_back(application=application, by=stranger, reason="x")


def test_a_refused_file_adds_nothing(enterprise):
    application = services.subsidy_apply(by=enterprise["member"], program=enterprise["program"])
    with pytest.raises(RuleBroken):
        services.subsidy_attach(
            application=application,
            by=enterprise["member"],
            files=[upload("ok.pdf", PDF), upload("bad.pdf", b"MZ not a pdf")],
        )
    assert not attachments_of(application).exists()


def test_a_second_start_opens_the_draft_and_a_draft_can_be_deleted(enterprise, client):
    first = services.subsidy_apply(by=enterprise["member"], program=enterprise["program"])
    assert services.subsidy_apply(by=enterprise["member"], program=enterprise["program"]) == first
    client.force_login(enterprise["member"])
    url = f"/contracts/programs/{enterprise['program'].pk}/apply/"
    assert client.post(url)["Location"] == first.get_absolute_url()
    assert SubsidyApplication.objects.count() == 1
    services.subsidy_attach(
        application=first, by=enterprise["member"], files=[upload("发票.pdf", PDF)]
    )
    client.post(f"/contracts/subsidies/{first.pk}/delete/")
    assert not SubsidyApplication.objects.exists()
    assert AuditEntry.objects.filter(action="contracts.subsidyapplication.deleted").exists()


def test_a_submitted_application_is_never_deleted(enterprise):
    application = submitted(enterprise)
    with pytest.raises(TransitionNotAllowed):
        services.subsidy_delete(application=application, by=enterprise["member"])


def test_start_is_not_offered_when_nothing_can_be_claimed(client):
    buyer = OrganizationFactory(kind="enterprise", region_code="420111")
    member = member_of(buyer)
    program = ProgramFactory()
    client.force_login(member)
    page = client.get(f"/contracts/programs/{program.pk}/").content.decode()
    assert 'data-action="apply"' not in page and "nothing-to-claim" in page


def test_the_api_returns_and_reopens(enterprise, api):
    application = submitted(enterprise)
    api.force_authenticate(enterprise["city"])
    answer = api.post(
        f"/api/v1/subsidies/{application.pk}/send_back/", {"reason": "请补充材料"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "returned"
    api.force_authenticate(enterprise["member"])
    reopened = api.post("/api/v1/subsidies/", {"program": enterprise["program"].pk}, format="json")
    assert reopened.status_code == 200 and reopened.json()["id"] == application.pk


def test_the_documents_are_read_by_whoever_reads_the_application(enterprise, client):
    application = submitted(enterprise)
    document = attachments_of(application).get()
    client.force_login(enterprise["city"])
    assert client.get(f"/attachments/{document.pk}/").status_code == 200
    client.force_login(member_of(OrganizationFactory(kind="enterprise")))
    assert client.get(f"/attachments/{document.pk}/").status_code == 404


def test_the_city_reviewer_is_not_offered_the_approval(enterprise, client):
    application = submitted(enterprise)
    services.subsidy_city_review(application=application, by=enterprise["city"])
    client.force_login(enterprise["city"])  # central staff who did the first review
    page = client.get(f"/contracts/subsidies/{application.pk}/").content.decode()
    assert 'data-action="approve"' not in page
    client.force_login(StaffFactory())
    assert (
        'data-action="approve"'
        in client.get(f"/contracts/subsidies/{application.pk}/").content.decode()
    )
