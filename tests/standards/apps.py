from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "tests.standards"
    label = "standards"

    # Nothing is registered at start-up, so the rest of the suite sees the five
    # libraries only; tests.standards.library.register() adds this one.
