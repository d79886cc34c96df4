def roles(request):
    user = getattr(request, "user", None)
    return {"user_roles": user.roles if user is not None and user.is_authenticated else []}


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from portal.core.notifications import unread_count

    return {"unread_notifications": unread_count(user)}
