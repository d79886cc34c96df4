import pytest
from django.core import mail

from achievements.services import achievement_withdraw
from demands.models import Demand
from demands.services import demand_approve, demand_close
from matching import digest, services
from matching.models import Match, MatchChunk, MatchFeedback, MatchRun
from matching.reasons import say
from matching.selectors import matches_for
from portal.core.errors import RuleBroken
from portal.core.models import Notification
from tests.factories import (
    AchievementFactory,
    DemandFactory,
    OrganizationFactory,
    StaffFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def publish(demand, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand_approve(demand=demand, by=StaffFactory())
    demand.refresh_from_db()
    return demand


def test_publishing_a_demand_matches_it_with_reasons(
    catalogue, heat_demand, django_capture_on_commit_callbacks
):
    assert not Match.objects.exists()
    publish(heat_demand, django_capture_on_commit_callbacks)
    ranked = list(Match.objects.filter(demand=heat_demand).order_by("-score"))
    assert [m.achievement for m in ranked][:2] == [catalogue["film"], catalogue["coating"]]
    text = "；".join(say(ranked[0].reasons))
    assert "石墨烯" in text and "散热" in text
    assert "新材料及其应用" in text
    assert all(0 < m.score <= 1 for m in ranked)


def test_publishing_an_achievement_matches_it_against_published_demands(
    university, enterprise, django_capture_on_commit_callbacks
):
    demand = DemandFactory(
        organization=enterprise,
        status="published",
        title="工业污水处理",
        tech_field="environment",
        keywords=["污水"],
    )
    achievement = AchievementFactory(
        organization=university,
        status="pending",
        title="城市污水厌氧氨氧化脱氮",
        tech_field="environment",
    )
    from achievements.services import achievement_approve

    with django_capture_on_commit_callbacks(execute=True):
        achievement_approve(achievement=achievement, by=StaffFactory())
    assert Match.objects.filter(demand=demand, achievement=achievement).exists()


def test_only_published_items_take_part(catalogue, enterprise):
    draft = AchievementFactory(
        organization=catalogue["film"].organization, status="draft", title="石墨烯散热膜草稿"
    )
    demand = DemandFactory(organization=enterprise, status="published", title="石墨烯散热")
    services.match_item(side="demand", pk=demand.pk)
    assert draft.pk not in set(Match.objects.values_list("achievement_id", flat=True))
    assert services.match_item(side="demand", pk=DemandFactory(status="draft").pk) == 0


def test_an_item_that_leaves_published_leaves_every_list(
    catalogue, heat_demand, django_capture_on_commit_callbacks
):
    publish(heat_demand, django_capture_on_commit_callbacks)
    owner = member_of(catalogue["film"].organization)
    film = Match.objects.get(demand=heat_demand, achievement=catalogue["film"])
    MatchFeedback.objects.create(match=film, organization=owner.organization, verdict="relevant")
    with django_capture_on_commit_callbacks(execute=True):
        achievement_withdraw(achievement=catalogue["film"], by=owner)
    # the row with feedback stays for the record, but no list shows it
    assert Match.objects.filter(achievement=catalogue["film"]).count() == 1
    assert catalogue["film"] not in [
        m.achievement for m in matches_for(heat_demand, owner, side="demand")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        demand_close(demand=heat_demand, by=member_of(heat_demand.organization))
    assert not Match.objects.filter(demand=heat_demand, feedback__isnull=True).exists()


def _pairs():
    return sorted(Match.objects.values_list("demand_id", "achievement_id", "score"))


def test_a_full_run_is_idempotent_and_drops_stale_pairs(
    catalogue, enterprise, django_capture_on_commit_callbacks
):
    DemandFactory(organization=enterprise, status="published", title="石墨烯散热膜")
    DemandFactory(organization=enterprise, status="published", title="污水脱氮")
    # a pair from an earlier run that today's data no longer supports
    unrelated = DemandFactory(
        status="published",
        title="核电站辐射监测",
        description="",
        keywords=[],
        tech_field="nuclear",
    )
    stale = Match.objects.create(demand=unrelated, achievement=catalogue["water"], score=0.9)
    Match.objects.filter(pk=stale.pk).update(updated_at="2020-01-01T00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.run_start()
    after_first = _pairs()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.run_start()
    assert _pairs() == after_first
    assert not Match.objects.filter(pk=stale.pk).exists()
    for run in (first, second):
        run.refresh_from_db()
        assert (run.status, run.progress, run.done_chunks) == ("done", 100, run.total_chunks)
    assert len(after_first) == len(set((d, a) for d, a, _s in after_first))


def test_only_one_run_at_a_time(catalogue):
    running = MatchRun.objects.create(status="running")
    with pytest.raises(services.RunAlreadyActive) as exc:
        services.run_start()
    assert exc.value.run == running
    assert MatchRun.objects.count() == 1


def _run_with_claimed_chunk(task_id, claimed_at):
    run = MatchRun.objects.create(status="running", total_chunks=1)
    chunk = MatchChunk.objects.create(
        run=run,
        side="demand",
        ids=list(Demand.objects.filter(status="published").values_list("id", flat=True)),
        status="running",
        claimed_by=task_id,
        claimed_at=claimed_at,
        attempts=1,
    )
    return run, chunk


def test_a_chunk_whose_worker_died_is_redone_by_its_redelivered_task(catalogue, enterprise):
    from django.utils import timezone

    DemandFactory(organization=enterprise, status="published", title="石墨烯散热膜")
    run, chunk = _run_with_claimed_chunk("task-1", timezone.now())
    assert services.chunk_run(chunk_id=chunk.pk, task_id="someone-else") is False
    assert services.chunk_run(chunk_id=chunk.pk, task_id="task-1") is True
    run.refresh_from_db()
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts, run.status) == ("done", 2, "done")
    assert Match.objects.exists()


def test_the_sweeper_requeues_a_chunk_left_running(catalogue, enterprise):
    from datetime import timedelta

    from django.utils import timezone

    DemandFactory(organization=enterprise, status="published", title="石墨烯散热膜")
    run, _chunk = _run_with_claimed_chunk("lost", timezone.now() - timedelta(hours=1))
    assert services.runs_sweep() == 1  # eager: the re-enqueued chunk runs at once
    run.refresh_from_db()
    assert run.status == "done" and Match.objects.exists()


def test_a_run_whose_chunk_keeps_failing_is_marked_failed(catalogue):
    from django.utils import timezone

    run, chunk = _run_with_claimed_chunk("x", timezone.now())
    MatchChunk.objects.filter(pk=chunk.pk).update(attempts=services.MAX_ATTEMPTS)
    services.runs_sweep()
    run.refresh_from_db()
    assert run.status == "failed" and run.error


def test_feedback_rules(catalogue, heat_demand, django_capture_on_commit_callbacks):
    publish(heat_demand, django_capture_on_commit_callbacks)
    buyer = member_of(heat_demand.organization)
    seller = member_of(catalogue["film"].organization)
    coating = Match.objects.get(demand=heat_demand, achievement=catalogue["coating"])
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_give(match=coating, by=buyer, verdict="irrelevant")
    assert coating not in list(matches_for(heat_demand, buyer, side="demand"))
    # the other party still sees it
    assert coating in list(matches_for(catalogue["coating"], seller, side="achievement"))
    with pytest.raises(RuleBroken):
        services.feedback_give(match=coating, by=buyer, verdict="maybe")
    with pytest.raises(RuleBroken):  # not a party
        services.feedback_give(
            match=coating, by=member_of(OrganizationFactory()), verdict="relevant"
        )


def test_relevant_feedback_raises_similar_achievements(
    catalogue, enterprise, django_capture_on_commit_callbacks
):
    demand = DemandFactory(
        organization=enterprise,
        status="published",
        title="石墨烯 导热",
        description="",
        keywords=[],
        tech_field="materials",
    )
    services.match_item(side="demand", pk=demand.pk)
    before = dict(Match.objects.filter(demand=demand).values_list("achievement_id", "score"))
    buyer = member_of(enterprise)
    coating = Match.objects.get(demand=demand, achievement=catalogue["coating"])
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_give(match=coating, by=buyer, verdict="relevant")
    after = dict(Match.objects.filter(demand=demand).values_list("achievement_id", "score"))
    film, coat = catalogue["film"].pk, catalogue["coating"].pk
    assert after[coat] - after[film] > before[coat] - before[film]


def test_the_digest_tells_each_match_once(
    catalogue, heat_demand, django_capture_on_commit_callbacks
):
    heat_demand.created_by = member_of(heat_demand.organization, email="buyer@example.cn")
    heat_demand.save()
    publish(heat_demand, django_capture_on_commit_callbacks)
    Match.objects.update(score=0.9)
    with django_capture_on_commit_callbacks(execute=True):
        first = digest.send_digests()
    assert first >= 1
    note = Notification.objects.get(user=heat_demand.created_by, kind="matching.digest")
    assert "石墨烯高导热散热膜" in note.body
    assert any(m.to == ["buyer@example.cn"] for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digests() == 0  # nothing new: nothing sent
    assert Notification.objects.filter(kind="matching.digest").count() == first


def test_experts_are_recommended_but_never_of_the_demands_organisation(heat_demand):
    from experts.models import Expert
    from experts.services import expert_save

    mine = expert_save(
        expert=Expert(
            name="内部专家",
            organization=heat_demand.organization,
            keywords=["石墨烯", "散热"],
            tech_fields=["materials"],
        )
    )
    outside = expert_save(
        expert=Expert(
            name="外部专家", keywords=["石墨烯", "导热"], tech_fields=["materials"], title="教授"
        )
    )
    expert_save(expert=Expert(name="水处理专家", keywords=["污水"], tech_fields=["environment"]))
    rows = services.experts_for_demand(heat_demand)
    names = [r["expert"].name for r in rows]
    assert names[0] == "外部专家" and mine.name not in names
    assert "石墨烯" in "；".join(say(rows[0]["reasons"]))
    assert outside.match_terms
