"""Working days and the market's rules as data (issue 15, points 1 and 2)."""

import datetime
from decimal import Decimal

import pytest

from market.models import Listing, MarketRules
from portal.core.models import AuditEntry, CalendarDay
from portal.core.workdays import MissingCalendar, add_workdays
from publicity.periods import period_end
from tests.factories import StaffFactory, UserFactory
from tests.market import flow

pytestmark = pytest.mark.django_db
D = datetime.date


def national_day_2026():
    """Holidays Thursday 1 to Thursday 8 October; Saturday 10 October worked (调休)."""
    for day in (1, 2, 5, 6, 7, 8):
        CalendarDay.objects.create(date=D(2026, 10, day), is_workday=False, note="国庆节")
    CalendarDay.objects.create(date=D(2026, 10, 10), is_workday=True, note="国庆调休上班")


def test_a_week_without_entries_is_monday_to_friday():
    assert add_workdays(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday → Monday
    assert add_workdays(D(2026, 11, 30), 5) == D(2026, 12, 7)
    assert add_workdays(D(2026, 11, 30), 0) == D(2026, 11, 30)


def test_a_notice_across_a_holiday_week_ends_after_it():
    start = D(2026, 9, 29)  # Tuesday
    assert period_end(start, 5, "working_day") == D(2026, 10, 6)  # weekdays alone
    national_day_2026()
    # 30 Sep (1), holidays, 9 Oct (2), Saturday 10 Oct worked (3), 12 Oct (4), 13 Oct (5)
    assert period_end(start, 5, "working_day") == D(2026, 10, 13)


def test_a_period_into_a_year_nobody_entered_is_refused():
    CalendarDay.objects.filter(date__year=2031).delete()
    with pytest.raises(MissingCalendar):
        period_end(D(2030, 12, 20), 20, "working_day")


def test_a_notice_lasts_its_working_days_and_at_least_its_calendar_days():
    monday = D(2026, 11, 2)
    assert period_end(monday, 10, "working_day") == D(2026, 11, 16)  # 14 days
    assert period_end(monday, 10, "working_day", min_calendar_days=15) == D(2026, 11, 17)
    assert period_end(monday, 7, "calendar_day") == D(2026, 11, 9)


def test_the_rules_are_public_and_central_staff_change_them_audited(api):
    assert api.get("/api/v1/market-rules/").json()["listing_notice_workdays"] == 20
    assert api.get("/api/v1/market-rules/").json()["deposit_rate"] == "0.1000"
    api.force_authenticate(StaffFactory(staff_market=flow.market("xiangyang")))
    assert api.put("/api/v1/market-rules/", {"snipe_window_seconds": 60}).status_code == 403
    api.force_authenticate(StaffFactory())  # central (Wuhan)
    response = api.put("/api/v1/market-rules/", {"snipe_window_seconds": 60}, format="json")
    assert response.status_code == 200, response.json()
    assert MarketRules.current().snipe_window_seconds == 60
    entry = AuditEntry.objects.get(action="market.rules.updated")
    assert entry.data["changed"] == {"snipe_window_seconds": ["300", "60"]}


@pytest.mark.parametrize(
    "body",
    [
        {"deposit_rate_min": "0.20", "deposit_rate": "0.10"},
        {"deposit_rate": "1.5"},
        {"listing_notice_workdays": -1},
        {"relist_floor_ratio": "NaN"},
    ],
)
def test_bad_rules_are_refused_and_change_nothing(api, body):
    api.force_authenticate(StaffFactory())
    before = MarketRules.current().snapshot()
    response = api.put("/api/v1/market-rules/", body, format="json")
    assert response.status_code == 400
    assert MarketRules.current().snapshot() == before
    assert not AuditEntry.objects.filter(action="market.rules.updated").exists()


def test_a_change_applies_to_listings_approved_after_it(people):
    flow.enter_calendar()
    before = flow.announced_listing(people)
    rules = MarketRules.current()
    rules.listing_notice_workdays = 30
    rules.save()
    other = flow.cast()
    after = flow.announced_listing(other)
    assert before.applied_rules.listing_notice_workdays == 20
    assert after.applied_rules.listing_notice_workdays == 30
    assert Listing.objects.get(pk=before.pk).notice_ends_on < after.notice_ends_on


def test_central_staff_keep_the_calendar(api):
    api.force_authenticate(UserFactory())
    body = {"date": "2027-02-10", "is_workday": False, "note": "春节"}
    assert api.post("/api/v1/calendar/", body, format="json").status_code == 403
    api.force_authenticate(StaffFactory())
    assert api.post("/api/v1/calendar/", body, format="json").status_code == 201
    days = api.get("/api/v1/calendar/?year=2027").json()
    assert {"date": "2027-02-10", "is_workday": False, "note": "春节"} in days
    assert AuditEntry.objects.filter(action="portal.calendar.set").count() == 1
    assert (
        api.post("/api/v1/calendar/", {"date": "0001-01-01", "is_workday": True}).status_code == 400
    )
    assert api.get("/api/v1/calendar/?year=abc").status_code == 400


def test_rule_amounts_are_decimal():
    assert isinstance(MarketRules.current().deposit_rate, Decimal)
