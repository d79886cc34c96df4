"""Each registry's public list exports as a workbook with the same filter
as its page (issue 20, point 6)."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar(db):
    from tests.market import flow as market_flow

    market_flow.enter_calendar()


def rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_every_registry_exports_what_its_page_lists(client):
    from tests.agencies.flow import filed
    from tests.brokers import flow as brokers
    from tests.conversions import flow as conversions
    from tests.platforms import flow as platforms

    broker, _agency, _boss = brokers.practising()
    brokers.applicant()  # not listed
    filed(name="导出测试机构")
    platform, _h, _s = platforms.platform("recognized")
    platforms.platform("draft", name="未认定平台")
    project, _a, _t = conversions.project("recognized")

    listed = rows(client.get("/brokers/export.xlsx"))
    assert len(listed) == 2 and listed[1][2] == broker.certificates.get().number
    assert rows(client.get("/brokers/export.xlsx", {"level": "senior"}))[1:] == []
    assert rows(client.get("/agencies/export.xlsx"))[1][0] == "导出测试机构"
    names = [r[1] for r in rows(client.get("/platforms/export.xlsx"))[1:]]
    assert names == [platform.name]
    assert rows(client.get("/conversion-projects/export.xlsx"))[1][0] == project.code


def test_what_waits_in_each_registry_reaches_the_staff_queue(client):
    from agencies import services as agencies
    from brokers import services as brokers_services
    from tests.brokers import flow as brokers
    from tests.conversions import flow as conversions
    from tests.factories import OrganizationFactory, StaffFactory, member_of
    from tests.platforms import flow as platforms

    certified = brokers.certified()
    org = OrganizationFactory(kind="agency", name="待备案机构", region_code="420111")
    agencies.agency_file(
        by=member_of(org),
        data={
            "kind": "independent",
            "founded_on": timezone.localdate(),
            "premises": "武汉",
            "fulltime_staff": 1,
        },
    )
    _platform, _h, _s = platforms.platform("submitted", name="待推荐中试基地")
    _project, _a, _t = conversions.project("formal_review", name="待审查转化项目")
    client.force_login(StaffFactory())
    page = client.get("/review/").content.decode()
    for shown in (certified.real_name, "待备案机构", "待推荐中试基地", "待审查转化项目"):
        assert shown in page
    brokers_services.broker_register(broker=certified, by=StaffFactory())
    assert certified.real_name not in client.get("/review/").content.decode()  # registered: done
