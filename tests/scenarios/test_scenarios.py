import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.core.errors import NotPermitted, TransitionNotAllowed
from scenarios import services
from scenarios.models import Proposal, Scenario
from tests.factories import AchievementFactory, OrganizationFactory, StaffFactory, member_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DATA = {
    "title": "城市主干道智能信号灯试点",
    "description": "征集车路协同解决方案",
    "tech_field": "transport",
    "industries": ["nev"],
    "keywords": ["车路协同"],
    "deadline": TODAY + datetime.timedelta(days=30),
}


@pytest.fixture
def publisher():
    return member_of(OrganizationFactory(kind="government", name="某市交通局"))


@pytest.fixture
def open_scenario(publisher):
    scenario = services.scenario_create(by=publisher, data=DATA)
    services.scenario_submit(scenario=scenario, by=publisher)
    services.scenario_approve(scenario=scenario, by=StaffFactory())
    scenario.refresh_from_db()
    return scenario


def test_government_and_enterprise_members_publish_after_review(open_scenario):
    assert open_scenario.status == "open" and open_scenario.published_at
    university = member_of(OrganizationFactory(kind="university"))
    with pytest.raises(NotPermitted):
        services.scenario_create(by=university, data=DATA)


def test_proposals_point_at_the_proposers_own_published_achievements(open_scenario):
    proposer_org = OrganizationFactory(kind="university")
    proposer = member_of(proposer_org)
    own = AchievementFactory(organization=proposer_org, status="published")
    proposal = services.proposal_submit(
        scenario=open_scenario, by=proposer, achievement=own, note="已在某区试点"
    )
    assert proposal.organization == proposer_org
    with pytest.raises(ValidationError):  # twice
        services.proposal_submit(scenario=open_scenario, by=proposer, achievement=own)
    with pytest.raises(ValidationError):  # another organisation's achievement
        services.proposal_submit(
            scenario=open_scenario, by=proposer, achievement=AchievementFactory(status="published")
        )
    with pytest.raises(ValidationError):  # unpublished
        services.proposal_submit(
            scenario=open_scenario,
            by=proposer,
            achievement=AchievementFactory(organization=proposer_org),
        )
    assert Proposal.objects.count() == 1


def test_the_publisher_shortlists_and_others_cannot(open_scenario, publisher):
    org = OrganizationFactory(kind="university")
    proposal = services.proposal_submit(
        scenario=open_scenario,
        by=member_of(org),
        achievement=AchievementFactory(organization=org, status="published"),
    )
    with pytest.raises(NotPermitted):
        services.proposal_decide(proposal=proposal, by=member_of(org), status="shortlisted")
    services.proposal_decide(proposal=proposal, by=publisher, status="shortlisted")
    proposal.refresh_from_db()
    assert proposal.status == "shortlisted"


def test_scenarios_close_at_their_deadline(open_scenario):
    Scenario.objects.filter(pk=open_scenario.pk).update(deadline=TODAY - datetime.timedelta(1))
    from scenarios.tasks import close_expired

    assert close_expired.delay().get() == 1
    open_scenario.refresh_from_db()
    assert open_scenario.status == "closed"
    org = OrganizationFactory(kind="university")
    with pytest.raises(TransitionNotAllowed):
        services.proposal_submit(
            scenario=open_scenario,
            by=member_of(org),
            achievement=AchievementFactory(organization=org, status="published"),
        )


def test_scenarios_and_proposals_through_the_api(api, open_scenario, publisher):
    listed = api.get("/api/v1/scenarios/").json()["results"]
    assert [s["status"] for s in listed] == ["open"]
    org = OrganizationFactory(kind="university")
    member = member_of(org)
    mine = AchievementFactory(organization=org, status="published")
    api.force_authenticate(member)
    url = f"/api/v1/scenarios/{open_scenario.pk}/proposals/"
    created = api.post(url, {"achievement": mine.pk, "note": "方案"}, format="json")
    assert created.status_code == 201
    other = api.post(url, {"achievement": AchievementFactory(status="published").pk}, format="json")
    assert other.status_code == 400 and "achievement" in other.json()
    assert len(api.get(url).json()) == 1
    api.force_authenticate(member_of(OrganizationFactory()))
    assert api.get(url).json() == []  # a stranger sees no one's proposals
    api.force_authenticate(publisher)
    assert len(api.get(url).json()) == 1


def test_the_publisher_compares_proposals_on_the_page(client, open_scenario, publisher):
    for n in range(2):
        org = OrganizationFactory(kind="university", name=f"方案大学{n}")
        services.proposal_submit(
            scenario=open_scenario,
            by=member_of(org),
            achievement=AchievementFactory(organization=org, status="published"),
        )
    client.force_login(publisher)
    html = client.get(f"/scenarios/{open_scenario.pk}/").content.decode()
    assert "方案大学0" in html and "方案大学1" in html and 'data-testid="proposals"' in html


def test_the_proposal_form_is_not_offered_after_the_deadline(client, open_scenario):
    """Issue 14's drifted rule: the page offered the form the service refused,
    between the deadline and the nightly job that closes the scenario."""
    proposer_org = OrganizationFactory(kind="university")
    proposer = member_of(proposer_org)
    own = AchievementFactory(organization=proposer_org, status="published")
    client.force_login(proposer)
    url = open_scenario.get_absolute_url()
    assert 'data-testid="proposal-form"' in client.get(url).content.decode()
    Scenario.objects.filter(pk=open_scenario.pk).update(deadline=TODAY - datetime.timedelta(1))
    open_scenario.refresh_from_db()
    assert open_scenario.status == Scenario.Status.OPEN  # not closed by the job yet
    assert 'data-testid="proposal-form"' not in client.get(url).content.decode()
    with pytest.raises(TransitionNotAllowed):
        services.proposal_submit(scenario=open_scenario, by=proposer, achievement=own)
    response = client.post(
        reverse("scenarios:propose", args=[open_scenario.pk]), {"achievement": own.pk}
    )
    assert response.status_code == 302  # back to the page, with the service's message
    assert not Proposal.objects.filter(scenario=open_scenario).exists()
