"""Events in people's calendars (issue 19, point 7): the .ics download, the
home page's calendar and the e-mail reminder the day before."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.models import EventRegistration
from portal.core.models import Notification
from tests.events import flow

pytestmark = pytest.mark.django_db


def test_an_event_downloads_as_ics_with_its_times_in_utc(client):
    event, _person = flow.event("registration_open", title="联百校转千果, 襄阳; 专场")
    response = client.get(f"/events/{event.pk}/event.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:{event.code}@hbtm.portal" in body
    assert "SUMMARY:联百校转千果\\, 襄阳\\; 专场" in body
    start = event.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    planned, _p = flow.event("planned")
    assert client.get(f"/events/{planned.pk}/event.ics").status_code == 404  # not public yet


def test_the_home_page_shows_the_next_30_days_of_events(client):
    soon, _p = flow.event("registration_open", title="近期对接会")
    later, _q = flow.event(
        "registration_open",
        title="远期对接会",
        starts_at=timezone.now() + datetime.timedelta(days=45),
        ends_at=timezone.now() + datetime.timedelta(days=45, hours=3),
    )
    page = client.get("/").content.decode()
    assert 'data-testid="event-calendar"' in page
    assert soon.title in page and later.title not in page


def test_the_registered_get_one_reminder_the_day_before(django_capture_on_commit_callbacks):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    event, _person = flow.event(
        "registration_open",
        starts_at=tomorrow,
        ends_at=tomorrow + datetime.timedelta(hours=3),
    )
    _org, guest = flow.registered(event)
    other, _o = flow.event("registration_open")  # today: no reminder
    flow.registered(other)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
    assert services.reminders_send() == 0  # once
    note = Notification.objects.get(user=guest, kind="events.reminder")
    assert event.title in note.title
    assert EventRegistration.objects.get(user=guest).code in note.body
    assert any(event.title in m.subject for m in mail.outbox)
