"""Optional two-step sign-in with an authenticator app (TOTP)."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.models import AuditEntry
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:two_factor")
LOGIN = reverse("accounts:login")


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code, now or a step later (a code is accepted once: no replay)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wait_out_the_throttle(user) -> None:
    """As if the seconds django-otp imposes after a wrong code had passed."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=10)
    )


def enable(client, staff) -> TOTPDevice:
    client.force_login(staff)
    page = client.get(SETTINGS)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(SETTINGS, {"token": code(device)})
    assert response.status_code == 302
    client.logout()
    return TOTPDevice.objects.get(user=staff, confirmed=True)


def test_turning_it_on_needs_a_right_code(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.get(SETTINGS)
    response = client.post(SETTINGS, {"token": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    # Right after a wrong code even the right one is refused for a moment.
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post(SETTINGS, {"token": code(device)}).status_code == 200
    wait_out_the_throttle(staff)
    enable(client, staff)
    assert AuditEntry.objects.filter(action="auth.totp_enabled", actor=staff).exists()


def test_with_it_on_the_password_alone_does_not_sign_in(client):
    staff = StaffFactory()
    enable(client, staff)
    response = client.post(LOGIN, {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "两步登录" in str(response.context["form"].non_field_errors())
    assert not client.get(reverse("workspace")).wsgi_request.user.is_authenticated


def test_wrong_codes_count_as_failed_sign_ins_and_lock(client):
    staff = StaffFactory()
    device = enable(client, staff)
    for _ in range(4):
        body = {"username": staff.username, "password": PASSWORD, "otp_token": "123456"}
        assert client.post(LOGIN, body).status_code == 200
    assert AccessAttempt.objects.get(username=staff.username).failures_since_start == 4
    assert AuditEntry.objects.filter(action="auth.sign_in_failed").count() == 4
    body = {"username": staff.username, "password": PASSWORD, "otp_token": "123456"}
    assert client.post(LOGIN, body).status_code == 429
    body["otp_token"] = code(device, steps_ahead=1)
    assert client.post(LOGIN, body).status_code == 429  # locked, even with the right code


def test_password_and_current_code_sign_in_and_mark_the_session(client):
    staff = StaffFactory()
    device = enable(client, staff)
    body = {"username": staff.username, "password": PASSWORD, "otp_token": code(device, 1)}
    assert client.post(LOGIN, body).status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # The same code again is refused: a code is good once.
    client.logout()
    assert client.post(LOGIN, body).status_code == 200


def test_turning_it_off_needs_a_right_code(client):
    staff = StaffFactory()
    device = enable(client, staff)
    client.force_login(staff)
    assert client.post(SETTINGS, {"token": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    wait_out_the_throttle(staff)
    assert client.post(SETTINGS, {"token": code(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    client.logout()
    response = client.post(LOGIN, {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
