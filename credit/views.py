"""Public credit pages: an organisation's or a broker's credit page, real-name
complaints and staff's decisions. Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization, User
from credit import selectors, services
from credit.forms import ComplaintForm, RecordForm
from credit.models import CreditRecord
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.files import download

PER_PAGE = 20


def credit_list(request):
    """The red and black lists in force."""
    records = (
        CreditRecord.objects.filter(
            selectors.in_force(),
            public=True,
            kind__in=(CreditRecord.Kind.RED, CreditRecord.Kind.BLACK),
        )
        .select_related("organization", "broker")
        .order_by("kind", "-starts_on", "-id")
    )
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "credit/list.html", {"page": page})


def _subject(kind: str, pk: int):
    if kind == "organization":
        return get_object_or_404(Organization, pk=pk, verified=True), {"organization_id": pk}
    broker = get_object_or_404(User.objects.filter(selectors.is_broker_account()).distinct(), pk=pk)
    return broker, {"broker_id": pk}


def credit_page(request, kind: str, pk: int):
    """Level, status of the red and black lists, upheld complaints (count and
    findings), every public record."""
    subject, key = _subject(kind, pk)
    records = list(selectors.public_records(**key))
    staff = services.decides(
        request.user,
        CreditRecord(
            organization=subject if kind == "organization" else None,
            broker=subject if kind == "broker" else None,
        ),
    )
    form = RecordForm(request.POST or None) if staff else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_create(
                by=request.user,
                organization=subject if kind == "organization" else None,
                broker=subject if kind == "broker" else None,
                **form.cleaned_data,
            )
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect(request.path)
    context = {
        "subject": subject,
        "kind": kind,
        "black": selectors.black_record(**key),
        "red": CreditRecord.objects.filter(
            selectors.in_force(), public=True, kind=CreditRecord.Kind.RED, **key
        ).first(),
        "records": records,
        "upheld": selectors.upheld_complaints(**key),
        "staff": staff,
        "form": form,
    }
    return render(request, "credit/page.html", context)


@login_required
def complaint_new(request, kind: str, pk: int):
    subject, _key = _subject(kind, pk)
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_submit(
                by=request.user, **{kind: subject}, **form.cleaned_data
            )
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Complaint received; staff investigate it."))
            return redirect(complaint)
    return render(request, "credit/complaint_form.html", {"subject": subject, "form": form})


@login_required
def complaint_list(request):
    complaints = selectors.complaints_visible_to(request.user)
    page = Paginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "credit/complaints.html", {"page": page})


@login_required
def complaint_detail(request, pk: int):
    complaint = get_object_or_404(selectors.complaints_visible_to(request.user), pk=pk)
    decides = (
        services.decides(request.user, complaint) and complaint.complainant_id != request.user.pk
    )
    return render(
        request,
        "credit/complaint.html",
        {"complaint": complaint, "decides": decides, "open": complaint.status in complaint.OPEN},
    )


@login_required
def complaint_evidence(request, pk: int):
    complaint = get_object_or_404(selectors.complaints_visible_to(request.user), pk=pk)
    return download(
        complaint.evidence, complaint.evidence_name or "evidence", "application/octet-stream"
    )


@login_required
@require_POST
def complaint_act(request, pk: int, action: str):
    complaint = get_object_or_404(selectors.complaints_visible_to(request.user), pk=pk)
    if action == "investigate":
        call = lambda: services.complaint_investigate(complaint=complaint, by=request.user)  # noqa: E731
    else:
        call = lambda: services.complaint_decide(  # noqa: E731
            complaint=complaint,
            by=request.user,
            upheld=action == "uphold",
            reply=request.POST.get("reply", ""),
        )
    attempt(request, call, success=_("Done."))
    return redirect(complaint)


@login_required
@require_POST
def record_lift(request, pk: int):
    record = get_object_or_404(CreditRecord, pk=pk)
    attempt(
        request,
        lambda: services.record_lift(
            record=record, by=request.user, reason=request.POST.get("reason", "")
        ),
        success=_("Lifted."),
    )
    kind, subject_pk = (
        ("organization", record.organization_id)
        if record.organization_id
        else ("broker", record.broker_id)
    )
    return redirect("credit:page", kind=kind, pk=subject_pk)
