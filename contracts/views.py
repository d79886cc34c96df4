from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import acts_for
from contracts import exports, selectors, services
from contracts.certificate import FontMissing, certificate_pdf
from contracts.forms import (
    ContractForm,
    DisburseForm,
    DocumentForm,
    PaymentForm,
    ProgramForm,
    RewardForm,
)
from contracts.models import Contract, Payment, SubsidyProgram
from portal.core.audit import audit_history
from portal.core.errors import NotPermitted, TransitionNotAllowed
from portal.library.forms import ReasonForm

FAILURES = (ValidationError, NotPermitted, TransitionNotAllowed)


def _message(exc) -> str:
    return (
        exc.message
        if hasattr(exc, "message") and not isinstance(exc, ValidationError)
        else " ".join(exc.messages)
    )


def _run(request, action, success: str):
    """Call a service; report its refusal as a message rather than an error page."""
    try:
        result = action()
    except FAILURES as exc:
        messages.error(request, _message(exc))
        return None
    messages.success(request, success)
    return result


def _file(field, name: str, content_type: str):
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- contracts ------------------------------------------------------------------------


@login_required
def contract_list(request):
    contracts = selectors.contracts_visible_to(request.user).order_by("-updated_at", "-id")
    status = request.GET.get("status")
    if status:
        contracts = contracts.filter(status=status)
    page = Paginator(contracts, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Contract.Status.choices,
            "can_create": request.user.is_broker or bool(request.user.organization_id),
        },
    )


@login_required
def contract_edit(request, pk=None):
    contract = None
    if pk is not None:
        contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
        if not services.may_draft(request.user, contract):
            raise PermissionDenied
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.data_for_service()
            if contract is None:
                contract = services.contract_create(by=request.user, data=data)
            else:
                contract = services.contract_update(contract=contract, by=request.user, data=data)
        except ValidationError as exc:
            form.add_domain_error(exc)
        except (NotPermitted, TransitionNotAllowed) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(contract)
    return render(request, "contracts/form.html", {"form": form, "contract": contract})


@login_required
def contract_detail(request, pk):
    contract = get_object_or_404(
        selectors.contracts_visible_to(request.user).select_related(
            "achievement", "demand", "registered_by"
        ),
        pk=pk,
    )
    user = request.user
    drafter = services.may_draft(user, contract)
    registrar = services.is_registrar(user, contract)
    payments = list(contract.payments.order_by("paid_on", "id"))
    reward = getattr(contract, "reward", None) if services.may_see_reward(user, contract) else None
    buyer_acts = acts_for(user, contract.buyer_id)
    for payment in payments:
        payment.may_confirm = (
            buyer_acts
            and payment.buyer_confirmed_at is None
            and payment.status == Payment.Status.PENDING
        )
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "payments": payments,
            "history": audit_history(contract),
            "may_draft": drafter,
            "may_confirm": services.may_confirm(user, contract),
            "registrar": registrar,
            "may_pay": services.may_pay(user, contract),
            "may_reward": services.may_reward(user, contract),
            "reward": reward,
            "document_form": DocumentForm(),
            "payment_form": PaymentForm(),
            "reward_form": RewardForm(
                initial={
                    "net_income": reward.net_income,
                    "team_ratio": reward.team_ratio,
                    "shares": "\n".join(f"{s['name']} {s['ratio']}" for s in reward.shares),
                }
                if reward
                else None
            ),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def contract_document(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: services.contract_attach_document(
                contract=contract, by=request.user, upload=form.cleaned_data["file"]
            ),
            _("The contract document is attached."),
        )
    else:
        messages.error(request, _("Choose the signed contract (PDF)."))
    return redirect(contract)


@login_required
def contract_document_download(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    if not contract.document:
        raise PermissionDenied
    return _file(contract.document, contract.document_name or "contract.pdf", "application/pdf")


CONTRACT_ACTIONS = {
    "confirm": (
        lambda c, u, r: services.contract_confirm(contract=c, by=u),
        _("Confirmed for your organisation."),
    ),
    "submit": (
        lambda c, u, r: services.contract_submit(contract=c, by=u),
        _("Submitted for registration."),
    ),
    "register": (lambda c, u, r: services.contract_register(contract=c, by=u), _("Registered.")),
    "reject": (
        lambda c, u, r: services.contract_reject(contract=c, by=u, reason=r),
        _("Returned to the parties."),
    ),
    "terminate": (
        lambda c, u, r: services.contract_terminate(contract=c, by=u, reason=r),
        _("Terminated."),
    ),
}


@login_required
@require_POST
def contract_action(request, pk, action):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    if action not in CONTRACT_ACTIONS:
        raise PermissionDenied
    service, success = CONTRACT_ACTIONS[action]
    _run(request, lambda: service(contract, request.user, request.POST.get("reason", "")), success)
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/review")
        else contract.get_absolute_url()
    )


@login_required
def contract_certificate(request, pk):
    contract = get_object_or_404(
        selectors.contracts_visible_to(request.user), pk=pk, registration_number__isnull=False
    )
    try:
        pdf = certificate_pdf(contract)
    except FontMissing:
        messages.error(
            request,
            _(
                "The server has no Chinese font to print the certificate; "
                "ask the administrator to install fonts-noto-cjk."
            ),
        )
        return redirect(contract)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{contract.registration_number}.pdf"'
    )
    return response


# --- payments -----------------------------------------------------------------------------


@login_required
@require_POST
def payment_add(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    form = PaymentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: services.payment_add(contract=contract, by=request.user, **form.cleaned_data),
            _("Payment recorded; staff will verify it."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(contract)


@login_required
@require_POST
def payment_action(request, pk, action):
    payment = get_object_or_404(selectors.payments_visible_to(request.user), pk=pk)
    if action == "verify":
        _run(
            request,
            lambda: services.payment_verify(payment=payment, by=request.user),
            _("Payment verified."),
        )
    elif action == "confirm":
        _run(
            request,
            lambda: services.payment_confirm(payment=payment, by=request.user),
            _("Payment confirmed; staff will verify it."),
        )
    elif action == "reject":
        _run(
            request,
            lambda: services.payment_reject(
                payment=payment, by=request.user, reason=request.POST.get("reason", "")
            ),
            _("Payment rejected."),
        )
    else:
        raise PermissionDenied
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/review")
        else payment.contract.get_absolute_url()
    )


@login_required
def payment_evidence(request, pk):
    payment = get_object_or_404(selectors.payments_visible_to(request.user), pk=pk)
    name = payment.evidence_name or "receipt"
    kind = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}.get(
        name.rsplit(".", 1)[-1], "application/octet-stream"
    )
    return _file(payment.evidence, name, kind)


@login_required
@require_POST
def reward_save(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    form = RewardForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.reward_save(contract=contract, by=request.user, **form.cleaned_data),
            _("Reward distribution saved."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(contract)


# --- subsidies ---------------------------------------------------------------------------


def program_list(request):
    programs = SubsidyProgram.objects.order_by("-year", "-id")
    return render(
        request,
        "contracts/programs.html",
        {
            "programs": programs,
            "can_create": request.user.is_authenticated
            and (request.user.is_superuser or request.user.is_central_staff),
        },
    )


def program_detail(request, pk):
    program = get_object_or_404(SubsidyProgram, pk=pk)
    user = request.user
    org = getattr(user, "organization", None) if user.is_authenticated else None
    context = {
        "program": program,
        "totals": selectors.program_totals(program),
        "staff": user.is_authenticated and (user.is_superuser or user.is_market_staff),
    }
    if org is not None and org.kind == "enterprise":
        context["ledger"] = services.ledger_of(program=program, organization=org)
        context["preview"] = services.subsidy_compute(program=program, organization=org)
        context["mine"] = program.applications.filter(organization=org).order_by("-id")
    return render(request, "contracts/program.html", context)


@login_required
def program_edit(request, pk=None):
    program = get_object_or_404(SubsidyProgram, pk=pk) if pk else None
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_save(by=request.user, program=form.save(commit=False))
        except ValidationError as exc:
            form.add_domain_error(exc)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            messages.success(request, _("Saved."))
            return redirect(program)
    elif not (request.user.is_superuser or request.user.is_central_staff):
        raise PermissionDenied
    return render(request, "contracts/program_form.html", {"form": form, "program": program})


@login_required
@require_POST
def program_apply(request, pk):
    program = get_object_or_404(SubsidyProgram, pk=pk)
    application = _run(
        request,
        lambda: services.subsidy_apply(by=request.user, program=program),
        _("Draft application created: check the computed amount, then submit."),
    )
    return redirect(application or program)


@login_required
def program_export(request, pk):
    if not (request.user.is_superuser or request.user.is_market_staff):
        raise PermissionDenied
    return exports.approved_applications(
        get_object_or_404(SubsidyProgram, pk=pk), selectors.subsidies_visible_to(request.user)
    )


@login_required
def subsidy_list(request):
    applications = selectors.subsidies_visible_to(request.user).order_by("-id")
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    return render(request, "contracts/subsidies.html", {"page": page})


@login_required
def subsidy_detail(request, pk):
    application = get_object_or_404(selectors.subsidies_visible_to(request.user), pk=pk)
    user = request.user
    computation = None
    if application.status == "draft":
        computation = services.subsidy_compute(
            program=application.program,
            organization=application.organization,
            application=application,
        )
    return render(
        request,
        "contracts/subsidy.html",
        {
            "application": application,
            "computation": computation,
            "lines": application.lines.select_related("payment", "contract"),
            "history": audit_history(application),
            "ledger": services.ledger_of(
                program=application.program, organization=application.organization
            ),
            "is_owner": user.organization_id == application.organization_id,
            "is_staff": user.is_superuser or user.is_market_staff,
            "is_central": user.is_superuser or user.is_central_staff,
            "reason_form": ReasonForm(),
            "disburse_form": DisburseForm(),
        },
    )


@login_required
@require_POST
def subsidy_action(request, pk, action):
    application = get_object_or_404(selectors.subsidies_visible_to(request.user), pk=pk)
    user, reason = request.user, request.POST.get("reason", "")
    actions = {
        "submit": (
            lambda: services.subsidy_submit(application=application, by=user),
            _("Submitted."),
        ),
        "city_review": (
            lambda: services.subsidy_city_review(application=application, by=user),
            _("First review passed."),
        ),
        "approve": (
            lambda: services.subsidy_approve(application=application, by=user),
            _("Approved."),
        ),
        "reject": (
            lambda: services.subsidy_reject(application=application, by=user, reason=reason),
            _("Rejected."),
        ),
    }
    if action == "disburse":
        form = DisburseForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(application)
        actions["disburse"] = (
            lambda: services.subsidy_disburse(
                application=application, by=user, **form.cleaned_data
            ),
            _("Disbursed."),
        )
    if action not in actions:
        raise PermissionDenied
    service, success = actions[action]
    _run(request, service, success)
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/review")
        else application.get_absolute_url()
    )
