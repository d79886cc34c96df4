from django.utils.translation import gettext_lazy

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
        (gettext_lazy("No."), lambda a: a.pk),
        (gettext_lazy("Achievement title"), lambda a: a.title),
        (gettext_lazy("Owner organisation"), lambda a: a.organization.name),
        (gettext_lazy("Technology field"), lambda a: a.get_tech_field_display()),
        (gettext_lazy("Technology readiness level"), lambda a: a.trl),
        (gettext_lazy("Pricing"), lambda a: a.get_pricing_mode_display()),
        (gettext_lazy("Asking price (yuan)"), lambda a: a.asking_price),
        (gettext_lazy("Keywords"), lambda a: "、".join(a.keywords)),
        (gettext_lazy("Patents"), lambda a: "、".join(a.patents)),
        (gettext_lazy("Market of the organisation"), lambda a: a.organization.market.display_name),
        (
            gettext_lazy("Published on"),
            lambda a: a.published_at and a.published_at.strftime("%Y-%m-%d"),
        ),
    ),
    can_create=can_create,
)
