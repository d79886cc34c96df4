"""The search engine (portal/library/engine.py): kept in step with PostgreSQL
by its triggers, answering what PostgreSQL would answer, never showing what
the account may not see, rebuilt and resumed from PostgreSQL."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Market
from achievements.filters import AchievementFilter
from achievements.models import Achievement
from demands.filters import DemandFilter
from demands.models import Demand
from portal.core.models import SearchPending
from portal.library import engine
from scenarios.models import Scenario
from tests.factories import (
    AchievementFactory,
    DemandFactory,
    OrganizationFactory,
    StaffFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def published(factory=AchievementFactory, **kwargs):
    return factory(status="published", published_at=kwargs.pop("published_at", NOW), **kwargs)


def found(api, q: str, **params) -> list[int]:
    response = api.get("/api/v1/achievements/", {"q": q, **params})
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def marked(model) -> set[int]:
    return set(
        SearchPending.objects.filter(table_name=model._meta.db_table).values_list(
            "item_id", flat=True
        )
    )


def test_a_write_is_marked_in_its_transaction_and_searchable_by_the_next_search(api):
    item = published(title="钙钛矿叠层太阳能电池制备工艺")
    assert item.pk in marked(Achievement)
    assert found(api, "钙钛矿") == [item.pk]
    assert item.pk not in marked(Achievement)  # the search synced it into the index
    Achievement.objects.filter(pk=item.pk).update(status="withdrawn")
    assert item.pk in marked(Achievement)
    assert found(api, "钙钛矿") == []


def test_a_rolled_back_write_leaves_no_mark():
    item = published(title="磷石膏综合利用")
    engine.sync_all(Achievement)
    with pytest.raises(RuntimeError), transaction.atomic():
        Achievement.objects.filter(pk=item.pk).update(status="withdrawn")
        assert item.pk in marked(Achievement)
        raise RuntimeError
    assert item.pk not in marked(Achievement)


def test_a_change_that_the_engine_does_not_hold_marks_nothing():
    item = published()
    engine.sync_all(Achievement)
    Achievement.objects.filter(pk=item.pk).update(reject_reason="note only staff read")
    assert item.pk not in marked(Achievement)


def test_an_organisation_moving_market_marks_its_items_and_the_facet_follows(api):
    org = OrganizationFactory(kind="university")
    item = published(organization=org, title="秸秆高值化利用")
    assert found(api, "秸秆", market="wuhan") == [item.pk]
    yichang = Market.objects.get(code="yichang")
    type(org).objects.filter(pk=org.pk).update(market=yichang, region_code="420502")
    assert item.pk in marked(Achievement)
    assert found(api, "秸秆", market="yichang") == [item.pk]
    assert found(api, "秸秆", market="wuhan") == []
    assert found(api, "秸秆", region_code="4205") == [item.pk]


def test_drafts_are_searched_only_by_who_may_see_them(api):
    org = OrganizationFactory(kind="university")
    draft = AchievementFactory(organization=org, title="膜电极批量制备")
    public = published(organization=org, title="膜电极检测方法")
    assert found(api, "膜电极") == [public.pk]
    api.force_authenticate(member_of(OrganizationFactory(kind="university")))
    assert found(api, "膜电极") == [public.pk]
    api.force_authenticate(member_of(org))
    assert set(found(api, "膜电极")) == {draft.pk, public.pk}
    api.force_authenticate(StaffFactory())  # staff of the organisation's market (Wuhan)
    assert set(found(api, "膜电极")) == {draft.pk, public.pk}


def test_a_stale_engine_entry_never_shows_what_postgresql_hides(api):
    """The engine is told a draft is published (as if it missed a change):
    the list re-reads the ids through the visibility rule."""
    draft = AchievementFactory(title="氢燃料电池催化剂")
    engine.sync_all(Achievement)
    handle = engine._handle(Achievement)
    row = dict(engine._rows(Achievement, Achievement.objects.filter(pk=draft.pk))[0])
    row["status"] = "published"
    writer = handle.index.writer(engine.WRITER_HEAP, 1)
    writer.add_document(engine._document(Achievement, row))
    writer.commit()
    writer.wait_merging_threads()
    handle.index.reload()
    response = api.get("/api/v1/achievements/", {"q": "氢燃料"})
    assert response.json()["results"] == []
    assert response.json()["count"] == 0


def test_the_engine_answers_what_postgresql_answers(api, monkeypatch):
    """Random items and queries with every filter the engine takes: the same
    ids as the PostgreSQL search, in every library that has the engine."""
    rng = random.Random(7)
    words = ["石墨烯", "散热", "废水", "零排放", "机器视觉", "缺陷检测", "钛合金", "增材"]
    orgs = [
        OrganizationFactory(kind=kind, region_code=region)
        for region in ("420111", "420502", "420602")  # Wuhan, Yichang, Xiangyang
        for kind in ("university", "enterprise")
    ]
    for i in range(40):
        text = "".join(rng.sample(words, 3))
        published(
            title=f"{text}{i}",
            organization=rng.choice([o for o in orgs if o.kind == "university"]),
            tech_field=rng.choice(["materials", "energy"]),
            industries=[rng.choice(["smart_mfg", "new_materials"])],
            trl=rng.randint(1, 9),
            pricing_mode=rng.choice(["negotiated", "listed"]),
            asking_price=None if rng.random() < 0.3 else Decimal(rng.randint(1, 50) * 100000),
            published_at=NOW - datetime.timedelta(days=i),
        )
        published(
            DemandFactory,
            title=f"{text}需求{i}",
            organization=rng.choice([o for o in orgs if o.kind == "enterprise"]),
            budget_min=None if rng.random() < 0.3 else rng.randint(1, 5) * 100000,
            budget_max=None if rng.random() < 0.3 else rng.randint(6, 20) * 100000,
            cooperation_modes=[rng.choice(["purchase", "cooperation"])],
            is_challenge=False,
        )
    checks = [
        (AchievementFilter, Achievement, {"tech_field": "materials"}),
        (AchievementFilter, Achievement, {"trl_min": "5", "pricing_mode": "listed"}),
        (AchievementFilter, Achievement, {"price_max": "2000000", "industry": "smart_mfg"}),
        (AchievementFilter, Achievement, {"market": "yichang", "trl_max": "6"}),
        (DemandFilter, Demand, {"budget_min": "800000"}),
        (DemandFilter, Demand, {"budget_max": "300000", "cooperation_mode": "purchase"}),
        (DemandFilter, Demand, {"is_challenge": "false", "market": "wuhan"}),
    ]
    asked, answered = [], 0
    search_hits = engine.search_hits

    def spy(*args, **kwargs):
        asked.append(args[1])
        return search_hits(*args, **kwargs)

    monkeypatch.setattr(engine, "search_hits", spy)
    for q in ["石墨烯", "废水 零排放", "视觉缺陷", "钛合金增材", "增"]:
        for filterset, model, params in [(f, m, {}) for f, m, _p in checks[::4]] + checks:
            data = {"q": q, **params}
            by_engine = list(
                filterset(data, queryset=model.objects.filter(status="published")).qs.values_list(
                    "pk", flat=True
                )
            )
            with monkeypatch.context() as patched:
                patched.setattr(engine, "ready", lambda model: False)
                by_postgres = set(
                    filterset(
                        data, queryset=model.objects.filter(status="published")
                    ).qs.values_list("pk", flat=True)
                )
            assert set(by_engine) == by_postgres, (model.__name__, data)
            answered += bool(by_postgres)
    assert len(asked) == 5 * 9  # the engine answered each (the patched runs did not ask it)
    assert answered > 30


def test_rarer_words_weigh_more(api):
    """Both items hold both words, one in the title, one in the description;
    the one with the rare word in its title ranks first, although the other is
    newer (ts_rank, which knows no word frequencies, would tie them)."""
    for i in range(15):
        published(
            title=f"电机控制器{i}", keywords=[], published_at=NOW - datetime.timedelta(days=9)
        )
    rare_in_title = published(
        title="钕铁硼永磁体",
        keywords=[],
        summary="",
        description="用于电机控制器",
        published_at=NOW - datetime.timedelta(days=2),
    )
    common_in_title = published(
        title="电机控制器",
        keywords=[],
        summary="",
        description="采用钕铁硼永磁体",
        published_at=NOW - datetime.timedelta(days=1),
    )
    assert found(api, "钕铁硼 电机控制器")[:2] == [rare_in_title.pk, common_in_title.pk]


def test_a_query_with_more_matches_than_the_exact_limit_shows_the_engines_count(api):
    org = OrganizationFactory(kind="university")
    items = Achievement.objects.bulk_create(
        Achievement(
            title=f"检测仪器{i}",
            organization=org,
            tech_field="materials",
            trl=5,
            pricing_mode="negotiated",
            status="published",
            published_at=NOW,
        )
        for i in range(1005)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE achievements_achievement SET search_vector = "
            "to_tsvector('simple', '检测 仪器') || '''检测'':9 ''测仪'':10 ''仪器'':11'::tsvector "
            "WHERE id = ANY(%s)",
            [[item.pk for item in items]],
        )
    response = api.get("/api/v1/achievements/", {"q": "检测仪器", "page_size": 100})
    assert response.json()["count"] == 1005
    assert response["X-Count-Estimated"] == "true"
    assert len(response.json()["results"]) == 100
    narrowed = api.get("/api/v1/achievements/", {"q": "检测仪器", "organization": org.pk + 1})
    assert narrowed.json()["count"] == 0


def test_the_rebuild_resumes_where_it_stopped_and_the_old_index_serves_meanwhile(api):
    items = [published(title=f"光伏组件清洗机器人{i}") for i in range(7)]
    engine.sync_all(Achievement)
    live = engine._current(Achievement)
    seen = []

    def stop_after_two_batches(done, total):
        seen.append(done)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.rebuild(Achievement, batch=2, progress=stop_after_two_batches)
    assert engine._current(Achievement) == live
    assert set(found(api, "光伏组件")) == {item.pk for item in items}
    total = Achievement.objects.count()
    resumed = []
    engine.rebuild(Achievement, batch=2, progress=lambda done, total: resumed.append(done))
    assert resumed[0] == 6 and resumed[-1] == total  # it went on after the 4 it had
    assert engine._current(Achievement) != live
    assert engine.size(Achievement) == total  # none twice
    assert set(found(api, "光伏组件")) == {item.pk for item in items}


def test_rows_changed_while_the_rebuild_ran_are_marked_again():
    item = published(title="中药饮片溯源")
    engine.sync_all(Achievement)
    started = timezone.now() - datetime.timedelta(seconds=1)
    generation = engine._current(Achievement)
    engine._switch(Achievement, generation, started)
    assert item.pk not in marked(Achievement)  # synced at once
    assert engine.search_hits(Achievement, "饮片", conditions=[], visible=None).pks == [item.pk]


def test_without_an_index_the_search_runs_in_postgresql(api, settings, tmp_path):
    item = published(title="柔性传感器")
    settings.SEARCH_INDEX_DIR = tmp_path / "none-yet"
    assert not engine.ready(Achievement)
    assert found(api, "柔性传感器") == [item.pk]


def test_a_search_in_another_order_sorts_its_best_matches_in_it(api):
    items = [
        published(title=f"激光焊接机器人{i}", published_at=NOW - datetime.timedelta(days=i))
        for i in range(80)
    ]
    oldest_first = list(reversed([item.pk for item in items]))
    response = api.get(
        "/api/v1/achievements/", {"q": "激光焊接", "ordering": "published_at", "page_size": 100}
    )
    assert [row["id"] for row in response.json()["results"]] == oldest_first
    page_2 = api.get("/api/v1/achievements/", {"q": "激光焊接", "page": 2, "page_size": 50})
    assert len(page_2.json()["results"]) == 30
    assert page_2.json()["count"] == 80


def test_the_rebuild_command_and_the_sync_job():
    from django.core.management import call_command

    from portal.library.tasks import search_sync

    items = [published(title=f"生物降解地膜{i}") for i in range(3)]
    out = io.StringIO()
    call_command("search_rebuild", "--library", "achievements", stdout=out)
    assert "achievements: 3 items indexed" in out.getvalue()
    again = io.StringIO()
    call_command("search_rebuild", "--if-missing", stdout=again)
    assert "indexed" not in again.getvalue()  # every library has its index
    Achievement.objects.filter(pk=items[0].pk).update(status="withdrawn")
    assert search_sync.delay().get() == 1
    assert not marked(Achievement)
    hits = engine.search_hits(Achievement, "地膜", conditions=[], visible=["status=published"])
    assert sorted(hits.pks) == sorted(item.pk for item in items[1:])


def test_central_staff_see_the_engine_falling_behind(client, settings, tmp_path):
    from accounts.models import Market
    from tests.factories import UserFactory

    item = published(title="钛合金增材制造")
    SearchPending.objects.filter(item_id=item.pk).update(
        queued_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    central = UserFactory(organization=None, staff_market=Market.objects.get(code="wuhan"))
    client.force_login(central)
    tasks = {t.label: t.count for t in client.get("/workspace/").context["tasks"]}
    assert tasks["搜索索引：等待超过 5 分钟的变更"] == 1
    assert tasks["未启用搜索引擎的资源库（请运行 search_rebuild）"] == 0
    engine.sync_all(Achievement)
    settings.SEARCH_INDEX_DIR = tmp_path / "none-yet"
    tasks = {t.label: t.count for t in client.get("/workspace/").context["tasks"]}
    assert tasks["搜索索引：等待超过 5 分钟的变更"] == 0
    assert tasks["未启用搜索引擎的资源库（请运行 search_rebuild）"] == 3
    client.force_login(member_of(OrganizationFactory()))
    labels = {t.label for t in client.get("/workspace/").context["tasks"]}
    assert "搜索索引：等待超过 5 分钟的变更" not in labels


def test_every_library_of_items_is_kept_in_step_by_its_triggers():
    """A library of reviewed items gets the engine only with the triggers that
    keep its index in step (portal migration 0010); each of ours has them."""
    from portal.core import registry
    from portal.library.models import LibraryItem

    items = {lib.model for lib in registry.libraries() if issubclass(lib.model, LibraryItem)}
    assert items == set(engine.models_indexed()) == {Achievement, Demand, Scenario}
