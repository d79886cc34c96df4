"""The smaller findings of issue 13 (6, 9 and 10), each with its test."""

import io
import json

import pytest
from django.core import mail
from openpyxl import load_workbook

from accounts.models import Market, Organization
from contracts import services as contract_services
from contracts.models import RewardDistribution
from portal.core.notifications import notify
from portal.library.search import highlight
from tests.factories import (
    PASSWORD,
    AchievementFactory,
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    credit_code,
    member_of,
)

pytestmark = pytest.mark.django_db


def register(api, name, n=500, kind="enterprise"):
    return api.post(
        "/api/v1/auth/register/",
        {
            "username": f"user{n}",
            "password": PASSWORD,
            "email": f"user{n}@example.cn",
            "organization": {
                "name": name,
                "kind": kind,
                "credit_code": credit_code(n),
                "region_code": "420111",
            },
        },
        format="json",
    )


@pytest.mark.parametrize(
    "look_alike",
    [
        "华中科技大学",  # an exact copy
        "华中科技\u200b大学",  # a zero-width space
        "\u202e华中科技大学",  # a right-to-left override
        "华中科技大学 ",  # a trailing space
        "华中科技大学（武汉）".replace("（", "(").replace("）", ")"),
    ],
)
def test_look_alike_names_of_registered_organisations_are_refused(api, look_alike):
    OrganizationFactory(name="华中科技大学", kind="university")
    OrganizationFactory(name="华中科技大学(武汉)", kind="university")
    response = register(api, look_alike)
    assert response.status_code == 400
    assert "name" in response.json()["organization"]
    assert Organization.objects.count() == 2


def test_latin_look_alikes_are_folded_to_the_same_name(api):
    OrganizationFactory(name="Hubei Optics Co")
    cyrillic = "Hubei Оptics Cо"  # two Cyrillic О/о
    greek = "Ηubei Optics Co"  # a Greek eta
    assert register(api, cyrillic, n=501).status_code == 400
    assert register(api, greek, n=502).status_code == 400
    assert register(api, "Hubei Optics Company", n=503).status_code == 201


def test_a_new_name_is_stored_normalised(api):
    response = register(api, "武汉\u200b新　材料（示范）", n=504)
    assert response.status_code == 201
    assert Organization.objects.get(credit_code=credit_code(504)).name == "武汉新 材料(示范)"


def test_registration_never_names_an_unverified_organisation(api, client):
    org = OrganizationFactory(name="尚未核验的机构", verified=False)
    response = api.post(
        "/api/v1/auth/register/",
        {
            "username": "curious",
            "password": PASSWORD,
            "email": "c@example.cn",
            "organization": {"credit_code": org.credit_code},
        },
        format="json",
    )
    assert response.status_code == 201 and "尚未核验的机构" not in response.content.decode()
    assert response.json()["organization"]["name"] == ""
    page = client.post(
        "/accounts/signup/",
        {
            "username": "curious2",
            "email": "c2@example.cn",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "credit_code": org.credit_code,
        },
        follow=True,
    )
    assert "尚未核验的机构" not in page.content.decode()
    me = client.get("/api/v1/me/").json()
    assert me["membership"]["status"] == "pending" and me["membership"]["organization_name"] == ""


def test_reward_shares_are_the_sellers_and_staffs_only(api):
    seller = OrganizationFactory(kind="university")
    contract = ContractFactory(seller=seller)
    RewardDistribution.objects.create(
        contract=contract,
        net_income="100.00",
        team_ratio="0.80",
        shares=[{"name": "张三", "ratio": "1"}],
    )
    url = f"/api/v1/contracts/{contract.pk}/reward/"
    for outsider in (member_of(contract.buyer),):
        api.force_authenticate(outsider)
        assert api.get(f"/api/v1/contracts/{contract.pk}/").status_code == 200
        assert api.get(url).status_code == 404
    for insider in (member_of(seller, role="reader"), StaffFactory()):
        api.force_authenticate(insider)
        assert api.get(url).json()["shares"][0]["name"] == "张三"


def test_the_contract_page_hides_the_shares_from_the_buyer(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contract = ContractFactory()
    RewardDistribution.objects.create(
        contract=contract,
        net_income="100.00",
        team_ratio="0.80",
        shares=[{"name": "张三隐私", "ratio": "1"}],
    )
    client.force_login(member_of(contract.buyer))
    assert "张三隐私" not in client.get(f"/contracts/{contract.pk}/").content.decode()
    client.force_login(member_of(contract.seller))
    assert "张三隐私" in client.get(f"/contracts/{contract.pk}/").content.decode()


@pytest.mark.parametrize(
    ("text", "q", "html"),
    [
        ("A&B 电机", "amp", "A&amp;B 电机"),
        ("<b>电机</b>", "lt", "&lt;b&gt;电机&lt;/b&gt;"),
        ("A&B 电机", "电机", "A&amp;B <mark>电机</mark>"),
        ('引号"电机"', "quot", "引号&quot;电机&quot;"),
    ],
)
def test_highlighting_never_garbles_an_entity(text, q, html):
    assert str(highlight(text, q)) == html


def test_verifying_a_verified_payment_is_a_409(api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    payment = PaymentFactory()
    api.force_authenticate(StaffFactory())
    assert api.post(f"/api/v1/payments/{payment.pk}/verify/").status_code == 409


def test_another_organisations_draft_is_indistinguishable_from_a_missing_id(api):
    university = OrganizationFactory(kind="university")
    draft = AchievementFactory(organization=university, status="draft")
    buyer = OrganizationFactory(kind="enterprise")
    api.force_authenticate(member_of(buyer))
    base = {
        "title": "合同",
        "contract_type": "license",
        "buyer": buyer.pk,
        "seller": university.pk,
        "signed_on": "2025-03-01",
        "valid_from": "2025-03-01",
        "valid_to": "2026-03-01",
        "amount": "100.00",
        "tech_transaction_amount": "100.00",
        "payment_method": "lump_sum",
        "tech_field": "materials",
    }

    def answer(**ref):
        response = api.post("/api/v1/contracts/", {**base, **ref}, format="json")
        body = json.dumps(response.json(), ensure_ascii=False)
        return response.status_code, body.replace(str(next(iter(ref.values()))), "ID")

    assert answer(achievement=draft.pk) == answer(achievement=999999)
    assert answer(seller=OrganizationFactory(verified=False).pk) == answer(seller=999998)


def test_a_title_with_a_newline_is_refused_and_mail_subjects_are_one_line(api, settings):
    org = OrganizationFactory(kind="university")
    api.force_authenticate(member_of(org))
    response = api.post(
        "/api/v1/achievements/",
        {
            "title": "第一行\n第二行",
            "summary": "简介",
            "tech_field": "energy",
            "trl": 5,
            "transfer_modes": ["transfer"],
        },
        format="json",
    )
    assert response.status_code == 400 and "title" in response.json()
    # Whatever reaches a notification, its e-mail goes out with a one-line subject.
    user = member_of(org)
    notify(users=[user], kind="test", title="通知\r\n第二行" + "字" * 300)
    assert len(mail.outbox) == 0  # sent on commit, by the task
    from portal.core.models import Notification
    from portal.core.tasks import notification_email

    row = Notification.objects.get(user=user)
    assert "\n" not in row.title and len(row.title) <= 200
    assert notification_email(row.pk) is True
    assert "\n" not in mail.outbox[0].subject


def test_formula_cells_are_written_as_text_in_every_export(client, settings):
    AchievementFactory(title='=HYPERLINK("http://x","点击")', status="published")
    response = client.get("/achievements/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_finance_export_is_filtered_like_the_list(client, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    names = {}
    for region, market in (("420111", "wuhan"), ("420602", "xiangyang")):
        org = OrganizationFactory(kind="enterprise", region_code=region, name=f"@{market}公司")
        member = member_of(org)
        PaymentFactory(contract=ContractFactory(buyer=org), amount="100000.00")
        application = contract_services.subsidy_apply(by=member, program=program)
        contract_services.subsidy_submit(application=application, by=member)
        contract_services.subsidy_city_review(application=application, by=StaffFactory())
        contract_services.subsidy_approve(application=application, by=StaffFactory())
        names[market] = org.name
    city = StaffFactory(staff_market=Market.objects.get(code="xiangyang"))
    client.force_login(city)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/contracts/programs/{program.pk}/export.xlsx").content)
    ).active
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert names["xiangyang"] in values and names["wuhan"] not in values
    name_cell = next(
        c for row in sheet.iter_rows(min_row=2) for c in row if c.value == names["xiangyang"]
    )
    assert name_cell.quotePrefix  # "@…" would be a formula
