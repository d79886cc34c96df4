"""The engine on small hand-made data: what ranks above what, and why."""

import numpy as np
import pytest

from matching.engine import Doc, Index, Queries, rank_achievements, rank_demands, with_feedback
from portal.library.terms import terms_of


def achievement(
    id,
    title,
    summary="",
    *,
    field="materials",
    trl=7,
    price=None,
    org=None,
    industries=("materials",),
    market=1,
):
    return Doc(
        id=id,
        terms=terms_of({"a": [title], "b": [summary]}),
        tech_field=field,
        industries=list(industries),
        trl=trl,
        price=price,
        org_id=org or 100 + id,
        market_id=market,
    )


def demand(
    id,
    title,
    text="",
    *,
    field="materials",
    modes=("purchase",),
    budget=None,
    org=1,
    industries=("materials",),
    market=1,
):
    return Doc(
        id=id,
        terms=terms_of({"a": [title], "c": [text]}),
        tech_field=field,
        industries=list(industries),
        modes=list(modes),
        budget_max=budget,
        org_id=org,
        market_id=market,
    )


@pytest.fixture(scope="module")
def index():
    return Index(
        [
            achievement(1, "石墨烯高导热散热膜", "用于手机芯片散热的超薄导热膜"),
            achievement(2, "石墨烯改性防腐涂料", "船舶重防腐涂层", field="materials"),
            achievement(
                3,
                "退役锂离子电池梯次利用评估",
                "电池健康状态快速评估",
                field="energy",
                industries=("nev",),
            ),
            achievement(
                4, "城市污水厌氧氨氧化脱氮", "", field="environment", industries=("green_chem",)
            ),
            achievement(5, "高速光模块封装", "", field="electronics", industries=("optics_chips",)),
        ]
    )


def ranked(index, *demands, k=5):
    queries = Queries(list(demands), index)
    return [[h.id for h in hits] for hits in rank_demands(queries, index, k=k)]


def test_the_relevant_achievement_beats_a_keyword_sharing_distractor(index):
    [order] = ranked(index, demand(1, "手机散热材料", "需要高导热石墨烯膜解决芯片发热"))
    assert order[0] == 1
    assert order.index(1) < order.index(2)  # 石墨烯 alone does not make 防腐涂料 relevant


def test_near_synonyms_meet(index):
    # 动力电池 and 锂离子电池 belong to one synonym group
    [order] = ranked(index, demand(2, "动力电池回收利用", field="energy", industries=("nev",)))
    assert order[0] == 3


def test_a_demand_without_text_is_matched_on_its_field(index):
    [order] = ranked(index, demand(3, "", field="environment", industries=("green_chem",)))
    assert order == [4]


def test_an_item_of_the_same_organisation_never_matches(index):
    [order] = ranked(index, demand(4, "石墨烯散热膜", org=101))  # achievement 1's owner
    assert 1 not in order


def test_scores_are_between_zero_and_one_and_sorted(index):
    queries = Queries([demand(5, "石墨烯高导热散热膜 手机 芯片 散热 导热膜")], index)
    hits = rank_demands(queries, index)[0]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_price_and_maturity_decide_between_equal_texts():
    twins = Index(
        [
            achievement(1, "磷石膏制建材技术", trl=8, price=500000),
            achievement(2, "磷石膏制建材技术", trl=3, price=5000000),
        ]
    )
    hits = rank_demands(Queries([demand(1, "磷石膏制建材技术", budget=1000000)], twins), twins)[0]
    assert [h.id for h in hits] == [1, 2]
    assert hits[0].signals["price"] == 1.0 and hits[1].signals["price"] == 0.0
    assert hits[0].signals["maturity"] == 1.0 and hits[1].signals["maturity"] == 0.0


def test_achievement_side_reads_the_same_scores(index):
    demands = [demand(1, "手机散热材料", "石墨烯导热膜"), demand(2, "船舶防腐涂料石墨烯")]
    queries = Queries(demands, index)
    by_demand = rank_demands(queries, index)
    by_achievement = rank_achievements(queries, index, cols=np.array([0, 1]))
    score = {(1, h.id): h.score for h in by_demand[0]} | {(2, h.id): h.score for h in by_demand[1]}
    for col, hits in zip((1, 2), by_achievement, strict=True):
        for hit in hits:
            assert score[(hit.id, col)] == pytest.approx(hit.score)


def test_feedback_moves_the_query_towards_what_was_marked_relevant(index):
    query = demand(1, "石墨烯 导热")
    queries = Queries([query], index)
    before = {h.id: h.score for h in rank_demands(queries, index)[0]}
    assert before[1] > before[2]  # the text favours the heat-spreading film
    moved = with_feedback(queries.matrix.getrow(0), [index.row(2)], [index.row(1)])
    hits = rank_demands(Queries([query], index, moved), index)[0]
    after = {h.id: h.score for h in hits}
    assert hits[0].id == 2  # the owner said the coating is what they want
    assert after[2] - after[1] > before[2] - before[1]
