"""Search never misses a word it shows (issue 18, point 1): every run of 2–6
characters of a title, keyword, summary or description finds its item, in
every library, the search across libraries and saved searches, whatever jieba
does around it."""

import datetime
import random

import pytest
from django.contrib.postgres.search import SearchQuery
from django.utils import timezone

from achievements.models import Achievement
from portal.core import registry
from portal.library.search import query_words, search_query
from tests.factories import AchievementFactory, DemandFactory, StaffFactory, member_of

pytestmark = pytest.mark.django_db

# Words of real listings; titles join them with the particles people write, so
# that jieba segments across the joins in ways a query does not.
WORDS = (
    "氢燃料 电池 催化剂 输电线路 巡检 无人机 茶多酚 提取 高值化 利用 秸秆 锂离子 正极 材料 "
    "回收 污水 深度处理 膜分离 石墨烯 散热膜 激光 焊接 机器人 视觉 检测 钢渣 微粉 光伏 "
    "组件 清洗 磷石膏 综合利用 中药 饮片 溯源 柔性 传感器 生物 降解 地膜 增材 制造 钛合金"
).split()
JOINS = ("", "的", "与", "用", "高效", "低成本")


def titles(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = rng.sample(WORDS, 3)
        out.append(rng.choice(JOINS) + words[0] + rng.choice(JOINS) + words[1] + words[2])
    return out


def substrings(text: str) -> set[str]:
    return {text[i : i + n] for n in range(2, 7) for i in range(len(text) - n + 1)}


def publish(library: str, text: str):
    """A published item of the library whose title (an expert's keyword) is the text."""
    if library == "achievements":
        return AchievementFactory(status="published", keywords=[], summary="", title=text)
    if library == "demands":
        return DemandFactory(
            status="published", published_at=timezone.now(), keywords=[], title=text
        )
    if library == "scenarios":
        from scenarios import services

        publisher = member_of(DemandFactory().organization)
        data = {
            "description": "开放场景",
            "tech_field": "materials",
            "keywords": ["场景"],
            "deadline": datetime.date.today() + datetime.timedelta(days=30),
            "title": text,
        }
        scenario = services.scenario_create(by=publisher, data=data)
        services.scenario_submit(scenario=scenario, by=publisher)
        return services.scenario_approve(scenario=scenario, by=StaffFactory())
    if library == "experts":
        from experts.models import Expert
        from experts.services import expert_save

        return expert_save(
            expert=Expert(name="王教授", tech_fields=["materials"], keywords=[text], title="教授")
        )
    if library == "cases":
        from cases import services
        from cases.models import Case

        staff = StaffFactory()
        case = services.case_save(
            case=Case(
                title=text,
                summary="案例",
                body="正文",
                tech_field="materials",
                region_code="420111",
            ),
            by=staff,
        )
        return services.case_publish(case=case, by=staff)
    raise AssertionError(f"no maker for the library {library}")


def found(lib, q: str) -> set[int]:
    return set(lib.filterset({"q": q}, queryset=lib.published()).qs.values_list("pk", flat=True))


LIBRARIES = ("achievements", "demands", "scenarios", "experts", "cases")


def test_every_library_is_covered():
    searchable = {lib.name for lib in registry.libraries() if lib.filterset and lib.published}
    assert searchable == set(LIBRARIES)


@pytest.mark.parametrize("library", LIBRARIES)
def test_every_substring_of_a_title_finds_its_item(library):
    lib = registry.library(library)
    items = [(publish(library, text), text) for text in titles(4, seed=len(library))]
    missed = []
    for item, text in items:
        for sub in sorted(substrings(text)):
            if item.pk not in found(lib, sub):
                missed.append((text, sub))
    assert missed == []


def test_segmentation_alone_would_miss_what_the_bigrams_find():
    item = AchievementFactory(status="published", title="低成本的氢燃料电池催化剂", keywords=[])
    words = query_words("氢燃料")
    by_words_only = SearchQuery(words[0], config="simple")
    for word in words[1:]:
        by_words_only &= SearchQuery(word, config="simple")
    assert not Achievement.objects.filter(pk=item.pk, search_vector=by_words_only).exists()
    assert Achievement.objects.filter(pk=item.pk, search_vector=search_query("氢燃料")).exists()


def test_summary_and_description_runs_are_found():
    item = AchievementFactory(
        status="published",
        title="某成果",
        keywords=[],
        summary="采用多孔吸声材料降低厂界噪音",
        description="适用于输电线路的在线巡检",
    )
    for q in ("吸声材", "界噪", "电线", "线巡"):
        assert item.pk in found(registry.library("achievements"), q), q


def test_a_phrase_never_spans_two_runs_or_two_fields():
    AchievementFactory(
        status="published", title="氢燃 料电", keywords=[], summary="", description=""
    )
    AchievementFactory(status="published", title="氢燃", keywords=["料电"], summary="")
    assert found(registry.library("achievements"), "氢燃料电") == set()


@pytest.mark.parametrize("q", ["5G", "pcb", "CO2", "7075铝合金", "7075 铝合金"])
def test_mixed_chinese_latin_and_digits_still_work(q):
    item = AchievementFactory(
        status="published", title="面向5G基站的7075铝合金PCB与CO2冷却", keywords=[]
    )
    AchievementFactory(status="published", title="无关的农业机械", keywords=[])
    assert found(registry.library("achievements"), q) == {item.pk}


def test_the_search_across_libraries_and_saved_searches_find_substrings(client):
    from portal.site.subscriptions import new_items, subscription_create

    user = member_of(DemandFactory().organization)
    subscription = subscription_create(user=user, library="achievements", query="q=氢燃料")
    item = AchievementFactory(
        status="published",
        published_at=timezone.now(),
        title="低成本的氢燃料电池催化剂",
        keywords=[],
    )
    page = client.get("/search/", {"q": "氢燃料"})
    groups = {g["library"]: [i.pk for i in g["items"]] for g in page.context["groups"]}
    assert groups["achievements"] == [item.pk]
    assert "<mark>氢燃料</mark>" in page.content.decode()
    assert [i.pk for i in new_items(subscription)] == [item.pk]


def _ranked(q: str) -> list[str]:
    lib = registry.library("achievements")
    return list(
        lib.filterset({"q": q}, queryset=lib.published()).qs.values_list("title", flat=True)
    )


def test_a_contiguous_match_ranks_above_scattered_words():
    AchievementFactory(
        status="published", title="燃料添加剂与电池外壳", keywords=[], summary="", description=""
    )
    AchievementFactory(
        status="published", title="车用燃料电池电堆", keywords=[], summary="", description=""
    )
    assert _ranked("燃料 电池") == ["车用燃料电池电堆", "燃料添加剂与电池外壳"]


def test_a_title_run_ranks_above_the_same_run_in_the_description():
    AchievementFactory(
        status="published", title="某工艺", keywords=[], summary="", description="含茶多酚提取"
    )
    AchievementFactory(status="published", title="茶多酚提取工艺", keywords=[], summary="")
    assert _ranked("多酚提")[0] == "茶多酚提取工艺"
