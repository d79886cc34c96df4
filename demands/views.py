from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        (gettext_lazy("No."), lambda d: d.pk),
        (gettext_lazy("Demand title"), lambda d: d.title),
        (gettext_lazy("Posting enterprise"), lambda d: d.organization.name),
        (gettext_lazy("Technology field"), lambda d: d.get_tech_field_display()),
        (gettext_lazy("Budget from (yuan)"), lambda d: d.budget_min),
        (gettext_lazy("Budget up to (yuan)"), lambda d: d.budget_max),
        (gettext_lazy("Deadline"), lambda d: d.deadline.strftime("%Y-%m-%d")),
        (gettext_lazy("Open challenge"), lambda d: str(_("Yes") if d.is_challenge else _("No"))),
        (gettext_lazy("Reward (yuan)"), lambda d: d.reward),
        (gettext_lazy("Keywords"), lambda d: "、".join(d.keywords)),
        (gettext_lazy("Market of the organisation"), lambda d: d.organization.market.display_name),
        (
            gettext_lazy("Published on"),
            lambda d: d.published_at and d.published_at.strftime("%Y-%m-%d"),
        ),
    ),
    can_create=can_create,
)
