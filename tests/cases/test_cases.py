import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import Case
from contracts.cases import case_from_contract
from portal.core.errors import NotPermitted, TransitionNotAllowed
from tests.factories import (
    AchievementFactory,
    ContractFactory,
    DemandFactory,
    StaffFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def test_a_case_is_prefilled_from_a_registered_contract():
    achievement = AchievementFactory(
        status="transferred", title="磷石膏建材技术", summary="磷石膏制高强石膏"
    )
    contract = ContractFactory(
        seller=achievement.organization,
        achievement=achievement,
        demand=DemandFactory(description="我公司磷石膏堆存量大"),
        amount="8000000.00",
        tech_transaction_amount="7500000.00",
    )
    case = case_from_contract(contract)
    assert case.title == "磷石膏建材技术" and case.contract_amount == contract.amount
    assert contract.registration_number in case.body and "磷石膏堆存量大" in case.body
    assert case.region_code == contract.buyer.region_code
    saved = services.case_save(case=case, by=StaffFactory())
    assert saved.status == "draft"
    with pytest.raises(TransitionNotAllowed):
        case_from_contract(ContractFactory(status="submitted", registration_number=None))


def test_only_staff_write_and_drafts_are_hidden(client, api):
    case = services.case_save(
        case=Case(
            title="案例", summary="s", body="b", tech_field="materials", region_code="420111"
        ),
        by=StaffFactory(),
    )
    with pytest.raises(NotPermitted):
        services.case_save(case=case, by=member_of(AchievementFactory().organization))
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert api.get("/api/v1/cases/").json()["count"] == 0
    services.case_publish(case=case, by=StaffFactory())
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert api.get("/api/v1/cases/?q=案例").json()["results"][0]["status"] == "published"


def test_bad_case_input_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.case_save(
            case=Case(
                title="x",
                summary="s",
                body="b",
                tech_field="materials",
                region_code="429999",
                jobs=-1,
            ),
            by=StaffFactory(),
        )
    assert "region_code" in exc.value.message_dict
    assert not Case.objects.exists()


def test_staff_write_a_case_from_the_contract_page(client):
    contract = ContractFactory()
    client.force_login(StaffFactory())
    page = client.get(f"/contracts/{contract.pk}/case/").content.decode()
    assert contract.registration_number in page
    response = client.post(
        f"/contracts/{contract.pk}/case/",
        {
            "title": "成果转化案例",
            "summary": "简介",
            "body": "故事",
            "tech_field": "materials",
            "region_code": "420111",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.contract == contract
