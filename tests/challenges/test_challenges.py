"""Open challenges (issue 19, points 1–3), from the draft to the award."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from challenges import services, thresholds
from challenges.models import Challenge, ChallengeApplication, ChallengeReview
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from publicity.models import Publicity
from publicity.selectors import current
from tests.challenges import flow
from tests.factories import OrganizationFactory, StaffFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar(db):
    """The selection publicity counts working days: the year's calendar is entered."""
    from tests.market import flow as market_flow

    market_flow.enter_calendar()


# --- the 榜单 and its bad inputs --------------------------------------------------------


def test_an_issuer_drafts_with_default_milestones_and_staff_publish_it_with_a_code():
    from django.utils import translation

    with translation.override("zh-hans"):  # the triggers are written in the issuer's language
        challenge, person, staff = flow.challenge()
    assert [m["percent"] for m in challenge.milestones] == [30, 40, 30]
    assert challenge.milestones[0]["trigger"] == "签约时"
    assert challenge.code is None and challenge.status == Challenge.Status.DRAFT
    services.challenge_submit(challenge=challenge, by=person)
    done = services.challenge_review(challenge=challenge, by=staff, decision="approve")
    assert done.code == f"JB-{timezone.localdate().year}-00001" and done.published_at


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reward_total": "0"}, "reward_total"),
        ({"reward_total": "-5"}, "reward_total"),
        (
            {
                "milestones": [
                    {"percent": 50, "trigger": "签约"},
                    {"percent": 40, "trigger": "验收"},
                ]
            },
            "milestones",
        ),
        ({"application_closes_on": datetime.date(2020, 1, 1)}, "application_closes_on"),
        ({"indicators": [{"name": "循环寿命", "target": "2000 次", "method": ""}]}, "indicators"),
        ({"criteria": []}, "criteria"),
    ],
)
def test_bad_challenges_are_refused_and_nothing_is_saved(change, field):
    _org, person = flow.issuer()
    with pytest.raises(RuleBroken) as refused:
        services.challenge_create(by=person, data=flow.data(**change))
    assert field in refused.value.message_dict
    assert not Challenge.objects.exists()


def test_an_investor_or_a_stranger_cannot_issue():
    investor = member_of(OrganizationFactory(kind="investor"))
    with pytest.raises(NotPermitted):
        services.challenge_create(by=investor, data=flow.data())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("负责人须具有正高职称", "title"),
        ("团队负责人年龄不超过45周岁", "age"),
        ("须具有博士学位", "degree"),
        ("申报单位须成立满3年", "registration_years"),
    ],
)
def test_a_forbidden_threshold_is_flagged_and_blocks_publication(text, kind):
    challenge, person, staff = flow.challenge(eligibility_notes=text)
    assert [f["kind"] for f in challenge.threshold_flags] == [kind]
    services.challenge_submit(challenge=challenge, by=person)
    with pytest.raises(RuleBroken):
        services.challenge_review(challenge=challenge, by=staff, decision="approve")
    returned = services.challenge_review(
        challenge=challenge, by=staff, decision="return_for_changes", reason="删除门槛要求"
    )
    fixed = services.challenge_update(
        challenge=returned, by=person, data={"eligibility_notes": "具备研发能力即可"}
    )
    assert fixed.threshold_flags == []


def test_capability_evidence_is_not_a_threshold():
    assert (
        thresholds.threshold_flags("具备正极材料研发能力与中试条件，提供近年同类成果证明。") == []
    )


def test_the_staff_queue_flags_the_threshold(client):
    challenge, person, staff = flow.challenge(eligibility_notes="须具有博士学位")
    services.challenge_submit(challenge=challenge, by=person)
    client.force_login(staff)
    page = client.get("/review/", {"kind": "challenges"}).content.decode()
    assert challenge.title in page and 'data-testid="threshold"' in page


# --- the NDA gate -----------------------------------------------------------------------


def test_the_confidential_detail_is_in_no_response_before_the_nda(client, api):
    challenge, _person, _staff = flow.challenge("published")
    secret = challenge.confidential_detail
    assert secret not in client.get(challenge.get_absolute_url()).content.decode()
    assert "detail" not in api.get(f"/api/v1/challenges/{challenge.pk}/").json()
    assert secret not in api.get("/api/v1/challenges/").content.decode()
    org = OrganizationFactory(kind="university")
    member = member_of(org)
    client.force_login(member)
    api.force_authenticate(member)
    assert secret not in client.get(challenge.get_absolute_url()).content.decode()
    client.post(f"/challenges/{challenge.pk}/nda/")
    assert secret in client.get(challenge.get_absolute_url()).content.decode()
    assert api.get(f"/api/v1/challenges/{challenge.pk}/").json()["detail"] == secret
    assert secret not in api.get("/api/v1/challenges/").content.decode()  # never in lists
    colleague = member_of(org)
    client.force_login(colleague)
    assert secret in client.get(challenge.get_absolute_url()).content.decode()


# --- applications -----------------------------------------------------------------------


def test_applications_once_per_lead_inside_the_window_never_the_issuer(api):
    challenge, issuer_member, _staff = flow.challenge("published")
    _application, person = flow.applicant(challenge)
    with pytest.raises(TransitionNotAllowed):
        services.application_submit(
            challenge=challenge, by=person, data={"plan": "再报一次", "team_leader": "李青"}
        )
    with pytest.raises(RuleBroken):
        services.application_submit(
            challenge=challenge, by=issuer_member, data={"plan": "自己揭", "team_leader": "王"}
        )
    Challenge.objects.filter(pk=challenge.pk).update(
        application_closes_on=timezone.localdate() - datetime.timedelta(days=1),
        application_opens_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    late = member_of(OrganizationFactory(kind="institute"))
    api.force_authenticate(late)
    refused = api.post(
        f"/api/v1/challenges/{challenge.pk}/applications/", {"plan": "迟到", "team_leader": "赵"}
    )
    assert refused.status_code == 409
    assert ChallengeApplication.objects.count() == 1


# --- review, scoring, selection, award ----------------------------------------------------


def test_a_reviewer_of_the_issuer_or_an_applicant_is_excluded():
    challenge, _person, staff = flow.challenge("published")
    application, _applicant = flow.applicant(challenge)
    with pytest.raises(RuleBroken):
        services.reviewer_add(challenge=challenge, by=staff, expert=flow.expert(challenge.issuer))
    with pytest.raises(RuleBroken):
        services.reviewer_add(challenge=challenge, by=staff, expert=flow.expert(application.lead))
    assert services.reviewer_add(challenge=challenge, by=staff, expert=flow.expert())


def test_scores_cover_every_criterion_and_a_declared_conflict_leaves_the_panel():
    challenge, applications, _person, staff = flow.evaluating_with_reviews(n_reviews=0)
    seat = services.reviewer_add(challenge=challenge, by=staff, expert=flow.expert())
    user = seat.expert.user
    with pytest.raises(RuleBroken):
        services.review_submit(application=applications[0], by=user, scores={"技术方案": 80})
    with pytest.raises(RuleBroken):
        services.review_submit(
            application=applications[0], by=user, scores=dict.fromkeys(flow.CRITERIA, 101)
        )
    services.review_submit(
        application=applications[0], by=user, scores=dict.fromkeys(flow.CRITERIA, 80)
    )
    assert (
        services.review_submit(application=applications[0], by=user, scores={}, conflict=True)
        is None
    )
    assert not ChallengeReview.objects.exists() and not challenge.reviewers.exists()
    stranger = member_of(OrganizationFactory())
    with pytest.raises(NotPermitted):
        services.review_submit(
            application=applications[0], by=stranger, scores=dict.fromkeys(flow.CRITERIA, 80)
        )


def test_trimmed_score_drops_the_extremes_from_seven_reviewers():
    five = [Decimal(v) for v in (60, 70, 80, 90, 100)]
    assert services.trimmed_score(five) == Decimal("80.00")
    seven = [Decimal(v) for v in (0, 70, 70, 70, 70, 70, 100)]
    assert services.trimmed_score(seven) == Decimal("70.00")
    assert services.trimmed_score([]) is None


def test_selection_needs_enough_reviews_then_publicity_then_award(api):
    short, apps_short, _p, staff_short = flow.evaluating_with_reviews(n_reviews=4)
    with pytest.raises(RuleBroken):
        services.challenge_select(challenge=short, by=staff_short, application=apps_short[0])
    challenge, applications, _person, staff = flow.evaluating_with_reviews(n_reviews=5)
    chosen = services.challenge_select(challenge=challenge, by=staff, application=applications[0])
    applications[0].refresh_from_db()
    assert chosen.status == Challenge.Status.SELECTION_PUBLICITY
    assert applications[0].score == Decimal("92.00")  # 90..94 over five reviewers
    notice = current(chosen, Publicity.Kind.SELECTION)
    assert notice.period_value == 5 and notice.content["taker"] == applications[0].lead.name
    assert notice.content["score"] == "92.00"
    with pytest.raises(TransitionNotAllowed):  # during the publicity
        services.challenge_award(challenge=chosen, by=staff)
    Publicity.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=20),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    api.force_authenticate(staff)
    awarded = api.post(f"/api/v1/challenges/{challenge.pk}/award/")
    assert awarded.status_code == 200 and awarded.json()["status"] == "awarded"
    assert awarded.json()["selected_application"] == applications[0].pk
    applications[1].refresh_from_db()
    assert applications[1].status == ChallengeApplication.Status.NOT_SELECTED


def test_an_upheld_objection_holds_the_award():
    from publicity import services as publicity

    challenge, applications, _person, staff = flow.evaluating_with_reviews(n_reviews=5)
    services.challenge_select(challenge=challenge, by=staff, application=applications[0])
    notice = current(challenge, Publicity.Kind.SELECTION)
    objector = member_of(OrganizationFactory())
    objection = publicity.objection_submit(
        publicity=notice, by=objector, facts="评分有误", contact="电话", real_name="张三"
    )
    publicity.objection_decide(objection=objection, by=StaffFactory(), upheld=True, reply="成立")
    Publicity.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(TransitionNotAllowed):
        services.challenge_award(challenge=challenge, by=staff)


def test_cancelling_after_applications_needs_a_reason_and_tells_the_teams():
    challenge, issuer_member, _staff = flow.challenge("published")
    _application, person = flow.applicant(challenge)
    with pytest.raises(RuleBroken):
        services.challenge_act(challenge=challenge, by=issuer_member, action="cancel")
    services.challenge_act(
        challenge=challenge, by=issuer_member, action="cancel", reason="需求变更"
    )
    assert person.notifications.filter(kind="challenges.challenge.cancelled").exists()


# --- the data migration ------------------------------------------------------------------


def test_flagged_demands_became_challenges_losing_nothing():
    from tests.factories import DemandFactory

    demand = DemandFactory(
        status="published",
        published_at=timezone.now(),
        is_challenge=True,
        reward="500000.00",
        title="某揭榜需求",
    )
    draft = DemandFactory(is_challenge=True, reward="100000.00")
    DemandFactory(is_challenge=False)
    call_command("migrate", "challenges", "0001", verbosity=0)
    call_command("migrate", "challenges", "0002", verbosity=0)
    with connection.cursor() as cursor:  # the rows' deferred checks, before later schema changes
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("migrate", "challenges", verbosity=0)
    made = Challenge.objects.get(demand=demand)
    assert made.status == Challenge.Status.PUBLISHED and made.code.startswith("JB-")
    assert (made.title, made.reward_total, made.issuer_id) == (
        demand.title,
        Decimal("500000.00"),
        demand.organization_id,
    )
    assert Challenge.objects.get(demand=draft).status == Challenge.Status.DRAFT
    assert Challenge.objects.count() == 2
    demand.refresh_from_db()
    assert demand.is_challenge and demand.reward == Decimal("500000.00")


def test_a_demand_published_with_the_flag_becomes_a_draft_challenge(
    django_capture_on_commit_callbacks,
):
    from demands import services as demands
    from tests.factories import DemandFactory

    demand = DemandFactory(status="pending", is_challenge=True, reward="300000.00")
    owner = member_of(demand.organization)
    with django_capture_on_commit_callbacks(execute=True):
        demands.demand_approve(demand=demand, by=StaffFactory())
    challenge = Challenge.objects.get(demand=demand)
    assert challenge.status == Challenge.Status.DRAFT and challenge.reward_total == Decimal(
        "300000.00"
    )
    assert owner.notifications.filter(kind="challenges.challenge.from_demand").exists()
    assert services.challenge_from_demand(demand=demand) is None  # once
