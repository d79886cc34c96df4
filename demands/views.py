from demands import selectors, services
from demands.filters import DemandFilter
from demands.forms import DemandForm
from demands.models import Demand
from demands.permissions import can_create
from portal.library import views as library
from portal.library.selectors import items_published

PAGES = library.LibraryPages(
    namespace="demands",
    model=Demand,
    form=DemandForm,
    filterset=DemandFilter,
    visible=selectors.demands_visible_to,
    published=lambda: items_published(Demand),
    mine=selectors.demands_of_organization,
    services=services.SERVICES,
    export_columns=(
        ("编号", lambda d: d.pk),
        ("需求名称", lambda d: d.title),
        ("发布企业", lambda d: d.organization.name),
        ("技术领域", lambda d: d.get_tech_field_display()),
        ("预算下限（元）", lambda d: d.budget_min),
        ("预算上限（元）", lambda d: d.budget_max),
        ("截止日期", lambda d: d.deadline.strftime("%Y-%m-%d")),
        ("揭榜挂帅", lambda d: "是" if d.is_challenge else "否"),
        ("悬赏金额（元）", lambda d: d.reward),
        ("关键词", lambda d: "、".join(d.keywords)),
        ("所属市场", lambda d: d.organization.market.name),
        ("发布时间", lambda d: d.published_at and d.published_at.strftime("%Y-%m-%d")),
    ),
    can_create=can_create,
)
