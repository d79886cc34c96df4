"""Forms that keep what was typed (issue 16, point 6)."""

import pytest

from contracts.models import Payment
from tests.factories import AchievementFactory, ContractFactory, member_of
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


def test_a_refused_payment_keeps_every_value_and_says_which_field(client):
    contract = ContractFactory()
    client.force_login(member_of(contract.buyer))
    url = f"/contracts/{contract.pk}/payments/"
    bad_date = client.post(
        url, {"amount": "1234.56", "paid_on": "1900-01-01", "evidence": upload("回单.pdf", PDF)}
    )
    assert bad_date.status_code == 200
    form = bad_date.context["payment_form"]
    assert set(form.errors) >= {"paid_on", "evidence"}  # the file must be chosen again
    text = bad_date.content.decode()
    assert 'value="1234.56"' in text and 'data-testid="payment-refused"' in text
    # A service refusal (over what is left of the contract) lands beside its field too.
    too_much = client.post(
        url, {"amount": "99999999", "paid_on": "2025-06-01", "evidence": upload("回单.pdf", PDF)}
    )
    assert too_much.status_code == 200
    assert 'value="99999999"' in too_much.content.decode()
    assert too_much.context["payment_form"].errors
    assert not Payment.objects.exists()


def test_a_failed_create_is_not_called_an_edit(client):
    achievement = AchievementFactory()
    client.force_login(member_of(achievement.organization))
    response = client.post("/achievements/new/", {"title": "", "summary": "x"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "修改:" not in text and "修改：" not in text
    assert response.context["form"].errors
