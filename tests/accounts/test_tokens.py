"""API tokens and two-step sign-in on every path (issue 13, findings 2 and 7):
the password alone used to pass on the token endpoint and the admin; tokens
never expired, never rotated and survived a password reset; token sign-ins
were not audited and did not reset the failure count."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import ApiToken
from portal.core.models import AuditEntry
from tests.accounts.test_two_factor import code, enable, wait_out_the_throttle
from tests.factories import PASSWORD, OrganizationFactory, StaffFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def sign_in(api, user, **extra):
    return api.post(
        TOKEN, {"username": user.username, "password": PASSWORD, **extra}, format="json"
    )


def me(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status = api.get("/api/v1/me/").status_code
    api.credentials()
    return status


def test_with_two_step_sign_in_on_the_token_endpoint_asks_for_the_code(api, client):
    staff = StaffFactory()
    device = enable(client, staff)
    missing = sign_in(api, staff)
    assert missing.status_code == 400 and "otp" in missing.json()
    assert not ApiToken.objects.exists()
    wrong = sign_in(api, staff, otp="000000")
    assert wrong.status_code == 400 and "otp" in wrong.json()
    assert AccessAttempt.objects.get(username=staff.username).failures_since_start == 1
    wait_out_the_throttle(staff)
    right = sign_in(api, staff, otp=code(device, 1))
    assert right.status_code == 200 and me(api, right.json()["token"]) == 200
    # A success resets the failure count, as the sign-in page does.
    assert not AccessAttempt.objects.filter(username=staff.username).exists()
    entry = AuditEntry.objects.filter(action="auth.sign_in", actor=staff).latest("id")
    assert entry.data["via"] == "token"


def test_a_recovery_code_signs_in_once(api, client):
    staff = StaffFactory()
    enable(client, staff)
    codes = two_factor.recovery_codes_issue(user=staff)
    assert sign_in(api, staff, otp=codes[0]).status_code == 200
    assert sign_in(api, staff, otp=codes[0]).status_code == 400  # spent
    assert AuditEntry.objects.filter(action="auth.recovery_code_used", actor=staff).count() == 1


def test_enabling_shows_recovery_codes_once(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(reverse("accounts:two_factor"), {"token": code(device)}, follow=True)
    assert 'data-testid="recovery-codes"' in response.content.decode()
    again = client.get(reverse("accounts:two_factor")).content.decode()
    assert 'data-testid="recovery-codes"' not in again


def test_the_admin_signs_in_through_the_portal_page(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/admin/accounts/user/" in response["Location"]
    # The password alone, posted to the admin's own form, signs nobody in.
    admin = UserFactory(is_superuser=True, is_staff=True, organization=None)
    enable(client, admin)
    client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302  # still signed out
    assert "_auth_user_id" not in client.session


def test_staff_without_two_step_sign_in_must_set_it_up_when_required(settings, client, api):
    settings.TWO_FACTOR_REQUIRED = True
    staff = StaffFactory()
    client.force_login(staff)
    response = client.get(reverse("review"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
    assert client.get(reverse("accounts:two_factor")).status_code == 200
    refused = sign_in(api, staff)
    assert refused.status_code == 400 and "otp" in refused.json()
    # Ordinary members are not held to it.
    member = member_of(OrganizationFactory())
    assert sign_in(api, member).status_code == 200
    # Once it is on, it cannot be turned off.
    device = enable(client, staff)
    client.force_login(staff)
    wait_out_the_throttle(staff)
    client.post(reverse("accounts:two_factor"), {"token": code(device, 1)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_each_sign_in_rotates_the_key(api):
    user = member_of(OrganizationFactory())
    first = sign_in(api, user).json()["token"]
    second = sign_in(api, user).json()["token"]
    assert first != second
    assert me(api, first) == 401 and me(api, second) == 200
    assert ApiToken.objects.get(prefix=first[:8]).revoked_reason == "rotated"
    # Only a digest is kept.
    assert not ApiToken.objects.filter(key_hash=first).exists()


def test_tokens_end_idle_and_absolute(api, settings):
    user = member_of(OrganizationFactory())
    key = sign_in(api, user).json()["token"]
    token = ApiToken.objects.get()
    long_ago = timezone.now() - datetime.timedelta(days=settings.API_TOKEN_IDLE_DAYS + 1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    assert me(api, key) == 401
    key = sign_in(api, user).json()["token"]
    ApiToken.objects.filter(prefix=key[:8]).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert me(api, key) == 401


def test_a_password_change_and_a_deactivation_end_the_tokens(api):
    user = member_of(OrganizationFactory())
    key = sign_in(api, user).json()["token"]
    user.set_password("An0ther-passw0rd-2026")
    user.save()
    assert me(api, key) == 401
    other = member_of(OrganizationFactory())
    key = sign_in(api, other).json()["token"]
    other.is_active = False
    other.save()
    assert me(api, key) == 401


def test_the_tokens_page_lists_and_revokes(api, client):
    user = member_of(OrganizationFactory())
    key = sign_in(api, user).json()["token"]
    client.force_login(user)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert key[:8] in page and key not in page
    token = ApiToken.objects.get()
    client.post(reverse("accounts:tokens"), {"token": token.pk})
    assert me(api, key) == 401
    assert AuditEntry.objects.filter(action="auth.token_revoked", actor=user).exists()
    # Someone else's token is not theirs to revoke.
    other = member_of(OrganizationFactory())
    sign_in(api, other)
    theirs = ApiToken.objects.get(user=other)
    assert client.post(reverse("accounts:tokens"), {"token": theirs.pk}).status_code == 404


def test_a_username_longer_than_any_is_a_400_not_a_500(api, client):
    response = api.post(TOKEN, {"username": "u" * 300, "password": "x"}, format="json")
    assert response.status_code == 400 and "username" in response.json()
    page = client.post(reverse("accounts:login"), {"username": "u" * 300, "password": "x"})
    assert page.status_code == 200


def test_a_locked_username_is_a_json_429_on_the_api(api, settings):
    user = member_of(OrganizationFactory())
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(TOKEN, {"username": user.username, "password": "wrong"}, format="json")
    locked = sign_in(api, user)
    assert locked.status_code == 429 and "detail" in locked.json()
    assert int(locked["Retry-After"]) > 0
