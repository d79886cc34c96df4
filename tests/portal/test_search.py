import pytest

from achievements.filters import AchievementFilter
from achievements.models import Achievement
from portal.library.search import highlight, index_tokens, query_words
from tests.factories import AchievementFactory

pytestmark = pytest.mark.django_db


def _search(q, **params):
    qs = Achievement.objects.filter(status="published")
    return list(
        AchievementFilter({"q": q, **params}, queryset=qs).qs.values_list("title", flat=True)
    )


def test_segmentation_uses_the_domain_dictionary_and_search_mode():
    tokens = index_tokens("石墨烯散热膜的制备方法").split()
    assert "石墨烯" in tokens and "散热膜" in tokens and "散热" in tokens
    # search mode also yields the shorter words inside a compound
    assert {"锂离子电池", "锂离子", "电池"} <= set(index_tokens("锂离子电池正极材料").split())
    assert query_words("石墨烯 散热") == ["石墨烯", "散热"]


def test_a_word_finds_a_longer_compound_inside_the_text():
    AchievementFactory(
        title="高导热石墨烯散热膜量产工艺", status="published", description="", keywords=[]
    )
    AchievementFactory(title="矿山机械液压支架", status="published", keywords=[])
    assert _search("石墨烯") == ["高导热石墨烯散热膜量产工艺"]
    assert _search("散热") == ["高导热石墨烯散热膜量产工艺"]  # two characters inside 散热膜
    assert _search("电池") == []


def test_a_title_match_ranks_above_a_description_match():
    AchievementFactory(
        title="污水生物处理工艺",
        status="published",
        keywords=[],
        summary="",
        description="其中也用到了膜分离技术。",
    )
    AchievementFactory(
        title="高通量膜分离装备",
        status="published",
        keywords=[],
        summary="",
        description="用于工业水处理。",
    )
    AchievementFactory(title="无关的农业机械", status="published", keywords=[])
    assert _search("膜分离") == ["高通量膜分离装备", "污水生物处理工艺"]


def test_every_word_of_the_query_must_match():
    AchievementFactory(title="石墨烯散热膜", status="published", keywords=[])
    AchievementFactory(title="石墨烯电池负极材料", status="published", keywords=[])
    assert _search("石墨烯 散热") == ["石墨烯散热膜"]


@pytest.mark.parametrize(
    ("title", "q"),
    [("5G基站用高导热材料", "5G"), ("PCB缺陷视觉检测系统", "pcb"), ("CO2捕集与资源化利用", "CO2")],
)
def test_mixed_chinese_latin_and_digits(title, q):
    AchievementFactory(title=title, status="published", keywords=[])
    AchievementFactory(title="无关的成果", status="published", keywords=[])
    assert _search(q) == [title]


def test_keywords_and_summary_are_searched():
    AchievementFactory(title="新型工艺", keywords=["钙钛矿"], status="published")
    AchievementFactory(title="另一种工艺", summary="基于数字孪生的运维平台", status="published")
    assert _search("钙钛矿") == ["新型工艺"]
    assert _search("数字孪生") == ["另一种工艺"]


def test_the_index_follows_every_save():
    from achievements.services import achievement_update
    from tests.factories import member_of

    item = AchievementFactory(title="旧的标题", keywords=[])
    achievement_update(
        achievement=item, by=member_of(item.organization), data={"title": "碳纳米管导电浆料"}
    )
    Achievement.objects.filter(pk=item.pk).update(status="published")
    assert _search("碳纳米管") == ["碳纳米管导电浆料"]
    assert _search("旧的标题") == []


def test_a_query_without_searchable_words_does_not_filter():
    AchievementFactory(status="published")
    assert len(_search("的 ，。")) == 1


def test_highlighting_marks_the_words_and_escapes_the_rest():
    html = str(highlight("<b>石墨烯</b>散热膜", "石墨烯"))
    assert html == "&lt;b&gt;<mark>石墨烯</mark>&lt;/b&gt;散热膜"
