import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.core.models import Notification, Subscription
from portal.site.subscriptions import digests_send, subscription_create
from tests.factories import AchievementFactory, UserFactory

pytestmark = pytest.mark.django_db


def published(title, **kw):
    return AchievementFactory(title=title, status="published", published_at=timezone.now(), **kw)


def test_the_digest_contains_exactly_the_new_fitting_items(django_capture_on_commit_callbacks):
    user = UserFactory(email="sub@example.cn")
    published("石墨烯旧成果")  # before the search was saved: not new
    subscription_create(user=user, library="achievements", query="q=石墨烯&tech_field=energy")
    fits = published("石墨烯储能电极", tech_field="energy")
    published("石墨烯涂料", tech_field="materials")  # other field
    published("锂电池回收", tech_field="energy")  # other words
    AchievementFactory(title="石墨烯草稿", tech_field="energy")  # not published
    today = datetime.date(2026, 1, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(today=today) == 1
    note = Notification.objects.get(user=user)
    assert "石墨烯储能电极" in note.body
    assert "石墨烯涂料" not in note.body and "锂电池" not in note.body and "旧成果" not in note.body
    assert note.url == fits.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["sub@example.cn"]]
    # the same item never again; at most one digest a day
    published("石墨烯二号", tech_field="energy")
    assert digests_send(today=today) == 0
    assert digests_send(today=today + datetime.timedelta(days=1)) == 1
    second = Notification.objects.filter(user=user).order_by("-id").first()
    assert "石墨烯二号" in second.body and "石墨烯储能电极" not in second.body
    assert digests_send(today=today + datetime.timedelta(days=2)) == 0  # nothing new


def test_bad_searches_are_refused():
    user = UserFactory()
    with pytest.raises(ValidationError):
        subscription_create(user=user, library="weather", query="q=x")
    with pytest.raises(ValidationError):
        subscription_create(user=user, library="achievements", query="trl_min=abc")
    assert not Subscription.objects.exists()


def test_saving_a_search_from_the_list_page(client):
    client.force_login(UserFactory())
    client.post("/subscriptions/", {"library": "demands", "query": "q=废水&budget_min=100000"})
    subscription = Subscription.objects.get()
    assert (subscription.library, subscription.name) == ("demands", "废水")
    assert "废水" in client.get("/subscriptions/").content.decode()


def test_opening_a_notification_marks_it_read(client):
    user = UserFactory()
    row = Notification.objects.create(user=user, kind="x", title="t", url="/achievements/")
    client.force_login(user)
    response = client.get(f"/notifications/{row.pk}/")
    row.refresh_from_db()
    assert response["Location"] == "/achievements/" and row.read_at is not None
    evil = Notification.objects.create(user=user, kind="x", title="t", url="//evil.example")
    assert client.get(f"/notifications/{evil.pk}/")["Location"] == "/"
    assert client.get(f"/notifications/{row.pk}/").status_code == 302
    client.force_login(UserFactory())
    assert client.get(f"/notifications/{row.pk}/").status_code == 404


def test_one_search_box_over_every_library(client):
    published("钙钛矿光伏组件")
    html = client.get("/search/?q=钙钛矿").content.decode()
    for library in ("achievements", "demands", "scenarios", "experts", "cases"):
        assert f'data-testid="group-{library}"' in html
    assert "<mark>钙钛矿</mark>光伏组件" in html
