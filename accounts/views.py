from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services, two_factor
from accounts.forms import SignUpForm, TokenForm
from portal.errors import NotPermitted


def signup(request):
    form = SignUpForm(request.POST or None)
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
            form.add_domain_error(exc, {"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if user.organization.verified:
                messages.success(
                    request,
                    _("Welcome! You have joined %(org)s.") % {"org": user.organization.name},
                )
            else:
                messages.info(
                    request,
                    _(
                        "Welcome! Your organisation waits for verification "
                        "by staff; until then you can keep drafts."
                    ),
                )
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


def _require_staff(user) -> None:
    if not (user.is_market_staff or user.is_superuser):
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
    """django-axes' answer once a username is locked (AXES_LOCKOUT_CALLABLE)."""
    context = {
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


@login_required
def two_factor_settings(request):
    """Turn two-step sign-in on (scan, then confirm a code) or off (with a code)."""
    device = two_factor.confirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if device is None:
                two_factor.totp_enable(user=request.user, token=form.cleaned_data["token"])
                messages.success(request, _("Two-step sign-in is on."))
            else:
                two_factor.totp_disable(user=request.user, token=form.cleaned_data["token"])
                messages.success(request, _("Two-step sign-in is off."))
        except ValidationError as exc:
            form.add_error("token", exc.message_dict["token"])
        else:
            return redirect("accounts:two_factor")
    context = {"form": form, "enabled": device is not None}
    if device is None:
        pending = two_factor.pending_device(request.user)
        context |= {"qr": two_factor.qr_svg(pending), "secret": two_factor.secret_of(pending)}
    return render(request, "accounts/two_factor.html", context)
