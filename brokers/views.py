"""Broker registry pages: the public registry, applying, a base's courses
(attendance, exams, certificates) and staff's decisions. Thin: the services
decide."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Market, Organization
from accounts.permissions import acts_for, is_staff
from brokers import imports, selectors, services
from brokers.forms import AffiliationForm, ApplyForm, CourseForm
from brokers.models import Broker, Enrollment, ExamResult, Level, TrainingCourse
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.errors import error_text
from portal.core.xlsx import XLSX, xlsx_response

PER_PAGE = 20


def registry(request):
    query = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("level", "")
    market = request.GET.get("market", "")
    brokers = selectors.registry(
        query=query,
        level=level if level in Level.values else "",
        market=market,
    )
    page = Paginator(brokers, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "brokers/registry.html",
        {
            "page": page,
            "q": query,
            "level": level,
            "market": market,
            "levels": Level.choices,
            "markets": Market.objects.order_by("id"),
            "mine": Broker.objects.filter(user_id=request.user.pk).first()
            if request.user.is_authenticated
            else None,
        },
    )


def registry_export(request):
    """The public registry as a workbook, filtered as the page."""
    level = request.GET.get("level", "")
    rows = selectors.registry(
        query=request.GET.get("q", "").strip()[:100],
        level=level if level in Level.values else "",
        market=request.GET.get("market", ""),
    )
    return xlsx_response(
        filename="brokers.xlsx",
        headers=[_("Name"), _("Level"), _("Certificate no."), _("Agency"), _("Registered deals")],
        rows=(
            [
                b.real_name,
                b.get_level_display(),
                b.certificate_number or "",
                b.agency_name or "",
                b.registered_deals,
            ]
            for b in rows
        ),
    )


def broker_detail(request, pk: int):
    broker = get_object_or_404(selectors.brokers_visible_to(request.user), pk=pk)
    user = request.user
    own_org = getattr(user, "organization", None)
    agency_member = (
        own_org is not None
        and own_org.kind == Organization.Kind.AGENCY
        and acts_for(user, own_org.pk)
    )
    context = {
        "broker": broker,
        "staff": is_staff(user),
        "own": user.is_authenticated and broker.user_id == user.pk,
        "certificates": broker.certificates.all(),
        "affiliations": broker.affiliations.select_related("agency"),
        "deals": broker.credits.count(),
        "assessments": broker.assessments.all(),
        "affiliation_form": AffiliationForm() if agency_member else None,
        "actions": [
            a for a in services.STAFF_ACTIONS if broker.status in Broker.TRANSITIONS[a].sources
        ]
        if is_staff(user)
        else [],
        "may_register": is_staff(user) and broker.status == Broker.Status.CERTIFIED,
    }
    return render(request, "brokers/detail.html", context)


@login_required
def broker_apply(request):
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            broker = services.broker_apply(by=request.user, **form.cleaned_data)
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("You are in the registry: enrol in a course."))
            return redirect(broker)
    return render(request, "brokers/apply.html", {"form": form})


@login_required
@require_POST
def broker_act(request, pk: int, action: str):
    broker = get_object_or_404(Broker, pk=pk)
    if action == "register":
        call = lambda: services.broker_register(broker=broker, by=request.user)  # noqa: E731
    elif action in services.STAFF_ACTIONS:
        call = lambda: services.broker_act(  # noqa: E731
            broker=broker, by=request.user, action=action, reason=request.POST.get("reason", "")
        )
    else:
        raise Http404
    attempt(request, call, success=_("Done."))
    return redirect(broker)


@login_required
@require_POST
def affiliation_declare(request, pk: int):
    broker = get_object_or_404(Broker, pk=pk)
    form = AffiliationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind and the start date."))
        return redirect(broker)
    attempt(
        request,
        lambda: services.affiliation_declare(
            broker=broker, agency=request.user.organization, by=request.user, **form.cleaned_data
        ),
        success=_("Affiliation declared."),
    )
    return redirect(broker)


def courses(request):
    """Courses open to enrolment; a base's member sets new ones."""
    rows = TrainingCourse.objects.select_related("base").order_by("-starts_on", "-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    org = getattr(request.user, "organization", None)
    form = None
    if org is not None and org.kind in services.BASE_KINDS and acts_for(request.user, org.pk):
        form = CourseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                course = services.course_create(
                    by=request.user, data={**form.cleaned_data, "base": org}
                )
            except REFUSALS as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("Course saved."))
                return redirect("brokers:course", pk=course.pk)
    return render(request, "brokers/courses.html", {"page": page, "form": form})


def course_detail(request, pk: int):
    course = get_object_or_404(TrainingCourse.objects.select_related("base"), pk=pk)
    runs = services.runs_base(request.user, course.base_id)
    mine = (
        Broker.objects.filter(user_id=request.user.pk).first()
        if request.user.is_authenticated
        else None
    )
    enrollments = (
        course.enrollments.select_related("broker").order_by("id")
        if runs
        else Enrollment.objects.none()
    )
    exams = {}
    for exam in (
        ExamResult.objects.filter(course=course).select_related("certificate").order_by("id")
    ):
        exams.setdefault(exam.broker_id, []).append(exam)
    for row in enrollments:
        row.exams = exams.get(row.broker_id, [])
    return render(
        request,
        "brokers/course.html",
        {
            "course": course,
            "runs": runs,
            "enrollments": enrollments,
            "mine": mine,
            "enrolled": mine is not None and course.enrollments.filter(broker=mine).exists(),
            "import_report": getattr(request, "import_report", []),
        },
    )


@login_required
@require_POST
def course_import(request, pk: int):
    """The base's workbook of hours and exam results: all rows or none."""
    course = get_object_or_404(TrainingCourse.objects.select_related("base"), pk=pk)
    if not services.runs_base(request.user, course.base_id):
        raise Http404
    upload = request.FILES.get("file")
    report = []
    if upload is None:
        messages.error(request, _("Choose the workbook to import."))
    else:
        try:
            report = imports.results_import(course=course, by=request.user, upload=upload)
        except REFUSALS as exc:
            messages.error(request, error_text(exc))
    if report and all(r["ok"] for r in report):
        messages.success(request, _("%(n)d rows imported.") % {"n": len(report)})
        return redirect("brokers:course", pk=course.pk)
    if report:
        messages.error(request, _("Nothing was imported: correct the rows below."))
    request.import_report = report
    return course_detail(request, pk)


def import_template(request):
    response = HttpResponse(imports.template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="course-results.xlsx"'
    return response


@login_required
@require_POST
def course_enrol(request, pk: int):
    course = get_object_or_404(TrainingCourse, pk=pk)
    broker = get_object_or_404(Broker, user=request.user)
    attempt(
        request,
        lambda: services.enrol(course=course, broker=broker, by=request.user),
        success=_("Enrolled."),
    )
    return redirect("brokers:course", pk=course.pk)


def _int(value) -> int | None:
    return int(value) if str(value).strip().isdigit() else None


@login_required
@require_POST
def enrollment_record(request, pk: int):
    """The base's row: the hours attended, or an exam's date and score."""
    enrollment = get_object_or_404(Enrollment.objects.select_related("course", "broker"), pk=pk)
    course = enrollment.course
    if "hours" in request.POST:
        hours = _int(request.POST["hours"])
        call = lambda: services.attendance_record(  # noqa: E731
            enrollment=enrollment, by=request.user, hours=hours if hours is not None else -1
        )
    else:
        try:
            exam_on = datetime.date.fromisoformat(request.POST.get("exam_on", ""))
        except ValueError:
            exam_on = None
        score = _int(request.POST.get("score", ""))
        call = lambda: services.exam_record(  # noqa: E731
            course=course,
            broker=enrollment.broker,
            by=request.user,
            exam_on=exam_on,
            score=score if score is not None else -1,
        )
    attempt(request, call, success=_("Recorded."))
    return redirect("brokers:course", pk=course.pk)


@login_required
@require_POST
def certificate_issue(request, pk: int):
    exam = get_object_or_404(ExamResult, pk=pk)
    attempt(
        request,
        lambda: services.certificate_issue(
            exam=exam, by=request.user, override=request.POST.get("override", "")
        ),
        success=_("Certificate issued."),
    )
    return redirect("brokers:course", pk=exam.course_id)
