from achievements import selectors, services
from achievements.filters import AchievementFilter
from achievements.forms import AchievementForm
from achievements.models import Achievement
from achievements.permissions import can_create
from portal.library import views as library
from portal.library.selectors import items_published

PAGES = library.LibraryPages(
    namespace="achievements",
    model=Achievement,
    form=AchievementForm,
    filterset=AchievementFilter,
    visible=selectors.achievements_visible_to,
    published=lambda: items_published(Achievement),
    mine=selectors.achievements_of_organization,
    services=services.SERVICES,
    export_columns=(
        ("编号", lambda a: a.pk),
        ("成果名称", lambda a: a.title),
        ("所属机构", lambda a: a.organization.name),
        ("技术领域", lambda a: a.get_tech_field_display()),
        ("技术就绪水平", lambda a: a.trl),
        ("定价方式", lambda a: a.get_pricing_mode_display()),
        ("挂牌价格（元）", lambda a: a.asking_price),
        ("关键词", lambda a: "、".join(a.keywords)),
        ("专利", lambda a: "、".join(a.patents)),
        ("所属市场", lambda a: a.organization.market.name),
        ("发布时间", lambda a: a.published_at and a.published_at.strftime("%Y-%m-%d")),
    ),
    can_create=can_create,
)
