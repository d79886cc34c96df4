"""The project's own apps, read from the settings, so that no test lists them again."""

from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_apps() -> list:
    """The AppConfigs of the portal's own code (the test-only apps left out)."""
    base = Path(settings.BASE_DIR)
    own = []
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(base):
            continue
        top = path.relative_to(base).parts[0]
        if top.startswith(".") or top == "tests":  # the virtualenv; the test-only apps
            continue
        own.append(config)
    return own


def project_packages() -> list[str]:
    """The top-level packages: accounts, achievements, …, portal."""
    return sorted({config.name.split(".")[0] for config in project_apps()})
