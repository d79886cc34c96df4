"""One call registers a library of reviewed items (achievements, demands,
scenarios, and the market's next ones): its place in the registry, with the
visibility, review queue, reindexing and cache every such library has; its
card and home section; its "My …" link and its workspace lines.

    register_item_library(
        Demand, filterset=DemandFilter, title=_("Technical demands"),
        description=_("…"), order=20, can_create=can_create,
        menu_label=_("My demands"), menu_order=20, matching="demand",
        tasks=selectors.workspace_tasks, home=registry.Section(...),
    )

The app's name is the library's name, its URL namespace (`<name>:list`,
`<name>:mine`), its saved-search code, and where its pages (`<name>.urls`,
under /<name>/) and its API (`viewset`, under /api/v1/<name>/) are served.
"""

from functools import partial

from portal.core import registry
from portal.library.selectors import (
    items_of_organization,
    items_published,
    items_visible_to,
    review_queue,
)
from portal.library.services import item_reindex


def register_item_library(
    model,
    *,
    filterset,
    title: str,
    description: str,
    order: int,
    can_create,
    menu_label: str,
    menu_order: int,
    tasks,
    viewset,
    home: registry.Section | None = None,
    matching: str | None = None,
) -> registry.Library:
    name = model._meta.app_label
    library = registry.register(
        registry.Library(
            name=name,
            model=model,
            visible=partial(items_visible_to, model),
            published=partial(items_published, model),
            filterset=filterset,
            list_url=f"{name}:list",
            mine=partial(items_of_organization, model),
            review_queue=partial(review_queue, model),
            index=item_reindex,
            matching=matching,
            subscribable=True,
            cached=True,
            title=title,
            description=description,
            urls=f"{name}.urls",
            viewset=viewset,
            order=order,
        )
    )
    if home is not None:
        registry.add_home_section(home)
    registry.add_tasks(tasks)
    registry.add_menu_item(
        registry.MenuItem("mine", name, menu_label, f"{name}:mine", can_create, order=menu_order)
    )
    return library


def newest(model, *, count: int, order_by: str = "-published_at"):
    """A home section's items: the newest published (or by `order_by`)."""
    return lambda user: items_published(model).order_by(order_by)[:count]
