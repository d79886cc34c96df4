"""Which rows of a model an account may see, for code that only knows the model
(the attachment download view). Each library registers its selector."""

from collections.abc import Callable

from django.db import models

_visible: dict[type[models.Model], Callable] = {}


def register_visibility(model: type[models.Model], selector: Callable) -> None:
    _visible[model] = selector


def visible_to(model: type[models.Model], user) -> models.QuerySet:
    selector = _visible.get(model)
    if selector is None:
        return model.objects.none()
    return selector(user)
