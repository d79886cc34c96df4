"""The pages of a library, written once for every library.

Each library describes itself with a `LibraryPages` (its model, form, filter,
selectors and services); the view functions below do the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core import ratelimit, registry
from portal.core.actions import REFUSALS, Action, dispatch, show_on_form
from portal.core.audit import audit_history
from portal.core.paginator import EstimatingPaginator
from portal.core.replica import reads_from_replica
from portal.core.xlsx import xlsx_response
from portal.library import services as library
from portal.library import suggest
from portal.library.forms import ReasonForm
from portal.library.permissions import can_edit, can_review, can_take, is_owner
from portal.library.search import highlight, snippet
from portal.library.services import ItemServices


@dataclass(frozen=True)
class LibraryPages:
    namespace: str  # URL namespace and template folder: "achievements"
    model: type
    form: type
    filterset: type
    visible: Callable  # selector: user → queryset
    published: Callable  # () → queryset of published items
    mine: Callable  # selector: user → the organisation's items
    services: ItemServices  # create, update and the actions, as the API calls them
    export_columns: tuple = ()  # ((header, getter), ...)
    can_create: Callable = lambda user: False
    detail_extra: Callable = lambda request, item: {}  # more context for the detail page

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name_plural

    @property
    def item_label(self) -> str:
        return self.model._meta.verbose_name


PER_PAGE = 20

OWNER_ACTIONS = {"submit", "withdraw", "close", "delete"}
REVIEW_ACTIONS = {"approve", "reject"}
ACTION_LABELS = {
    "submit": (gettext_lazy("Submit for review"), "btn-danger"),
    "approve": (gettext_lazy("Approve and publish"), "btn-success"),
    "reject": (gettext_lazy("Reject"), "btn-outline-danger"),
    "withdraw": (gettext_lazy("Withdraw"), "btn-outline-secondary"),
    "close": (gettext_lazy("Close"), "btn-outline-secondary"),
    "delete": (gettext_lazy("Delete draft"), "btn-outline-secondary"),
}


def available_actions(pages: LibraryPages, item, user) -> list:
    """The actions this account can take on the item in its current status."""
    return [
        {"name": name, "label": ACTION_LABELS[name][0], "style": ACTION_LABELS[name][1]}
        for name in pages.services.actions
        if can_take(user, item, name, owner_actions=OWNER_ACTIONS, review_actions=REVIEW_ACTIONS)
    ]


def panels_for(request, namespace: str, item) -> list[dict]:
    """The blocks other apps add to the item's page (recommendations, expert
    reviews, evaluations: portal.core.registry panels), with their context."""
    rendered = []
    for panel in registry.panels(namespace):
        context = panel.context(request, item)
        if context:
            rendered.append({"template": panel.template, "context": context})
    return rendered


@reads_from_replica
def library_list(request, pages: LibraryPages):
    if request.GET.get("q"):
        ratelimit.check(request, "search")
        suggest.count_search(request.GET["q"])
    params = request.GET.copy()
    params.pop("page", None)
    # The public list shows published items whatever the `status` parameter says.
    params.pop("status", None)
    exporting = request.GET.get("format") == "xlsx"
    filterset = pages.filterset(
        params,
        queryset=pages.published().order_by("-published_at", "-id"),
        # a search reads its results up to the page shown (an export: the first 1,000)
        depth=None if exporting else _page_number(request) * PER_PAGE,
    )
    items = filterset.qs if filterset.is_valid() else pages.model.objects.none()
    if exporting:
        return _export(pages, items)
    page = EstimatingPaginator(items, PER_PAGE).get_page(request.GET.get("page"))
    q = params.get("q", "")
    for item in page.object_list:
        item.title_html = highlight(item.title, q)
        item.snippet_html = snippet(_text_of(item), q) if q else highlight(_snippet(item), q)
    query = params.urlencode()
    instead = suggest.did_you_mean(q) if q and not page.object_list else None
    return render(
        request,
        "library/list.html",
        {
            "pages": pages,
            "filter": filterset,
            "page": page,
            "q": q,
            "query": query,
            "did_you_mean": instead,
            "card": f"{pages.namespace}/_card.html",
            "can_create": pages.can_create(request.user),
        },
    )


def _text_of(item) -> str:
    """The text a result's snippet is cut from."""
    return " ".join(
        t for t in (getattr(item, "summary", ""), getattr(item, "description", "")) if t
    )


def _snippet(item) -> str:
    text = getattr(item, "summary", "") or item.description or ""
    return text[:160] + ("…" if len(text) > 160 else "")


def _page_number(request) -> int:
    """The page asked for (get_page shows the last for one beyond it)."""
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _export(pages: LibraryPages, items):
    headers = [str(h) for h, _getter in pages.export_columns]
    rows = ([getter(item) for _h, getter in pages.export_columns] for item in items.iterator())
    return xlsx_response(filename=f"{pages.namespace}.xlsx", headers=headers, rows=rows)


def library_detail(request, pk: int, pages: LibraryPages):
    item = get_object_or_404(pages.visible(request.user).prefetch_related("attachments"), pk=pk)
    user = request.user
    reviewer = can_review(user, item)
    return render(
        request,
        f"{pages.namespace}/detail.html",
        {
            "pages": pages,
            "item": item,
            "is_owner": can_edit(user, item),
            "can_review": reviewer,
            "history": audit_history(item) if is_owner(user, item) or reviewer else None,
            "reason_form": ReasonForm(),
            "actions": available_actions(pages, item, user),
            "panels": panels_for(request, pages.namespace, item),
            **pages.detail_extra(request, item),
        },
    )


@login_required
def library_mine(request, pages: LibraryPages):
    items = pages.mine(request.user).order_by("-updated_at", "-id")
    status = request.GET.get("status")
    if status:
        items = items.filter(status=status)
    if request.GET.get("format") == "xlsx":
        return _export(pages, items)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/mine.html",
        {
            "pages": pages,
            "page": page,
            "status": status,
            "statuses": pages.model.Status.choices,
            "can_create": pages.can_create(request.user),
        },
    )


@login_required
def library_edit(request, pages: LibraryPages, pk: int | None = None):
    item = None
    if pk is not None:
        item = get_object_or_404(pages.visible(request.user), pk=pk)
        if not can_edit(request.user, item):
            raise PermissionDenied
    elif not pages.can_create(request.user):
        raise PermissionDenied
    form = pages.form(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = form.data_for_service()
                if item is None:
                    item = pages.services.create(by=request.user, data=data)
                else:
                    item = pages.services.change(item, by=request.user, data=data)
                files = form.cleaned_data.get("files") or []
                if files:
                    library.item_attach(item=item, by=request.user, files=files)
        except REFUSALS as exc:
            show_on_form(form, exc, {"file": "files"})
        else:
            messages.success(request, _("Saved."))
            return redirect(item.get_absolute_url())
    return render(request, "library/form.html", {"pages": pages, "form": form, "item": item})


def _done(item, result) -> str:
    if result is None:  # deleted
        return _("Deleted: %(title)s.") % {"title": item.title}
    return _("Done: %(title)s is now “%(status)s”.") % {
        "title": result.title,
        "status": result.get_status_display(),
    }


@require_POST
@login_required
def library_action(request, pk: int, action: str, pages: LibraryPages):
    item = get_object_or_404(pages.visible(request.user), pk=pk)
    if action not in pages.services.actions:
        raise Http404
    kwargs = {"reason": request.POST.get("reason", "")} if action == "reject" else {}
    default = reverse(f"{pages.namespace}:mine") if action == "delete" else item.get_absolute_url()
    actions = {
        action: Action(
            lambda target, user, data: pages.services.act(action, target, by=user, **kwargs),
            lambda result: _done(item, result),
        )
    }
    return dispatch(request, item, action, actions, default=default)


def library_urls(pages: LibraryPages, extra: list | None = None) -> list:
    """The URL patterns of a library's pages (namespace = pages.namespace)."""
    from functools import partial

    from django.urls import path

    return [
        path("", partial(library_list, pages=pages), name="list"),
        path("mine/", partial(library_mine, pages=pages), name="mine"),
        path("new/", partial(library_edit, pages=pages), name="create"),
        *(extra or []),
        path("<int:pk>/", partial(library_detail, pages=pages), name="detail"),
        path("<int:pk>/edit/", partial(library_edit, pages=pages), name="edit"),
        path("<int:pk>/<slug:action>/", partial(library_action, pages=pages), name="action"),
    ]
