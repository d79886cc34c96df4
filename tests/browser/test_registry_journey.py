"""The broker registry and public credit in Chromium (issue 20): a person
enters the registry, a training base records the hours and the exam and
issues the certificate, staff register the broker, an agency signs them and
the public registry shows them; a real-name complaint upheld twice puts an
agency on the black list of its public credit page."""

import datetime
import tempfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from brokers.models import Broker
from credit import services as credit
from tests.brokers import flow
from tests.browser.conftest import Shots, sign_in, sign_out
from tests.factories import PASSWORD, OrganizationFactory, StaffFactory, UserFactory, member_of
from tests.files import PDF, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_brokers_certification(page):
    UserFactory(username="trainee")
    base = OrganizationFactory(kind="university", name="某大学技术转移学院")
    member_of(base, username="base_officer")
    agency = OrganizationFactory(kind="agency", name="某技术转移中心")
    member_of(agency, username="agency_boss")
    StaffFactory(username="registry_staff")
    course = flow.course(base, base.memberships.first().user)
    shot = Shots(page, "broker")

    sign_in(page, "trainee", PASSWORD)
    page.goto(f"{page.base}/brokers/")
    page.click("[data-testid=apply-link]")
    page.fill("#id_real_name", "刘洋")
    page.fill("#id_id_number", "4206021988")
    page.click("[data-testid=apply] button[type=submit]")
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.fill("#id_id_number", "42060219880512003X")
    page.click("[data-testid=apply] button[type=submit]")
    expect(page.locator("[data-testid=id-masked]")).to_have_text("4206**********003X")
    page.goto(f"{page.base}/brokers/courses/{course.pk}/")
    page.click("[data-action=enrol]")
    page.wait_for_selector("text=您已报名")
    sign_out(page)

    sign_in(page, "base_officer", PASSWORD)
    page.goto(f"{page.base}/brokers/courses/{course.pk}/")
    row = page.locator("[data-testid=enrollment]")
    row.locator("input[name=hours]").fill(str(course.total_hours))
    row.locator("[data-action=hours]").click()
    page.wait_for_selector("text=已记录")
    row = page.locator("[data-testid=enrollment]")
    row.locator("input[name=exam_on]").fill(timezone.localdate().isoformat())
    row.locator("input[name=score]").fill("82")
    row.locator("[data-action=exam]").click()
    page.click("[data-action=certificate]")
    page.wait_for_selector("text=证书已发放")
    shot("certificate")
    sign_out(page)

    broker = Broker.objects.get(user__username="trainee")
    sign_in(page, "registry_staff", PASSWORD)
    page.goto(f"{page.base}{broker.get_absolute_url()}")
    page.click("[data-action=register]")
    expect(page.locator("[data-testid=status]")).to_have_text("已登记")
    sign_out(page)

    sign_in(page, "agency_boss", PASSWORD)
    page.goto(f"{page.base}{broker.get_absolute_url()}")
    page.select_option("[data-testid=affiliation] #id_kind", "full_time")
    page.fill("[data-testid=affiliation] #id_starts_on", timezone.localdate().isoformat())
    page.click("[data-testid=affiliation] button[type=submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("执业中")
    sign_out(page)

    page.goto(f"{page.base}/brokers/")
    row = page.locator("[data-testid=broker]", has_text="刘洋")
    expect(row).to_contain_text("HB-JJR-C-")
    expect(row).to_contain_text("某技术转移中心")
    assert "003X" not in page.content()
    shot("registry")


def test_complaints_put_an_agency_on_its_credit_pages_black_list(page):
    agency = OrganizationFactory(kind="agency", name="某失信服务机构")
    member_of(OrganizationFactory(kind="enterprise"), username="complainant")
    StaffFactory(username="credit_staff")
    shot = Shots(page, "credit")
    staff = StaffFactory()
    earlier = credit.complaint_submit(
        by=member_of(OrganizationFactory()),
        organization=agency,
        real_name="王五",
        contact="139",
        facts="收费后未服务",
        evidence=upload("a.pdf", PDF),
    )
    credit.complaint_investigate(complaint=earlier, by=staff)
    credit.complaint_decide(complaint=earlier, by=staff, upheld=True, reply="第一起查证属实")

    sign_in(page, "complainant", PASSWORD)
    page.goto(f"{page.base}/credit/organizations/{agency.pk}/")
    page.click("text=实名投诉")
    page.fill("#id_real_name", "张三")
    page.fill("#id_contact", "13800000000")
    page.fill("#id_facts", "合同约定的技术服务未履行。")
    page.click("[data-testid=complaint] button[type=submit]")
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # the evidence is required
    assert page.input_value("#id_facts") == "合同约定的技术服务未履行。"
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as evidence:
        evidence.write(PDF)
    page.set_input_files("#id_evidence", evidence.name)
    page.click("[data-testid=complaint] button[type=submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("已受理")
    sign_out(page)

    sign_in(page, "credit_staff", PASSWORD)
    page.goto(f"{page.base}/review/")
    # The queue's link leaves the boosted queue for the complaint's own page.
    page.locator("[data-testid=queue-row]", has_text="某失信服务机构").locator("a").click()
    page.click("[data-action=investigate]")
    page.fill("input[name=reply]", "第二起查证属实")
    page.click("[data-action=uphold]")
    expect(page.locator("[data-testid=status]")).to_have_text("查证属实")
    sign_out(page)

    page.goto(f"{page.base}/credit/organizations/{agency.pk}/")
    expect(page.locator("[data-testid=credit-status]")).to_contain_text("黑名单")
    expect(page.locator("[data-testid=upheld-count]")).to_have_text("2")
    assert "张三" not in page.content()
    shot("black-list")


def test_an_agencys_evaluation_through_to_its_public_credit_page(page):
    from agencies.models import EvaluationRound
    from publicity.models import Publicity
    from tests.agencies.flow import filed

    agency, _member = filed(name="某示范技术转移中心")
    StaffFactory(username="province_staff")
    shot = Shots(page, "agency")
    year = timezone.localdate().year - 1
    sign_in(page, "province_staff", PASSWORD)
    page.goto(f"{page.base}/agencies/")
    page.fill("[data-testid=rounds] input[name=year]", str(year))
    page.fill("[data-testid=rounds] input[name=evaluator]", "某第三方评估公司")
    page.click("[data-action=round-open]")
    expect(page.locator("[data-testid=status]")).to_have_text("评分中")
    row = page.locator("[data-testid=agency-row]", has_text="某示范技术转移中心")
    for name, score in (("basic", 80), ("performance", 70), ("capability", 70), ("management", 60)):
        row.locator(f"input[name={name}]").fill(str(score))
    row.locator("[data-action=score]").click()
    expect(page.locator(".alert").first).to_contain_text("0 至 100")  # one indicator missing
    row = page.locator("[data-testid=agency-row]", has_text="某示范技术转移中心")
    for name, score in (
        ("basic", 80),
        ("performance", 70),
        ("capability", 70),
        ("management", 60),
        ("reputation", 90),
    ):
        row.locator(f"input[name={name}]").fill(str(score))
    row.locator("[data-action=score]").click()
    expect(row).to_contain_text("合格")
    page.click("[data-action=publish]")
    expect(page.locator("[data-testid=status]")).to_have_text("结果公示中")
    Publicity.objects.filter(kind=Publicity.Kind.EVALUATION).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    page.reload()
    page.click("[data-action=finalize]")
    expect(page.locator("[data-testid=status]")).to_have_text("已确定")
    assert EvaluationRound.objects.get().status == EvaluationRound.Status.FINAL
    sign_out(page)
    page.goto(f"{page.base}{agency.get_absolute_url()}")
    expect(page.locator("[data-testid=grades]")).to_contain_text(f"{year} · 71.00 · 合格")
    expect(page.locator("[data-testid=credit-status]")).to_contain_text("未列入")
    shot("credit-page")
