from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services, tokens, two_factor
from accounts.forms import LoginForm, MemberDecisionForm, ResetForm, SignUpForm, TokenForm
from accounts.models import ApiToken, Membership, Organization
from accounts.permissions import is_staff, may_admit
from portal.core import ratelimit
from portal.core.actions import show_on_form
from portal.core.errors import NotPermitted, TransitionNotAllowed

RECOVERY_SESSION_KEY = "two_factor_recovery_codes"


def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        ratelimit.check(request, "register")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                username=data["username"],
                password=data["password1"],
                email=data["email"],
                organization={k: data[k] for k in ("name", "kind", "credit_code", "region_code")},
            )
        except ValidationError as exc:
            show_on_form(form, exc, {"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            org = user.membership.organization
            if user.membership.status == Membership.Status.PENDING:
                messages.info(
                    request,
                    _(
                        "Welcome! Your request to join %(org)s waits for its administrators "
                        "(or staff of its market) to approve it; until then you act for nobody."
                    )
                    % {"org": org.name if org.verified else _("the organisation")},
                )
            else:
                messages.info(
                    request,
                    _(
                        "Welcome! Your organisation waits for verification "
                        "by staff; until then you can keep drafts."
                    ),
                )
            return redirect("workspace")
    return render(request, "accounts/signup.html", {"form": form})


class SignInView(auth_views.LoginView):
    """The sign-in page: password, then the two-step code where it is on;
    sign-in attempts of an address are rate-limited beside the lockout of a
    username (django-axes)."""

    template_name = "registration/login.html"
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        ratelimit.check(request, "sign_in")
        return super().post(request, *args, **kwargs)


class ResetView(auth_views.PasswordResetView):
    """Password-reset e-mails: a few per address and per e-mail address an hour."""

    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        ratelimit.check(request, "password_reset", subject=request.POST.get("email", "")[:254])
        return super().post(request, *args, **kwargs)


def _require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied


@login_required
def verify_queue(request):
    _require_staff(request.user)
    organizations = selectors.organizations_to_verify(request.user).order_by("created_at")
    return render(request, "accounts/verify_queue.html", {"organizations": organizations})


@login_required
@require_POST
def verify_organization(request, pk: int):
    _require_staff(request.user)
    org = get_object_or_404(selectors.organizations_visible_to(request.user), pk=pk)
    try:
        services.organization_verify(organization=org, by=request.user)
    except NotPermitted as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(org)s is verified.") % {"org": org.name})
    return redirect("accounts:verify_queue")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username is locked (AXES_LOCKOUT_CALLABLE):
    429 with Retry-After, JSON on the API."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"limit": settings.AXES_FAILURE_LIMIT, "minutes": seconds // 60}
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _(
                    "Too many failed sign-ins: this username is locked for %(minutes)d minutes."
                )
                % context
            },
            status=429,
        )
    else:
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


@login_required
def two_factor_settings(request):
    """Turn two-step sign-in on (scan, then confirm a code) or off (with a code);
    new recovery codes (shown once) on turning it on or on request."""
    device = two_factor.confirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and request.POST.get("recovery") and device is not None:
        if form.is_valid() and two_factor.verify(request.user, form.cleaned_data["token"]):
            request.session[RECOVERY_SESSION_KEY] = two_factor.recovery_codes_issue(
                user=request.user
            )
            messages.success(request, _("New recovery codes: the old ones no longer work."))
            return redirect("accounts:two_factor")
        form.add_error("token", _("The code is wrong or has expired; try the current one."))
    elif request.method == "POST" and form.is_valid():
        try:
            if device is None:
                request.session[RECOVERY_SESSION_KEY] = two_factor.totp_enable(
                    user=request.user, token=form.cleaned_data["token"]
                )
                messages.success(request, _("Two-step sign-in is on."))
            else:
                two_factor.totp_disable(user=request.user, token=form.cleaned_data["token"])
                messages.success(request, _("Two-step sign-in is off."))
        except ValidationError as exc:
            form.add_error("token", exc.message_dict["token"])
        else:
            return redirect("accounts:two_factor")
    context = {
        "form": form,
        "enabled": device is not None,
        "required": two_factor.is_required(request.user),
        # Shown once, right after they were made.
        "recovery_codes": request.session.pop(RECOVERY_SESSION_KEY, None),
    }
    if device is None:
        pending = two_factor.pending_device(request.user)
        context |= {"qr": two_factor.qr_svg(pending), "secret": two_factor.secret_of(pending)}
    return render(request, "accounts/two_factor.html", context)


@login_required
def members(request, pk: int | None = None):
    """An organisation's members and requests to join: for its administrators
    (their own organisation) and for staff in its scope (any organisation)."""
    org_id = pk or request.user.organization_id
    org = get_object_or_404(Organization.objects.select_related("market"), pk=org_id or 0)
    if not may_admit(request.user, org):
        raise PermissionDenied
    form = MemberDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = get_object_or_404(selectors.memberships_of(org), pk=data["membership"])
        actions = {
            "approve": lambda: services.membership_approve(
                membership=membership, by=request.user, role=data["role"] or "member"
            ),
            "refuse": lambda: services.membership_refuse(
                membership=membership, by=request.user, reason=data["reason"]
            ),
            "remove": lambda: services.membership_remove(
                membership=membership, by=request.user, reason=data["reason"]
            ),
            "role": lambda: services.membership_set_role(
                membership=membership, by=request.user, role=data["role"]
            ),
        }
        try:
            actions[data["action"]]()
        except (ValidationError, NotPermitted, TransitionNotAllowed) as exc:
            messages.error(
                request,
                " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message,
            )
        else:
            messages.success(request, _("Done: %(user)s.") % {"user": membership.user.username})
        return redirect(request.path)
    return render(
        request,
        "accounts/members.html",
        {
            "organization": org,
            "memberships": selectors.memberships_of(org).exclude(status=Membership.Status.REMOVED),
            "roles": Membership.Role.choices,
            "form": form,
        },
    )


@login_required
def membership_requests(request):
    """Staff: requests to join organisations of their scope."""
    _require_staff(request.user)
    return render(
        request,
        "accounts/membership_requests.html",
        {"memberships": selectors.memberships_to_decide(request.user)[:200]},
    )


@login_required
def api_tokens(request):
    """The account's API tokens: when issued and last used, whether they still
    work; revoke one."""
    if request.method == "POST":
        token = get_object_or_404(ApiToken, pk=request.POST.get("token") or 0, user=request.user)
        try:
            tokens.token_revoke(token=token, by=request.user)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The token no longer works."))
        return redirect("accounts:tokens")
    rows = [
        (token, tokens.state_of(token), tokens.is_live(token))
        for token in ApiToken.objects.filter(user=request.user).select_related("user")[:50]
    ]
    return render(request, "accounts/tokens.html", {"rows": rows})
