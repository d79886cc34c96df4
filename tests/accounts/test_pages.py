import re

import pytest
from django.core import mail

from accounts.models import Market, Organization, User
from tests.factories import PASSWORD, OrganizationFactory, StaffFactory, UserFactory, credit_code

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "username": "officer",
        "email": "officer@whu.example.cn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "credit_code": credit_code(42),
        "name": "某某大学",
        "kind": "university",
        "region_code": "420106",
    }
    return {**data, **overrides}


def test_signup_creates_the_account_and_signs_in(client):
    response = client.post("/accounts/signup/", _form(), follow=True)
    assert response.status_code == 200
    user = User.objects.get(username="officer")
    assert user.organization.name == "某某大学"
    assert response.context["user"] == user
    assert "等待" in response.content.decode()  # told that verification is pending


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": credit_code(42)[:-1] + "0"}, "校验"),
        ({"region_code": "420199"}, "行政区划"),
        ({"password2": "another-Passw0rd"}, "两次"),
        ({"password1": "12345678", "password2": "12345678"}, "密码"),
    ],
)
def test_bad_signup_redisplays_the_form_with_a_message_in_chinese(client, overrides, message):
    response = client.post("/accounts/signup/", _form(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="officer"' in html  # what was typed is kept
    assert not User.objects.exists() and not Organization.objects.exists()


def test_sign_in_and_out(client):
    UserFactory(username="bob")
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "bob"
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_a_wrong_password_redisplays_the_sign_in_form(client):
    UserFactory(username="bob")
    response = client.post("/accounts/login/", {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert "用户名" in response.content.decode()


def test_password_reset_by_email(client):
    user = UserFactory(email="bob@example.cn")
    client.post("/accounts/password-reset/", {"email": "bob@example.cn"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    new = "An0ther-strong-pass"
    client.post(set_url, {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new)


def test_staff_verify_from_their_queue_which_shows_only_their_scope(client):
    mine = OrganizationFactory(name="襄阳某企业", region_code="420606", verified=False)
    OrganizationFactory(name="宜昌某企业", region_code="420506", verified=False)
    client.force_login(StaffFactory(staff_market=Market.objects.get(code="xiangyang")))
    html = client.get("/accounts/organizations/verify/").content.decode()
    assert "襄阳某企业" in html and "宜昌某企业" not in html
    client.post(f"/accounts/organizations/{mine.pk}/verify/")
    mine.refresh_from_db()
    assert mine.verified


def test_members_cannot_open_the_verify_queue(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/organizations/verify/").status_code == 403
