from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import BrokerProfile, Organization, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_create_staff_makes_a_scoped_account():
    call_command("create_staff", "zhang", "--password", PASSWORD, "--market", "yichang")
    user = User.objects.get(username="zhang")
    assert user.staff_market.code == "yichang" and user.check_password(PASSWORD)


def test_create_staff_refuses_an_unknown_market():
    with pytest.raises(CommandError, match="atlantis"):
        call_command("create_staff", "zhang", "--password", PASSWORD, "--market", "atlantis")
    assert not User.objects.exists()


def test_load_demo_is_idempotent_and_covers_every_kind_and_market():
    call_command("load_demo")
    counts = (Organization.objects.count(), User.objects.count(), BrokerProfile.objects.count())
    call_command("load_demo")
    assert (
        Organization.objects.count(),
        User.objects.count(),
        BrokerProfile.objects.count(),
    ) == counts
    assert set(Organization.objects.values_list("kind", flat=True)) == set(Organization.Kind)
    markets = set(Organization.objects.values_list("market__code", flat=True))
    assert {"wuhan", "xiangyang", "yichang"} <= markets
    assert not Organization.objects.filter(verified=False).exists()
    roles = {tuple(u.roles) for u in User.objects.all()}
    assert {
        ("member", "org_admin"),
        ("member", "reader"),
        (),  # asked to join, not admitted yet
        ("member", "org_admin", "broker"),
        ("staff",),
        ("staff", "central_staff"),
        ("admin",),
    } <= roles


def test_load_demo_fills_the_libraries_in_every_status_field_and_market():
    from achievements.models import Achievement
    from demands.models import Demand
    from portal.core.reference import TechField

    call_command("load_demo")
    call_command("load_demo")
    for model, at_least in ((Achievement, 200), (Demand, 80)):
        assert model.objects.count() >= at_least
        assert set(model.objects.values_list("status", flat=True)) == set(model.Status)
        assert set(model.objects.values_list("tech_field", flat=True)) == set(TechField)
        markets = set(model.objects.values_list("organization__market__code", flat=True))
        assert markets == {"wuhan", "xiangyang", "yichang"}
    assert Achievement.objects.filter(search_vector="石墨烯").exists()


def test_load_demo_fills_the_other_libraries():
    from cases.models import Case
    from experts.models import Expert, ExpertReview
    from scenarios.models import Proposal, Scenario

    call_command("load_demo")
    call_command("load_demo")
    assert Expert.objects.count() >= 60
    assert Case.objects.filter(status="published").count() >= 15
    assert Scenario.objects.count() >= 15 and Proposal.objects.count() >= 15
    assert ExpertReview.objects.filter(status="complete").exists()
    assert Expert.objects.get(name="周建华").user.username == "expert"


def test_load_demo_has_challenges_in_different_phases():
    from challenges.models import Challenge

    call_command("load_demo")
    call_command("load_demo")
    phases = set(Challenge.objects.values_list("status", flat=True))
    assert {
        Challenge.Status.DRAFT,
        Challenge.Status.PUBLISHED,
        Challenge.Status.IN_PROGRESS,
    } <= phases
    working = Challenge.objects.get(status=Challenge.Status.IN_PROGRESS)
    assert working.contract.status == "registered" and working.midterm_passed_on
    assert working.milestone_payments.filter(payment__isnull=False).count() == 1


def test_load_demo_fills_the_broker_registry():
    from brokers.models import Broker
    from brokers.selectors import certified_by_market

    call_command("load_demo")
    call_command("load_demo")
    assert Broker.objects.filter(status=Broker.Status.ACTIVE).count() == 2
    assert certified_by_market() == {"wuhan": 1, "xiangyang": 1}
    trainee = Broker.objects.get(user__username="xyagency_member")
    assert trainee.certificates.get().number.startswith("HB-JJR-C-")
    assert trainee.user.broker_profile.level == "junior"


def test_load_demo_has_pilot_platforms_that_monitoring_counts():
    from platforms.models import Platform
    from platforms.selectors import pilot_bases_by_market

    call_command("load_demo")
    call_command("load_demo")
    assert Platform.objects.count() == 2
    assert pilot_bases_by_market() == {"yichang": 1}
    assert Platform.objects.get(kind="poc_center").status == Platform.Status.EXPERT_REVIEW


def test_load_demo_files_agencies_with_final_grades():
    from agencies.models import Agency
    from agencies.selectors import filed_by_market, last_grades

    call_command("load_demo")
    call_command("load_demo")
    assert filed_by_market() == {"wuhan": 1, "xiangyang": 1}
    grades = sorted(last_grades(a)[0].grade for a in Agency.objects.all())
    assert grades == ["pass", "pass"]  # 88.60 is capped: the top 20 % of two is nobody


def test_load_demo_has_a_fast_lane_conversion_project():
    from conversions.models import ConversionProject

    call_command("load_demo")
    call_command("load_demo")
    project = ConversionProject.objects.get()
    assert project.fast_lane and project.status == ConversionProject.Status.RECOGNIZED
    assert project.contract.status == "registered"


def test_demo_accounts_can_sign_in(client):
    from accounts.demo import DEMO_PASSWORD

    call_command("load_demo")
    response = client.post(
        reverse("accounts:login"), {"username": "whu_officer", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("workspace")).context["user"].username == "whu_officer"


def test_load_demo_opens_the_market():
    from market.models import Auction, Listing

    call_command("load_demo")
    call_command("load_demo")
    assert Listing.objects.filter(status=Listing.Status.ANNOUNCING).count() == 1
    settled = Listing.objects.get(status=Listing.Status.SETTLED)
    assert settled.certificate_number and settled.contract.status == "registered"
    live = Auction.objects.get(bid_count=2)
    assert live.phase() == "bidding" and live.current_price == Decimal("840000.00")
    assert Auction.objects.filter(status=Auction.Status.ANNOUNCED).count() == 2
    from inquiries.models import Inquiry

    assert sorted(Inquiry.objects.values_list("status", flat=True)) == ["negotiating", "sent"]


def test_load_demo_dates_everything_from_today():
    from django.utils import timezone

    from contracts.models import Contract, Payment, SubsidyProgram

    call_command("load_demo")
    today = timezone.localdate()
    registered = Contract.objects.filter(registered_at__isnull=False)
    days = [(today - timezone.localtime(c.registered_at).date()).days for c in registered]
    assert days and 0 <= min(days) <= 60 and max(days) <= 400  # this year and last
    assert max(Payment.objects.values_list("paid_on", flat=True)) <= today
    assert min(Contract.objects.values_list("signed_on", flat=True)) >= today.replace(
        year=today.year - 2
    )
    program = SubsidyProgram.objects.get()
    assert program.opens_on <= today <= program.closes_on
    assert program.name.startswith(str(program.year))
