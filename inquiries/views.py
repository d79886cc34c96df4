"""Inquiry pages: send one from an item, the organisation's list, the thread,
and the staff page of inquiries without a reply. Thin: services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import is_staff
from inquiries import permissions, selectors, services
from inquiries.forms import InquiryForm, MessageForm
from inquiries.models import Inquiry
from matching.models import Match
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.attachments import attachments_of

PER_PAGE = 20


def _pk(value) -> int:
    """A posted or queried id, or 0 (which no row has) when it is not one."""
    return int(value) if (value or "").isdigit() else 0


def _subject(request):
    try:
        return selectors.subject_of(request.GET.get("subject", ""), request.GET.get("id"))
    except REFUSALS:
        raise Http404 from None


@login_required
def inquiry_new(request):
    """The form, from an item's page or a recommendation (?subject=…&id=…[&match=…])."""
    subject_type = request.GET.get("subject", "")
    item = _subject(request)
    existing = (
        selectors.open_inquiry(
            subject_type=subject_type,
            subject_id=item.pk,
            organization_id=request.user.organization_id,
        )
        if request.user.organization_id
        else None
    )
    if existing is not None:
        messages.info(request, _("Your organisation already asked about this item."))
        return redirect(existing)
    match = Match.objects.filter(pk=_pk(request.GET.get("match"))).first()
    form = InquiryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry, _created = services.inquiry_send(
                by=request.user,
                subject_type=subject_type,
                subject_id=item.pk,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                broker_requested=form.cleaned_data["broker_requested"],
                files=form.cleaned_data["files"] or [],
                match=match,
            )
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Inquiry sent; the owner is told."))
            return redirect(inquiry)
    return render(
        request,
        "inquiries/new.html",
        {
            "form": form,
            "item": item,
            "title": selectors.title_of(item),
            "subject_type": subject_type,
            "may_send": permissions.may_send(request.user, request.user.organization),
        },
    )


@login_required
def inquiry_list(request):
    qs = selectors.inquiries_of(request.user)
    chosen = request.GET.get("status", "")
    if chosen == "open":
        qs = qs.filter(status__in=Inquiry.OPEN)
    elif chosen in Inquiry.Status.values:
        qs = qs.filter(status=chosen)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    unread = selectors.unread_for(request.user, qs.filter(pk__in=[i.pk for i in page]))
    return render(
        request,
        "inquiries/list.html",
        {
            "page": page,
            "unread": unread,
            "chosen": chosen,
            "statuses": Inquiry.Status.choices,
            "org_id": request.user.organization_id,
        },
    )


@login_required
def inquiry_detail(request, pk):
    inquiry = get_object_or_404(selectors.inquiries_visible_to(request.user), pk=pk)
    inquiry = services.inquiry_opened(inquiry=inquiry, by=request.user)
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_post(
                    inquiry=inquiry,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"] or [],
                )
            except REFUSALS as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("Message sent."))
                return redirect(inquiry)
    user = request.user
    may_assign = permissions.may_assign_broker(user, inquiry)
    return render(
        request,
        "inquiries/detail.html",
        {
            "inquiry": inquiry,
            "thread": inquiry.messages.select_related("author", "organization"),
            "attachments": attachments_of(inquiry),
            "form": form,
            "may_write": permissions.may_write(user, inquiry),
            "may_accept": permissions.may_accept(user, inquiry),
            "may_close": permissions.may_close(user, inquiry),
            "may_assign": may_assign,
            "brokers": selectors.brokers_to_assign() if may_assign else [],
        },
    )


@login_required
@require_POST
def inquiry_action(request, pk, action):
    inquiry = get_object_or_404(selectors.inquiries_visible_to(request.user), pk=pk)
    data = request.POST
    calls = {
        "accept": lambda: services.inquiry_accept(inquiry=inquiry, by=request.user),
        "close": lambda: services.inquiry_close(
            inquiry=inquiry,
            by=request.user,
            outcome=data.get("outcome", ""),
            reason=data.get("reason", ""),
            listing=data.get("listing") or None,
            contract=data.get("contract") or None,
        ),
        "assign": lambda: services.broker_assign(
            inquiry=inquiry,
            by=request.user,
            broker=User.objects.filter(pk=_pk(data.get("broker"))).first(),
        ),
    }
    if action not in calls:
        raise Http404
    success = {
        "accept": _("Accepted: both sides now see each other's contact details."),
        "close": _("The inquiry is closed."),
        "assign": _("Broker assigned."),
    }[action]
    attempt(request, calls[action], success=success)
    return redirect(inquiry)


@login_required
def staff(request):
    """Staff: inquiries of their market without a reply after the working days,
    and those asking for a broker that has none."""
    if not is_staff(request.user):
        raise PermissionDenied
    visible = selectors.inquiries_visible_to(request.user)
    return render(
        request,
        "inquiries/staff.html",
        {
            "late": selectors.unanswered(request.user)[:200],
            "wanting_broker": visible.filter(
                status__in=Inquiry.OPEN, broker_requested=True, broker__isnull=True
            )[:200],
            "days": selectors.REPLY_WITHIN_WORKDAYS,
        },
    )
