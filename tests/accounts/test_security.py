"""Authentication: lockout, session lifetimes, session keys, disabled accounts,
password rules, and the audit of sign-ins and denied access."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.signals import SIGNED_IN_AT
from portal.core.models import AuditEntry
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WORKSPACE = reverse("workspace")


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in_as(client):
    user = client.get(WORKSPACE).wsgi_request.user
    return user.username if user.is_authenticated else None


# --- lockout ------------------------------------------------------------------


def test_five_failed_sign_ins_lock_the_username_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(4):
        assert sign_in(client, user.username, "wrong-password").status_code == 200
    # The fifth failure locks.
    assert sign_in(client, user.username, "wrong-password").status_code == 429
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    assert signed_in_as(client) is None


def test_four_failures_then_the_right_password_signs_in_and_clears_the_count(client):
    user = UserFactory()
    for _ in range(4):
        sign_in(client, user.username, "wrong-password")
    assert sign_in(client, user.username, PASSWORD).status_code == 302
    assert signed_in_as(client) == user.username
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_the_lockout_lives_in_postgresql_so_a_cache_flush_does_not_lift_it(client):
    user = UserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong-password")
    cache.clear()
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 5
    assert sign_in(client, user.username, PASSWORD).status_code == 429


def test_the_lockout_is_per_username_not_per_office_address(client):
    locked, colleague = UserFactory(), UserFactory()
    for _ in range(5):
        sign_in(client, locked.username, "wrong-password")
    # A colleague behind the same NAT address still signs in.
    assert sign_in(client, colleague.username, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, settings):
    user = UserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong-password")
    AccessAttempt.objects.filter(username=user.username).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert sign_in(client, user.username, PASSWORD).status_code == 302


# --- sessions -------------------------------------------------------------------


def test_signing_in_issues_a_new_session_key(client):
    user = UserFactory()
    client.get(LOGIN)
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    sign_in(client, user.username, PASSWORD)
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_each_request_pushes_the_idle_expiry_back_by_thirty_minutes(client):
    user = UserFactory()
    sign_in(client, user.username, PASSWORD)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    client.get(WORKSPACE)
    expires = Session.objects.get(session_key=key).expire_date
    assert timedelta(minutes=29) < expires - timezone.now() <= timedelta(minutes=30)


def test_a_session_idle_for_thirty_minutes_is_over(client):
    user = UserFactory()
    sign_in(client, user.username, PASSWORD)
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert signed_in_as(client) is None


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client):
    user = UserFactory()
    sign_in(client, user.username, PASSWORD)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 12 * 3600 + 60
    session.save()
    assert signed_in_as(client) == user.username  # 11 h 59 min: still in
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 12 * 3600 - 1
    session.save()
    assert signed_in_as(client) is None
    assert AuditEntry.objects.filter(action="auth.session_expired", actor=user).exists()


def test_a_disabled_staff_account_is_signed_out_at_its_next_request(client):
    staff = StaffFactory()
    sign_in(client, staff.username, PASSWORD)
    assert signed_in_as(client) == staff.username
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert signed_in_as(client) is None
    assert sign_in(client, staff.username, PASSWORD).status_code == 200


@pytest.mark.parametrize(
    "password",
    ["short1!", "1234567890123", "password123", "qwertyuiop"],
)
def test_weak_passwords_are_refused_at_sign_up(client, password):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.cn",
            "password1": password,
            "password2": password,
            "credit_code": "91420100MA4KXXXX0X",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not UserFactory._meta.model.objects.filter(username="newcomer").exists()


# --- audit ------------------------------------------------------------------------


def test_sign_ins_and_failures_are_audited_with_time_account_and_address(client):
    user = UserFactory()
    sign_in(client, user.username, "wrong-password", REMOTE_ADDR="203.0.113.7")
    sign_in(client, user.username, PASSWORD, REMOTE_ADDR="203.0.113.8")
    failed = AuditEntry.objects.get(action="auth.sign_in_failed")
    assert failed.data == {"username": user.username, "outcome": "failure"}
    assert failed.ip == "203.0.113.7"
    succeeded = AuditEntry.objects.get(action="auth.sign_in")
    assert (succeeded.actor, succeeded.ip) == (user, "203.0.113.8")
    assert succeeded.data["outcome"] == "success"
    assert timezone.now() - succeeded.at < timedelta(minutes=1)
    assert succeeded.at.utcoffset() == timedelta(0)  # stored and read in UTC


def test_a_lockout_is_audited(client):
    user = UserFactory()
    for _ in range(4):
        sign_in(client, user.username, "wrong-password")
    assert not AuditEntry.objects.filter(action="auth.locked_out").exists()
    sign_in(client, user.username, "wrong-password")
    entry = AuditEntry.objects.get(action="auth.locked_out")
    assert entry.data["username"] == user.username
    assert entry.ip == "127.0.0.1"


def test_denied_access_is_audited_with_account_path_and_address(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("contracts:program_create")
    assert client.get(url, REMOTE_ADDR="198.51.100.4").status_code == 403
    entry = AuditEntry.objects.get(action="access.denied")
    assert (entry.actor, entry.ip, entry.reason) == (user, "198.51.100.4", f"GET {url}")
    assert entry.data == {"status": 403, "outcome": "denied"}


def test_anonymous_denied_api_writes_are_audited(api):
    assert api.post("/api/v1/demands/", {}, format="json").status_code in (401, 403)
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor is None and entry.reason == "POST /api/v1/demands/"


def test_the_client_address_behind_trusted_proxies(client, settings):
    settings.PROXY_COUNT = 1
    user = UserFactory()
    sign_in(
        client,
        user.username,
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # forged first entry, proxy's last
    )
    assert AuditEntry.objects.get(action="auth.sign_in").ip == "203.0.113.9"


def test_audit_entries_cannot_be_changed_or_deleted_even_in_bulk():
    user = UserFactory()
    from portal.core.audit import audit_log

    entry = audit_log(action="probe", actor=user)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "probe"
