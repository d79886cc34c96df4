"""English complete where the portal writes the words (issue 16, point 9, in part):
monitoring's indicators, units, legends and its Excel headers."""

import io
import re

import pytest
from openpyxl import load_workbook

from portal.site.dashboards import LABELS

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_monitoring_speaks_english_and_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/monitoring/").content.decode()
    for label in LABELS.values():
        assert str(label) in page
        assert not CJK.search(str(label))
    sheet = load_workbook(io.BytesIO(client.get("/monitoring/export.xlsx").content)).active
    headers = [c.value for c in sheet[1]][:3]
    assert headers == ["Indicator", "Province", "Province's 2025 target"]
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = client.get("/monitoring/").content.decode()
    assert "技术合同交易额（亿元）" in chinese and "供需对接·对接申请（件）" in chinese
