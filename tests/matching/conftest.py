import pytest

from tests.factories import AchievementFactory, DemandFactory, OrganizationFactory


@pytest.fixture
def enterprise():
    return OrganizationFactory(kind="enterprise", name="武汉某电子公司")


@pytest.fixture
def university():
    return OrganizationFactory(kind="university", name="某大学")


@pytest.fixture
def catalogue(university):
    """Published achievements: one that solves the demand below, one that only
    shares a word with it, and one unrelated."""
    return {
        "film": AchievementFactory(
            organization=university,
            status="published",
            title="石墨烯高导热散热膜",
            summary="用于手机芯片散热的超薄导热膜",
            tech_field="materials",
            industries=["materials"],
            keywords=["石墨烯", "散热"],
            trl=7,
        ),
        "coating": AchievementFactory(
            organization=university,
            status="published",
            title="石墨烯改性防腐涂料",
            summary="船舶重防腐涂层",
            tech_field="materials",
            industries=["materials"],
            keywords=["石墨烯", "防腐"],
            trl=8,
        ),
        "water": AchievementFactory(
            organization=university,
            status="published",
            title="城市污水厌氧氨氧化脱氮",
            summary="污水处理厂提标改造",
            tech_field="environment",
            industries=["green_chem"],
            keywords=["污水"],
            trl=8,
        ),
    }


@pytest.fixture
def heat_demand(enterprise):
    return DemandFactory(
        organization=enterprise,
        status="pending",
        title="手机散热材料需求",
        description="需要高导热石墨烯膜解决芯片发热",
        tech_field="materials",
        industries=["materials"],
        keywords=["散热"],
        cooperation_modes=["purchase"],
        budget_min=None,
        budget_max=None,
    )
