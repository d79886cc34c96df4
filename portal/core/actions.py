"""Pages call services the same way everywhere.

- `show_on_form(form, exc)`: a refusal on the form, beside its fields.
- `attempt(request, call, success=...)`: a refusal as a flash message.
- `dispatch(request, target, name, actions, default=...)`: the one idiom for
  `POST …/<id>/<action>/`: look the action up, call its service, flash the
  outcome, go back where the request came from (if that is on this site).
- `safe_next(request, default)`: the `next` a form sent, if it stays on this
  site (Django's url_has_allowed_host_and_scheme), else `default`.
- `form_page(request, form, save, ...)`: a model form's page whose valid POST
  goes to a service: the refusal beside the fields, "Saved." and a redirect.

The API maps the same errors once, in portal.core.api.exception_handler.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError, NotPermitted, error_text

REFUSALS = (ApplicationError, ValidationError)


def show_on_form(form, exc: Exception, field_map: dict[str, str] | None = None) -> None:
    """A service's refusal on the form: per field where the form has the field
    (`field_map` renames service fields to form fields), else above the form."""
    field_map = field_map or {}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for key, texts in exc.message_dict.items():
            name = field_map.get(key, key.split(".")[-1])
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
        return
    form.add_error(None, error_text(exc))


def refuse(request, exc: Exception) -> None:
    """Show a refusal as an error message."""
    messages.error(request, error_text(exc))


def attempt(request, call: Callable, *, success: str = "") -> tuple[bool, object]:
    """Call a service: (True, its result), or (False, None) with the refusal
    shown as an error message."""
    try:
        result = call()
    except REFUSALS as exc:
        refuse(request, exc)
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@dataclass(frozen=True)
class Action:
    """A page action: `service(target, user, data)` and what to say when it worked.
    `data` is the request's POST (a reason, a role, ...)."""

    service: Callable
    success: str | Callable = ""


def calling(service: Callable, target: str, success, *, reason: bool = False) -> Action:
    """The Action of a service taking the object as `<target>=` (and, with
    `reason`, the reason the form posted): `calling(contract_submit, "contract", _("…"))`."""

    def call(obj, user, data):
        extra = {"reason": data.get("reason", "")} if reason else {}
        return service(**{target: obj}, by=user, **extra)

    return Action(call, success)


def dispatch(request, target, name: str, actions: dict[str, Action], *, default: str):
    """Run `actions[name]` on `target` for the signed-in account; an unknown
    action is a 404."""
    action = actions.get(name)
    if action is None:
        raise Http404
    done, result = attempt(request, lambda: action.service(target, request.user, request.POST))
    if done:
        text = action.success(result) if callable(action.success) else action.success
        if text:
            messages.success(request, text)
    return redirect(safe_next(request, default))


def form_page(
    request,
    form,
    save: Callable,
    *,
    template: str,
    context: dict,
    allowed: bool = True,
    then: Callable | None = None,
):
    """A model form's page. A valid POST calls `save(form.save(commit=False))`,
    a service, which decides: its NotPermitted is a 403, another refusal shows
    on the form; done, "Saved." and a redirect to `then(saved)` (else to the
    saved object). Anything else shows the form, if `allowed`, else a 403."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.save(commit=False))
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(then(saved) if then else saved)
    elif not allowed:
        raise PermissionDenied
    return render(request, template, {"form": form, **context})
