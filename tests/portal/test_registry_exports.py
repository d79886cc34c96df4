"""Each registry's public list exports as a workbook with the same filter
as its page (issue 20, point 6)."""

import io

import pytest
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
