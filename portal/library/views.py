"""The pages of a library, written once for every library.

Each library describes itself with a `LibraryPages` (its model, form, filter,
selectors and services); the view functions below do the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core import ratelimit
from portal.core.audit import audit_history
from portal.core.errors import NotPermitted, TransitionNotAllowed
from portal.core.paginator import EstimatingPaginator
from portal.core.xlsx import xlsx_response
from portal.library import services as library
from portal.library.forms import ReasonForm
from portal.library.search import highlight


@dataclass(frozen=True)
class LibraryPages:
    namespace: str  # URL namespace and template folder: "achievements"
    model: type
    form: type
    filterset: type
    visible: Callable  # selector: user → queryset
    published: Callable  # () → queryset of published items
    mine: Callable  # selector: user → the organisation's items
    create: Callable  # (by=, data=) → item
    update: Callable  # (item, by=, data=) → item
    actions: dict[str, Callable] = field(default_factory=dict)  # name → (item, by=) → item
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


def available_actions(pages: LibraryPages, item, *, owner: bool, reviewer: bool) -> list:
    """The actions this account can take on the item in its current status."""
    names = []
    for name in pages.actions:
        if name == "delete":
            allowed = item.status == "draft"
        else:
            transition = pages.model.TRANSITIONS.get(name)
            allowed = transition is not None and item.status in transition.sources
        if allowed and ((owner and name in OWNER_ACTIONS) or (reviewer and name in REVIEW_ACTIONS)):
            label, style = ACTION_LABELS[name]
            names.append({"name": name, "label": label, "style": style})
    return names


def library_list(request, pages: LibraryPages):
    if request.GET.get("q"):
        ratelimit.check(request, "search")
    params = request.GET.copy()
    params.pop("page", None)
    # The public list shows published items whatever the `status` parameter says.
    params.pop("status", None)
    filterset = pages.filterset(params, queryset=pages.published().order_by("-published_at", "-id"))
    items = filterset.qs if filterset.is_valid() else pages.model.objects.none()
    if request.GET.get("format") == "xlsx":
        return _export(pages, items)
    page = EstimatingPaginator(items, PER_PAGE).get_page(request.GET.get("page"))
    q = params.get("q", "")
    for item in page.object_list:
        item.title_html = highlight(item.title, q)
        item.snippet_html = highlight(_snippet(item), q)
    query = params.urlencode()
    return render(
        request,
        "library/list.html",
        {
            "pages": pages,
            "filter": filterset,
            "page": page,
            "q": q,
            "query": query,
            "card": f"{pages.namespace}/_card.html",
            "can_create": pages.can_create(request.user),
        },
    )


def _snippet(item) -> str:
    text = getattr(item, "summary", "") or item.description or ""
    return text[:160] + ("…" if len(text) > 160 else "")


def _export(pages: LibraryPages, items):
    headers = [h for h, _getter in pages.export_columns]
    rows = ([getter(item) for _h, getter in pages.export_columns] for item in items.iterator())
    return xlsx_response(filename=f"{pages.namespace}.xlsx", headers=headers, rows=rows)


def library_detail(request, pk: int, pages: LibraryPages):
    item = get_object_or_404(pages.visible(request.user).prefetch_related("attachments"), pk=pk)
    member = library.is_owner(request.user, item)
    acting = library.may_act_on(request.user, item)
    reviewer = library.can_review(request.user, item)
    return render(
        request,
        f"{pages.namespace}/detail.html",
        {
            "pages": pages,
            "item": item,
            "is_owner": acting,
            "can_review": reviewer,
            "history": audit_history(item) if member or reviewer else None,
            "reason_form": ReasonForm(),
            "actions": available_actions(pages, item, owner=acting, reviewer=reviewer),
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
        if not library.may_act_on(request.user, item):
            raise PermissionDenied
    elif not pages.can_create(request.user):
        raise PermissionDenied
    form = pages.form(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = form.data_for_service()
                if item is None:
                    item = pages.create(by=request.user, data=data)
                else:
                    item = pages.update(item, by=request.user, data=data)
                files = form.cleaned_data.get("files") or []
                if files:
                    library.item_attach(item=item, by=request.user, files=files)
        except ValidationError as exc:
            form.add_domain_error(exc, {"file": "files"})
        except (NotPermitted, TransitionNotAllowed) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(item.get_absolute_url())
    return render(request, "library/form.html", {"pages": pages, "form": form, "item": item})


@require_POST
@login_required
def library_action(request, pk: int, action: str, pages: LibraryPages):
    item = get_object_or_404(pages.visible(request.user), pk=pk)
    service = pages.actions.get(action)
    if service is None:
        raise Http404
    kwargs = {}
    if action == "reject":
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(item, by=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (NotPermitted, TransitionNotAllowed) as exc:
        messages.error(request, exc.message)
    else:
        if action == "delete":
            messages.success(request, _("Deleted: %(title)s.") % {"title": item.title})
            return redirect(f"{pages.namespace}:mine")
        item.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("Done: %(title)s is now “%(status)s”.")
            % {"title": item.title, "status": item.get_status_display()},
        )
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = item.get_absolute_url()
    return redirect(next_url)


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
