"""What every page's menus need."""

from accounts.permissions import navigation
from portal.core import registry
from portal.core.notifications import unread_count


def menus(request):
    """`nav` (accounts.permissions.navigation), `my_work` and `workbench` (the
    menu items the apps registered for this account)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "my_work": [], "workbench": []}
    return {
        "nav": navigation(user),
        "my_work": registry.menu("mine", user),
        "workbench": registry.menu("workbench", user),
        "unread_notifications": unread_count(user),
    }
