"""搜索联想 in Chromium (issue 18, point 4): typing in the home page's search box
offers the titles and keywords that start with what was typed."""

import pytest
from playwright.sync_api import expect

from portal.library.suggest import terms_rebuild
from tests.browser.conftest import Shots
from tests.factories import AchievementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_offers_suggestions(page):
    for n in range(2):
        AchievementFactory(status="published", title=f"石墨烯散热膜{n}", keywords=["石墨烯"])
    AchievementFactory(status="published", title="钢渣微粉", keywords=["钢渣"])
    terms_rebuild()
    page.goto(f"{page.base}/")
    page.fill("#home-q", "石墨")
    options = page.locator("datalist#suggest-0 option")
    expect(options.first).to_have_attribute("value", "石墨烯")
    values = options.evaluate_all("os => os.map(o => o.value)")
    assert "钢渣" not in values and all(v.startswith("石墨") for v in values)
    Shots(page, "suggestions")("typed")
