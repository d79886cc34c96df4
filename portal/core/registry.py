"""The registry: where the apps tell the core and the site what they hold.

The core never imports an app; each app registers itself in its
`AppConfig.ready()`, and whatever lists libraries, review queues, workspace
tasks, home sections or detail-page panels iterates this registry
(docs/architecture.md, "Adding a library"):

    registry.register(Library(name="achievements", model=Achievement, ...))
    registry.add_panel("achievements", Panel(template=..., context=...))
    registry.add_tasks(tasks_for)        # (user) -> [Task, ...]
    registry.add_review_section(Section(...))

Everything registered here is plain data and callables: nothing in the core
knows what an achievement is.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Library:
    """One library of the "five libraries and one catalogue".

    name         the URL namespace, the API base name and the saved-search code
    model        the item model
    visible      selector (user) → queryset: what the account may see (detail pages)
    published    () → queryset of the public items (search, digests), or None
    filterset    the FilterSet of its list (search, saved searches), or None
    list_url     the URL name of its public list
    mine         selector (user) → queryset of the account's organisation's items, or None
    review_queue selector (user) → queryset of items waiting for the user's review, or None
    index        (item) → None: recompute its search vector (reindex_search), or None
    matching     "supply" or "demand" when its published items are matched, else None
    subscribable saved searches and their digests may follow it
    cached       its anonymous API lists are cached on the change counter
                 (portal migration 0005 must put a trigger on its table)
    description  one line for the home page's row of libraries (no card if empty)
    title        its name on that row (its model's plural name if empty)
    urls         the module of its pages' URLs, served under /<name>/ (or "")
    viewset      its API viewset, routed at /api/v1/<name>/ (or None)
    order        where it stands in lists of libraries
    """

    name: str
    model: type[models.Model]
    visible: Callable
    published: Callable | None = None
    filterset: type | None = None
    list_url: str = ""
    mine: Callable | None = None
    review_queue: Callable | None = None
    index: Callable | None = None
    matching: str | None = None
    subscribable: bool = False
    cached: bool = False
    description: str = ""
    title: str = ""
    urls: str = ""
    viewset: type | None = None
    order: int = 100

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def card(self) -> "Card | None":
        if not self.description:
            return None
        return Card(
            self.name, self.title or self.label, self.description, self.list_url, self.order
        )


@dataclass(frozen=True)
class Panel:
    """A block on a library item's detail page: a template, and its context
    (request, item) → dict, empty when the panel has nothing to show."""

    template: str
    context: Callable
    order: int = 100


@dataclass(frozen=True)
class Task:
    """A line of the workspace: what waits for the account, how many, where."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Section:
    """A block of a page that lists things for an account (the review queue,
    the home page): heading, template, items (user) → iterable.

    A review section whose items are a queryset names three field paths, so
    that the queue filters, sorts, pages and flags it like the libraries':
    queued_at (when the item started waiting), organization (whose it is:
    searched by name) and title (searched); market is the path of the market
    it is filtered by (the organisation's when empty)."""

    key: str
    heading: str
    template: str
    items: Callable
    order: int = 100
    extra: dict = field(default_factory=dict)
    queued_at: str = ""
    organization: str = ""
    title: str = ""
    market: str = ""


@dataclass(frozen=True)
class Card:
    """A library (or the catalogue) on the home page's "five libraries" row."""

    key: str
    label: str
    description: str
    url: str  # a URL name
    order: int = 100


@dataclass(frozen=True)
class MenuItem:
    """A link of the site's menus: "mine" (My work) or "workbench" (staff and
    brokers), shown to the accounts for which `shown(user)` holds."""

    menu: str
    key: str
    label: str
    url: str  # a URL name
    shown: Callable
    order: int = 100


_libraries: dict[str, Library] = {}
_menu: list[MenuItem] = []
_cards: list[Card] = []
_panels: dict[str, list[Panel]] = {}
_task_providers: list[Callable] = []
_review_sections: list[Section] = []
_home_sections: list[Section] = []


def register(library: Library) -> Library:
    """Register a library (its app's ready()); registering a name again replaces it."""
    _libraries[library.name] = library
    return library


def unregister(name: str) -> None:
    _libraries.pop(name, None)


def libraries(**having) -> list[Library]:
    """The registered libraries in their order, e.g. libraries(subscribable=True)."""
    found = sorted(_libraries.values(), key=lambda lib: (lib.order, lib.name))
    return [lib for lib in found if all(getattr(lib, k) == v for k, v in having.items())]


def library(name: str) -> Library:
    """The library of this name; LookupError if none is registered."""
    try:
        return _libraries[name]
    except KeyError:
        raise LookupError(f"no library named {name!r} is registered") from None


def library_of(model: type[models.Model]) -> Library | None:
    for lib in _libraries.values():
        if lib.model is model:
            return lib
    return None


_visible: dict[type[models.Model], Callable] = {}


def add_visible(model: type[models.Model], selector: Callable) -> None:
    """What of a model that no library holds an account may see (its attachments)."""
    _visible[model] = selector


def visible_to(model: type[models.Model], user) -> models.QuerySet:
    """What of this model the account may see; nothing for a model nobody registered."""
    lib = library_of(model)
    if lib is not None:
        return lib.visible(user)
    if model in _visible:
        return _visible[model](user)
    return model.objects.none()


def add_panel(name: str, panel: Panel) -> None:
    _panels.setdefault(name, []).append(panel)


def panels(name: str) -> list[Panel]:
    return sorted(_panels.get(name, []), key=lambda p: p.order)


def add_tasks(provider: Callable) -> None:
    """A provider (user) → [Task, ...] of the workspace."""
    if provider not in _task_providers:
        _task_providers.append(provider)


def tasks_for(user) -> Iterator[Task]:
    for provider in _task_providers:
        yield from provider(user)


def add_review_section(section: Section) -> None:
    _review_sections[:] = [s for s in _review_sections if s.key != section.key] + [section]


def review_sections() -> list[Section]:
    return sorted(_review_sections, key=lambda s: (s.order, s.key))


def add_card(card: Card) -> None:
    _cards[:] = [c for c in _cards if c.key != card.key] + [card]


def cards() -> list[Card]:
    """The home page's row: every library with a description, and the other cards."""
    found = [lib.card for lib in _libraries.values() if lib.card] + _cards
    return sorted(found, key=lambda c: (c.order, c.key))


def add_home_section(section: Section) -> None:
    _home_sections[:] = [s for s in _home_sections if s.key != section.key] + [section]


def home_sections() -> list[Section]:
    return sorted(_home_sections, key=lambda s: (s.order, s.key))


# --- providers: one app answers a question another asks ---------------------------------

_providers: dict[str, Callable] = {}


def provide(name: str, function: Callable) -> None:
    """An app offers a function under a name (the valuation tool's comparable
    contracts are the contracts app's: `provide("comparable_contracts", ...)`)."""
    _providers[name] = function


def provider(name: str) -> Callable | None:
    return _providers.get(name)


def add_menu_item(item: MenuItem) -> None:
    _menu[:] = [m for m in _menu if (m.menu, m.key) != (item.menu, item.key)] + [item]


def menu(name: str, user) -> list[MenuItem]:
    """The links of a menu this account is shown, in order."""
    return sorted((m for m in _menu if m.menu == name and m.shown(user)), key=lambda m: m.order)


# --- guards: an app may refuse a step of another app's workflow ---------------------

_guards: dict[str, list[Callable]] = {}


def add_guard(step: str, check: Callable) -> None:
    """`check(**context)` raises an ApplicationError when the step may not happen
    (the market refuses to register a contract whose deal has an objection
    pending): `add_guard("contracts.contract.register", check)`."""
    checks = _guards.setdefault(step, [])
    if check not in checks:
        checks.append(check)


def check_guards(step: str, **context) -> None:
    for check in _guards.get(step, ()):
        check(**context)


# --- followers: what another app does in the same transaction, after a step ----------

_followers: dict[str, list[Callable]] = {}


def add_follower(step: str, follow: Callable) -> None:
    """`follow(**context)` runs inside the step's transaction, after it (the
    market issues a deal's certificate when its contract is registered)."""
    follows = _followers.setdefault(step, [])
    if follow not in follows:
        follows.append(follow)


def follow(step: str, **context) -> None:
    for follower in _followers.get(step, ()):
        follower(**context)
