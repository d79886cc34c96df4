from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.permissions import can_write_cases
from cases.views import case_form
from contracts import exports, permissions, selectors, services
from contracts.cases import case_from_contract
from contracts.certificate import certificate_pdf
from contracts.forms import (
    ContractForm,
    DisburseForm,
    DocumentForm,
    PaymentForm,
    ProgramForm,
    RewardForm,
)
from contracts.models import Contract, SubsidyApplication, SubsidyProgram
from portal.core import ratelimit
from portal.core.actions import (
    REFUSALS,
    Action,
    attempt,
    calling,
    dispatch,
    form_page,
    refuse,
    show_on_form,
)
from portal.core.attachments import attachments_of
from portal.core.audit import audit_history
from portal.core.errors import RuleBroken, TransitionNotAllowed
from portal.core.files import download
from portal.core.pdf import FontMissing
from portal.library.forms import ReasonForm


def _form_errors(form) -> RuleBroken:
    """A bound form's errors as the service's refusal (shown the same way)."""
    return RuleBroken({name: list(errors) for name, errors in form.errors.items()})


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
            "can_create": permissions.may_create_contract(request.user),
        },
    )


@login_required
def contract_edit(request, pk=None):
    contract = None
    if pk is not None:
        contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
        if not permissions.may_draft(request.user, contract):
            raise PermissionDenied
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.data_for_service()
            if contract is None:
                contract = services.contract_create(by=request.user, data=data)
            else:
                contract = services.contract_update(contract=contract, by=request.user, data=data)
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(contract)
    return render(request, "contracts/form.html", {"form": form, "contract": contract})


@login_required
def contract_choices(request):
    """JSON for the contract form's type-ahead fields."""
    ratelimit.check(request, "lookup")
    get = request.GET
    return JsonResponse(
        {
            "results": selectors.contract_choices(
                get.get("field", ""),
                get.get("q", ""),
                seller=get.get("seller", ""),
                buyer=get.get("buyer", ""),
            )
        }
    )


@login_required
def contract_detail(request, pk):
    return _contract_page(request, pk)


def _contract_page(request, pk, *, payment_form=None, status=200):
    """The contract's page; a refused payment comes back with its form bound,
    every value kept and each error beside its field."""
    contract = get_object_or_404(
        selectors.contracts_visible_to(request.user).select_related(
            "achievement", "demand", "registered_by"
        ),
        pk=pk,
    )
    user = request.user
    payments = list(contract.payments.order_by("paid_on", "id"))
    for payment in payments:
        payment.contract = contract
        payment.may_confirm = permissions.may_confirm_payment(user, payment)
        payment.may_verify = permissions.may_verify_payment(user, payment)
    reward = (
        getattr(contract, "reward", None) if permissions.may_see_reward(user, contract) else None
    )
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "payments": payments,
            "history": audit_history(contract),
            "may_draft": permissions.may_draft(user, contract) and contract.is_editable,
            "may_confirm": permissions.may_confirm(user, contract),
            "may_register": permissions.may_register(user, contract),
            "may_terminate": permissions.may_terminate(user, contract),
            "may_write_case": can_write_cases(user)
            and permissions.is_registrar(user, contract)
            and contract.registration_number is not None,
            "may_pay": permissions.may_pay(user, contract),
            "may_reward": permissions.may_reward(user, contract),
            "reward": reward,
            "document_form": DocumentForm(),
            "payment_form": payment_form or PaymentForm(),
            "payment_refused": payment_form is not None,
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
        status=status,
    )


@login_required
@require_POST
def contract_document(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            lambda: services.contract_attach_document(
                contract=contract, by=request.user, upload=form.cleaned_data["file"]
            ),
            success=_("The contract document is attached."),
        )
    else:
        messages.error(request, _("Choose the signed contract (PDF)."))
    return redirect(contract)


@login_required
def contract_document_download(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    if not contract.document:
        raise PermissionDenied
    return download(contract.document, contract.document_name or "contract.pdf", "application/pdf")


CONTRACT_ACTIONS = {
    "confirm": calling(
        services.contract_confirm, "contract", gettext_lazy("Confirmed for your organisation.")
    ),
    "submit": calling(
        services.contract_submit, "contract", gettext_lazy("Submitted for registration.")
    ),
    "register": Action(
        lambda contract, user, data: services.contract_register(
            contract=contract,
            by=user,
            tech_transaction_amount=data.get("tech_transaction_amount") or None,
            reason=data.get("reason", ""),
            contract_type=data.get("contract_type", ""),
            comment=data.get("comment", ""),
        ),
        gettext_lazy("Registered."),
    ),
    "reject": calling(
        services.contract_reject, "contract", gettext_lazy("Returned to the parties."), reason=True
    ),
    "terminate": calling(
        services.contract_terminate, "contract", gettext_lazy("Terminated."), reason=True
    ),
}


@login_required
@require_POST
def contract_action(request, pk, action):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    return dispatch(
        request, contract, action, CONTRACT_ACTIONS, default=contract.get_absolute_url()
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


@login_required
def contract_case(request, pk):
    """Write a case about a registered contract: the case form, filled in from it."""
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    if not can_write_cases(request.user):
        raise PermissionDenied
    try:
        case = case_from_contract(contract)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        return redirect(contract)
    return case_form(request, case)


# --- payments -----------------------------------------------------------------------------


@login_required
@require_POST
def payment_add(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    form = PaymentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.payment_add(contract=contract, by=request.user, **form.cleaned_data)
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Payment recorded; staff will verify it."))
            return redirect(contract)
    if "evidence" not in form.errors and "evidence" in form.fields and request.FILES:
        # A file cannot be kept across a refusal: say so beside the field.
        form.add_error("evidence", _("Choose the file again: files are not kept after a refusal."))
    return _contract_page(request, contract.pk, payment_form=form)


PAYMENT_ACTIONS = {
    "verify": Action(
        lambda payment, user, data: services.payment_verify(
            payment=payment, by=user, comment=data.get("comment", "")
        ),
        gettext_lazy("Payment verified."),
    ),
    "confirm": calling(
        services.payment_confirm,
        "payment",
        gettext_lazy("Payment confirmed; staff will verify it."),
    ),
    "reject": calling(
        services.payment_reject, "payment", gettext_lazy("Payment rejected."), reason=True
    ),
}


@login_required
@require_POST
def payment_action(request, pk, action):
    payment = get_object_or_404(selectors.payments_visible_to(request.user), pk=pk)
    return dispatch(
        request, payment, action, PAYMENT_ACTIONS, default=payment.contract.get_absolute_url()
    )


@login_required
def payment_evidence(request, pk):
    payment = get_object_or_404(selectors.payments_visible_to(request.user), pk=pk)
    name = payment.evidence_name or "receipt"
    kind = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}.get(
        name.rsplit(".", 1)[-1], "application/octet-stream"
    )
    return download(payment.evidence, name, kind)


@login_required
@require_POST
def reward_save(request, pk):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    form = RewardForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.reward_save(contract=contract, by=request.user, **form.cleaned_data),
            success=_("Reward distribution saved."),
        )
    else:
        refuse(request, _form_errors(form))
    return redirect(contract)


# --- subsidies ---------------------------------------------------------------------------


def program_list(request):
    programs = SubsidyProgram.objects.order_by("-year", "-id")
    return render(
        request,
        "contracts/programs.html",
        {"programs": programs, "can_create": permissions.may_manage_programmes(request.user)},
    )


def program_detail(request, pk):
    program = get_object_or_404(SubsidyProgram, pk=pk)
    user = request.user
    context = {
        "program": program,
        "totals": selectors.program_totals(program),
        "may_export": permissions.may_export_subsidies(user),
        "may_edit": permissions.may_manage_programmes(user),
    }
    if permissions.may_apply(user):
        org = user.organization
        context["ledger"] = services.ledger_of(program=program, organization=org)
        context["preview"] = services.subsidy_compute(program=program, organization=org)
        context["mine"] = program.applications.filter(organization=org).order_by("-id")
        context["open_application"] = selectors.open_application(program=program, organization=org)
    return render(request, "contracts/program.html", context)


@login_required
def program_edit(request, pk=None):
    if not permissions.may_manage_programmes(request.user):
        raise PermissionDenied
    program = get_object_or_404(SubsidyProgram, pk=pk) if pk else None
    return form_page(
        request,
        ProgramForm(request.POST or None, instance=program),
        lambda unsaved: services.program_save(by=request.user, program=unsaved),
        template="contracts/program_form.html",
        context={"program": program},
    )


@login_required
@require_POST
def program_apply(request, pk):
    program = get_object_or_404(SubsidyProgram, pk=pk)
    existing = (
        selectors.open_application(program=program, organization=request.user.organization)
        if request.user.organization_id
        else None
    )
    if existing is not None:  # a second click opens the draft
        messages.info(request, _("Your application of this programme is open: continue it here."))
        return redirect(existing)
    _done, application = attempt(
        request,
        lambda: services.subsidy_apply(by=request.user, program=program),
        success=_("Draft application created: check the computed amount, then submit."),
    )
    return redirect(application or program)


@login_required
def program_export(request, pk):
    if not permissions.may_export_subsidies(request.user):
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
    if application.status in SubsidyApplication.EDITABLE:
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
            "may_submit": permissions.may_submit_subsidy(user, application),
            "may_city_review": permissions.may_city_review(user, application),
            "may_approve": permissions.may_approve(user, application),
            "may_reject": permissions.may_reject_subsidy(user, application),
            "may_send_back": permissions.may_send_back_subsidy(user, application),
            "may_delete": permissions.may_delete_subsidy(user, application),
            "attachments": attachments_of(application),
            "may_disburse": permissions.may_disburse(user, application),
            "reason_form": ReasonForm(),
            "disburse_form": DisburseForm(),
        },
    )


def _disburse(application, user, data):
    form = DisburseForm(data)
    if not form.is_valid():
        raise _form_errors(form)
    return services.subsidy_disburse(application=application, by=user, **form.cleaned_data)


SUBSIDY_ACTIONS = {
    "submit": calling(services.subsidy_submit, "application", gettext_lazy("Submitted.")),
    "city_review": calling(
        services.subsidy_city_review, "application", gettext_lazy("First review passed.")
    ),
    "approve": calling(services.subsidy_approve, "application", gettext_lazy("Approved.")),
    "reject": calling(
        services.subsidy_reject, "application", gettext_lazy("Rejected."), reason=True
    ),
    "disburse": Action(_disburse, gettext_lazy("Disbursed.")),
    "send_back": calling(
        services.subsidy_send_back,
        "application",
        gettext_lazy("Returned to the enterprise with the reason."),
        reason=True,
    ),
}


@login_required
@require_POST
def subsidy_files(request, pk):
    """The enterprise adds supporting documents (the portal's upload checks)."""
    application = get_object_or_404(selectors.subsidies_visible_to(request.user), pk=pk)
    attempt(
        request,
        lambda: services.subsidy_attach(
            application=application, by=request.user, files=request.FILES.getlist("files")
        ),
        success=_("Documents added."),
    )
    return redirect(application)


@login_required
@require_POST
def subsidy_delete(request, pk):
    application = get_object_or_404(selectors.subsidies_visible_to(request.user), pk=pk)
    program = application.program
    done, _result = attempt(
        request,
        lambda: services.subsidy_delete(application=application, by=request.user),
        success=_("Draft deleted."),
    )
    return redirect(program if done else application)


@login_required
@require_POST
def subsidy_action(request, pk, action):
    application = get_object_or_404(selectors.subsidies_visible_to(request.user), pk=pk)
    return dispatch(
        request, application, action, SUBSIDY_ACTIONS, default=application.get_absolute_url()
    )
